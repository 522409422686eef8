#include "YamlLoader.h"

#include "model/Errors.h"
#include "model/Files.h"
#include "model/Numbers.h"

#include <yaml-cpp/yaml.h>

#include <regex>

namespace cosw {

Json yamlScalar(const std::string &text)
{
    static const std::regex integer(R"([-+]?[0-9]+)");
    static const std::regex real(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
        return Json();
    if (text == "true" || text == "True" || text == "TRUE")
        return Json(true);
    if (text == "false" || text == "False" || text == "FALSE")
        return Json(false);
    // A number too large for its type stays text, so the config reader names
    // the key that holds it instead of a wrong value being used.
    if (std::regex_match(text, integer)) {
        const auto v = parseInteger(text);
        return v ? Json(*v) : Json(text);
    }
    if (std::regex_match(text, real)) {
        const auto v = parseReal(text);
        return v ? Json(*v) : Json(text);
    }
    return Json(text);
}

static Json convert(const YAML::Node &node, const std::string &source)
{
    Json out;
    switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
        break;
    case YAML::NodeType::Scalar:
        // A quoted scalar is always a string; yaml-cpp tags those "!".
        out = node.Tag() == "!" ? Json(node.Scalar()) : yamlScalar(node.Scalar());
        break;
    case YAML::NodeType::Sequence:
        out = Json::array();
        for (const auto &item : node)
            out.push(convert(item, source));
        break;
    case YAML::NodeType::Map:
        out = Json::object();
        for (const auto &kv : node) {
            const int line = kv.first.Mark().line + 1;
            if (!kv.first.IsScalar())
                throw InputError(source + ":" + std::to_string(line) + ": mapping keys must be plain names");
            const std::string key = kv.first.Scalar();
            if (out.find(key))
                throw InputError(source + ":" + std::to_string(line) + ": duplicate key '" + key + "'");
            Json value = convert(kv.second, source);
            // A null value has no mark of its own; point at its key.
            if (value.line() == 0)
                value.setLine(line);
            out[key] = std::move(value);
        }
        break;
    }
    if (node.IsDefined() && !node.IsNull())
        out.setLine(node.Mark().line + 1);
    return out;
}

Json parseYaml(const std::string &text, const std::string &source)
{
    try {
        return convert(YAML::Load(text), source);
    } catch (const YAML::Exception &e) {
        throw InputError(source + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
}

Json loadYamlFile(const std::string &path)
{
    return parseYaml(readTextFile(path), path);
}

} // namespace cosw

#include "YamlLoader.h"

#include "base/Errors.h"
#include "base/Files.h"
#include "base/Messages.h"
#include "base/Utf8.h"

#include <algorithm>

#include <yaml-cpp/yaml.h>

namespace cosw {

namespace {

Json scalarOf(const YAML::Node &node)
{
    // yaml-cpp tags a quoted scalar "!": it is a string whatever it reads as.
    if (node.Tag() == "!")
        return node.Scalar();
    int64_t integer = 0;
    double real = 0;
    bool boolean = false;
    if (YAML::convert<int64_t>::decode(node, integer))
        return integer;
    // A number too large for a double stays text, so the config reader names
    // the key that holds it instead of an infinity being used.
    if (YAML::convert<double>::decode(node, real))
        return real;
    if (YAML::convert<bool>::decode(node, boolean))
        return boolean;
    return node.Scalar();
}

int lineOf(const YAML::Node &node)
{
    return node.Mark().line + 1;
}

Json convert(const YAML::Node &node, const std::string &source, const std::string &path, JsonLines *lines)
{
    switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
        return Json();
    case YAML::NodeType::Scalar:
        return scalarOf(node);
    case YAML::NodeType::Sequence: {
        Json out = Json::array();
        size_t index = 0;
        for (const auto &item : node) {
            const std::string itemPath = childKeyPath(path, index++);
            if (lines)
                (*lines)[itemPath] = lineOf(item);
            out.push_back(convert(item, source, itemPath, lines));
        }
        return out;
    }
    case YAML::NodeType::Map: {
        Json out = Json::object();
        for (const auto &kv : node) {
            const int line = lineOf(kv.first);
            if (!kv.first.IsScalar())
                throw InputError(fill(msg("%1:%2: mapping keys must be plain names"), {source, std::to_string(line)}));
            const std::string key = kv.first.Scalar();
            if (findKey(out, key))
                throw InputError(fill(msg("%1:%2: duplicate key '%3'"), {source, std::to_string(line), key}));
            const std::string valuePath = childKeyPath(path, key);
            // The key's line: a block mapping or list below it starts on the
            // next, and a null value has no mark of its own.
            if (lines)
                (*lines)[valuePath] = line;
            out[key] = convert(kv.second, source, valuePath, lines);
        }
        return out;
    }
    }
    return Json();
}

} // namespace

Json parseYaml(const std::string &text, const std::string &source, JsonLines *lines)
{
    if (const size_t bad = firstInvalidUtf8(text); bad != std::string_view::npos)
        throw InputError(fill(msg("%1:%2: the text is not valid UTF-8"),
                              {source, std::to_string(1 + std::count(text.begin(), text.begin() + std::ptrdiff_t(bad), '\n'))}));
    try {
        const YAML::Node root = YAML::Load(text);
        if (lines && root.IsDefined() && !root.IsNull())
            (*lines)[""] = lineOf(root);
        return convert(root, source, "", lines);
    } catch (const YAML::Exception &e) {
        throw InputError(source + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
}

Json loadYamlFile(const std::string &path, JsonLines *lines)
{
    return parseYaml(readTextFile(path), path, lines);
}

Json plainYamlValue(const std::string &text)
{
    try {
        return convert(YAML::Load(text), "", "", nullptr);
    } catch (const std::exception &) {
        return text;
    }
}

} // namespace cosw

#include "YamlWriter.h"

#include "YamlLoader.h"
#include "model/Numbers.h"

#include <yaml-cpp/yaml.h>

#include <cmath>

namespace cosw {

// The shortest decimal that reads back to the same double, with a '.' or an
// exponent so the loader does not take it for an integer.
static std::string realText(double value)
{
    if (std::isnan(value))
        return ".nan";
    if (std::isinf(value))
        return value < 0 ? "-.inf" : ".inf";
    std::string text = formatReal(value);
    if (text.find_first_of(".eE") == std::string::npos)
        text += ".0";
    return text;
}

static bool isScalar(const Json &value)
{
    return !value.isArray() && !value.isObject();
}

static bool allScalars(const Json &value)
{
    if (value.isArray()) {
        for (const Json &item : value.asArray())
            if (!isScalar(item))
                return false;
    } else {
        for (const auto &kv : value.asObject())
            if (!isScalar(kv.second))
                return false;
    }
    return true;
}

// Written as hand-written configs are: lists of scalars in flow style, and
// short mappings of scalars in a list ({windows: 1, queries: 16}).
static bool flowStyle(const Json &value, bool inList)
{
    if (value.size() == 0 || !allScalars(value))
        return false;
    return value.isArray() || (inList && value.size() <= 4);
}

static void emit(YAML::Emitter &out, const Json &value, bool inList)
{
    switch (value.type()) {
    case Json::Type::Null:
        out << YAML::Null;
        break;
    case Json::Type::Bool:
        out << (value.asBool() ? "true" : "false");
        break;
    case Json::Type::Integer:
        out << value.asInt();
        break;
    case Json::Type::Real:
        out << realText(value.asDouble());
        break;
    case Json::Type::String: {
        // A plain scalar that reads as something else ("true", "12", "")
        // must be quoted to stay a string.
        const std::string &s = value.asString();
        const Json plain = yamlScalar(s);
        if (!plain.isString() || plain.asString() != s)
            out << YAML::DoubleQuoted;
        out << s;
        break;
    }
    case Json::Type::Array:
    case Json::Type::Object: {
        if (flowStyle(value, inList))
            out << YAML::Flow;
        if (value.isArray()) {
            out << YAML::BeginSeq;
            for (const Json &item : value.asArray())
                emit(out, item, true);
            out << YAML::EndSeq;
        } else {
            out << YAML::BeginMap;
            for (const auto &kv : value.asObject()) {
                out << YAML::Key << kv.first << YAML::Value;
                emit(out, kv.second, false);
            }
            out << YAML::EndMap;
        }
        break;
    }
    }
}

std::string toYaml(const Json &value)
{
    YAML::Emitter out;
    emit(out, value, false);
    return std::string(out.c_str()) + "\n";
}

} // namespace cosw

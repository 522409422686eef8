#include "YamlWriter.h"

#include "YamlLoader.h"
#include "base/Numbers.h"

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
    return !value.is_array() && !value.is_object();
}

static bool allScalars(const Json &value)
{
    // (Iterating an object visits its values.)
    for (const Json &item : value)
        if (!isScalar(item))
            return false;
    return true;
}

// Written as hand-written configs are: lists of scalars in flow style, and
// short mappings of scalars in a list ({windows: 1, queries: 16}).
static bool flowStyle(const Json &value, bool inList)
{
    if (value.size() == 0 || !allScalars(value))
        return false;
    return value.is_array() || (inList && value.size() <= 4);
}

static void emit(YAML::Emitter &out, const Json &value, bool inList)
{
    switch (value.type()) {
    case Json::value_t::null:
    default: // binary values: JSON text never holds them
        out << YAML::Null;
        break;
    case Json::value_t::boolean:
        out << (value.get<bool>() ? "true" : "false");
        break;
    case Json::value_t::number_integer:
        out << value.get<int64_t>();
        break;
    case Json::value_t::number_unsigned:
        out << value.get<uint64_t>();
        break;
    case Json::value_t::number_float:
        out << realText(value.get<double>());
        break;
    case Json::value_t::string: {
        // A plain scalar that reads as something else ("true", "12", "")
        // must be quoted to stay a string.
        const std::string &s = value.get_ref<const std::string &>();
        if (plainYamlValue(s) != value)
            out << YAML::DoubleQuoted;
        out << s;
        break;
    }
    case Json::value_t::array:
    case Json::value_t::object: {
        if (flowStyle(value, inList))
            out << YAML::Flow;
        if (value.is_array()) {
            out << YAML::BeginSeq;
            for (const Json &item : value)
                emit(out, item, true);
            out << YAML::EndSeq;
        } else {
            out << YAML::BeginMap;
            for (const auto &[key, item] : value.items()) {
                out << YAML::Key << key << YAML::Value;
                emit(out, item, false);
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

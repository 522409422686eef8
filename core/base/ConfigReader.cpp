#include "ConfigReader.h"

#include "Errors.h"
#include "Messages.h"

#include <climits>

namespace cosw {

ConfigReader::ConfigReader(const Json &object, const ConfigSource &source, std::string path)
    : m_object(object), m_source(source), m_path(std::move(path))
{
    if (!object.is_object())
        // TRANSLATORS: %1 is a type name: null, boolean, integer, number, string, list or mapping.
        throw ConfigError(m_source.where(m_path), m_path,
                          fill(msg("expected a mapping, got a %1"), {jsonTypeName(object)}));
}

void ConfigReader::fail(const std::string &key, const std::string &reason) const
{
    throw ConfigError(m_source.where(keyPath(key)), keyPath(key), reason);
}

// `what` is the translated message for a value of another type, with %1 for
// that type's name.
const Json *ConfigReader::fetch(const std::string &key, Kind wanted, const char *what)
{
    m_read.insert(key);
    const Json *v = findKey(m_object, key);
    if (!v || v->is_null())
        return nullptr;
    bool ok = false;
    switch (wanted) {
    case Kind::Integer: ok = v->is_number_integer(); break;
    case Kind::Number: ok = v->is_number(); break;
    case Kind::Bool: ok = v->is_boolean(); break;
    case Kind::String: ok = v->is_string(); break;
    case Kind::List: ok = v->is_array(); break;
    }
    if (!ok)
        fail(key, fill(what, {jsonTypeName(*v)}));
    return v;
}

int ConfigReader::getInt(const std::string &key, int fallback)
{
    int64_t v = getInt64(key, fallback);
    if (v < INT_MIN || v > INT_MAX)
        fail(key, fill(msg("value %1 is out of range"), {std::to_string(v)}));
    return static_cast<int>(v);
}

int ConfigReader::requireInt(const std::string &key)
{
    const Json *v = findKey(m_object, key);
    if (!v || v->is_null())
        throw ConfigError(m_source.where(m_path), keyPath(key), msg("is required"));
    return getInt(key, 0);
}

int64_t ConfigReader::getInt64(const std::string &key, int64_t fallback)
{
    // TRANSLATORS: %1 is a type name: null, boolean, integer, number, string, list or mapping.
    const Json *v = fetch(key, Kind::Integer, msg("expected an integer, got a %1"));
    if (!v)
        return fallback;
    // The parser keeps non-negative integers unsigned, up to 2^64 - 1.
    if (v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(INT64_MAX))
        fail(key, fill(msg("value %1 is out of range"), {v->dump()}));
    return v->get<int64_t>();
}

double ConfigReader::getDouble(const std::string &key, double fallback)
{
    // TRANSLATORS: %1 is a type name: null, boolean, integer, number, string, list or mapping.
    const Json *v = fetch(key, Kind::Number, msg("expected a number, got a %1"));
    return v ? v->get<double>() : fallback;
}

bool ConfigReader::getBool(const std::string &key, bool fallback)
{
    // TRANSLATORS: %1 is a type name: null, boolean, integer, number, string, list or mapping.
    const Json *v = fetch(key, Kind::Bool, msg("expected true or false, got a %1"));
    return v ? v->get<bool>() : fallback;
}

std::string ConfigReader::getString(const std::string &key, const std::string &fallback)
{
    // TRANSLATORS: %1 is a type name: null, boolean, integer, number, string, list or mapping.
    const Json *v = fetch(key, Kind::String, msg("expected a string, got a %1"));
    return v ? v->get<std::string>() : fallback;
}

std::string ConfigReader::getChoice(const std::string &key, const std::string &fallback,
                                    const std::vector<std::string> &choices)
{
    std::string v = getString(key, fallback);
    for (const auto &c : choices)
        if (c == v)
            return v;
    fail(key, fill(msg("'%1' is not one of: %2"), {v, listText(choices)}));
}

std::vector<std::string> ConfigReader::getStringList(const std::string &key,
                                                     const std::vector<std::string> &fallback)
{
    // TRANSLATORS: %1 is a type name: null, boolean, integer, number, string, list or mapping.
    const Json *v = fetch(key, Kind::List, msg("expected a list of strings, got a %1"));
    if (!v)
        return fallback;
    std::vector<std::string> out;
    for (size_t i = 0; i < v->size(); ++i) {
        const Json &item = (*v)[i];
        const std::string path = childKeyPath(keyPath(key), i);
        if (!item.is_string())
            throw ConfigError(m_source.where(path), path,
                              fill(msg("expected a string, got a %1"), {jsonTypeName(item)}));
        out.push_back(item.get<std::string>());
    }
    return out;
}

const Json *ConfigReader::child(const std::string &key)
{
    m_read.insert(key);
    const Json *v = findKey(m_object, key);
    return (v && !v->is_null()) ? v : nullptr;
}

void ConfigReader::finish() const
{
    for (const auto &[key, value] : m_object.items())
        if (!m_read.count(key))
            fail(key, msg("unknown key"));
}

} // namespace cosw

#include "ConfigReader.h"

#include "Errors.h"

#include <climits>

namespace cosw {

static std::string whereOf(const std::string &file, const Json *value)
{
    if (value && value->line() > 0)
        return (file.empty() ? std::string("<config>") : file) + ":" + std::to_string(value->line());
    return file;
}

void requireMapping(const Json &value, const std::string &file, const std::string &key)
{
    if (!value.isObject())
        throw ConfigError(whereOf(file, &value), key,
                          std::string("expected a mapping, got a ") + Json::typeName(value.type()));
}

ConfigReader::ConfigReader(const Json &object, std::string file, std::string path)
    : m_object(object), m_file(std::move(file)), m_path(std::move(path))
{
    requireMapping(object, m_file, m_path);
}

std::string ConfigReader::keyPath(const std::string &key) const
{
    return m_path.empty() ? key : m_path + "." + key;
}

std::string ConfigReader::keyPath(size_t index) const
{
    return m_path + "[" + std::to_string(index) + "]";
}

std::string ConfigReader::where(const Json *value) const
{
    return whereOf(m_file, value ? value : &m_object);
}

void ConfigReader::fail(const std::string &key, const std::string &reason) const
{
    throw ConfigError(where(m_object.find(key)), keyPath(key), reason);
}

const Json *ConfigReader::fetch(const std::string &key, Json::Type wanted, const char *what)
{
    m_read.insert(key);
    const Json *v = m_object.find(key);
    if (!v || v->isNull())
        return nullptr;
    bool ok = v->type() == wanted || (wanted == Json::Type::Real && v->isNumber());
    if (!ok)
        fail(key, std::string("expected ") + what + ", got a " + Json::typeName(v->type()));
    return v;
}

int ConfigReader::getInt(const std::string &key, int fallback)
{
    int64_t v = getInt64(key, fallback);
    if (v < INT_MIN || v > INT_MAX)
        fail(key, "value " + std::to_string(v) + " is out of range");
    return static_cast<int>(v);
}

int ConfigReader::requireInt(const std::string &key)
{
    if (!has(key) || m_object.find(key)->isNull())
        throw ConfigError(where(nullptr), keyPath(key), "is required");
    return getInt(key, 0);
}

int64_t ConfigReader::getInt64(const std::string &key, int64_t fallback)
{
    const Json *v = fetch(key, Json::Type::Integer, "an integer");
    return v ? v->asInt() : fallback;
}

double ConfigReader::getDouble(const std::string &key, double fallback)
{
    const Json *v = fetch(key, Json::Type::Real, "a number");
    return v ? v->asDouble() : fallback;
}

bool ConfigReader::getBool(const std::string &key, bool fallback)
{
    const Json *v = fetch(key, Json::Type::Bool, "true or false");
    return v ? v->asBool() : fallback;
}

std::string ConfigReader::getString(const std::string &key, const std::string &fallback)
{
    const Json *v = fetch(key, Json::Type::String, "a string");
    return v ? v->asString() : fallback;
}

std::string ConfigReader::getChoice(const std::string &key, const std::string &fallback,
                                    const std::vector<std::string> &choices)
{
    std::string v = getString(key, fallback);
    for (const auto &c : choices)
        if (c == v)
            return v;
    std::string list;
    for (const auto &c : choices)
        list += (list.empty() ? "" : ", ") + c;
    fail(key, "'" + v + "' is not one of: " + list);
}

std::vector<std::string> ConfigReader::getStringList(const std::string &key,
                                                     const std::vector<std::string> &fallback)
{
    const Json *v = fetch(key, Json::Type::Array, "a list of strings");
    if (!v)
        return fallback;
    std::vector<std::string> out;
    for (size_t i = 0; i < v->size(); ++i) {
        const Json &item = v->asArray()[i];
        if (!item.isString())
            throw ConfigError(where(&item), keyPath(key) + "[" + std::to_string(i) + "]",
                              std::string("expected a string, got a ") + Json::typeName(item.type()));
        out.push_back(item.asString());
    }
    return out;
}

const Json *ConfigReader::child(const std::string &key)
{
    m_read.insert(key);
    const Json *v = m_object.find(key);
    return (v && !v->isNull()) ? v : nullptr;
}

void ConfigReader::finish() const
{
    for (const auto &kv : m_object.asObject())
        if (!m_read.count(kv.first))
            throw ConfigError(where(&kv.second), keyPath(kv.first), "unknown key");
}

} // namespace cosw

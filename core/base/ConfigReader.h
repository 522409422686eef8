#pragma once
// Reads one mapping of a config with strict checking: every key read is
// type-checked, and `finish()` rejects keys nobody read. Errors name the file,
// the line and the dotted key path.

#include "ConfigSource.h"
#include "Json.h"

#include <set>
#include <string>
#include <vector>

namespace cosw {

class ConfigReader {
public:
    // Throws ConfigError unless `object` is a mapping. `path` is its key path.
    ConfigReader(const Json &object, const ConfigSource &source, std::string path);
    // The reader keeps a reference to the source.
    ConfigReader(const Json &object, ConfigSource &&source, std::string path) = delete;

    bool has(const std::string &key) const { return findKey(m_object, key) != nullptr; }

    int getInt(const std::string &key, int fallback);
    int requireInt(const std::string &key);
    int64_t getInt64(const std::string &key, int64_t fallback);
    double getDouble(const std::string &key, double fallback);
    bool getBool(const std::string &key, bool fallback);
    std::string getString(const std::string &key, const std::string &fallback);
    std::string getChoice(const std::string &key, const std::string &fallback,
                          const std::vector<std::string> &choices);
    std::vector<std::string> getStringList(const std::string &key,
                                           const std::vector<std::string> &fallback);
    // Nested mapping or list; nullptr when absent. Marks the key as read.
    const Json *child(const std::string &key);

    // Throws for the first key that was not read.
    void finish() const;

    // Dotted key path of a child key or list element.
    std::string keyPath(const std::string &key) const { return childKeyPath(m_path, key); }
    std::string keyPath(size_t index) const { return childKeyPath(m_path, index); }
    const ConfigSource &source() const { return m_source; }

    [[noreturn]] void fail(const std::string &key, const std::string &reason) const;

private:
    enum class Kind { Integer, Number, Bool, String, List };
    const Json *fetch(const std::string &key, Kind wanted, const char *what);

    const Json &m_object;
    const ConfigSource &m_source;
    std::string m_path;
    std::set<std::string> m_read;
};

} // namespace cosw

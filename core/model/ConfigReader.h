#pragma once
// Reads one mapping of a config with strict checking: every key read is
// type-checked, and `finish()` rejects keys nobody read. Errors name the file,
// the line and the dotted key path.

#include "Json.h"

#include <set>
#include <string>
#include <vector>

namespace cosw {

class ConfigReader {
public:
    ConfigReader(const Json &object, std::string file, std::string path);

    bool has(const std::string &key) const { return m_object.find(key) != nullptr; }

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
    std::string keyPath(const std::string &key) const;
    std::string keyPath(size_t index) const;
    // "FILE:LINE" for a value, "FILE" when its line is unknown.
    std::string where(const Json *value) const;
    const std::string &file() const { return m_file; }

    [[noreturn]] void fail(const std::string &key, const std::string &reason) const;

private:
    const Json *fetch(const std::string &key, Json::Type wanted, const char *what);

    const Json &m_object;
    std::string m_file;
    std::string m_path;
    std::set<std::string> m_read;
};

// Throws ConfigError at `value` unless it is a mapping.
void requireMapping(const Json &value, const std::string &file, const std::string &key);

} // namespace cosw

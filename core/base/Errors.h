#pragma once
// Error kinds shared by the engine and its front ends. A front end maps
// InputError to exit status 2 (bad usage or bad input) and every other
// exception to exit status 1 (a failure while running).

#include <stdexcept>
#include <string>

namespace cosw {

// Bad input from the user: a config, dataset, image, checkpoint or database
// that cannot be used. The message names the file, key or line.
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A config value that is missing, of the wrong type or out of range.
// `where` is "FILE:LINE" when known; `key` is the dotted key path.
class ConfigError : public InputError {
public:
    ConfigError(const std::string &where, const std::string &key, const std::string &reason)
        : InputError(format(where, key, reason)), m_key(key), m_reason(reason) {}

    const std::string &key() const { return m_key; }
    const std::string &reason() const { return m_reason; }

private:
    static std::string format(const std::string &where, const std::string &key,
                              const std::string &reason)
    {
        std::string out;
        if (!where.empty())
            out += where + ": ";
        if (!key.empty())
            out += key + ": ";
        return out + reason;
    }

    std::string m_key;
    std::string m_reason;
};

} // namespace cosw

#pragma once
// A config struct's fields described once: key, member, what it becomes when
// the config leaves it out, and what makes it valid. Reading (with checks
// that name the key and line), writing and everything built on the written
// form (the stored config, cache keys) come from the description, so a new
// field is one line.

#include "ConfigReader.h"
#include "Json.h"
#include "Messages.h"
#include "Numbers.h"

#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

namespace cosw {

template <class S>
class ConfigFields {
    // Keeps T out of deduction: a member names it, checks take lambdas.
    template <class T>
    struct Exactly {
        using type = T;
    };

public:
    // Why a value is wrong, or "" when it is right.
    template <class T>
    using Check = std::function<std::string(const typename Exactly<T>::type &)>;
    // The value of a field the config leaves out, from the fields read before it.
    template <class T>
    using Fallback = std::function<typename Exactly<T>::type(const S &)>;

    // A field read and written as its member is; absent, the member keeps
    // the value it has (the struct's default).
    template <class T>
    ConfigFields &field(const char *key, T S::*member, Check<T> check = {})
    {
        return field(key, member, Fallback<T>{}, std::move(check));
    }

    template <class T>
    ConfigFields &field(const char *key, T S::*member, Fallback<T> fallback, Check<T> check = {})
    {
        const std::string name = key;
        m_fields.push_back(
            {[=](ConfigReader &r, S &s) {
                 const T absent = fallback ? fallback(s) : s.*member;
                 s.*member = readValue(r, name, absent);
                 if (check)
                     if (const std::string why = check(s.*member); !why.empty())
                         r.fail(name, why);
             },
             [=](const S &s, Json &j) { j[name] = Json(s.*member); }});
        return *this;
    }

    // A string that must be one of `choices`.
    ConfigFields &choice(const char *key, std::string S::*member, std::vector<std::string> choices,
                         Fallback<std::string> fallback = {})
    {
        const std::string name = key;
        m_fields.push_back({[=](ConfigReader &r, S &s) {
                                s.*member = r.getChoice(name, fallback ? fallback(s) : s.*member, choices);
                            },
                            [=](const S &s, Json &j) { j[name] = s.*member; }});
        return *this;
    }

    // A field whose config form is not its member's (an enum, a list of
    // mappings, keys that depend on other fields): read and written by hand.
    ConfigFields &custom(std::function<void(ConfigReader &, S &)> read, std::function<void(const S &, Json &)> write)
    {
        m_fields.push_back({std::move(read), std::move(write)});
        return *this;
    }

    // Reads every described field in order (so fallbacks see the fields
    // above them) and checks each; the caller then checks what spans fields
    // and calls r.finish().
    void read(ConfigReader &r, S &s) const
    {
        for (const auto &f : m_fields)
            f.read(r, s);
    }

    Json toJson(const S &s) const
    {
        Json j = Json::object();
        for (const auto &f : m_fields)
            f.write(s, j);
        return j;
    }

private:
    template <class T>
    static T readValue(ConfigReader &r, const std::string &key, const T &absent)
    {
        if constexpr (std::is_same_v<T, bool>)
            return r.getBool(key, absent);
        else if constexpr (std::is_same_v<T, int>)
            return r.getInt(key, absent);
        else if constexpr (std::is_same_v<T, uint64_t>) {
            const int64_t v = r.getInt64(key, static_cast<int64_t>(absent));
            if (v < 0)
                r.fail(key, fill(msg("must not be negative, got %1"), {std::to_string(v)}));
            return static_cast<uint64_t>(v);
        } else if constexpr (std::is_same_v<T, double>)
            return r.getDouble(key, absent);
        else if constexpr (std::is_same_v<T, std::string>)
            return r.getString(key, absent);
        else if constexpr (std::is_same_v<T, std::vector<std::string>>)
            return r.getStringList(key, absent);
        else
            static_assert(!sizeof(T), "no config reading for this member type");
    }

    struct Field {
        std::function<void(ConfigReader &, S &)> read;
        std::function<void(const S &, Json &)> write;
    };
    std::vector<Field> m_fields;
};

inline std::string numberText(int v) { return std::to_string(v); }
inline std::string numberText(double v) { return formatReal(v); }

// Checks for the common cases, in the words the config errors use.
template <class T>
std::function<std::string(const T &)> mustBePositive()
{
    return [](const T &v) { return v > 0 ? std::string() : fill(msg("must be positive, got %1"), {numberText(v)}); };
}

template <class T>
std::function<std::string(const T &)> mustNotBeNegative(std::string note = {})
{
    return [note](const T &v) { return v >= 0 ? std::string() : msg("must not be negative") + note; };
}

} // namespace cosw

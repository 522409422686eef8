#pragma once
// A small JSON value with a parser and a writer. The engine needs JSON for
// safetensors headers, checkpoint config.json and benchmark configs, and must
// build against LibTorch alone, so it cannot depend on a JSON library.
// Objects keep insertion order so written files read like their sources.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cosw {

class Json {
public:
    enum class Type { Null, Bool, Integer, Real, String, Array, Object };
    using Array = std::vector<Json>;
    using Object = std::vector<std::pair<std::string, Json>>;

    Json() = default;
    Json(std::nullptr_t) {}
    Json(bool b) : m_type(Type::Bool), m_bool(b) {}
    Json(int i) : m_type(Type::Integer), m_int(i) {}
    Json(int64_t i) : m_type(Type::Integer), m_int(i) {}
    Json(uint64_t i) : m_type(Type::Integer), m_int(static_cast<int64_t>(i)) {}
    Json(double d) : m_type(Type::Real), m_real(d) {}
    Json(const char *s) : m_type(Type::String), m_string(s) {}
    Json(std::string s) : m_type(Type::String), m_string(std::move(s)) {}
    Json(Array a) : m_type(Type::Array), m_array(std::move(a)) {}
    Json(Object o) : m_type(Type::Object), m_object(std::move(o)) {}

    static Json array() { return Json(Array{}); }
    static Json object() { return Json(Object{}); }

    Type type() const { return m_type; }
    bool isNull() const { return m_type == Type::Null; }
    bool isBool() const { return m_type == Type::Bool; }
    bool isInteger() const { return m_type == Type::Integer; }
    bool isNumber() const { return m_type == Type::Integer || m_type == Type::Real; }
    bool isString() const { return m_type == Type::String; }
    bool isArray() const { return m_type == Type::Array; }
    bool isObject() const { return m_type == Type::Object; }
    static const char *typeName(Type t);

    // Accessors throw std::logic_error on a type mismatch; callers that read
    // user input check the type first and report the key.
    bool asBool() const;
    int64_t asInt() const;
    double asDouble() const;
    const std::string &asString() const;
    const Array &asArray() const;
    Array &asArray();
    const Object &asObject() const;

    // Object access. `find` returns nullptr when absent.
    const Json *find(const std::string &key) const;
    Json &operator[](const std::string &key); // inserts null when absent
    void set(const std::string &key, Json value) { (*this)[key] = std::move(value); }
    // Removes `key` from an object; false when it was absent.
    bool erase(const std::string &key);
    // Array append.
    void push(Json value);
    size_t size() const;

    // Source line (1-based) this value was read from, or 0 when unknown.
    int line() const { return m_line; }
    void setLine(int line) { m_line = line; }

    // Parses `text`; `source` names the input in error messages. Throws
    // InputError "SOURCE:LINE:COL: reason" on malformed input.
    static Json parse(const std::string &text, const std::string &source = "<json>");
    // Reads and parses a file; a missing or unreadable file is an InputError.
    static Json parseFile(const std::string &path);
    // Compact when indent < 0, otherwise pretty-printed with that indent.
    std::string dump(int indent = -1) const;

    bool operator==(const Json &other) const;
    bool operator!=(const Json &other) const { return !(*this == other); }

private:
    void dumpTo(std::string &out, int indent, int depth) const;

    Type m_type = Type::Null;
    bool m_bool = false;
    int64_t m_int = 0;
    double m_real = 0.0;
    std::string m_string;
    Array m_array;
    Object m_object;
    int m_line = 0;
};

} // namespace cosw

#include "Json.h"

#include "Errors.h"
#include "Files.h"
#include "Numbers.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace cosw {

const char *Json::typeName(Type t)
{
    switch (t) {
    case Type::Null: return "null";
    case Type::Bool: return "boolean";
    case Type::Integer: return "integer";
    case Type::Real: return "number";
    case Type::String: return "string";
    case Type::Array: return "list";
    case Type::Object: return "mapping";
    }
    return "?";
}

static void expectType(bool ok, const char *wanted, Json::Type got)
{
    if (!ok)
        throw std::logic_error(std::string("JSON value is a ") + Json::typeName(got) + ", not a "
                               + wanted);
}

bool Json::asBool() const { expectType(isBool(), "boolean", m_type); return m_bool; }
int64_t Json::asInt() const { expectType(isInteger(), "integer", m_type); return m_int; }
double Json::asDouble() const
{
    expectType(isNumber(), "number", m_type);
    return m_type == Type::Integer ? static_cast<double>(m_int) : m_real;
}
const std::string &Json::asString() const { expectType(isString(), "string", m_type); return m_string; }
const Json::Array &Json::asArray() const { expectType(isArray(), "list", m_type); return m_array; }
Json::Array &Json::asArray() { expectType(isArray(), "list", m_type); return m_array; }
const Json::Object &Json::asObject() const { expectType(isObject(), "mapping", m_type); return m_object; }

const Json *Json::find(const std::string &key) const
{
    if (!isObject())
        return nullptr;
    for (const auto &kv : m_object)
        if (kv.first == key)
            return &kv.second;
    return nullptr;
}

Json &Json::operator[](const std::string &key)
{
    if (isNull())
        m_type = Type::Object;
    expectType(isObject(), "mapping", m_type);
    for (auto &kv : m_object)
        if (kv.first == key)
            return kv.second;
    m_object.emplace_back(key, Json());
    return m_object.back().second;
}

bool Json::erase(const std::string &key)
{
    expectType(isObject(), "mapping", m_type);
    const auto it = std::find_if(m_object.begin(), m_object.end(), [&](const auto &kv) { return kv.first == key; });
    if (it == m_object.end())
        return false;
    m_object.erase(it);
    return true;
}

void Json::push(Json value)
{
    if (isNull())
        m_type = Type::Array;
    expectType(isArray(), "list", m_type);
    m_array.push_back(std::move(value));
}

size_t Json::size() const
{
    if (isArray())
        return m_array.size();
    if (isObject())
        return m_object.size();
    return 0;
}

bool Json::operator==(const Json &o) const
{
    if (isNumber() && o.isNumber()) {
        if (isInteger() && o.isInteger())
            return m_int == o.m_int;
        return asDouble() == o.asDouble();
    }
    if (m_type != o.m_type)
        return false;
    switch (m_type) {
    case Type::Null: return true;
    case Type::Bool: return m_bool == o.m_bool;
    case Type::String: return m_string == o.m_string;
    case Type::Array: return m_array == o.m_array;
    case Type::Object: return m_object == o.m_object;
    default: return false;
    }
}

// ---------------------------------------------------------------- parser

namespace {

class Parser {
public:
    Parser(const std::string &text, const std::string &source) : m_text(text), m_source(source) {}

    Json parseDocument()
    {
        skipSpace();
        Json value = parseValue(0);
        skipSpace();
        if (m_pos != m_text.size())
            fail("unexpected text after the JSON value");
        return value;
    }

private:
    [[noreturn]] void fail(const std::string &reason) const
    {
        int line = 1, col = 1;
        for (size_t i = 0; i < m_pos && i < m_text.size(); ++i) {
            if (m_text[i] == '\n') {
                ++line;
                col = 1;
            } else {
                ++col;
            }
        }
        throw InputError(m_source + ":" + std::to_string(line) + ":" + std::to_string(col) + ": "
                         + reason);
    }

    int currentLine() const
    {
        int line = 1;
        for (size_t i = m_lineScanPos; i < m_pos; ++i)
            if (m_text[i] == '\n')
                ++line;
        m_lineScanPos = m_pos;
        m_lineCount += line - 1;
        return m_lineCount;
    }

    void skipSpace()
    {
        while (m_pos < m_text.size()
               && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\n'
                   || m_text[m_pos] == '\r'))
            ++m_pos;
    }

    bool consume(const char *word)
    {
        size_t n = std::char_traits<char>::length(word);
        if (m_text.compare(m_pos, n, word) == 0) {
            m_pos += n;
            return true;
        }
        return false;
    }

    Json parseValue(int depth)
    {
        if (depth > 256)
            fail("nesting is too deep");
        if (m_pos >= m_text.size())
            fail("unexpected end of input");
        int line = currentLine();
        Json v;
        char c = m_text[m_pos];
        if (c == '{')
            v = parseObject(depth);
        else if (c == '[')
            v = parseArray(depth);
        else if (c == '"')
            v = Json(parseString());
        else if (consume("true"))
            v = Json(true);
        else if (consume("false"))
            v = Json(false);
        else if (consume("null"))
            v = Json();
        else if (c == '-' || (c >= '0' && c <= '9'))
            v = parseNumber();
        else
            fail(std::string("unexpected character '") + c + "'");
        v.setLine(line);
        return v;
    }

    Json parseObject(int depth)
    {
        ++m_pos; // {
        Json obj = Json::object();
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == '}') {
            ++m_pos;
            return obj;
        }
        for (;;) {
            skipSpace();
            if (m_pos >= m_text.size() || m_text[m_pos] != '"')
                fail("expected a quoted key");
            std::string key = parseString();
            if (obj.find(key))
                fail("duplicate key \"" + key + "\"");
            skipSpace();
            if (m_pos >= m_text.size() || m_text[m_pos] != ':')
                fail("expected ':' after a key");
            ++m_pos;
            skipSpace();
            obj[key] = parseValue(depth + 1);
            skipSpace();
            if (m_pos < m_text.size() && m_text[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            if (m_pos < m_text.size() && m_text[m_pos] == '}') {
                ++m_pos;
                return obj;
            }
            fail("expected ',' or '}' in an object");
        }
    }

    Json parseArray(int depth)
    {
        ++m_pos; // [
        Json arr = Json::array();
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == ']') {
            ++m_pos;
            return arr;
        }
        for (;;) {
            skipSpace();
            arr.push(parseValue(depth + 1));
            skipSpace();
            if (m_pos < m_text.size() && m_text[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            if (m_pos < m_text.size() && m_text[m_pos] == ']') {
                ++m_pos;
                return arr;
            }
            fail("expected ',' or ']' in a list");
        }
    }

    static void appendUtf8(std::string &out, uint32_t cp)
    {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    uint32_t parseHex4()
    {
        if (m_pos + 4 > m_text.size())
            fail("truncated \\u escape");
        uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            char h = m_text[m_pos++];
            v <<= 4;
            if (h >= '0' && h <= '9') v |= static_cast<uint32_t>(h - '0');
            else if (h >= 'a' && h <= 'f') v |= static_cast<uint32_t>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') v |= static_cast<uint32_t>(h - 'A' + 10);
            else fail("bad hex digit in \\u escape");
        }
        return v;
    }

    std::string parseString()
    {
        ++m_pos; // opening quote
        std::string out;
        for (;;) {
            if (m_pos >= m_text.size())
                fail("unterminated string");
            char c = m_text[m_pos++];
            if (c == '"')
                return out;
            if (static_cast<unsigned char>(c) < 0x20)
                fail("control character in a string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (m_pos >= m_text.size())
                fail("unterminated escape");
            char e = m_text[m_pos++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                uint32_t cp = parseHex4();
                if (cp >= 0xD800 && cp < 0xDC00) {
                    if (!consume("\\u"))
                        fail("unpaired surrogate in \\u escape");
                    uint32_t lo = parseHex4();
                    if (lo < 0xDC00 || lo >= 0xE000)
                        fail("bad low surrogate in \\u escape");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                }
                appendUtf8(out, cp);
                break;
            }
            default: fail(std::string("unknown escape '\\") + e + "'");
            }
        }
    }

    Json parseNumber()
    {
        size_t start = m_pos;
        bool real = false;
        if (m_text[m_pos] == '-')
            ++m_pos;
        while (m_pos < m_text.size()) {
            char c = m_text[m_pos];
            if (c >= '0' && c <= '9') {
                ++m_pos;
            } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                real = true;
                ++m_pos;
            } else {
                break;
            }
        }
        const std::string_view token = std::string_view(m_text).substr(start, m_pos - start);
        if (!real)
            if (const auto v = parseInteger(token))
                return Json(*v);
        const auto d = parseReal(token);
        if (!d)
            fail("malformed number '" + std::string(token) + "'");
        return Json(*d);
    }

    const std::string &m_text;
    const std::string &m_source;
    size_t m_pos = 0;
    mutable size_t m_lineScanPos = 0;
    mutable int m_lineCount = 1;
};

void appendEscaped(std::string &out, const std::string &s)
{
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    out += '"';
}

} // namespace

Json Json::parse(const std::string &text, const std::string &source)
{
    return Parser(text, source).parseDocument();
}

Json Json::parseFile(const std::string &path)
{
    return parse(readTextFile(path), path);
}

std::string Json::dump(int indent) const
{
    std::string out;
    dumpTo(out, indent, 0);
    return out;
}

void Json::dumpTo(std::string &out, int indent, int depth) const
{
    auto newline = [&](int d) {
        if (indent >= 0) {
            out += '\n';
            out.append(static_cast<size_t>(indent * d), ' ');
        }
    };
    switch (m_type) {
    case Type::Null: out += "null"; break;
    case Type::Bool: out += m_bool ? "true" : "false"; break;
    case Type::Integer: out += std::to_string(m_int); break;
    case Type::Real: {
        if (!std::isfinite(m_real)) {
            out += "null"; // JSON has no NaN or infinity
            break;
        }
        std::string s = formatReal(m_real);
        // Keep a real a real when read back.
        if (s.find_first_of(".eEn") == std::string::npos)
            s += ".0";
        out += s;
        break;
    }
    case Type::String: appendEscaped(out, m_string); break;
    case Type::Array:
        if (m_array.empty()) {
            out += "[]";
            break;
        }
        out += '[';
        for (size_t i = 0; i < m_array.size(); ++i) {
            if (i)
                out += ',';
            newline(depth + 1);
            m_array[i].dumpTo(out, indent, depth + 1);
        }
        newline(depth);
        out += ']';
        break;
    case Type::Object:
        if (m_object.empty()) {
            out += "{}";
            break;
        }
        out += '{';
        for (size_t i = 0; i < m_object.size(); ++i) {
            if (i)
                out += ',';
            newline(depth + 1);
            appendEscaped(out, m_object[i].first);
            out += indent >= 0 ? ": " : ":";
            m_object[i].second.dumpTo(out, indent, depth + 1);
        }
        newline(depth);
        out += '}';
        break;
    }
}

} // namespace cosw

#include "Json.h"

#include "Errors.h"
#include "Files.h"
#include "Messages.h"

#include <algorithm>
#include <iterator>
#include <unordered_set>
#include <utility>
#include <vector>

namespace cosw {

std::string childKeyPath(const std::string &parent, const std::string &key)
{
    return parent.empty() ? key : parent + "." + key;
}

std::string childKeyPath(const std::string &parent, size_t index)
{
    return parent + "[" + std::to_string(index) + "]";
}

namespace {

// "LINE:COL" positions of byte offsets in one text.
class TextPositions {
public:
    explicit TextPositions(std::string_view text)
    {
        for (size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n')
                m_lineStarts.push_back(i + 1);
    }

    int line(size_t offset) const
    {
        const auto after = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), offset);
        return int(after - m_lineStarts.begin());
    }

    int column(size_t offset) const { return int(offset - m_lineStarts[size_t(line(offset) - 1)]) + 1; }

private:
    std::vector<size_t> m_lineStarts{0};
};

// A character iterator that publishes how far the parser has read, so the
// parse callback can tell the line of the token it was just handed.
class TrackedChars {
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char *;
    using reference = const char &;

    TrackedChars(const char *at, const char **readTo) : m_at(at), m_readTo(readTo) {}
    reference operator*() const { return *m_at; }
    TrackedChars &operator++()
    {
        *m_readTo = ++m_at;
        return *this;
    }
    bool operator==(const TrackedChars &other) const { return m_at == other.m_at; }
    bool operator!=(const TrackedChars &other) const { return m_at != other.m_at; }

private:
    const char *m_at;
    const char **m_readTo;
};

// Builds the document from the parser's SAX events: appends each member in
// order (the library's own builder searches an ordered object on every
// insert), refuses a key repeated in one object (the library keeps the last)
// and, when asked, records each value's line by key path.
class DocumentBuilder {
public:
    DocumentBuilder(std::string_view text, const std::string &source, const TextPositions &positions,
                    const char *const *readTo, JsonLines *lines)
        : m_text(text), m_source(source), m_positions(positions), m_readTo(readTo), m_lines(lines)
    {
    }

    Json &document() { return m_document; }

    bool null() { return place(Json()); }
    bool boolean(bool v) { return place(Json(v)); }
    bool number_integer(Json::number_integer_t v) { return place(Json(v)); }
    bool number_unsigned(Json::number_unsigned_t v) { return place(Json(v)); }
    bool number_float(Json::number_float_t v, const Json::string_t &) { return place(Json(v)); }
    bool string(Json::string_t &v) { return place(Json(std::move(v))); }
    bool binary(Json::binary_t &) { return false; } // JSON text holds none

    bool start_object(std::size_t) { return open(Json::value_t::object); }
    bool start_array(std::size_t) { return open(Json::value_t::array); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(Json::string_t &key)
    {
        Open &object = m_open.back();
        if (!object.keys.insert(key).second)
            throw InputError(fill(msg("%1:%2: duplicate key \"%3\""), {m_source, std::to_string(line()), key}));
        object.key = std::move(key);
        return true;
    }

    bool parse_error(std::size_t position, const std::string &, const nlohmann::detail::exception &e)
    {
        // The library's message reads "[json.exception.parse_error.101] parse
        // error at line 1, column 4: REASON; last read: 'TEXT'; expected ...".
        // Keep the reason in our format, without the echoed input, which may
        // be anything (invalid UTF-8 included).
        std::string reason = e.what();
        const size_t column = reason.find("column ");
        const size_t colon = column == std::string::npos ? std::string::npos : reason.find(": ", column);
        if (colon != std::string::npos)
            reason = reason.substr(colon + 2);
        if (const size_t echo = reason.find("; last read: '"); echo != std::string::npos) {
            const size_t rest = reason.find("'; ", echo + 14);
            reason.erase(echo, rest == std::string::npos ? std::string::npos : rest + 1 - echo);
        }
        const size_t offset = position == 0 ? 0 : std::min<size_t>(position - 1, m_text.size());
        throw InputError(m_source + ":" + std::to_string(m_positions.line(offset)) + ":"
                         + std::to_string(m_positions.column(offset)) + ": " + reason);
    }

private:
    struct Open {
        Json *value;
        std::string path; // only with lines
        size_t count = 0;
        std::string key;
        std::unordered_set<std::string> keys;
    };

    // The parser has just read the last character of the token (and, after a
    // number, one more), so the line is that of the character before.
    int line() const
    {
        const size_t read = size_t(*m_readTo - m_text.data());
        return m_positions.line(read == 0 ? 0 : read - 1);
    }

    // Puts `value` where the parser is (the document, the next element of a
    // list, the member the last key names) and returns where it went.
    Json *put(Json value, std::string *path)
    {
        if (m_open.empty()) {
            m_document = std::move(value);
            if (m_lines)
                (*m_lines)[""] = line();
            return &m_document;
        }
        Open &parent = m_open.back();
        Json *at = nullptr;
        if (parent.value->is_array()) {
            auto &list = parent.value->get_ref<Json::array_t &>();
            list.push_back(std::move(value));
            at = &list.back();
            if (m_lines)
                *path = childKeyPath(parent.path, parent.count);
            ++parent.count;
        } else {
            auto &members = parent.value->get_ref<Json::object_t &>();
            members.emplace_back(parent.key, std::move(value)); // keys are unique: checked in key()
            at = &members.back().second;
            if (m_lines)
                *path = childKeyPath(parent.path, parent.key);
        }
        if (m_lines)
            (*m_lines)[*path] = line();
        return at;
    }

    bool place(Json value)
    {
        std::string path;
        put(std::move(value), &path);
        return true;
    }

    bool open(Json::value_t type)
    {
        std::string path;
        Json *at = put(Json(type), &path);
        m_open.push_back({at, std::move(path)});
        return true;
    }

    bool close()
    {
        m_open.pop_back();
        return true;
    }

    std::string_view m_text;
    const std::string &m_source;
    const TextPositions &m_positions;
    const char *const *m_readTo;
    JsonLines *m_lines;
    Json m_document;
    std::vector<Open> m_open;
};

} // namespace

Json parseJson(std::string_view text, const std::string &source, JsonLines *lines)
{
    const TextPositions positions(text);
    // The library takes a NUL for the end of the input and would silently
    // ignore what follows; JSON text never holds one.
    if (const size_t nul = text.find('\0'); nul != std::string_view::npos)
        throw InputError(fill(msg("%1:%2:%3: a NUL character is not JSON"),
                              {source, std::to_string(positions.line(nul)), std::to_string(positions.column(nul))}));
    const char *readTo = text.data();
    DocumentBuilder builder(text, source, positions, &readTo, lines);
    Json::sax_parse(TrackedChars(text.data(), &readTo), TrackedChars(text.data() + text.size(), &readTo), &builder);
    return std::move(builder.document());
}

Json parseJsonFile(const std::string &path, JsonLines *lines)
{
    return parseJson(readTextFile(path), path, lines);
}

const Json *findKey(const Json &object, std::string_view key)
{
    if (!object.is_object())
        return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

Json *findKey(Json &object, std::string_view key)
{
    return const_cast<Json *>(findKey(std::as_const(object), key));
}

const char *jsonTypeName(const Json &value)
{
    switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "integer";
    case Json::value_t::number_float: return "number";
    case Json::value_t::string: return "string";
    case Json::value_t::array: return "list";
    case Json::value_t::object: return "mapping";
    default: return "value";
    }
}

} // namespace cosw

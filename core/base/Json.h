#pragma once
// JSON for configs, checkpoints, safetensors headers, the store and every
// --json output: nlohmann's ordered_json, so written files keep the key order
// of their sources. What the library does not do is here: errors that name
// the file, line and column, refusing duplicate keys, and the line of every
// value of a config so a config error can point at it.

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>

namespace cosw {

using Json = nlohmann::ordered_json;

// The line (1-based) each value of a parsed file starts on, by key path:
// "" is the document, "stages[1].lr" a value inside it (see childKeyPath).
using JsonLines = std::map<std::string, int>;

// Key paths as config errors show them: "model.vision.width", "stages[1]".
std::string childKeyPath(const std::string &parent, const std::string &key);
std::string childKeyPath(const std::string &parent, size_t index);

// Parses `text`; `source` names the input in error messages. Throws
// InputError "SOURCE:LINE:COL: reason" on malformed input and on a key that
// appears twice in one object. Fills `lines` when given.
Json parseJson(std::string_view text, const std::string &source = "<json>",
               JsonLines *lines = nullptr);
// Reads and parses a file; a missing or unreadable file is an InputError.
Json parseJsonFile(const std::string &path, JsonLines *lines = nullptr);

// The member `key` of an object; nullptr when absent or `object` is no object.
const Json *findKey(const Json &object, std::string_view key);
Json *findKey(Json &object, std::string_view key);

// A value's kind as config errors name it: "integer", "number", "string",
// "boolean", "list", "mapping" or "null".
const char *jsonTypeName(const Json &value);

} // namespace cosw

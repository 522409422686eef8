#pragma once
// Reads YAML config files into the JSON value the config readers take, with
// the line of each value so errors can point at it. yaml-cpp decides what a
// scalar is: quoted scalars are strings, plain ones integers, numbers,
// booleans or null where yaml-cpp reads them so, strings otherwise.

#include "base/Json.h"

#include <string>

namespace cosw {

// Throws InputError "FILE:LINE: reason" for unreadable files, YAML syntax
// errors, duplicate keys and non-scalar keys. Fills `lines` when given.
Json loadYamlFile(const std::string &path, JsonLines *lines = nullptr);
Json parseYaml(const std::string &text, const std::string &source, JsonLines *lines = nullptr);

// What `text` reads as when written unquoted in a YAML file ("12" an
// integer, "1e-3" a number, "yes" true, "hello" a string). Used for
// `--set key=value`, and by the writer to quote strings that would not read
// back as themselves.
Json plainYamlValue(const std::string &text);

} // namespace cosw

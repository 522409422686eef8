#pragma once
// Reads YAML config files into the JSON value the config readers take,
// keeping each value's line so errors can point at it.

#include "model/Json.h"

#include <string>

namespace cosw {

// Throws InputError "FILE:LINE: reason" for unreadable files, YAML syntax
// errors, duplicate keys and non-scalar keys.
Json loadYamlFile(const std::string &path);
Json parseYaml(const std::string &text, const std::string &source);

// Interprets one plain (unquoted) YAML scalar as null, bool, integer, number
// or string, as YAML 1.2's core schema does. Used for `--set key=value` too.
Json yamlScalar(const std::string &text);

} // namespace cosw

#pragma once
// Where a config came from: its file and the line of each of its values, so
// that an error reads "run.yaml:14: stages[1].lr: must be positive".

#include "Json.h"

#include <string>

namespace cosw {

struct ConfigSource {
    std::string file;
    JsonLines lines;

    ConfigSource() = default;
    ConfigSource(std::string file, JsonLines lines = {}) : file(std::move(file)), lines(std::move(lines)) {}
    ConfigSource(const char *file) : file(file) {}

    // "FILE:LINE" of the value at `keyPath`, or of the nearest value that
    // holds it when its own line is unknown (a key the config left out);
    // "FILE" when no line is known.
    std::string where(const std::string &keyPath) const;
};

} // namespace cosw

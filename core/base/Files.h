#pragma once
// Whole-file text I/O with errors that name the file.

#include <string>

namespace cosw {

// Throws InputError "PATH: cannot open file" when the file cannot be read.
std::string readTextFile(const std::string &path);
// Throws std::runtime_error naming the path when the write fails.
void writeTextFile(const std::string &path, const std::string &text);

} // namespace cosw

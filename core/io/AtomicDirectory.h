#pragma once
// A directory written whole or not at all: its files go into a hidden
// temporary sibling that is renamed into place, so a crash or an error never
// leaves half of it under its name.

#include <functional>
#include <string>

namespace cosw {

// Refuses (InputError) to replace an existing non-empty directory. `fill`
// writes the files into the temporary directory it is given; when it throws,
// the temporary directory is removed and the exception goes on.
void writeDirectoryAtomically(const std::string &dir, const std::function<void(const std::string &tmpDir)> &fill);

} // namespace cosw

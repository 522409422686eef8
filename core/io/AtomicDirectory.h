#pragma once
// A directory written whole or not at all: its files go into a hidden
// staging sibling (`.NAME.partial-PID`) that is renamed into place, so a
// crash or an error never leaves half of it under its name. A staging
// sibling left by a process that died (killed mid-write) is removed the next
// time the same directory is written.

#include <functional>
#include <string>

namespace cosw {

enum class WhenPresent {
    Refuse,   // an existing non-empty directory is an InputError, before anything is written
    KeepOther // another process published the same directory first: theirs stays, ours is dropped
};

// `fill` writes the files into the staging directory it is given; when it
// throws, the staging directory is removed and the exception goes on.
// Returns false when (KeepOther) a directory already stood there.
bool writeDirectoryAtomically(const std::string &dir, const std::function<void(const std::string &staging)> &fill,
                              WhenPresent whenPresent = WhenPresent::Refuse);

} // namespace cosw

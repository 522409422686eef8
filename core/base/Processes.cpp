#include "Processes.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

namespace cosw {

namespace {

// The fields of /proc/PID/stat after the command name, which may itself hold
// spaces and parentheses; empty when there is no such file.
std::string statFieldsAfterName(int64_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t close = text.rfind(')');
    return close == std::string::npos || close + 2 > text.size() ? std::string() : text.substr(close + 2);
}

// Boot time in seconds since the epoch (/proc/stat's btime).
std::optional<double> bootTime()
{
    std::ifstream in("/proc/stat");
    std::string key;
    double value = 0;
    while (in >> key) {
        if (key == "btime" && in >> value)
            return value;
        in.ignore(1 << 20, '\n');
    }
    return std::nullopt;
}

} // namespace

bool processAlive(int64_t pid)
{
    if (pid <= 0)
        return false;
    if (::kill(static_cast<pid_t>(pid), 0) != 0)
        return errno == EPERM; // it exists, under another user
    const std::string fields = statFieldsAfterName(pid);
    return fields.empty() || fields[0] != 'Z';
}

std::optional<double> processStartTime(int64_t pid)
{
    // Field 22 (starttime, clock ticks after boot) is the 20th after the name.
    std::istringstream fields(statFieldsAfterName(pid));
    std::string field;
    for (int i = 0; i < 20 && fields >> field; ++i) {
    }
    const std::optional<double> boot = bootTime();
    const long ticks = ::sysconf(_SC_CLK_TCK);
    if (!fields || field.empty() || !boot || ticks <= 0)
        return std::nullopt;
    return *boot + std::stod(field) / double(ticks);
}

bool sameProcessAlive(int64_t pid, std::optional<double> recordedStart)
{
    if (!processAlive(pid))
        return false;
    const std::optional<double> start = processStartTime(pid);
    // btime has whole seconds, and is read anew each time: allow a second.
    return !recordedStart || !start || std::abs(*start - *recordedStart) < 1.0;
}

} // namespace cosw

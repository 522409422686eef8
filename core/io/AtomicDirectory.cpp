#include "AtomicDirectory.h"

#include "base/Errors.h"
#include "base/Messages.h"
#include "base/Processes.h"

#include <cstdlib>
#include <filesystem>

#include <unistd.h>

namespace fs = std::filesystem;

namespace cosw {

namespace {

bool occupied(const fs::path &dir) { return fs::exists(dir) && !(fs::is_directory(dir) && fs::is_empty(dir)); }

// Staging siblings of `target` whose writer is gone.
void removeAbandonedStaging(const fs::path &parent, const std::string &prefix)
{
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(parent, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(prefix, 0) != 0)
            continue;
        char *end = nullptr;
        const long long pid = std::strtoll(name.c_str() + prefix.size(), &end, 10);
        if (end && *end == '\0' && pid > 0 && (pid == ::getpid() || !processAlive(pid)))
            fs::remove_all(entry.path(), ec);
    }
}

} // namespace

bool writeDirectoryAtomically(const std::string &dir, const std::function<void(const std::string &)> &fill,
                              WhenPresent whenPresent)
{
    const fs::path target = fs::absolute(dir).lexically_normal();
    if (whenPresent == WhenPresent::Refuse && occupied(target))
        throw InputError(cosw::fill(msg("%1: already exists; choose a new directory"), {dir}));
    const fs::path parent = target.parent_path();
    fs::create_directories(parent);
    const std::string prefix = "." + target.filename().string() + ".partial-";
    removeAbandonedStaging(parent, prefix);

    const fs::path staging = parent / (prefix + std::to_string(::getpid()));
    fs::create_directory(staging);
    try {
        fill(staging.string());
    } catch (...) {
        std::error_code ignored;
        fs::remove_all(staging, ignored);
        throw;
    }
    // rename(2) replaces an empty directory and refuses a non-empty one, so
    // of two processes publishing the same directory the first one wins.
    std::error_code ec;
    fs::rename(staging, target, ec);
    if (!ec)
        return true;
    std::error_code ignored;
    fs::remove_all(staging, ignored);
    if (whenPresent == WhenPresent::KeepOther && occupied(target))
        return false;
    throw InputError(cosw::fill(msg("%1: cannot move the written directory into place (%2)"), {dir, ec.message()}));
}

} // namespace cosw

#include "AtomicDirectory.h"

#include "base/Errors.h"

#include <filesystem>
#include <random>

namespace fs = std::filesystem;

namespace cosw {

void writeDirectoryAtomically(const std::string &dir, const std::function<void(const std::string &)> &fill)
{
    const fs::path target(dir);
    if (fs::exists(target) && !(fs::is_directory(target) && fs::is_empty(target)))
        throw InputError(dir + ": already exists; choose a new directory");
    const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
    fs::create_directories(parent);

    std::random_device rd;
    const fs::path tmp = parent / ("." + target.filename().string() + ".tmp-" + std::to_string(rd()));
    fs::create_directory(tmp);
    try {
        fill(tmp.string());
        if (fs::exists(target))
            fs::remove(target); // the empty directory checked above
        fs::rename(tmp, target);
    } catch (...) {
        std::error_code ignored;
        fs::remove_all(tmp, ignored);
        throw;
    }
}

} // namespace cosw

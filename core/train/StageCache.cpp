#include "StageCache.h"


#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;

namespace cosw {

namespace {

constexpr uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

uint64_t fnv(uint64_t h, const void *data, size_t size)
{
    const auto *bytes = static_cast<const unsigned char *>(data);
    for (size_t i = 0; i < size; ++i) {
        h ^= bytes[i];
        h *= kFnvPrime;
    }
    return h;
}

std::string hex(uint64_t h)
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

} // namespace

std::string cacheRoot()
{
    if (const char *dir = std::getenv("COS_CACHE_DIR"); dir && *dir)
        return dir;
    if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return (fs::path(xdg) / "cos-workbench").string();
    const char *home = std::getenv("HOME");
    return (fs::path(home && *home ? home : ".") / ".cache" / "cos-workbench").string();
}

std::string contentHash(const std::string &text)
{
    return hex(fnv(kFnvOffset, text.data(), text.size()));
}

std::string tensorsHash(const StateDict &tensors, const std::string &prefix)
{
    uint64_t h = kFnvOffset;
    for (const auto &[name, tensor] : tensors) { // StateDict is ordered by name
        if (name.rfind(prefix, 0) != 0)
            continue;
        const torch::Tensor t = tensor.detach().cpu().contiguous();
        std::string header = name + ":" + std::string(c10::toString(t.scalar_type()));
        for (int64_t d : t.sizes())
            header += "," + std::to_string(d);
        h = fnv(h, header.data(), header.size() + 1);
        h = fnv(h, t.data_ptr(), size_t(t.numel()) * t.element_size());
    }
    return hex(h);
}

} // namespace cosw

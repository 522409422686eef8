#include "MemoryReuse.h"

#include <cstdlib>
#include <cstring>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace cosw {

bool mallocSetByUser(const std::function<const char *(const char *)> &getenv)
{
    const char *tunables = getenv("GLIBC_TUNABLES");
    if (tunables && std::strstr(tunables, "glibc.malloc."))
        return true;
    for (const char *name : {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_MAX_"})
        if (getenv(name))
            return true;
    return false;
}

bool keepFreedMemoryForReuse()
{
#ifdef __GLIBC__
    if (mallocSetByUser([](const char *name) { return std::getenv(name); }))
        return false;
    // Fixing the threshold also stops glibc from adjusting it (and the trim
    // threshold with it) as blocks are freed.
    const bool mapped = mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024) == 1;
    return mallopt(M_TRIM_THRESHOLD, -1) == 1 && mapped; // mallopt(3): -1 turns trimming off
#else
    return false;
#endif
}

} // namespace cosw

#include "CpuFeatures.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define COS_X86 1
#endif

#include <cstdint>

namespace cosw {

#ifdef COS_X86
namespace {

uint64_t enabledStateMask()
{
    uint32_t lo = 0, hi = 0;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (uint64_t(hi) << 32) | lo;
}

} // namespace
#endif

CpuFeatures cpuFeatures()
{
    CpuFeatures f;
#ifdef COS_X86
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return f;
    const bool osxsave = c & (1u << 27), avx = c & (1u << 28);
    f.fma = c & (1u << 12);
    if (!osxsave || !avx)
        return f;
    const uint64_t state = enabledStateMask();
    const bool ymm = (state & 0x6) == 0x6, zmm = (state & 0xe6) == 0xe6;
    const bool amxState = (state & (3ull << 17)) == (3ull << 17);
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return f;
    f.avx2 = ymm && (b & (1u << 5));
    f.avx512 = zmm && (b & (1u << 16)) && (b & (1u << 17)) && (b & (1u << 30)) && (b & (1u << 31));
    f.amxBf16 = amxState && (d & (1u << 22));
    if (f.avx512 && __get_cpuid_count(7, 1, &a, &b, &c, &d))
        f.avx512Bf16 = a & (1u << 5);
#endif
    return f;
}

} // namespace cosw

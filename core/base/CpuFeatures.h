#pragma once
// What this CPU can run, from CPUID and what the OS saves (XGETBV): the BLAS
// kernel choice and bf16 autocast on the CPU depend on it.

namespace cosw {

struct CpuFeatures {
    bool avx2 = false;
    bool fma = false;
    bool avx512 = false;     // F, DQ, BW and VL, with the OS saving ZMM state
    bool avx512Bf16 = false;
    bool amxBf16 = false;

    // bf16 products in hardware (oneDNN uses them under CPU autocast).
    bool nativeBf16() const { return avx512Bf16 || amxBf16; }
};

CpuFeatures cpuFeatures();

} // namespace cosw

#include "Precision.h"

#include "base/CpuFeatures.h"
#include "base/Numbers.h"
#include "StepBenchmark.h"

namespace cosw {

PrecisionChoice choosePrecision(bool cuda, bool nativeBf16, double fp32Flops, double bf16Flops)
{
    if (cuda)
        return {"bf16", "CUDA device"};
    if (!nativeBf16)
        return {"fp32", "this CPU has no bf16 products (AVX512-BF16 or AMX)"};
    const double ratio = fp32Flops > 0 ? bf16Flops / fp32Flops : 0.0;
    const std::string measured = "bf16 products at " + formatRealFixed(ratio, 2) + "x the fp32 rate on this CPU";
    if (ratio >= kBf16SpeedupToChoose)
        return {"bf16", measured};
    return {"fp32", measured + ", under the " + formatRealFixed(kBf16SpeedupToChoose, 2) + "x that pays for bf16"};
}

PrecisionChoice automaticPrecision(const torch::Device &device)
{
    if (device.is_cuda())
        return choosePrecision(true, true, 0, 0);
    static const PrecisionChoice cpu = [] {
        if (!cpuFeatures().nativeBf16())
            return choosePrecision(false, false, 0, 0);
        const torch::Device here(torch::kCPU);
        return choosePrecision(false, true, measureGemmPeak(here, torch::kFloat32, 1024, 3),
                               measureGemmPeak(here, torch::kBFloat16, 1024, 3));
    }();
    return cpu;
}

} // namespace cosw

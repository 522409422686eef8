#include "Precision.h"

#include "base/CpuFeatures.h"
#include "base/Messages.h"
#include "base/Numbers.h"
#include "StepBenchmark.h"

namespace cosw {

PrecisionChoice choosePrecision(bool cuda, bool nativeBf16, double fp32Flops, double bf16Flops)
{
    if (cuda)
        // TRANSLATORS: why training chose bf16 precision by itself.
        return {"bf16", msg("CUDA device")};
    if (!nativeBf16)
        return {"fp32", msg("this CPU has no bf16 products (AVX512-BF16 or AMX)")};
    const double ratio = fp32Flops > 0 ? bf16Flops / fp32Flops : 0.0;
    if (ratio >= kBf16SpeedupToChoose)
        return {"bf16", fill(msg("bf16 products at %1x the fp32 rate on this CPU"), {formatRealFixed(ratio, 2)})};
    return {"fp32", fill(msg("bf16 products at %1x the fp32 rate on this CPU, under the %2x that pays for bf16"),
                         {formatRealFixed(ratio, 2), formatRealFixed(kBf16SpeedupToChoose, 2)})};
}

PrecisionChoice automaticPrecision(const torch::Device &device)
{
    if (device.is_cuda())
        return choosePrecision(true, true, 0, 0);
    static const PrecisionChoice cpu = [] {
        if (!cpuFeatures().nativeBf16())
            return choosePrecision(false, false, 0, 0);
        // In alternation: measured one after the other, another process on a
        // busy machine could slow one precision's few milliseconds alone and
        // turn the choice.
        const std::vector<double> rates =
            measureGemmPeaks(torch::Device(torch::kCPU), {torch::kFloat32, torch::kBFloat16}, 1024, 6);
        return choosePrecision(false, true, rates[0], rates[1]);
    }();
    return cpu;
}

} // namespace cosw

#pragma once
// What `precision: auto` trains in: bf16 where the hardware runs its
// products and they pay, fp32 elsewhere. Debian's LibTorch 1.13 runs CPU
// bf16 products through oneDNN, which on the CPUs measured so far is slower
// than OpenBLAS's fp32 (docs/BENCHMARKS.md), so on a CPU the choice rests on
// a measurement, not on the CPU's features alone.

#include <torch/torch.h>

#include <string>

namespace cosw {

struct PrecisionChoice {
    std::string precision; // fp32 | bf16
    std::string reason;    // for the run's log
};

// bf16 products must be this much faster than fp32 ones before a CPU run
// switches: near parity the casts around them cost more than they save.
constexpr double kBf16SpeedupToChoose = 1.25;

// The decision: bf16 on CUDA; on a CPU, bf16 when it has bf16 products
// (nativeBf16) and they run at least kBf16SpeedupToChoose times the fp32
// rate (FLOP/s of each, measured alike); fp32 otherwise.
PrecisionChoice choosePrecision(bool cuda, bool nativeBf16, double fp32Flops, double bf16Flops);

// The same for this device; a CPU's rates are measured once per process
// (1024x1024 products, a fraction of a second).
PrecisionChoice automaticPrecision(const torch::Device &device);

} // namespace cosw

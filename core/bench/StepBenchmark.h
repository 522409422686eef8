#pragma once
// Training-step throughput of the whole MLLM on synthetic inputs: forward,
// loss, backward and an AdamW update, timed step by step.

#include "FlopCount.h"
#include "base/Json.h"
#include "model/ModelConfig.h"

#include <torch/torch.h>

#include <functional>
#include <vector>

namespace cosw {

struct StepBenchmarkOptions {
    int steps = 10;
    int warmup = 2;        // untimed steps first (allocator, kernels, caches)
    int batch = 4;
    int textTokens = 32;   // per sample, <image> placeholder included
    bool bf16 = false;     // bf16 autocast (CUDA, or a CPU with bf16 products)
    uint64_t seed = 0;
};

struct StepBenchmarkResult {
    std::vector<double> stepSeconds;
    double medianStepSeconds = 0;
    double samplesPerSecond = 0;
    double lmTokensPerSecond = 0; // sequence positions through the LM (visual + text)
    FlopEstimate flops;           // per step, forward split by part
    double achievedFlops = 0;     // training-step FLOPs / median step time
    int64_t parameters = 0;       // to check another implementation builds the same model

    Json toJson() const;
};

// FLOP/s of large matrix products of `dtype` on `device` with the current
// thread settings: the peak a training step's achieved FLOP/s is compared
// with. `size` 0 picks one large enough for the device (2048 on a CPU, 8192
// on a GPU, where smaller products leave the tensor cores idle).
double measureGemmPeak(const torch::Device &device, torch::Dtype dtype = torch::kFloat32, int64_t size = 0,
                       int repeats = 5);

// The same for several precisions, their products timed in alternation,
// each keeping its best: a busy spell of the machine then slows every
// precision's timings alike, not one precision's alone.
std::vector<double> measureGemmPeaks(const torch::Device &device, const std::vector<torch::Dtype> &dtypes,
                                     int64_t size = 0, int repeats = 5);

// `progress`, when set, is called after every timed step with (done, total).
StepBenchmarkResult runStepBenchmark(const ModelConfig &config, const torch::Device &device,
                                     const StepBenchmarkOptions &options,
                                     const std::function<void(int, int)> &progress = {});

} // namespace cosw

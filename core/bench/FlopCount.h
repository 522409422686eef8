#pragma once
// Analytic FLOP count of one MLLM training step, for achieved-FLOP/s reports.
// Counts multiply-adds of matrix products as 2 FLOPs; attention is counted in
// full (the causal half is not subtracted, the kernels compute it too).
// Backward costs twice the forward.

#include "model/ModelConfig.h"

namespace cosw {

struct FlopEstimate {
    double vision = 0;
    double connector = 0;
    double lm = 0;
    double forward() const { return vision + connector + lm; }
    double trainingStep() const { return 3.0 * forward(); }
};

// Forward FLOPs for a batch of `batch` samples with `textTokens` text tokens
// each (the <image> placeholder included).
FlopEstimate estimateFlops(const ModelConfig &config, int64_t batch, int64_t textTokens);

} // namespace cosw

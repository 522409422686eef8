#pragma once
// Linear warm-up, then cosine decay to lr * min_lr_ratio at the stage's last
// step.

#include <cstdint>

namespace cosw {

struct StageConfig;

// Learning rate for optimizer step `step` (0-based) of `totalSteps`.
double learningRate(const StageConfig &stage, int64_t step, int64_t totalSteps);

} // namespace cosw

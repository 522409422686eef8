#include "LrSchedule.h"

#include "RunConfig.h"

#include <algorithm>
#include <cmath>

namespace cosw {

double learningRate(const StageConfig &stage, int64_t step, int64_t totalSteps)
{
    const int64_t warmup = std::min<int64_t>(stage.warmupSteps, totalSteps);
    if (step < warmup)
        return stage.lr * static_cast<double>(step + 1) / static_cast<double>(warmup);
    const int64_t decaySteps = std::max<int64_t>(1, totalSteps - warmup);
    const double progress = std::min(1.0, static_cast<double>(step - warmup) / static_cast<double>(decaySteps));
    const double floor = stage.lr * stage.minLrRatio;
    return floor + (stage.lr - floor) * 0.5 * (1.0 + std::cos(M_PI * progress));
}

} // namespace cosw

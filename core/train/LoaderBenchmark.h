#pragma once
// How fast the batch loader alone produces a run's training batches, per
// text stage, at that stage's resolution, batch size and worker count: the
// figure to hold against the samples/s training consumes.

#include "RunConfig.h"
#include "RunData.h"
#include "base/Json.h"

#include <vector>

namespace cosw {

struct LoaderBenchResult {
    int stage = 0;
    std::string name;
    int resolution = 0;
    int batchSize = 0;
    int workers = 0;
    int batches = 0;          // timed, after one untimed batch
    double samplesPerSecond = 0;

    Json toJson() const;
};

std::vector<LoaderBenchResult> runLoaderBenchmark(const RunConfig &config, const PreparedData &data, int batches);

} // namespace cosw

#pragma once
// Forward+backward time of one Chain-of-Sight scale three ways: all windows
// in one batched attention call (the engine's path), the same computation as
// a loop over windows, and one global cross-attention with the same number of
// queries over the whole grid. A windowed token attends to fewer features, so
// the batched path should cost no more than the global one.

#include "base/Json.h"

#include <torch/torch.h>

#include <vector>

namespace cosw {

struct ConnectorBenchCase {
    int grid = 16;    // n, feature cells per side
    int windows = 8;  // g, windows per side
    int queries = 1;  // q, per window
    int batch = 4;
};

struct ConnectorBenchResult {
    ConnectorBenchCase setting;
    double batchedMs = 0, loopMs = 0, globalMs = 0; // median forward+backward
    Json toJson() const;
};

struct ConnectorBenchOptions {
    int width = 256;         // connector width D
    int featureWidth = 256;  // vision width C
    int heads = 4;
    int layers = 2;
    int repeats = 5;
    int warmup = 1;
};

// The default settings: several grids, windows and batches, including batch
// 4 with 8x8 windows.
std::vector<ConnectorBenchCase> defaultConnectorBenchCases();

ConnectorBenchResult runConnectorBench(const ConnectorBenchCase &setting, const ConnectorBenchOptions &options,
                                       const torch::Device &device);

} // namespace cosw

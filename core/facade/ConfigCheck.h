#pragma once
// The GUI's view of a run config before it runs: either the engine's
// validation error or the token budget the engine computes for every stage.
// Free of LibTorch headers so Qt widgets can include it (DESIGN §1: the GUI
// reaches the engine only through a facade).

#include "base/ConfigSource.h"
#include "base/Json.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cosw {

struct ScaleTokens {
    int windows = 0; // per side, after the stage's scaling
    int queries = 0;
    int tokens = 0;
};

struct StageTokens {
    std::string name;
    std::string kind;        // vision | text | pretrain | finetune
    int resolution = 0;      // input pixels per side
    int grid = 0;            // feature cells per side
    std::vector<ScaleTokens> scales;
    int visualTokens = 0;
    // The LM sequence is the visual tokens plus a sample's text tokens; the
    // text length depends on the data, so the budget reports the LM's limit
    // and how much of it is left for text.
    int lmMaxSequence = 0;
    int textRoom() const { return lmMaxSequence - visualTokens; }
    std::string device;      // where the stage runs (cpu, cuda:N)
    // Bytes the stage is estimated to hold (train/MemoryEstimate.h): fp32
    // weights, gradients and AdamW moments of what trains, activations at
    // its batch and the LM's longest sequence.
    int64_t memoryWeights = 0;
    int64_t memoryGradients = 0;
    int64_t memoryOptimizer = 0;
    int64_t memoryActivations = 0;
    int64_t memoryTotal = 0;
};

struct ConfigCheck {
    bool ok = false;
    std::string error;       // the engine's message: file, line, key and reason
    std::string errorKey;    // dotted key path ("stages[2].lr"); empty when the error has none
    std::string errorReason; // the reason alone, for a field's tooltip
    std::string runName;
    std::string connector;   // chain_of_sight | resampler | mlp
    std::vector<StageTokens> stages;
    // The config with every default filled in, as the engine resolved it.
    Json resolved;
};

// Validates a run config tree as `cos-batch run` would; `file` names it in
// messages. Never throws for bad input: the error is in the result.
ConfigCheck checkRunConfig(const Json &config, const ConfigSource &source);
// The same for YAML (or JSON) text; syntax errors name the line.
ConfigCheck checkRunConfigText(const std::string &text, const std::string &file);

// Whether model.<part>.<key> stays the run's choice when the part is
// imported, rather than the import's architecture (defined with the run
// config, train/RunConfig.cpp, which declares it too).
bool isRunChoiceWithImport(const std::string &part, const std::string &key);

} // namespace cosw

#pragma once
// A run config (YAML): the model and the list of stages it trains through.
//
//   name: quickstart
//   model: {vision: {...}, connector: {...}, lm: {...}}
//   stages:
//     - name: pretrain
//       steps: 300
//       ...
//     - name: finetune
//       scaling: {resolution: 2, window: [1, 2]}
//
// Each stage may scale the tokens at its start; the model in effect during a
// stage is the previous stage's model with that scaling applied.

#include "model/ModelConfig.h"
#include "scaling/TokenScaling.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cosw {

struct StageConfig {
    std::string name;
    int steps = 0;            // optimizer steps; or
    int epochs = 0;           // passes over the stage's data
    int batchSize = 8;
    int gradAccum = 1;
    double lr = 1e-3;
    int warmupSteps = 0;
    double minLrRatio = 0.1;  // cosine decays to lr * min_lr_ratio
    double weightDecay = 0.0;
    double gradClip = 1.0;    // max gradient norm; 0 turns clipping off
    std::vector<std::string> train{"connector"}; // parts that learn: vision, connector, lm
    ScalingSpec scaling;      // applied at the start of the stage
    int evalInterval = 0;     // steps; 0 evaluates at the end only
    int checkpointInterval = 0;
    std::string precision = "fp32"; // fp32 | bf16 (autocast, CUDA only)
    std::string device = "cpu";
    uint64_t seed = 0;
};

struct RunConfig {
    std::string file;
    std::string name;
    ModelConfig model;               // as configured, before any stage's scaling
    std::vector<StageConfig> stages;
    std::vector<ModelConfig> stageModels; // the model in effect during each stage

    // Reads and validates a YAML run config. `overrides` are "key.path=value"
    // assignments (value in YAML scalar syntax) applied before validation.
    // Errors throw ConfigError/InputError naming the file, line and key.
    static RunConfig load(const std::string &path, const std::vector<std::string> &overrides = {});
    static RunConfig fromJson(const Json &json, const std::string &file);
    Json toJson() const;
};

// Applies "a.b[2].c=value" to a config tree, creating mappings as needed.
void applyOverride(Json &root, const std::string &assignment);

} // namespace cosw

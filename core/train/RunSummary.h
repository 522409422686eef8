#pragma once
// What a run will train, before it runs: parameters per part and, for every
// stage, the resolution, feature grid and visual tokens per scale after that
// stage's scaling. `cos-batch inspect` prints it; the GUI shows it.

#include "RunConfig.h"
#include "base/Json.h"

#include <torch/torch.h>

namespace cosw {

struct ParameterCounts {
    int64_t vision = 0;
    int64_t connector = 0;
    int64_t lm = 0;
    int64_t lora = 0; // the language model's adapters
    int64_t total() const { return vision + connector + lm + lora; }
    // Of the parts named (vision, connector, lm, lora).
    int64_t of(const std::vector<std::string> &parts) const;
};

// Parameters of a model by part (names under vision., connector., lm.;
// adapters apart).
ParameterCounts countParameters(const torch::nn::Module &model);
// Of the model a config builds, counted from the config alone: a 7B model is
// not built to be counted.
ParameterCounts countParameters(const ModelConfig &config);

// {"parameters": {vision, connector, lm, lora, total},
//  "stages": [{name, resolution, grid, visual_tokens,
//              scales: [{windows, queries, tokens}],
//              memory: {weights, gradients, optimizer, activations, total,
//                       batch, sequence, bytes_per_activation}}]}
// (memory in bytes, as estimateStageMemory gives it)
Json runSummary(const RunConfig &run);
// The "stages" list alone; no tensor code runs, so the GUI can call it on
// every edit.
Json runTokenSummary(const RunConfig &run);

// One model's tokens: {resolution, grid, visual_tokens, scales: [{windows,
// queries, tokens}]}, as each stage of the summary lists them.
Json tokenLayoutSummary(const ModelConfig &model);
// Its scales as "g^2xq=t + ...".
std::string formatScales(const Json &layout);

// The same as an aligned plain-text table.
std::string formatRunSummary(const RunConfig &run, const Json &summary);

} // namespace cosw

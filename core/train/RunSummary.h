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
    int64_t total() const { return vision + connector + lm; }
};

// Parameters of a model by part (names under vision., connector., lm.).
ParameterCounts countParameters(const torch::nn::Module &model);
// Of the model a config builds.
ParameterCounts countParameters(const ModelConfig &config);

// {"parameters": {vision, connector, lm, total},
//  "stages": [{name, resolution, grid, visual_tokens,
//              scales: [{windows, queries, tokens}]}]}
Json runSummary(const RunConfig &run);
// The "stages" list alone. Counting parameters builds the model; this does
// not, so the GUI can call it on every edit without running tensor code.
Json runTokenSummary(const RunConfig &run);

// One model's tokens: {resolution, grid, visual_tokens, scales: [{windows,
// queries, tokens}]}, as each stage of the summary lists them.
Json tokenLayoutSummary(const ModelConfig &model);
// Its scales as "g^2xq=t + ...".
std::string formatScales(const Json &layout);

// The same as an aligned plain-text table.
std::string formatRunSummary(const RunConfig &run, const Json &summary);

} // namespace cosw

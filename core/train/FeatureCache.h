#pragma once
// Vision features of training images while the tower is frozen, so each
// image goes through the tower once per stage. Keyed by image file: the
// datasets of a mix index their samples apart, and an image's captions and
// questions share its features.

#include "data/BatchLoader.h"
#include "data/MixedBatchLoader.h"
#include "model/Mllm.h"

#include <torch/torch.h>

#include <string>
#include <unordered_map>
#include <vector>

namespace cosw {

class FeatureCache {
public:
    // `sources`: the mix the batches come from (TrainingBatch::source indexes it).
    explicit FeatureCache(std::vector<MixedBatchLoader::Source> sources) : m_sources(std::move(sources)) {}

    // The batch's features, [B, n, n, C] on `device`; images not seen yet go
    // through `model`'s tower without gradients.
    torch::Tensor features(Mllm &model, const TrainingBatch &batch, const torch::Device &device);

private:
    const std::string &imageOf(const TrainingBatch &batch, size_t row) const;

    std::vector<MixedBatchLoader::Source> m_sources;
    std::unordered_map<std::string, torch::Tensor> m_features;
};

} // namespace cosw

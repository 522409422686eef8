#include "FeatureCache.h"

#include "base/Device.h"
#include "data/ConversationDataset.h"

namespace cosw {

const std::string &FeatureCache::imageOf(const TrainingBatch &batch, size_t row) const
{
    return m_sources[size_t(batch.source)].dataset->imagePath(batch.indices[row]);
}

torch::Tensor FeatureCache::features(Mllm &model, const TrainingBatch &batch, const torch::Device &device)
{
    std::vector<int64_t> missing;
    for (size_t row = 0; row < batch.indices.size(); ++row)
        if (!m_features.count(imageOf(batch, row)))
            missing.push_back(static_cast<int64_t>(row));
    if (!missing.empty()) {
        torch::NoGradGuard noGrad;
        auto rows = torch::tensor(missing, torch::kLong);
        auto computed = model->features(toDevice(batch.images.index_select(0, rows), device)); // [m, n, n, C]
        for (size_t k = 0; k < missing.size(); ++k)
            m_features[imageOf(batch, static_cast<size_t>(missing[k]))] = computed[static_cast<int64_t>(k)];
    }
    std::vector<torch::Tensor> rows;
    for (size_t row = 0; row < batch.indices.size(); ++row)
        rows.push_back(m_features.at(imageOf(batch, row)));
    return torch::stack(rows); // [B, n, n, C]
}

} // namespace cosw

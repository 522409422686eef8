#pragma once
// Chain-of-Sight (DESIGN §2): a sequence of windowed resamplers at several
// spatial scales. Tokens come out scale by scale in config order, windows
// row-major, queries in bank order, projected to the LM width. A plain
// resampler is the same module with one global window.

#include "Connector.h"
#include "ResamplerStack.h"

namespace cosw {

class ChainOfSightConnectorImpl : public ConnectorImpl {
public:
    explicit ChainOfSightConnectorImpl(const ModelConfig &config);

    // features [B, n, n, C] -> tokens [B, T, C_lm], T = sum_s g_s^2 q_s.
    ConnectorOutput forward(const torch::Tensor &features, const AttentionRequest &request = {}) override;

    size_t scaleCount() const { return m_stacks.size(); }
    ResamplerStack stack(size_t scale) const { return m_stacks.at(scale); }
    torch::nn::Linear projection() const { return m_proj; }

private:
    std::vector<ResamplerStack> m_stacks;
    torch::nn::Linear m_proj{nullptr};
};

} // namespace cosw

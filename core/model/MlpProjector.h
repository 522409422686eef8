#pragma once
// LLaVA-style baseline: an MLP applied to every patch feature, one visual
// token per patch.

#include "Connector.h"

namespace cosw {

class MlpProjectorImpl : public ConnectorImpl {
public:
    explicit MlpProjectorImpl(const ModelConfig &config);

    // features [B, n, n, C] -> tokens [B, n*n, C_lm]; no attention maps.
    ConnectorOutput forward(const torch::Tensor &features, const AttentionRequest &request = {}) override;

private:
    torch::nn::ModuleList m_layers{nullptr};
};

} // namespace cosw

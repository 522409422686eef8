#include "MlpProjector.h"

namespace cosw {

MlpProjectorImpl::MlpProjectorImpl(const ModelConfig &config)
{
    m_layers = register_module("layers", torch::nn::ModuleList());
    int64_t in = config.vision.width;
    for (int i = 0; i < config.connector.mlpLayers; ++i) {
        m_layers->push_back(torch::nn::Linear(in, config.lm.width));
        in = config.lm.width;
    }
}

ConnectorOutput MlpProjectorImpl::forward(const torch::Tensor &features, const AttentionRequest &)
{
    auto x = features.flatten(1, 2); // [B, n*n, C]
    const size_t count = m_layers->size();
    for (size_t i = 0; i < count; ++i) {
        x = m_layers[i]->as<torch::nn::Linear>()->forward(x);
        if (i + 1 < count)
            x = torch::gelu(x);
    }
    return {x, {}}; // [B, n*n, C_lm]
}

} // namespace cosw

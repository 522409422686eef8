#include "ChainOfSightConnector.h"

namespace cosw {

ChainOfSightConnectorImpl::ChainOfSightConnectorImpl(const ModelConfig &config)
{
    auto scales = register_module("scales", torch::nn::ModuleList());
    for (const auto &s : config.connector.scales) {
        ResamplerStack stack(s, config.connector, config.vision.width);
        scales->push_back(stack);
        m_stacks.push_back(stack);
    }
    m_proj = register_module("proj", torch::nn::Linear(config.connector.width, config.lm.width));
}

ConnectorOutput ChainOfSightConnectorImpl::forward(const torch::Tensor &features,
                                                   const AttentionRequest &request)
{
    ConnectorOutput out;
    std::vector<torch::Tensor> tokens;
    for (auto &stack : m_stacks) {
        torch::Tensor maps;
        tokens.push_back(stack->forward(features, request, request.enabled ? &maps : nullptr)); // [B, t_s, D]
        if (request.enabled)
            out.attention.push_back(maps);
    }
    out.tokens = m_proj(torch::cat(tokens, 1)); // [B, T, C_lm]
    return out;
}

} // namespace cosw

#pragma once
// The vision-language bridge interface. Chain-of-Sight, the plain resampler
// and the MLP projector all map vision features [B, n, n, C] to visual tokens
// [B, T, C_lm] behind it, so runs can compare them like for like.

#include "ModelConfig.h"

#include <torch/torch.h>

#include <memory>
#include <vector>

namespace cosw {

// Which attention maps a forward pass should return.
struct AttentionRequest {
    bool enabled = false;
    int layer = -1;       // resampler layer, negative from the end (-1 last)
    bool perHead = false; // keep heads instead of averaging them
};

struct ConnectorOutput {
    torch::Tensor tokens; // [B, T, C_lm]
    // Per scale, each token's attention placed on the full feature grid:
    // [B, tokens_s, n, n], or [B, H, tokens_s, n, n] with perHead. Empty when
    // not requested or when the connector has no attention (MLP).
    std::vector<torch::Tensor> attention;
};

class ConnectorImpl : public torch::nn::Module {
public:
    virtual ConnectorOutput forward(const torch::Tensor &features,
                                    const AttentionRequest &request = {}) = 0;
};

// Builds the connector named by config.connector.type.
std::shared_ptr<ConnectorImpl> makeConnector(const ModelConfig &config);

} // namespace cosw

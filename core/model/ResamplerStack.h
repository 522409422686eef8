#pragma once
// One scale of the Chain-of-Sight connector: its query bank and its own
// resampler stack of L pre-norm layers [cross-attention from the queries to
// the features of their window, then MLP].

#include "Attention.h"
#include "Connector.h"
#include "ModelConfig.h"

#include <torch/torch.h>

namespace cosw {

class ResamplerLayerImpl : public torch::nn::Module {
public:
    explicit ResamplerLayerImpl(const ConnectorConfig &config);
    // q [N, Q, D], x [N, M, D] -> [N, Q, D]; weights [N, H, Q, M].
    torch::Tensor forward(const torch::Tensor &q, const torch::Tensor &x, torch::Tensor *weights);

private:
    torch::nn::LayerNorm m_normQ{nullptr}, m_normKv{nullptr}, m_normMlp{nullptr};
    MultiHeadAttention m_attn{nullptr};
    FeedForward m_mlp{nullptr};
};
TORCH_MODULE(ResamplerLayer);

class ResamplerStackImpl : public torch::nn::Module {
public:
    ResamplerStackImpl(const ScaleConfig &scale, const ConnectorConfig &connector, int64_t featureWidth);

    // features [B, n, n, K*C] -> tokens [B, g*g*q, D] in row-major window order,
    // layer l attending to feature level l (K > 1) or every layer to the one,
    // queries in bank order. All g*g windows go through one attention call by
    // folding them into the batch. attention (when requested): [B, g*g*q, n, n]
    // or [B, H, g*g*q, n, n].
    torch::Tensor forward(const torch::Tensor &features, const AttentionRequest &request = {},
                          torch::Tensor *attention = nullptr);

    // The same computation one window at a time. Reference for tests and the
    // connector benchmark; not used in training.
    torch::Tensor forwardPerWindowLoop(const torch::Tensor &features);

    int64_t windows() const { return m_windows; }
    int64_t queries() const { return m_queries; }

private:
    // Queries of every window [g*g, q, D]: the bank, plus the window position
    // unless the config turns it off.
    torch::Tensor windowQueries() const;
    // features [B, n, n, K*C] -> keys/values [K, B, n, n, D], each level through kv_proj.
    torch::Tensor projectLevels(const torch::Tensor &features);
    // x [K, N, M, D]: layer l reads x[l], or x[0] when K is 1.
    torch::Tensor runLayers(torch::Tensor q, const torch::Tensor &x, int weightsLayer,
                            torch::Tensor *weights);

    int64_t m_windows, m_queries, m_width, m_featureWidth;
    bool m_perWindow, m_windowPosition;
    torch::Tensor m_bank; // [q, D] shared, or [g*g, q, D] per window
    torch::nn::Linear m_kvProj{nullptr};
    torch::nn::ModuleList m_layers{nullptr};
    torch::nn::LayerNorm m_normOut{nullptr};
};
TORCH_MODULE(ResamplerStack);

// Fixed 2-D sine-cosine embedding of window centres [g*g, D], row-major. It
// is a function of the centre in image coordinates, so window and resolution
// scaling need no new parameters.
torch::Tensor windowPositionEmbedding(int64_t windows, int64_t width);

} // namespace cosw

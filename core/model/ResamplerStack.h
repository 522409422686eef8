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
    // q [N, Q, D], x [N, M, D] -> [N, Q, D]; weights [N, H, Q, M]. positions
    // ([N, Q, D] and [N, M, D], optional) join the normalised queries and features.
    torch::Tensor forward(const torch::Tensor &q, const torch::Tensor &x, torch::Tensor *weights,
                          const AttentionPositions &positions = {});

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
    // Attention positions of every window's queries [g*g, q, D] and of every
    // feature cell [n, n, D]; undefined tensors when the config adds none.
    AttentionPositions attentionPositions(int64_t n, const torch::TensorOptions &options) const;
    // x [K, N, M, D]: layer l reads x[l], or x[0] when K is 1; positions [N, q, D] / [N, M, D].
    torch::Tensor runLayers(torch::Tensor q, const torch::Tensor &x, const AttentionPositions &positions,
                            int weightsLayer, torch::Tensor *weights);

    int64_t m_windows, m_queries, m_width, m_featureWidth;
    bool m_perWindow, m_windowPosition, m_attentionPosition;
    torch::Tensor m_bank; // [q, D] shared, or [g*g, q, D] per window
    torch::nn::Linear m_kvProj{nullptr};
    torch::nn::ModuleList m_layers{nullptr};
    torch::nn::LayerNorm m_normOut{nullptr};
};
TORCH_MODULE(ResamplerStack);

// Fixed 2-D sine-cosine embedding of points given in image coordinates
// (rows and columns [N] in [0, 1)) -> [N, D]. Being a function of where a
// point is in the image, window and resolution scaling need no new
// parameters, and a window, the cells it covers and the queries placed in it
// get nearby embeddings.
torch::Tensor sincosPositionEmbedding(const torch::Tensor &rows, const torch::Tensor &cols, int64_t width);

// The embedding of the centres of a g x g grid of windows (or of feature
// cells) [g*g, D], row-major.
torch::Tensor windowPositionEmbedding(int64_t windows, int64_t width);

// Where a window's q queries sit: on a rows x cols grid over the window
// (rows * cols = q, rows the largest divisor of q not above its square root),
// row-major, so that bank order is reading order as it is for windows.
// [g*g, q, D].
torch::Tensor queryPositionEmbedding(int64_t windows, int64_t queries, int64_t width);

} // namespace cosw

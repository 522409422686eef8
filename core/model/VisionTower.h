#pragma once
// ViT vision tower (DESIGN §3): conv patch embedding, learned position
// embeddings that can be resized, pre-norm blocks, features from a chosen
// block with the class token dropped.

#include "Attention.h"
#include "ModelConfig.h"

#include <torch/torch.h>

namespace cosw {

class VisionBlockImpl : public torch::nn::Module {
public:
    explicit VisionBlockImpl(const VisionConfig &config);
    torch::Tensor forward(const torch::Tensor &x); // [B, T, C] -> [B, T, C]

private:
    torch::nn::LayerNorm m_norm1{nullptr}, m_norm2{nullptr};
    MultiHeadAttention m_attn{nullptr};
    FeedForward m_mlp{nullptr};
};
TORCH_MODULE(VisionBlock);

class VisionTowerImpl : public torch::nn::Module {
public:
    explicit VisionTowerImpl(const VisionConfig &config);

    // images [B, channels, R, R] -> features [B, n, n, K*C], n = R / patch,
    // the outputs of the K feature blocks side by side (K = featureLevels()).
    // R defaults to the config's; another R uses the position table resized
    // to its grid (differentiably). Blocks after the feature layer are not run.
    torch::Tensor forward(const torch::Tensor &images);

    const VisionConfig &config() const { return m_config; }

private:
    VisionConfig m_config;
    torch::nn::Conv2d m_patchEmbed{nullptr};
    torch::Tensor m_classEmbedding;    // [C]
    torch::Tensor m_positionEmbedding; // [n*n (+1 with a class token), C]
    torch::nn::LayerNorm m_preNorm{nullptr};
    torch::nn::ModuleList m_blocks{nullptr};
};
TORCH_MODULE(VisionTower);

// Resizes a position-embedding table [n*n (+1), C] to a grid of side `newGrid`
// with bicubic interpolation; the class-token row is kept as it is.
torch::Tensor resizePositionEmbedding(const torch::Tensor &table, int64_t grid, int64_t newGrid,
                                      bool classToken);

} // namespace cosw

#include "VisionTower.h"

#include "Autocast.h"

#include <algorithm>
#include <map>

namespace cosw {

static torch::nn::LayerNormOptions layerNorm(int64_t width, double eps)
{
    return torch::nn::LayerNormOptions({width}).eps(eps);
}

VisionBlockImpl::VisionBlockImpl(const VisionConfig &c)
{
    m_norm1 = register_module("norm1", torch::nn::LayerNorm(layerNorm(c.width, c.normEps)));
    m_attn = register_module("attn", MultiHeadAttention(c.width, c.heads, c.width));
    m_norm2 = register_module("norm2", torch::nn::LayerNorm(layerNorm(c.width, c.normEps)));
    m_mlp = register_module("mlp", FeedForward(c.width, c.mlpHidden, c.activation == "quick_gelu"));
}

torch::Tensor VisionBlockImpl::forward(const torch::Tensor &x)
{
    auto h = layerNormFp32(m_norm1, x);          // [B, L, C], L = n*n (+1 class token)
    auto y = x + m_attn(h, h);                   // [B, L, C]
    return y + m_mlp(layerNormFp32(m_norm2, y)); // [B, L, C]
}

VisionTowerImpl::VisionTowerImpl(const VisionConfig &c) : m_config(c)
{
    const int64_t n = c.grid();
    m_patchEmbed = register_module(
        "patch_embed", torch::nn::Conv2d(torch::nn::Conv2dOptions(c.channels, c.width, c.patchSize)
                                             .stride(c.patchSize)
                                             .bias(c.patchBias)));
    if (c.classToken)
        m_classEmbedding = register_parameter("class_embedding", torch::randn({c.width}) * 0.02);
    m_positionEmbedding = register_parameter(
        "position_embedding", torch::randn({n * n + (c.classToken ? 1 : 0), c.width}) * 0.02);
    if (c.preNorm)
        m_preNorm = register_module("pre_norm", torch::nn::LayerNorm(layerNorm(c.width, c.normEps)));
    m_blocks = register_module("blocks", torch::nn::ModuleList());
    for (int i = 0; i < c.layers; ++i)
        m_blocks->push_back(VisionBlock(c));
}

torch::Tensor VisionTowerImpl::forward(const torch::Tensor &images)
{
    const int64_t b = images.size(0), c = m_config.width, p = m_config.patchSize;
    TORCH_CHECK(images.dim() == 4 && images.size(1) == m_config.channels && images.size(2) == images.size(3)
                    && images.size(2) % p == 0,
                "vision tower expects square images [B, ", m_config.channels, ", R, R] with R a multiple of ",
                p, ", got ", images.sizes());
    const int64_t n = images.size(2) / p, n0 = m_config.grid();
    auto x = m_patchEmbed(images).flatten(2).transpose(1, 2); // [B, n*n, C]
    if (m_config.classToken)
        x = torch::cat({m_classEmbedding.view({1, 1, c}).expand({b, 1, c}), x}, 1); // [B, 1+n*n, C]
    // Another resolution sees the table resized exactly as resolution
    // scaling would resize it, so a tower trained at several resolutions
    // keeps working after scaling.
    auto positions = n == n0 ? m_positionEmbedding
                             : resizePositionEmbedding(m_positionEmbedding, n0, n, m_config.classToken);
    x = x + positions.unsqueeze(0);
    if (m_config.preNorm)
        x = layerNormFp32(m_preNorm, x);
    const std::vector<int> wanted = m_config.featureBlockList();
    std::map<int, torch::Tensor> outputs; // block -> its output [B, (1+) n*n, C]
    const int blocks = m_config.featureBlocks();
    for (int i = 0; i < blocks; ++i) {
        x = m_blocks[i]->as<VisionBlock>()->forward(x);
        if (std::find(wanted.begin(), wanted.end(), i + 1) != wanted.end())
            outputs[i + 1] = x;
    }
    std::vector<torch::Tensor> levels;
    for (int block : wanted)
        levels.push_back(outputs.at(block));
    x = levels.size() == 1 ? levels.front() : torch::cat(levels, -1); // [B, (1+) n*n, K*C]
    if (m_config.classToken)
        x = x.slice(1, 1); // [B, n*n, K*C]
    return x.reshape({b, n, n, c * int64_t(levels.size())});
}

torch::Tensor resizePositionEmbedding(const torch::Tensor &table, int64_t grid, int64_t newGrid,
                                      bool classToken)
{
    const int64_t c = table.size(1);
    auto cls = classToken ? table.slice(0, 0, 1) : torch::Tensor();
    auto cells = (classToken ? table.slice(0, 1) : table)
                     .reshape({1, grid, grid, c})
                     .permute({0, 3, 1, 2}); // [1, C, n, n]
    auto resized = torch::nn::functional::interpolate(
        cells.to(torch::kFloat),
        torch::nn::functional::InterpolateFuncOptions()
            .size(std::vector<int64_t>{newGrid, newGrid})
            .mode(torch::kBicubic)
            .align_corners(false));
    auto rows = resized.permute({0, 2, 3, 1}).reshape({newGrid * newGrid, c}).to(table.dtype());
    return classToken ? torch::cat({cls, rows}, 0) : rows;
}

} // namespace cosw

#include "ResamplerStack.h"

#include "Autocast.h"

#include <cmath>

namespace cosw {

ResamplerLayerImpl::ResamplerLayerImpl(const ConnectorConfig &c)
{
    auto ln = [&] { return torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.width})); };
    m_normQ = register_module("norm_q", ln());
    m_normKv = register_module("norm_kv", ln());
    m_attn = register_module("attn", MultiHeadAttention(c.width, c.heads, c.width));
    m_normMlp = register_module("norm_mlp", ln());
    m_mlp = register_module("mlp", FeedForward(c.width, c.mlpHidden));
}

torch::Tensor ResamplerLayerImpl::forward(const torch::Tensor &q, const torch::Tensor &x,
                                          torch::Tensor *weights)
{
    auto h = q + m_attn(layerNormFp32(m_normQ, q), layerNormFp32(m_normKv, x), weights); // [N, Q, D]
    return h + m_mlp(layerNormFp32(m_normMlp, h));
}

torch::Tensor windowPositionEmbedding(int64_t windows, int64_t width)
{
    // Centres in [0, 1) image coordinates, spread over a virtual 64-cell axis
    // so the lowest frequencies still separate neighbouring windows.
    const int64_t quarter = width / 4;
    auto centres = (torch::arange(windows, torch::kDouble) + 0.5) / static_cast<double>(windows) * 64.0;
    auto freqs = torch::pow(10000.0, -torch::arange(quarter, torch::kDouble) / static_cast<double>(quarter));
    auto angles = centres.unsqueeze(1) * freqs.unsqueeze(0);               // [g, D/4]
    auto axis = torch::cat({torch::sin(angles), torch::cos(angles)}, 1);   // [g, D/2]
    auto rows = axis.unsqueeze(1).expand({windows, windows, width / 2});   // row i
    auto cols = axis.unsqueeze(0).expand({windows, windows, width / 2});   // column j
    return torch::cat({rows, cols}, 2).reshape({windows * windows, width}).to(torch::kFloat);
}

ResamplerStackImpl::ResamplerStackImpl(const ScaleConfig &scale, const ConnectorConfig &c,
                                       int64_t featureWidth)
    : m_windows(scale.windows), m_queries(scale.queries), m_width(c.width), m_featureWidth(featureWidth),
      m_perWindow(c.perWindow),
      m_windowPosition(c.windowPosition)
{
    auto bankShape = m_perWindow ? std::vector<int64_t>{m_windows * m_windows, m_queries, m_width}
                                 : std::vector<int64_t>{m_queries, m_width};
    // Unit scale, as the Perceiver and Qwen-VL's resampler draw them: at 0.02
    // the window position (RMS ~0.7) dominated, and after norm_q the queries of
    // a window were one vector repeated (mean pairwise cosine 0.999).
    m_bank = register_parameter("queries", torch::randn(bankShape));
    m_kvProj = register_module("kv_proj", torch::nn::Linear(featureWidth, m_width));
    m_layers = register_module("layers", torch::nn::ModuleList());
    for (int i = 0; i < c.layers; ++i)
        m_layers->push_back(ResamplerLayer(c));
    m_normOut = register_module("norm_out", torch::nn::LayerNorm(torch::nn::LayerNormOptions({m_width})));
}

torch::Tensor ResamplerStackImpl::windowQueries() const
{
    const int64_t g2 = m_windows * m_windows;
    auto bank = m_perWindow ? m_bank : m_bank.unsqueeze(0).expand({g2, m_queries, m_width}); // [g*g, q, D]
    if (!m_windowPosition)
        return bank;
    auto pos = windowPositionEmbedding(m_windows, m_width).to(m_bank.device(), m_bank.scalar_type());
    return bank + pos.unsqueeze(1); // [g*g, q, D]
}

torch::Tensor ResamplerStackImpl::projectLevels(const torch::Tensor &features)
{
    const int64_t b = features.size(0), n = features.size(1), k = features.size(3) / m_featureWidth;
    TORCH_CHECK(features.size(3) == k * m_featureWidth, "features of ", features.size(3),
                " channels are not whole levels of ", m_featureWidth);
    return m_kvProj(features.view({b, n, n, k, m_featureWidth})) // [B, n, n, K, D]
        .permute({3, 0, 1, 2, 4});                                 // [K, B, n, n, D]
}

torch::Tensor ResamplerStackImpl::runLayers(torch::Tensor q, const torch::Tensor &x, int weightsLayer,
                                            torch::Tensor *weights)
{
    const int layers = static_cast<int>(m_layers->size());
    for (int i = 0; i < layers; ++i)
        q = m_layers[i]->as<ResamplerLayer>()->forward(q, x[x.size(0) == 1 ? 0 : i], i == weightsLayer ? weights : nullptr);
    return layerNormFp32(m_normOut, q);
}

torch::Tensor ResamplerStackImpl::forward(const torch::Tensor &features, const AttentionRequest &request,
                                          torch::Tensor *attention)
{
    const int64_t b = features.size(0), n = features.size(1), g = m_windows, m = n / g;
    const int64_t q = m_queries, d = m_width;
    TORCH_CHECK(n % g == 0, g, " windows per side do not divide the feature grid of ", n);

    auto levels = projectLevels(features);                   // [K, B, n, n, D]
    const int64_t k = levels.size(0);
    auto x = levels.reshape({k, b, g, m, g, m, d})
                 .permute({0, 1, 2, 4, 3, 5, 6})             // [K, B, g, g, m, m, D]
                 .reshape({k, b * g * g, m * m, d});         // [K, B*g*g, m*m, D]
    auto queries = windowQueries()                           // [g*g, q, D]
                       .unsqueeze(0)
                       .expand({b, g * g, q, d})
                       .reshape({b * g * g, q, d});          // [B*g*g, q, D]

    const int layers = static_cast<int>(m_layers->size());
    const bool wantMaps = request.enabled && attention;
    const int weightsLayer = request.layer < 0 ? layers + request.layer : request.layer;
    TORCH_CHECK(!wantMaps || (weightsLayer >= 0 && weightsLayer < layers),
                "attention layer ", request.layer, " does not exist in a stack of ", layers);
    torch::Tensor weights; // [B*g*g, H, q, m*m]
    auto out = runLayers(queries, x, wantMaps ? weightsLayer : -1, wantMaps ? &weights : nullptr);

    if (wantMaps) {
        const int64_t h = weights.size(1);
        auto w = request.perHead ? weights.view({b, g, g, h, q, m, m}).permute({0, 3, 1, 2, 4, 5, 6})
                                 : weights.mean(1).view({b, 1, g, g, q, m, m}); // [B, H', g, g, q, m, m]
        // Place each window's block on the full grid: multiplying by the
        // identity over window indices puts exact zeros outside the window.
        auto eye = torch::eye(g, w.options());
        auto full = torch::einsum("zhijqrc,ik,jl->zhijqkrlc", {w, eye, eye}); // [B, H', g, g, q, g, m, g, m]
        auto maps = full.reshape({b, w.size(1), g * g * q, n, n});
        *attention = request.perHead ? maps : maps.squeeze(1);
    }
    return out.reshape({b, g * g * q, d}); // [B, g*g*q, D]
}

torch::Tensor ResamplerStackImpl::forwardPerWindowLoop(const torch::Tensor &features)
{
    const int64_t b = features.size(0), n = features.size(1), g = m_windows, m = n / g;
    const int64_t d = m_width;
    auto x = projectLevels(features); // [K, B, n, n, D]
    auto queries = windowQueries();   // [g*g, q, D]
    std::vector<torch::Tensor> outs;
    for (int64_t i = 0; i < g; ++i) {
        for (int64_t j = 0; j < g; ++j) {
            auto window = x.slice(2, i * m, (i + 1) * m).slice(3, j * m, (j + 1) * m).reshape({x.size(0), b, m * m, d});
            auto q = queries[i * g + j].unsqueeze(0).expand({b, m_queries, d});
            outs.push_back(runLayers(q, window, -1, nullptr)); // [B, q, D]
        }
    }
    return torch::cat(outs, 1); // [B, g*g*q, D]
}

} // namespace cosw

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
                                          torch::Tensor *weights, const AttentionPositions &positions)
{
    auto h = q + m_attn(layerNormFp32(m_normQ, q), layerNormFp32(m_normKv, x), weights, positions); // [N, Q, D]
    return h + m_mlp(layerNormFp32(m_normMlp, h));
}

torch::Tensor sincosPositionEmbedding(const torch::Tensor &rows, const torch::Tensor &cols, int64_t width)
{
    // Spread over a virtual 64-cell axis so that the lowest frequencies
    // still separate neighbouring windows.
    const int64_t quarter = width / 4;
    auto freqs = torch::pow(10000.0, -torch::arange(quarter, torch::kDouble) / static_cast<double>(quarter));
    auto axis = [&](const torch::Tensor &coords) {
        auto angles = (coords.to(torch::kDouble) * 64.0).unsqueeze(1) * freqs.unsqueeze(0); // [N, D/4]
        return torch::cat({torch::sin(angles), torch::cos(angles)}, 1);                      // [N, D/2]
    };
    return torch::cat({axis(rows), axis(cols)}, 1).to(torch::kFloat); // [N, D]
}

torch::Tensor windowPositionEmbedding(int64_t windows, int64_t width)
{
    auto centres = (torch::arange(windows, torch::kDouble) + 0.5) / static_cast<double>(windows);
    auto rows = centres.unsqueeze(1).expand({windows, windows}).reshape({-1}); // row i of cell (i, j)
    auto cols = centres.unsqueeze(0).expand({windows, windows}).reshape({-1}); // column j
    return sincosPositionEmbedding(rows, cols, width);                        // [g*g, D]
}

torch::Tensor queryPositionEmbedding(int64_t windows, int64_t queries, int64_t width)
{
    int64_t gridRows = 1;
    for (int64_t r = 1; r * r <= queries; ++r)
        if (queries % r == 0)
            gridRows = r;
    const int64_t gridCols = queries / gridRows;
    auto k = torch::arange(queries, torch::kDouble);
    auto within = [&](const torch::Tensor &index, int64_t count) { return (index + 0.5) / double(count); };
    auto window = torch::arange(windows, torch::kDouble);
    auto coord = [&](const torch::Tensor &win, const torch::Tensor &inWindow) {
        return (win.unsqueeze(1) + inWindow.unsqueeze(0)) / double(windows); // [g, q] in image coordinates
    };
    auto rows = coord(window, within(torch::floor(k / double(gridCols)), gridRows)); // [g, q]: window row i
    auto cols = coord(window, within(torch::fmod(k, double(gridCols)), gridCols));   // [g, q]: window column j
    auto r = rows.unsqueeze(1).expand({windows, windows, queries}).reshape({-1});
    auto c = cols.unsqueeze(0).expand({windows, windows, queries}).reshape({-1});
    return sincosPositionEmbedding(r, c, width).view({windows * windows, queries, width}); // [g*g, q, D]
}

ResamplerStackImpl::ResamplerStackImpl(const ScaleConfig &scale, const ConnectorConfig &c,
                                       int64_t featureWidth)
    : m_windows(scale.windows), m_queries(scale.queries), m_width(c.width), m_featureWidth(featureWidth),
      m_perWindow(c.perWindow),
      m_windowPosition(c.windowPosition), m_attentionPosition(c.attentionPosition)
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

AttentionPositions ResamplerStackImpl::attentionPositions(int64_t n, const torch::TensorOptions &options) const
{
    if (!m_attentionPosition)
        return {};
    return {queryPositionEmbedding(m_windows, m_queries, m_width).to(options),      // [g*g, q, D]
            windowPositionEmbedding(n, m_width).to(options).view({n, n, m_width})}; // [n, n, D]
}

torch::Tensor ResamplerStackImpl::runLayers(torch::Tensor q, const torch::Tensor &x, const AttentionPositions &positions,
                                            int weightsLayer, torch::Tensor *weights)
{
    const int layers = static_cast<int>(m_layers->size());
    for (int i = 0; i < layers; ++i)
        q = m_layers[i]->as<ResamplerLayer>()->forward(q, x[x.size(0) == 1 ? 0 : i],
                                                       i == weightsLayer ? weights : nullptr, positions);
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
    AttentionPositions positions = attentionPositions(n, x.options());
    if (positions.key.defined()) {
        positions.query = positions.query.unsqueeze(0)
                              .expand({b, g * g, q, d})
                              .reshape({b * g * g, q, d});   // [B*g*g, q, D]
        positions.key = positions.key.view({g, m, g, m, d})
                            .permute({0, 2, 1, 3, 4})        // [g, g, m, m, D]
                            .reshape({1, g * g, m * m, d})
                            .expand({b, g * g, m * m, d})
                            .reshape({b * g * g, m * m, d}); // [B*g*g, m*m, D]
    }

    const int layers = static_cast<int>(m_layers->size());
    const bool wantMaps = request.enabled && attention;
    const int weightsLayer = request.layer < 0 ? layers + request.layer : request.layer;
    TORCH_CHECK(!wantMaps || (weightsLayer >= 0 && weightsLayer < layers),
                "attention layer ", request.layer, " does not exist in a stack of ", layers);
    torch::Tensor weights; // [B*g*g, H, q, m*m]
    auto out = runLayers(queries, x, positions, wantMaps ? weightsLayer : -1, wantMaps ? &weights : nullptr);

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
    auto x = projectLevels(features);               // [K, B, n, n, D]
    auto queries = windowQueries();                 // [g*g, q, D]
    const AttentionPositions all = attentionPositions(n, x.options());
    std::vector<torch::Tensor> outs;
    for (int64_t i = 0; i < g; ++i) {
        for (int64_t j = 0; j < g; ++j) {
            auto window = x.slice(2, i * m, (i + 1) * m).slice(3, j * m, (j + 1) * m).reshape({x.size(0), b, m * m, d});
            auto q = queries[i * g + j].unsqueeze(0).expand({b, m_queries, d});
            AttentionPositions positions;
            if (all.key.defined())
                positions = {all.query[i * g + j].unsqueeze(0).expand({b, m_queries, d}), // [B, q, D]
                             all.key.slice(0, i * m, (i + 1) * m).slice(1, j * m, (j + 1) * m)
                                 .reshape({1, m * m, d}).expand({b, m * m, d})};          // [B, m*m, D]
            outs.push_back(runLayers(q, window, positions, -1, nullptr)); // [B, q, D]
        }
    }
    return torch::cat(outs, 1); // [B, g*g*q, D]
}

} // namespace cosw

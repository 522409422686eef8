#include "VisualPositions.h"

namespace cosw {

VisualPositions visualPositions(const ModelConfig &config)
{
    VisualPositions out;
    const bool layoutPositions =
        config.connector.type != ConnectorType::Mlp && !config.connector.sequencePositions;
    if (!layoutPositions) {
        out.span = visualTokens(config);
        out.offsets = torch::arange(out.span, torch::kFloat);
        return out;
    }
    std::vector<torch::Tensor> scales;
    for (const ScaleConfig &s : config.connector.scales) {
        const int64_t g = s.windows, q = s.queries;
        const int64_t g0 = s.positionWindows > 0 ? s.positionWindows : g, f = g / g0;
        auto i = torch::arange(g, torch::kLong).view({g, 1, 1});              // window row
        auto j = torch::arange(g, torch::kLong).view({1, g, 1});              // window column
        auto k = torch::arange(q, torch::kLong).view({1, 1, q});              // query
        auto parent = torch::div(i, f, "floor") * g0 + torch::div(j, f, "floor"); // [g, g, 1]
        auto child = (i % f) * f + (j % f);                                   // [g, g, 1]
        auto pos = (parent * q + k).to(torch::kFloat)
                   + child.to(torch::kFloat) / static_cast<double>(f * f);   // [g, g, q]
        scales.push_back(pos.reshape({-1}) + static_cast<double>(out.span)); // [g*g*q], window-major as the stack emits
        out.span += g0 * g0 * q;
    }
    out.offsets = torch::cat(scales);
    return out;
}

} // namespace cosw

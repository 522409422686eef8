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
    // Where each block of positions starts: a scale added by token scaling
    // shares the block of the scale it copies.
    std::vector<int64_t> blockStart;
    for (const ScaleConfig &s : config.connector.scales) {
        const int64_t g0 = s.positionWindows > 0 ? s.positionWindows : s.windows;
        blockStart.push_back(s.positionScale >= 0 ? blockStart[size_t(s.positionScale)] : out.span);
        if (s.positionScale < 0)
            out.span += g0 * g0 * s.queries;
    }
    std::vector<torch::Tensor> scales;
    for (size_t index = 0; index < config.connector.scales.size(); ++index) {
        const ScaleConfig &s = config.connector.scales[index];
        const int64_t g = s.windows, q = s.queries;
        const int64_t g0 = s.positionWindows > 0 ? s.positionWindows : g, f = g / g0;
        auto i = torch::arange(g, torch::kLong).view({g, 1, 1});              // window row
        auto j = torch::arange(g, torch::kLong).view({1, g, 1});              // window column
        auto k = torch::arange(q, torch::kLong).view({1, 1, q});              // query
        auto parent = torch::div(i, f, "floor") * g0 + torch::div(j, f, "floor"); // [g, g, 1]
        auto child = (i % f) * f + (j % f);                                   // [g, g, 1]
        auto pos = (parent * q + k).to(torch::kFloat)
                   + child.to(torch::kFloat) / static_cast<double>(f * f);   // [g, g, q]
        scales.push_back(pos.reshape({-1}) + static_cast<double>(blockStart[index])); // [g*g*q], window-major as the stack emits
    }
    out.offsets = torch::cat(scales);
    return out;
}

} // namespace cosw

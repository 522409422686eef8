#include "FlopCount.h"

namespace cosw {

FlopEstimate estimateFlops(const ModelConfig &config, int64_t batch, int64_t textTokens)
{
    const VisionConfig &v = config.vision;
    const ConnectorConfig &c = config.connector;
    const LmConfig &l = config.lm;
    FlopEstimate f;

    const double n = v.grid(), cells = n * n;
    const double tv = cells + (v.classToken ? 1 : 0);
    const double cw = v.width;
    f.vision = 2.0 * cells * (v.channels * v.patchSize * v.patchSize) * cw;
    f.vision += v.featureBlocks()
                * (4 * 2.0 * tv * cw * cw          // q, k, v, out projections
                   + 2 * 2.0 * tv * tv * cw        // scores and weighted sum
                   + 2 * 2.0 * tv * cw * v.mlpHidden);

    const double tokens = visualTokens(config);
    if (c.type == ConnectorType::Mlp) {
        double in = cw;
        for (int i = 0; i < c.mlpLayers; ++i) {
            f.connector += 2.0 * cells * in * l.width;
            in = l.width;
        }
    } else {
        const double d = c.width;
        for (const auto &s : c.scales) {
            const double q = double(s.windows) * s.windows * s.queries; // queries of the scale
            const double m2 = cells / (double(s.windows) * s.windows);  // features per window
            f.connector += 2.0 * cells * cw * d;                         // kv_proj
            f.connector += c.layers
                           * (2 * 2.0 * q * d * d                        // q and out projections
                              + 2 * 2.0 * cells * d * d                  // k and v over every window
                              + 2 * 2.0 * q * m2 * d                     // scores and weighted sum
                              + 2 * 2.0 * q * d * c.mlpHidden);
        }
        f.connector += 2.0 * tokens * d * l.width; // output projection
    }

    const double s = tokens + textTokens - 1, w = l.width, kv = double(l.kvHeads) * l.headDim();
    f.lm = l.layers
           * (2 * 2.0 * s * w * w          // q and o projections
              + 2 * 2.0 * s * w * kv       // k and v projections
              + 2 * 2.0 * s * s * w        // scores and weighted sum
              + 3 * 2.0 * s * w * l.mlpHidden);
    f.lm += 2.0 * s * w * l.vocabSize;     // logits

    f.vision *= batch;
    f.connector *= batch;
    f.lm *= batch;
    return f;
}

} // namespace cosw

#pragma once
// Compound token scaling (DESIGN §2), applied between pre-training and
// fine-tuning:
//   window scaling by k_s on scale s:  g_s -> k_s * g_s (windows shrink)
//   resolution scaling by r:           R -> r*R, n -> r*n, and g_s -> r*g_s
//                                      unless the scale has fixed_windows
//   an added scale, copy of scale s split by k: windows k * r_s * g_s, q_s
//   queries, the copied scale's weights and positions (the authors' 80 ->
//   1296 recipe keeps the global scale and adds it again in 4x4 windows)
// Tokens after scaling: sum_s (k_s * r_s * g_s)^2 * q_s over old and added scales.
// Scaling is a pure function: checkpoint + spec -> checkpoint.

#include "io/Checkpoint.h"
#include "base/Json.h"
#include "model/ModelConfig.h"

#include <string>
#include <vector>

namespace cosw {

struct AddedScale {
    int from = 0;   // the scale copied, as it was before this scaling
    int window = 1; // its windows per side multiplied by this (and by r unless fixed)
};

struct ScalingSpec {
    int resolution = 1;      // r
    std::vector<int> window; // k_s per scale; empty means 1 for every scale
    std::vector<AddedScale> add; // appended after the existing scales, in order

    bool isIdentity() const;
    int windowFactor(size_t scale) const { return scale < window.size() ? window[scale] : 1; }

    // {resolution: r, window: k | [k_0, k_1, ...], add: [{from: s, window: k}, ...]}.
    // A single window factor applies to every scale. Errors name keys under keyPrefix.
    static ScalingSpec fromJson(const Json &json, const ConfigSource &source, const std::string &keyPrefix,
                                size_t scaleCount);
    Json toJson() const;
};

// The config after scaling. A factor that does not fit (windows that would
// not divide the grid, window scaling of a connector without windows, too
// many tokens for the LM) throws ConfigError naming the key under keyPrefix.
ModelConfig scaledConfig(const ModelConfig &config, const ScalingSpec &spec,
                         const ConfigSource &source = {}, const std::string &keyPrefix = "scaling");

// Weights for `to` = scaledConfig(from, spec): the vision tower's position
// embeddings resized bicubically, per-window query banks copied from the
// window each new window lies in, an added scale's stack copied from the
// scale it copies. Other tensors are shared, not copied.
StateDict scaledWeights(const ModelConfig &from, const ModelConfig &to, const StateDict &weights,
                        const ScalingSpec &spec);

Checkpoint scaleCheckpoint(const Checkpoint &checkpoint, const ScalingSpec &spec);

// Scaling as the command line and the attention view ask for it: a target
// resolution in px (0: the config's own; otherwise a whole multiple of it)
// and window factors (empty: none; one factor for every scale, or one per
// scale). Throws InputError naming `--resolution` or `--window` when they do not
// fit `config`; scaledConfig checks the rest.
ScalingSpec scalingSpecFor(const ModelConfig &config, int resolutionPx, const std::vector<int> &window);

} // namespace cosw

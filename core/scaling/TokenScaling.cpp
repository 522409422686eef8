#include "TokenScaling.h"

#include "base/ConfigReader.h"
#include "base/Errors.h"
#include "base/Messages.h"
#include "model/VisionTower.h"

namespace cosw {

namespace {

// Larger scaled images are not a model anybody trains; the bound keeps every
// size and window count the config readers derive inside an int.
constexpr int64_t kMaxScaledImageSize = int64_t(1) << 16;

// Windows per side a scale gets from its own count and two factors; 0 when
// the product leaves 64 bits (it then divides no feature grid either).
int64_t scaledWindows(int64_t windows, int64_t factor, int64_t resolution)
{
    int64_t out = 0;
    if (__builtin_mul_overflow(windows, factor, &out) || __builtin_mul_overflow(out, resolution, &out))
        return 0;
    return out;
}

} // namespace

bool ScalingSpec::isIdentity() const
{
    if (resolution != 1 || !add.empty())
        return false;
    for (int k : window)
        if (k != 1)
            return false;
    return true;
}

ScalingSpec ScalingSpec::fromJson(const Json &json, const ConfigSource &source, const std::string &keyPrefix,
                                  size_t scaleCount)
{
    ConfigReader r(json, source, keyPrefix);
    ScalingSpec spec;
    spec.resolution = r.getInt("resolution", 1);
    if (spec.resolution < 1)
        r.fail("resolution", fill(msg("must be a positive integer factor, got %1"), {std::to_string(spec.resolution)}));
    if (const Json *w = r.child("window")) {
        if (w->is_number_integer()) {
            spec.window.assign(scaleCount, static_cast<int>(w->get<int64_t>()));
        } else if (w->is_array()) {
            if (w->size() != scaleCount)
                r.fail("window", fill(msg("lists %1 factors for %2 scales"),
                                      {std::to_string(w->size()), std::to_string(scaleCount)}));
            for (const Json &k : *w) {
                if (!k.is_number_integer())
                    r.fail("window", msg("factors must be integers"));
                spec.window.push_back(static_cast<int>(k.get<int64_t>()));
            }
        } else {
            r.fail("window", msg("expected an integer or a list of integers, one per scale"));
        }
        for (size_t i = 0; i < spec.window.size(); ++i)
            if (spec.window[i] < 1)
                r.fail("window", fill(msg("factor %1 for scale %2 must be a positive integer"),
                                      {std::to_string(spec.window[i]), std::to_string(i)}));
    }
    if (const Json *added = r.child("add")) {
        if (!added->is_array())
            r.fail("add", msg("expected a list of {from: scale, window: factor}"));
        for (size_t i = 0; i < added->size(); ++i) {
            ConfigReader a(added->at(i), source, childKeyPath(r.keyPath("add"), i));
            AddedScale scale;
            scale.from = a.requireInt("from");
            scale.window = a.getInt("window", 1);
            if (scale.from < 0 || size_t(scale.from) >= scaleCount)
                a.fail("from", fill(msg("%1 is not one of the %2 scales (0..%3)"),
                                    {std::to_string(scale.from), std::to_string(scaleCount),
                                     std::to_string(int(scaleCount) - 1)}));
            if (scale.window < 1)
                a.fail("window", fill(msg("must be a positive integer factor, got %1"), {std::to_string(scale.window)}));
            a.finish();
            spec.add.push_back(scale);
        }
    }
    r.finish();
    return spec;
}

Json ScalingSpec::toJson() const
{
    Json j = Json::object();
    j["resolution"] = resolution;
    if (!window.empty()) {
        Json w = Json::array();
        for (int k : window)
            w.push_back(k);
        j["window"] = w;
    }
    if (!add.empty()) {
        Json a = Json::array();
        for (const AddedScale &s : add)
            a.push_back(Json::object({{"from", s.from}, {"window", s.window}}));
        j["add"] = a;
    }
    return j;
}

ModelConfig scaledConfig(const ModelConfig &config, const ScalingSpec &spec, const ConfigSource &source,
                         const std::string &keyPrefix)
{
    auto fail = [&](const std::string &key, const std::string &reason) {
        const std::string path = childKeyPath(keyPrefix, key);
        throw ConfigError(source.where(path), path, reason);
    };

    ModelConfig out = config;
    const int r = spec.resolution;
    if (r < 1) fail("resolution", fill(msg("must be a positive integer factor, got %1"), {std::to_string(r)}));
    // Products in 64 bits: a factor from a file may be any int.
    const int64_t imageSize = int64_t(config.vision.imageSize) * r;
    if (imageSize > kMaxScaledImageSize)
        fail("resolution", fill(msg("x%1 would make images of %2 px, more than %3"),
                                {std::to_string(r), std::to_string(imageSize), std::to_string(kMaxScaledImageSize)}));
    out.vision.imageSize = int(imageSize);
    const int n = out.vision.grid();
    const bool hasWindows = config.connector.type == ConnectorType::ChainOfSight;
    if (!hasWindows)
        for (size_t s = 0; s < spec.window.size(); ++s)
            if (spec.window[s] != 1)
                // TRANSLATORS: %1 is a connector type from the config: chain_of_sight, resampler or mlp.
                fail("window", fill(msg("a %1 connector has no windows to scale"),
                                    {connectorTypeName(config.connector.type)}));
    if (spec.window.size() > config.connector.scales.size() && hasWindows)
        fail("window", fill(msg("lists %1 factors for %2 scales"),
                            {std::to_string(spec.window.size()), std::to_string(config.connector.scales.size())}));

    for (size_t s = 0; s < out.connector.scales.size(); ++s) {
        ScaleConfig &scale = out.connector.scales[s];
        const int k = spec.windowFactor(s);
        if (k < 1) fail("window", fill(msg("factor %1 for scale %2 must be a positive integer"), {std::to_string(k), std::to_string(s)}));
        if (scale.positionWindows == 0)
            scale.positionWindows = scale.windows; // the LM learned the positions of this layout
        const int64_t windows = scaledWindows(scale.windows, k, scale.fixedWindows ? 1 : r);
        if (windows < 1 || n % windows != 0)
            fail("window", fill(msg("scale %1 would have %2 windows per side (window x%3, resolution x%4), which "
                                    "do not divide the feature grid of %5 cells"),
                                {std::to_string(s), std::to_string(windows), std::to_string(k),
                                 std::to_string(scale.fixedWindows ? 1 : r), std::to_string(n)}));
        scale.windows = int(windows); // divides n, so it fits
    }
    if (!spec.add.empty() && !hasWindows)
        // TRANSLATORS: %1 is a connector type from the config: chain_of_sight, resampler or mlp.
        fail("add", fill(msg("a %1 connector has no scales to add"), {connectorTypeName(config.connector.type)}));
    for (size_t i = 0; i < spec.add.size(); ++i) {
        const AddedScale &a = spec.add[i];
        const std::string key = "add[" + std::to_string(i) + "]";
        if (a.from < 0 || size_t(a.from) >= config.connector.scales.size())
            fail(key + ".from", fill(msg("%1 is not one of the %2 scales"),
                                     {std::to_string(a.from), std::to_string(config.connector.scales.size())}));
        const ScaleConfig &source = config.connector.scales[size_t(a.from)];
        ScaleConfig added = source;
        added.positionWindows = source.positionWindows > 0 ? source.positionWindows : source.windows;
        added.positionScale = source.positionScale >= 0 ? source.positionScale : a.from;
        const int64_t windows = scaledWindows(source.windows, a.window, source.fixedWindows ? 1 : r);
        if (windows < 1 || n % windows != 0)
            fail(key + ".window", fill(msg("the copy of scale %1 would have %2 windows per side, which do not "
                                           "divide the feature grid of %3 cells"),
                                       {std::to_string(a.from), std::to_string(windows), std::to_string(n)}));
        added.windows = int(windows);
        out.connector.scales.push_back(added);
    }
    try {
        out.validate({}, "model");
    } catch (const ConfigError &e) {
        fail(spec.resolution != 1 ? "resolution" : "window",
             fill(msg("after scaling, %1: %2"), {e.key(), e.reason()}));
    }
    return out;
}

// Scale `s`'s per-window bank for `g1` windows per side: new window (i, j)
// takes the bank of the old window containing its centre, for integer
// factors its parent. bank [g0*g0, q, D] -> [g1*g1, q, D].
static torch::Tensor splitBank(const torch::Tensor &bank, int64_t g0, int64_t g1)
{
    auto idx = torch::div(torch::arange(g1, torch::kLong) * g0, g1, "floor"); // [g1]
    auto flat = (idx.unsqueeze(1) * g0 + idx.unsqueeze(0)).reshape({-1});     // [g1*g1]
    return bank.index_select(0, flat);
}

StateDict scaledWeights(const ModelConfig &from, const ModelConfig &to, const StateDict &weights,
                        const ScalingSpec &spec)
{
    torch::NoGradGuard noGrad;
    StateDict out = weights;
    const int64_t n0 = from.vision.grid(), n1 = to.vision.grid();
    if (n0 != n1) {
        auto &table = out.at("vision.position_embedding");
        table = resizePositionEmbedding(weights.at("vision.position_embedding"), n0, n1,
                                        from.vision.classToken);
    }
    if (from.connector.perWindow && from.connector.type != ConnectorType::Mlp) {
        for (size_t s = 0; s < from.connector.scales.size(); ++s) {
            const int64_t g0 = from.connector.scales[s].windows, g1 = to.connector.scales[s].windows;
            if (g0 == g1)
                continue;
            const std::string name = "connector.scales." + std::to_string(s) + ".queries";
            out[name] = splitBank(weights.at(name), g0, g1); // [g1*g1, q, D]
        }
    }
    // An added scale starts as a copy of the stack it copies: every tensor
    // cloned (they learn apart from here), a per-window bank split.
    const size_t before = from.connector.scales.size();
    for (size_t i = 0; i < spec.add.size(); ++i) {
        const std::string source = "connector.scales." + std::to_string(spec.add[i].from) + ".";
        const std::string target = "connector.scales." + std::to_string(before + i) + ".";
        const int64_t g0 = from.connector.scales[size_t(spec.add[i].from)].windows;
        const int64_t g1 = to.connector.scales[before + i].windows;
        for (const auto &[name, tensor] : weights) {
            if (name.rfind(source, 0) != 0)
                continue;
            const std::string rest = name.substr(source.size());
            out[target + rest] = rest == "queries" && from.connector.perWindow ? splitBank(tensor, g0, g1)
                                                                              : tensor.clone();
        }
    }
    return out;
}

Checkpoint scaleCheckpoint(const Checkpoint &checkpoint, const ScalingSpec &spec)
{
    Checkpoint out;
    out.config = scaledConfig(checkpoint.config, spec);
    out.weights = scaledWeights(checkpoint.config, out.config, checkpoint.weights, spec);
    return out;
}

ScalingSpec scalingSpecFor(const ModelConfig &config, int resolutionPx, const std::vector<int> &window)
{
    ScalingSpec spec;
    const int base = config.vision.imageSize;
    if (resolutionPx < 0 || (resolutionPx > 0 && resolutionPx % base != 0))
        throw InputError(fill(msg("--resolution %1: must be a whole multiple of the checkpoint's %2 px (resolution "
                                  "scaling is by whole factors)"),
                              {std::to_string(resolutionPx), std::to_string(base)}));
    if (resolutionPx > 0)
        spec.resolution = resolutionPx / base;
    const size_t scales = config.connector.type == ConnectorType::Mlp ? 0 : config.connector.scales.size();
    if (window.size() == 1)
        spec.window.assign(std::max<size_t>(scales, 1), window[0]);
    else if (!window.empty() && window.size() != scales)
        throw InputError(fill(msg("--window: %1 factors for a connector with %2 scales (give one factor for all, "
                                  "or one per scale)"),
                              {std::to_string(window.size()), std::to_string(scales)}));
    else
        spec.window = window;
    for (int k : spec.window)
        if (k < 1)
            throw InputError(fill(msg("--window: factor %1 must be a positive integer"), {std::to_string(k)}));
    return spec;
}

} // namespace cosw

#include "ModelConfig.h"

#include "base/ConfigFields.h"
#include "base/ConfigReader.h"
#include "base/Errors.h"
#include "base/Numbers.h"

namespace cosw {

const char *connectorTypeName(ConnectorType type)
{
    switch (type) {
    case ConnectorType::ChainOfSight: return "chain_of_sight";
    case ConnectorType::Resampler: return "resampler";
    case ConnectorType::Mlp: return "mlp";
    }
    return "?";
}

std::vector<int> tokensPerScale(const ModelConfig &config)
{
    if (config.connector.type == ConnectorType::Mlp) {
        int n = config.vision.grid();
        return {n * n};
    }
    std::vector<int> out;
    for (const auto &s : config.connector.scales)
        out.push_back(s.windows * s.windows * s.queries);
    return out;
}

int visualTokens(const ModelConfig &config)
{
    int total = 0;
    for (int t : tokensPerScale(config))
        total += t;
    return total;
}

// ------------------------------------------------------- the fields, once

static const ConfigFields<VisionConfig> &visionFields()
{
    using V = VisionConfig;
    static const auto fields = ConfigFields<V>()
        .field("image_size", &V::imageSize)
        .field("patch_size", &V::patchSize)
        .field("channels", &V::channels)
        .field("width", &V::width)
        .field("layers", &V::layers)
        .field("heads", &V::heads)
        .field("mlp_hidden", &V::mlpHidden, {[](const V &v) { return 4 * v.width; }})
        .field("class_token", &V::classToken)
        .field("pre_norm", &V::preNorm)
        .field("patch_bias", &V::patchBias)
        .choice("activation", &V::activation, {"gelu", "quick_gelu"})
        .field("feature_layer", &V::featureLayer)
        .field("norm_eps", &V::normEps);
    return fields;
}

static void readScales(ConfigReader &r, ConnectorConfig &c)
{
    if (c.type == ConnectorType::ChainOfSight) {
        const Json *scales = r.child("scales");
        if (!scales)
            r.fail("scales", "is required for a chain_of_sight connector");
        if (!scales->is_array() || scales->size() == 0)
            r.fail("scales", "expected a non-empty list of {windows, queries}");
        for (size_t i = 0; i < scales->size(); ++i) {
            ConfigReader s(scales->at(i), r.source(), childKeyPath(r.keyPath("scales"), i));
            ScaleConfig sc;
            sc.windows = s.requireInt("windows");
            sc.queries = s.requireInt("queries");
            sc.fixedWindows = s.getBool("fixed_windows", false);
            sc.positionWindows = s.getInt("position_windows", 0);
            s.finish();
            c.scales.push_back(sc);
        }
    } else if (c.type == ConnectorType::Resampler) {
        if (r.has("scales"))
            r.fail("scales", "a resampler has one global window; set `queries` instead");
        ScaleConfig global;
        global.windows = 1;
        global.queries = r.requireInt("queries");
        global.fixedWindows = true;
        c.scales.push_back(global);
    }
}

static void writeScales(const ConnectorConfig &c, Json &j)
{
    if (c.type == ConnectorType::ChainOfSight) {
        Json scales = Json::array();
        for (const auto &s : c.scales) {
            Json sj = Json::object();
            sj["windows"] = s.windows;
            sj["queries"] = s.queries;
            sj["fixed_windows"] = s.fixedWindows;
            if (s.positionWindows > 0)
                sj["position_windows"] = s.positionWindows;
            scales.push_back(sj);
        }
        j["scales"] = scales;
    } else if (c.type == ConnectorType::Resampler) {
        j["queries"] = c.scales.at(0).queries;
    }
}

static const ConfigFields<ConnectorConfig> &connectorFields()
{
    using C = ConnectorConfig;
    static const auto fields = ConfigFields<C>()
        .custom(
            [](ConfigReader &r, C &c) {
                const std::string type = r.getChoice("type", "chain_of_sight", {"chain_of_sight", "resampler", "mlp"});
                c.type = type == "resampler" ? ConnectorType::Resampler
                       : type == "mlp"       ? ConnectorType::Mlp
                                             : ConnectorType::ChainOfSight;
            },
            [](const C &c, Json &j) { j["type"] = connectorTypeName(c.type); })
        .field("width", &C::width)
        .field("heads", &C::heads)
        .field("layers", &C::layers)
        .field("mlp_hidden", &C::mlpHidden, {[](const C &c) { return 4 * c.width; }})
        .field("per_window", &C::perWindow)
        .custom(
            [](ConfigReader &r, C &c) {
                c.windowPosition = r.getChoice("window_position", "sincos", {"sincos", "none"}) == "sincos";
            },
            [](const C &c, Json &j) { j["window_position"] = c.windowPosition ? "sincos" : "none"; })
        .field("mlp_layers", &C::mlpLayers)
        .custom(
            [](ConfigReader &r, C &c) {
                c.sequencePositions = r.getChoice("token_positions", "layout", {"layout", "sequence"}) == "sequence";
            },
            [](const C &c, Json &j) { j["token_positions"] = c.sequencePositions ? "sequence" : "layout"; })
        .field("output_scale", &C::outputScale, [](const double &v) {
            return v > 0 && std::isfinite(v) ? std::string() : "must be a positive number, got " + formatReal(v);
        })
        .custom(readScales, writeScales);
    return fields;
}

static const ConfigFields<LmConfig> &lmFields()
{
    using L = LmConfig;
    static const auto fields = ConfigFields<L>()
        .field("vocab_size", &L::vocabSize)
        .field("width", &L::width)
        .field("layers", &L::layers)
        .field("heads", &L::heads)
        .field("kv_heads", &L::kvHeads, {[](const L &l) { return l.heads; }})
        .field("mlp_hidden", &L::mlpHidden)
        .field("max_seq_len", &L::maxSeqLen)
        .field("rope_theta", &L::ropeTheta)
        .field("norm_eps", &L::normEps)
        .field("tie_embeddings", &L::tieEmbeddings)
        .field("bos_id", &L::bosId)
        .field("eos_id", &L::eosId)
        .field("pad_id", &L::padId);
    return fields;
}

// ------------------------------------------------------------------ reading

ModelConfig ModelConfig::fromJson(const Json &model, const ConfigSource &source,
                                  const std::string &keyPrefix)
{
    ConfigReader r(model, source, keyPrefix);
    ModelConfig m;
    auto section = [&](const char *key, const auto &fields, auto &into) {
        const Json *j = r.child(key);
        if (!j)
            r.fail(key, "is required");
        ConfigReader sub(*j, source, r.keyPath(key));
        fields.read(sub, into);
        sub.finish();
    };
    section("vision", visionFields(), m.vision);
    section("connector", connectorFields(), m.connector);
    section("lm", lmFields(), m.lm);
    r.finish();
    m.validate(source, keyPrefix);
    return m;
}

// ------------------------------------------------------------------ writing

Json ModelConfig::toJson() const
{
    Json m = Json::object();
    m["vision"] = visionFields().toJson(vision);
    m["connector"] = connectorFields().toJson(connector);
    m["lm"] = lmFields().toJson(lm);
    return m;
}

// --------------------------------------------------------------- validation

void ModelConfig::validate(const ConfigSource &source, const std::string &keyPrefix) const
{
    auto fail = [&](const std::string &key, const std::string &reason) {
        const std::string path = childKeyPath(keyPrefix, key);
        throw ConfigError(source.where(path), path, reason);
    };
    auto positive = [&](const std::string &key, double value) {
        if (!(value > 0))
            fail(key, "must be positive, got "
                          + formatReal(value));
    };
    auto divides = [&](const std::string &key, int part, int whole, const std::string &what) {
        if (whole % part != 0)
            fail(key, std::to_string(whole) + " is not divisible by " + what + " "
                          + std::to_string(part));
    };

    const VisionConfig &v = vision;
    positive("vision.image_size", v.imageSize);
    positive("vision.patch_size", v.patchSize);
    positive("vision.channels", v.channels);
    positive("vision.width", v.width);
    positive("vision.layers", v.layers);
    positive("vision.heads", v.heads);
    positive("vision.mlp_hidden", v.mlpHidden);
    positive("vision.norm_eps", v.normEps);
    if (v.imageSize % v.patchSize != 0)
        fail("vision.image_size", std::to_string(v.imageSize) + " is not a multiple of patch_size "
                                      + std::to_string(v.patchSize));
    divides("vision.width", v.heads, v.width, "heads");
    if (v.featureLayer == 0 || v.featureBlocks() < 1 || v.featureBlocks() > v.layers)
        fail("vision.feature_layer", std::to_string(v.featureLayer) + " does not name one of the "
                                         + std::to_string(v.layers) + " blocks (1.." + std::to_string(v.layers)
                                         + " or -1..-" + std::to_string(v.layers) + ")");

    const ConnectorConfig &c = connector;
    const int n = v.grid();
    if (c.type != ConnectorType::Mlp) {
        positive("connector.width", c.width);
        positive("connector.heads", c.heads);
        positive("connector.layers", c.layers);
        positive("connector.mlp_hidden", c.mlpHidden);
        divides("connector.width", c.heads, c.width, "heads");
        if (c.width % 4 != 0)
            fail("connector.width", std::to_string(c.width) + " must be a multiple of 4 (2-D window "
                                        "position embedding)");
        for (size_t i = 0; i < c.scales.size(); ++i) {
            const ScaleConfig &s = c.scales[i];
            if (c.type == ConnectorType::Resampler) {
                positive("connector.queries", s.queries);
                continue;
            }
            std::string key = "connector.scales[" + std::to_string(i) + "]";
            positive(key + ".windows", s.windows);
            positive(key + ".queries", s.queries);
            if (n % s.windows != 0)
                fail(key + ".windows", std::to_string(s.windows) + " windows per side do not divide the "
                                           "feature grid of " + std::to_string(n) + " cells ("
                                           + std::to_string(v.imageSize) + " px / patch "
                                           + std::to_string(v.patchSize) + ")");
            if (s.positionWindows < 0 || (s.positionWindows > 0 && s.windows % s.positionWindows != 0))
                fail(key + ".position_windows", std::to_string(s.positionWindows) + " must be a positive "
                                                    "divisor of the scale's " + std::to_string(s.windows)
                                                    + " windows per side (the layout before token scaling)");
        }
    } else {
        positive("connector.mlp_layers", c.mlpLayers);
    }

    const LmConfig &l = lm;
    positive("lm.vocab_size", l.vocabSize);
    positive("lm.width", l.width);
    positive("lm.layers", l.layers);
    positive("lm.heads", l.heads);
    positive("lm.kv_heads", l.kvHeads);
    positive("lm.mlp_hidden", l.mlpHidden);
    positive("lm.max_seq_len", l.maxSeqLen);
    positive("lm.rope_theta", l.ropeTheta);
    positive("lm.norm_eps", l.normEps);
    divides("lm.width", l.heads, l.width, "heads");
    divides("lm.heads", l.kvHeads, l.heads, "kv_heads");
    if (l.headDim() % 2 != 0)
        fail("lm.width", "head size " + std::to_string(l.headDim()) + " must be even for rotary positions");
    for (const char *key : {"bos_id", "eos_id", "pad_id"}) {
        int id = key[0] == 'b' ? l.bosId : key[0] == 'e' ? l.eosId : l.padId;
        if (id < 0 || id >= l.vocabSize)
            fail(std::string("lm.") + key, std::to_string(id) + " is outside the vocabulary of "
                                               + std::to_string(l.vocabSize));
    }
    int tokens = visualTokens(*this);
    if (tokens >= l.maxSeqLen)
        fail("lm.max_seq_len", std::to_string(l.maxSeqLen) + " leaves no room for text after "
                                   + std::to_string(tokens) + " visual tokens");
}

} // namespace cosw

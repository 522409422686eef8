#include "ModelConfig.h"

#include "base/ConfigFields.h"
#include "base/ConfigReader.h"
#include "base/Errors.h"
#include "base/Messages.h"
#include "base/Numbers.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

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

std::vector<int> VisionConfig::featureBlockList() const
{
    if (featureLayers.empty())
        return {blockOf(featureLayer)};
    std::vector<int> blocks;
    for (int layer : featureLayers)
        blocks.push_back(blockOf(layer));
    return blocks;
}

int VisionConfig::featureBlocks() const
{
    const std::vector<int> blocks = featureBlockList();
    return *std::max_element(blocks.begin(), blocks.end());
}

static const std::vector<std::string> &loraProjections()
{
    static const std::vector<std::string> all{"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
    return all;
}

bool LoraConfig::adapts(const std::string &projection) const
{
    return enabled() && std::find(targets.begin(), targets.end(), projection) != targets.end();
}

LoraConfig loraConfigFromJson(const Json &json, const ConfigSource &source, const std::string &keyPath)
{
    LoraConfig lora;
    if (json.is_string()) {
        if (json.get<std::string>() != "llava")
            throw ConfigError(source.where(keyPath), keyPath,
                              fill(msg("unknown preset '%1' (llava, or {r, alpha, dropout, targets})"),
                                   {json.get<std::string>()}));
        lora.rank = 128;
        lora.alpha = 256;
        lora.dropout = 0.05;
        return lora;
    }
    ConfigReader r(json, source, keyPath);
    lora.rank = r.getInt("r", 0);
    if (lora.rank < 1)
        r.fail("r", fill(msg("must be positive, got %1"), {std::to_string(lora.rank)}));
    lora.alpha = r.getDouble("alpha", 2.0 * lora.rank);
    if (!(lora.alpha > 0) || !std::isfinite(lora.alpha))
        r.fail("alpha", fill(msg("must be a positive number, got %1"), {formatReal(lora.alpha)}));
    lora.dropout = r.getDouble("dropout", 0.0);
    if (!(lora.dropout >= 0 && lora.dropout < 1))
        r.fail("dropout", fill(msg("must be in [0, 1), got %1"), {formatReal(lora.dropout)}));
    lora.targets = r.getStringList("targets", loraProjections());
    if (lora.targets.empty())
        r.fail("targets", msg("names no projection"));
    for (const std::string &t : lora.targets)
        if (std::find(loraProjections().begin(), loraProjections().end(), t) == loraProjections().end())
            r.fail("targets", fill(msg("'%1' is not one of q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj"), {t}));
    r.finish();
    return lora;
}

Json loraConfigToJson(const LoraConfig &lora)
{
    return Json::object({{"r", lora.rank}, {"alpha", lora.alpha}, {"dropout", lora.dropout}, {"targets", lora.targets}});
}

// ------------------------------------------------------- the fields, once

// The default MLP width, 4x the model's; saturated so that an absurd width
// reaches validation's message rather than overflowing here.
static int fourTimes(int width)
{
    return int(std::clamp<int64_t>(4 * int64_t(width), std::numeric_limits<int>::min(),
                                   std::numeric_limits<int>::max()));
}

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
        .field("mlp_hidden", &V::mlpHidden, {[](const V &v) { return fourTimes(v.width); }})
        .field("class_token", &V::classToken)
        .field("pre_norm", &V::preNorm)
        .field("patch_bias", &V::patchBias)
        .choice("activation", &V::activation, {"gelu", "quick_gelu"})
        .field("feature_layer", &V::featureLayer)
        .custom(
            [](ConfigReader &r, V &v) {
                const Json *list = r.child("feature_layers");
                if (!list)
                    return;
                if (!list->is_array() || list->empty())
                    r.fail("feature_layers", msg("expected a list of blocks, one per connector layer"));
                for (const Json &e : *list) {
                    if (!e.is_number_integer())
                        r.fail("feature_layers", fill(msg("expected whole block numbers, got %1"), {e.dump()}));
                    v.featureLayers.push_back(e.get<int>());
                }
            },
            [](const V &v, Json &j) {
                if (!v.featureLayers.empty())
                    j["feature_layers"] = v.featureLayers;
            })
        .field("norm_eps", &V::normEps)
        .custom([](ConfigReader &r, V &v) { v.pretrained = r.getString("pretrained", ""); },
                [](const V &v, Json &j) {
                    if (!v.pretrained.empty())
                        j["pretrained"] = v.pretrained;
                });
    return fields;
}

static void readScales(ConfigReader &r, ConnectorConfig &c)
{
    if (c.type == ConnectorType::ChainOfSight) {
        const Json *scales = r.child("scales");
        if (!scales)
            r.fail("scales", msg("is required for a chain_of_sight connector"));
        if (!scales->is_array() || scales->size() == 0)
            r.fail("scales", msg("expected a non-empty list of {windows, queries}"));
        for (size_t i = 0; i < scales->size(); ++i) {
            ConfigReader s(scales->at(i), r.source(), childKeyPath(r.keyPath("scales"), i));
            ScaleConfig sc;
            sc.windows = s.requireInt("windows");
            sc.queries = s.requireInt("queries");
            sc.fixedWindows = s.getBool("fixed_windows", false);
            sc.positionWindows = s.getInt("position_windows", 0);
            sc.positionScale = s.getInt("position_scale", -1);
            s.finish();
            c.scales.push_back(sc);
        }
    } else if (c.type == ConnectorType::Resampler) {
        if (r.has("scales"))
            r.fail("scales", msg("a resampler has one global window; set `queries` instead"));
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
            if (s.positionScale >= 0)
                sj["position_scale"] = s.positionScale;
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
        .field("mlp_hidden", &C::mlpHidden, {[](const C &c) { return fourTimes(c.width); }})
        .field("per_window", &C::perWindow)
        .custom(
            [](ConfigReader &r, C &c) {
                c.windowPosition = r.getChoice("window_position", "sincos", {"sincos", "none"}) == "sincos";
            },
            [](const C &c, Json &j) { j["window_position"] = c.windowPosition ? "sincos" : "none"; })
        .custom(
            [](ConfigReader &r, C &c) {
                c.attentionPosition = r.getChoice("attention_position", "none", {"sincos", "none"}) == "sincos";
            },
            [](const C &c, Json &j) { j["attention_position"] = c.attentionPosition ? "sincos" : "none"; })
        .field("mlp_layers", &C::mlpLayers)
        .custom(
            [](ConfigReader &r, C &c) {
                c.sequencePositions = r.getChoice("token_positions", "layout", {"layout", "sequence"}) == "sequence";
            },
            [](const C &c, Json &j) { j["token_positions"] = c.sequencePositions ? "sequence" : "layout"; })
        .field("output_scale", &C::outputScale, [](const double &v) {
            return v > 0 && std::isfinite(v) ? std::string() : fill(msg("must be a positive number, got %1"), {formatReal(v)});
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
        .field("pad_id", &L::padId)
        .custom([](ConfigReader &r, L &l) { l.attentionBias = r.getBool("attention_bias", false); },
                [](const L &l, Json &j) {
                    if (l.attentionBias)
                        j["attention_bias"] = true;
                })
        .custom([](ConfigReader &r, L &l) { l.pretrained = r.getString("pretrained", ""); },
                [](const L &l, Json &j) {
                    if (!l.pretrained.empty())
                        j["pretrained"] = l.pretrained;
                })
        .custom(
            [](ConfigReader &r, L &l) {
                if (const Json *lora = r.child("lora"))
                    l.lora = loraConfigFromJson(*lora, r.source(), r.keyPath("lora"));
            },
            [](const L &l, Json &j) {
                if (l.lora.enabled())
                    j["lora"] = loraConfigToJson(l.lora);
            });
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
            r.fail(key, msg("is required"));
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
            fail(key, fill(msg("must be positive, got %1"), {formatReal(value)}));
    };
    auto divides = [&](const std::string &key, int part, int whole, const std::string &what) {
        if (whole % part != 0)
            // TRANSLATORS: %2 is a config key such as "heads": "384 is not divisible by heads 5".
            fail(key, fill(msg("%1 is not divisible by %2 %3"), {std::to_string(whole), what, std::to_string(part)}));
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
        fail("vision.image_size", fill(msg("%1 is not a multiple of patch_size %2"),
                                       {std::to_string(v.imageSize), std::to_string(v.patchSize)}));
    divides("vision.width", v.heads, v.width, "heads");
    auto block = [&](const std::string &key, int layer) {
        if (layer == 0 || v.blockOf(layer) < 1 || v.blockOf(layer) > v.layers)
            fail(key, fill(msg("%1 does not name one of the %2 blocks (1..%2 or -1..-%2)"),
                           {std::to_string(layer), std::to_string(v.layers)}));
    };
    block("vision.feature_layer", v.featureLayer);
    for (size_t i = 0; i < v.featureLayers.size(); ++i)
        block("vision.feature_layers[" + std::to_string(i) + "]", v.featureLayers[i]);

    const ConnectorConfig &c = connector;
    if (!v.featureLayers.empty() && c.type == ConnectorType::Mlp)
        fail("vision.feature_layers", msg("needs a resampler connector (chain_of_sight or resampler): an MLP "
                                          "projector has no layers to give each its own block"));
    if (!v.featureLayers.empty() && int(v.featureLayers.size()) != c.layers)
        fail("vision.feature_layers", fill(msg("%1 blocks for %2 connector layers: name one per layer"),
                                           {std::to_string(v.featureLayers.size()), std::to_string(c.layers)}));
    const int n = v.grid();
    if (c.type != ConnectorType::Mlp) {
        positive("connector.width", c.width);
        positive("connector.heads", c.heads);
        positive("connector.layers", c.layers);
        positive("connector.mlp_hidden", c.mlpHidden);
        divides("connector.width", c.heads, c.width, "heads");
        if (c.width % 4 != 0)
            fail("connector.width", fill(msg("%1 must be a multiple of 4 (2-D window position embedding)"),
                                         {std::to_string(c.width)}));
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
                fail(key + ".windows", fill(msg("%1 windows per side do not divide the feature grid of %2 cells "
                                                "(%3 px / patch %4)"),
                                            {std::to_string(s.windows), std::to_string(n), std::to_string(v.imageSize),
                                             std::to_string(v.patchSize)}));
            if (s.positionWindows < 0 || (s.positionWindows > 0 && s.windows % s.positionWindows != 0))
                fail(key + ".position_windows",
                     fill(msg("%1 must be a positive divisor of the scale's %2 windows per side (the layout before "
                              "token scaling)"),
                          {std::to_string(s.positionWindows), std::to_string(s.windows)}));
            if (s.positionScale >= 0) {
                const bool earlier = size_t(s.positionScale) < i && c.scales[size_t(s.positionScale)].positionScale < 0;
                if (!earlier)
                    fail(key + ".position_scale", fill(msg("%1 must name an earlier scale with positions of its own"),
                                                       {std::to_string(s.positionScale)}));
                const ScaleConfig &owner = c.scales[size_t(s.positionScale)];
                const int ownerLayout = owner.positionWindows > 0 ? owner.positionWindows : owner.windows;
                if (s.positionWindows != ownerLayout || s.queries != owner.queries)
                    fail(key + ".position_scale",
                         fill(msg("the scale shares scale %1's positions, so it needs its queries (%2) and "
                                  "position_windows (%3)"),
                              {std::to_string(s.positionScale), std::to_string(owner.queries),
                               std::to_string(ownerLayout)}));
            } else if (s.positionScale < -1) {
                fail(key + ".position_scale", msg("must be a scale index, or -1 for positions of its own"));
            }
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
        fail("lm.width", fill(msg("head size %1 must be even for rotary positions"), {std::to_string(l.headDim())}));
    for (const char *key : {"bos_id", "eos_id", "pad_id"}) {
        int id = key[0] == 'b' ? l.bosId : key[0] == 'e' ? l.eosId : l.padId;
        if (id < 0 || id >= l.vocabSize)
            fail(std::string("lm.") + key, fill(msg("%1 is outside the vocabulary of %2"),
                                                {std::to_string(id), std::to_string(l.vocabSize)}));
    }
    int tokens = visualTokens(*this);
    if (tokens >= l.maxSeqLen)
        fail("lm.max_seq_len", fill(msg("%1 leaves no room for text after %2 visual tokens"),
                                    {std::to_string(l.maxSeqLen), std::to_string(tokens)}));
}

} // namespace cosw

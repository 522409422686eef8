#include "ModelConfig.h"

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

// ------------------------------------------------------------------ reading

static VisionConfig readVision(ConfigReader &r)
{
    VisionConfig v;
    v.imageSize = r.getInt("image_size", v.imageSize);
    v.patchSize = r.getInt("patch_size", v.patchSize);
    v.channels = r.getInt("channels", v.channels);
    v.width = r.getInt("width", v.width);
    v.layers = r.getInt("layers", v.layers);
    v.heads = r.getInt("heads", v.heads);
    v.mlpHidden = r.getInt("mlp_hidden", 4 * v.width);
    v.classToken = r.getBool("class_token", v.classToken);
    v.preNorm = r.getBool("pre_norm", v.preNorm);
    v.patchBias = r.getBool("patch_bias", v.patchBias);
    v.activation = r.getChoice("activation", v.activation, {"gelu", "quick_gelu"});
    v.featureLayer = r.getInt("feature_layer", v.featureLayer);
    v.normEps = r.getDouble("norm_eps", v.normEps);
    r.finish();
    return v;
}

static ConnectorConfig readConnector(ConfigReader &r)
{
    ConnectorConfig c;
    std::string type = r.getChoice("type", "chain_of_sight", {"chain_of_sight", "resampler", "mlp"});
    c.type = type == "resampler" ? ConnectorType::Resampler
           : type == "mlp"       ? ConnectorType::Mlp
                                 : ConnectorType::ChainOfSight;
    c.width = r.getInt("width", c.width);
    c.heads = r.getInt("heads", c.heads);
    c.layers = r.getInt("layers", c.layers);
    c.mlpHidden = r.getInt("mlp_hidden", 4 * c.width);
    c.perWindow = r.getBool("per_window", c.perWindow);
    c.mlpLayers = r.getInt("mlp_layers", c.mlpLayers);
    c.sequencePositions = r.getChoice("token_positions", "layout", {"layout", "sequence"}) == "sequence";
    c.outputScale = r.getDouble("output_scale", c.outputScale);
    if (!(c.outputScale > 0) || !std::isfinite(c.outputScale))
        r.fail("output_scale", "must be a positive number, got " + formatReal(c.outputScale));

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
    r.finish();
    return c;
}

static LmConfig readLm(ConfigReader &r)
{
    LmConfig l;
    l.vocabSize = r.getInt("vocab_size", l.vocabSize);
    l.width = r.getInt("width", l.width);
    l.layers = r.getInt("layers", l.layers);
    l.heads = r.getInt("heads", l.heads);
    l.kvHeads = r.getInt("kv_heads", l.heads);
    l.mlpHidden = r.getInt("mlp_hidden", l.mlpHidden);
    l.maxSeqLen = r.getInt("max_seq_len", l.maxSeqLen);
    l.ropeTheta = r.getDouble("rope_theta", l.ropeTheta);
    l.normEps = r.getDouble("norm_eps", l.normEps);
    l.tieEmbeddings = r.getBool("tie_embeddings", l.tieEmbeddings);
    l.bosId = r.getInt("bos_id", l.bosId);
    l.eosId = r.getInt("eos_id", l.eosId);
    l.padId = r.getInt("pad_id", l.padId);
    r.finish();
    return l;
}

ModelConfig ModelConfig::fromJson(const Json &model, const ConfigSource &source,
                                  const std::string &keyPrefix)
{
    ConfigReader r(model, source, keyPrefix);
    ModelConfig m;
    auto section = [&](const char *key, auto read) {
        const Json *j = r.child(key);
        if (!j)
            r.fail(key, "is required");
        ConfigReader sub(*j, source, r.keyPath(key));
        return read(sub);
    };
    m.vision = section("vision", readVision);
    m.connector = section("connector", readConnector);
    m.lm = section("lm", readLm);
    r.finish();
    m.validate(source, keyPrefix);
    return m;
}

// ------------------------------------------------------------------ writing

Json ModelConfig::toJson() const
{
    Json v = Json::object();
    v["image_size"] = vision.imageSize;
    v["patch_size"] = vision.patchSize;
    v["channels"] = vision.channels;
    v["width"] = vision.width;
    v["layers"] = vision.layers;
    v["heads"] = vision.heads;
    v["mlp_hidden"] = vision.mlpHidden;
    v["class_token"] = vision.classToken;
    v["pre_norm"] = vision.preNorm;
    v["patch_bias"] = vision.patchBias;
    v["activation"] = vision.activation;
    v["feature_layer"] = vision.featureLayer;
    v["norm_eps"] = vision.normEps;

    Json c = Json::object();
    c["type"] = connectorTypeName(connector.type);
    c["width"] = connector.width;
    c["heads"] = connector.heads;
    c["layers"] = connector.layers;
    c["mlp_hidden"] = connector.mlpHidden;
    c["per_window"] = connector.perWindow;
    c["mlp_layers"] = connector.mlpLayers;
    c["token_positions"] = connector.sequencePositions ? "sequence" : "layout";
    c["output_scale"] = connector.outputScale;
    if (connector.type == ConnectorType::ChainOfSight) {
        Json scales = Json::array();
        for (const auto &s : connector.scales) {
            Json sj = Json::object();
            sj["windows"] = s.windows;
            sj["queries"] = s.queries;
            sj["fixed_windows"] = s.fixedWindows;
            if (s.positionWindows > 0)
                sj["position_windows"] = s.positionWindows;
            scales.push_back(sj);
        }
        c["scales"] = scales;
    } else if (connector.type == ConnectorType::Resampler) {
        c["queries"] = connector.scales.at(0).queries;
    }

    Json l = Json::object();
    l["vocab_size"] = lm.vocabSize;
    l["width"] = lm.width;
    l["layers"] = lm.layers;
    l["heads"] = lm.heads;
    l["kv_heads"] = lm.kvHeads;
    l["mlp_hidden"] = lm.mlpHidden;
    l["max_seq_len"] = lm.maxSeqLen;
    l["rope_theta"] = lm.ropeTheta;
    l["norm_eps"] = lm.normEps;
    l["tie_embeddings"] = lm.tieEmbeddings;
    l["bos_id"] = lm.bosId;
    l["eos_id"] = lm.eosId;
    l["pad_id"] = lm.padId;

    Json m = Json::object();
    m["vision"] = v;
    m["connector"] = c;
    m["lm"] = l;
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

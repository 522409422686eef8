#pragma once
// Every hyper-parameter of the MLLM in one place: vision tower, connector and
// language model. Plain structs without LibTorch so that configs, token
// arithmetic and validation are usable anywhere (CLI, GUI, store).

#include "base/ConfigSource.h"
#include "base/Json.h"

#include <string>
#include <vector>

namespace cosw {

class ConfigReader;

// ViT. Options cover CLIP's vision tower (class token, LayerNorm before the
// blocks, quick-GELU) so its weights can be imported.
struct VisionConfig {
    int imageSize = 224;      // R, pixels per side
    int patchSize = 14;       // P
    int channels = 3;
    int width = 256;          // C
    int layers = 6;
    int heads = 4;
    int mlpHidden = 1024;
    bool classToken = true;
    bool preNorm = false;     // CLIP's ln_pre
    bool patchBias = false;
    std::string activation = "gelu"; // gelu | quick_gelu
    // Which block's output is the feature map: 1..layers, or negative from the
    // end (-1 the last block, -2 the one before, as LLaVA uses).
    int featureLayer = -2;
    // Multi-level features, as the authors read CLIP ViT-L (blocks 15 and
    // 22): connector layer l attends to block featureLayers[l], each entry
    // counted as featureLayer is. Empty: every layer reads featureLayer.
    std::vector<int> featureLayers;
    double normEps = 1e-5;
    // An imported tower's directory (cos-batch import vision). The run
    // config takes the architecture above from it, and a fresh run starts
    // from its weights.
    std::string pretrained;

    int grid() const { return imageSize / patchSize; } // n
    // 1-based block of a feature_layer(s) entry.
    int blockOf(int layer) const { return layer > 0 ? layer : layers + 1 + layer; }
    // The block each connector layer reads, one entry per connector layer
    // when featureLayers is set, else the one block every layer reads.
    std::vector<int> featureBlockList() const;
    // The deepest block any connector layer reads: blocks after it are not run.
    int featureBlocks() const;
    // Feature maps stacked along the channels of the tower's output.
    int featureLevels() const { return featureLayers.empty() ? 1 : int(featureLayers.size()); }
};

// One scale of the Chain-of-Sight connector.
struct ScaleConfig {
    int windows = 1;          // g, windows per side
    int queries = 1;          // q, tokens per window
    bool fixedWindows = false; // resolution scaling grows the windows instead of adding more
    // Windows per side of the layout the LM learned this scale's token
    // positions on (set by the first token scaling); 0: the current windows.
    int positionWindows = 0;
    // A scale added by token scaling (a copy of an earlier one, split into
    // more windows) sits at the positions of the scale it was copied from:
    // that scale's index. -1: a block of positions of its own.
    int positionScale = -1;
};

enum class ConnectorType { ChainOfSight, Resampler, Mlp };

struct ConnectorConfig {
    ConnectorType type = ConnectorType::ChainOfSight;
    int width = 256;          // D, resampler width
    int heads = 4;
    int layers = 2;           // L per resampler stack
    int mlpHidden = 1024;
    bool perWindow = false;   // one query bank per window instead of one per scale
    // Add the fixed sine-cosine embedding of each window's centre to its
    // queries (window_position: sincos). The authors' code has none
    // (window_position: none) and tells windows apart by per-window banks.
    bool windowPosition = true;
    // Qwen-VL's 2-D positions on both sides of the resampler's attention
    // (attention_position: sincos): the keys get the fixed sine-cosine
    // embedding of their feature cell's centre, each query that of its place
    // on a grid over its window. Without them attention is blind to where a
    // feature is, and a global resampler's queries can find a place only
    // through what the vision tower kept of its position embeddings. Off by
    // default, so that checkpoints trained without it compute as they did.
    bool attentionPosition = false;
    // Visual tokens' LM positions after token scaling: false keeps those of
    // the pre-training layout (a split window's tokens follow their parent's
    // position), true numbers the scaled tokens consecutively.
    bool sequencePositions = false;
    // Multiplies the visual tokens as they enter the language model. The
    // projector's tokens come out at an RMS near 0.6, while word embeddings
    // start at 0.02: a language model that first learned from text alone
    // reads tokens at its words' scale (0.1 brings them there).
    double outputScale = 1.0;
    // Chain-of-Sight: scales in order, coarse to fine. A plain resampler is
    // held as one global scale with fixed windows, so its token count stays
    // the same through resolution scaling.
    std::vector<ScaleConfig> scales;
    int mlpLayers = 2;        // MLP projector depth
};

// Low-rank adapters on the language model's linear layers:
// W x + (alpha / r) B A dropout(x), A [r, in], B [out, r] starting at 0.
struct LoraConfig {
    int rank = 0;             // r; 0: no adapters
    double alpha = 16.0;
    double dropout = 0.0;
    std::vector<std::string> targets{"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};

    bool enabled() const { return rank > 0; }
    double scale() const { return alpha / rank; }
    bool adapts(const std::string &projection) const;
    bool operator==(const LoraConfig &o) const
    {
        return rank == o.rank && alpha == o.alpha && dropout == o.dropout && targets == o.targets;
    }
};

// LLaMA-style decoder.
struct LmConfig {
    int vocabSize = 1024;
    int width = 256;
    int layers = 4;
    int heads = 4;
    int kvHeads = 4;          // < heads: grouped-query attention
    int mlpHidden = 688;
    int maxSeqLen = 1024;
    double ropeTheta = 10000.0;
    double normEps = 1e-5;
    bool tieEmbeddings = true;
    int bosId = 1;
    int eosId = 2;
    int padId = 0;
    bool attentionBias = false; // biases on q, k and v (Qwen2)
    // An imported language model's directory (cos-batch import lm), as
    // VisionConfig::pretrained.
    std::string pretrained;
    // Adapters the model carries (a stage's `lora` adds them).
    LoraConfig lora;

    int headDim() const { return width / heads; }
};

struct ModelConfig {
    VisionConfig vision;
    ConnectorConfig connector;
    LmConfig lm;

    // Reads the `model` section; unknown keys and invalid values throw
    // ConfigError naming the key. Validates the result.
    static ModelConfig fromJson(const Json &model, const ConfigSource &source = {},
                                const std::string &keyPrefix = "model");
    Json toJson() const;

    // Throws ConfigError (key relative to keyPrefix) when sizes are
    // non-positive, heads do not divide widths, windows do not divide the
    // feature grid, and so on.
    void validate(const ConfigSource &source = {}, const std::string &keyPrefix = "model") const;
};

const char *connectorTypeName(ConnectorType type);

// {r, alpha, dropout, targets}, or the preset `llava` (r 128, alpha 256,
// dropout 0.05, every projection). Errors name keys under keyPath.
LoraConfig loraConfigFromJson(const Json &json, const ConfigSource &source, const std::string &keyPath);
Json loraConfigToJson(const LoraConfig &lora);

// Token arithmetic (DESIGN §2): scale s yields g_s^2 * q_s tokens; the MLP
// projector yields one token per patch.
std::vector<int> tokensPerScale(const ModelConfig &config);
int visualTokens(const ModelConfig &config);

} // namespace cosw

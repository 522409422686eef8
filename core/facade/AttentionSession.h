#pragma once
// What the attention visualizer asks of the engine, without LibTorch headers:
// open a checkpoint (optionally token-scaled), encode an image, and read each
// visual token's attention map on the feature grid, per resampler layer and
// head. An encoded image holds every layer and head, so switching between
// them is a lookup, never another forward pass.

#include "facade/RgbImage.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cosw {

class ExperimentStore;

// One scale's tokens: windows x windows windows over the feature grid,
// `queries` tokens each, numbered from firstToken in the engine's order
// (windows row-major, queries in bank order).
struct TokenScaleLayout {
    int windows = 0;
    int queries = 0;
    int firstToken = 0;

    int tokens() const { return windows * windows * queries; }
    // Token t of the scale lies in window t / queries and is query t % queries of it.
    int windowOf(int tokenInScale) const { return tokenInScale / queries; }
    int queryOf(int tokenInScale) const { return tokenInScale % queries; }
    int tokenOf(int window, int query) const { return window * queries + query; }
};

// A rectangle of feature-grid cells: rows [top, bottom), columns [left, right).
struct GridRect {
    int top = 0, left = 0, bottom = 0, right = 0;
    bool contains(int row, int column) const { return row >= top && row < bottom && column >= left && column < right; }
};

// Where a model's visual tokens come from.
struct TokenLayout {
    std::string connector;   // chain_of_sight, resampler or mlp
    int resolution = 0;      // input px
    int featureGrid = 0;     // n: the tower's n x n feature cells
    int visualTokens = 0;
    bool hasAttention = false; // false for the MLP projector: it attends to nothing
    std::vector<TokenScaleLayout> scales; // coarse to fine, as configured

    // The cells window `window` of `scale` covers.
    GridRect windowCells(int scale, int window) const;
    // How many cells each window of `scale` covers.
    int cellsPerWindow(int scale) const;
    // The scale a visual token belongs to.
    int scaleOf(int token) const;
};

// The windows of `after`'s scale that lie inside window `window` of the same
// scale of `before` (its children after window or resolution scaling), in
// row-major order; the window itself when nothing was scaled.
std::vector<int> childWindows(const TokenLayout &before, const TokenLayout &after, int scale, int window);

// Every visual token's attention on the feature grid for one image.
struct AttentionMaps {
    TokenLayout layout;
    RgbImage image;   // the input as the model saw it: resized, un-normalised
    int layers = 0;   // resampler layers
    int heads = 0;
    // [layer][head, then the mean over heads][token][row * n + column]
    std::vector<float> values;

    // Token `token`'s map (n * n values), for `layer` (negative: from the
    // end) and `head` (-1: the mean over heads, as the engine averages them).
    const float *map(int layer, int head, int token) const;
    // The greatest value of one map.
    float peak(int layer, int head, int token) const;
    // How many cells a token reads as if it read them evenly: the
    // exponential of its map's entropy. 1 when it reads one cell, its
    // window's cell count when its attention is uniform over the window.
    float spread(int layer, int head, int token) const;
};

// The spread of one scale's tokens, at one layer and head: the median, the
// least and the greatest, against the cells of one of its windows.
struct ScaleSpread {
    float median = 0, least = 0, greatest = 0;
    int windowCells = 0;
};
ScaleSpread scaleSpread(const AttentionMaps &maps, int layer, int head, int scale);

// Where the language model looked while it answered a question about an
// image: attention weights (not a causal attribution) of the rows that
// produced the answer, averaged over heads and those rows.
struct AnswerAttribution {
    std::string question;
    std::string answer;      // greedy, as evaluation asks
    int lmLayers = 0;
    int visualStart = 0;     // the visual tokens' first position in the sequence
    int visualTokens = 0;
    int sequenceLength = 0;  // prompt, visual tokens and answer
    // [layer, then the mean of the layers][sequenceLength]; each row sums to 1.
    std::vector<float> mass;

    // Over the whole sequence, for `layer` (-1: the mean of the layers).
    const float *sequenceMass(int layer) const;
    // The part on each visual token [visualTokens], and its sum.
    std::vector<float> visualMass(int layer) const;
    float visualShare(int layer) const;
};

// The answer's attention carried through each visual token to the feature
// grid: the sum over tokens of its mass times its connector map (at
// `resamplerLayer` and `head`; -1: last, mean). For the MLP projector a
// token is its own cell. Non-negative; sums to the visual share. [n * n]
std::vector<float> answerPatchMap(const AnswerAttribution &answer, int lmLayer, const AttentionMaps &maps,
                                  int resamplerLayer = -1, int head = -1);

class AttentionSession {
public:
    // Loads the checkpoint directory and applies token scaling: the
    // resolution in px (0: the checkpoint's) and window factors (empty:
    // none; one for every scale or one per scale), as `cos-batch scale`
    // does. Throws InputError naming the directory or the scaling key.
    explicit AttentionSession(const std::string &checkpointDir, int resolutionPx = 0,
                              const std::vector<int> &window = {});
    ~AttentionSession();
    AttentionSession(const AttentionSession &) = delete;
    AttentionSession &operator=(const AttentionSession &) = delete;

    const std::string &checkpointDir() const { return m_checkpointDir; }
    const TokenLayout &layout() const { return m_layout; }
    int resamplerLayers() const;
    int resamplerHeads() const;

    // Encodes one image file (every layer and head). Results are kept per
    // file, so asking again costs nothing. Throws InputError naming an
    // unreadable image.
    std::shared_ptr<const AttentionMaps> encode(const std::string &imagePath);

    // Asks `question` about the image, framed as the checkpoint's stage
    // trained (its conversation template), and returns the answer with where
    // the language model looked. Needs the checkpoint's tokenizer
    // (tokenizer.json or tokenizer.model); throws InputError naming what is
    // missing.
    AnswerAttribution answer(const std::string &imagePath, const std::string &question, int maxNewTokens = 16);

    // The raw maps of an encoded image as safetensors: per scale s,
    // `attention.s` [layers, heads, tokens_s, n, n] and `attention_mean.s`
    // [layers, tokens_s, n, n], plus `image` [R, R, 3] (uint8). With an
    // answer also `answer.sequence_mass` [lm_layers + 1, S] (the last row the
    // mean of the layers), `answer.visual_mass` [lm_layers + 1, tokens] and
    // `answer.patch_map` [n, n] (mean of the LM layers, last resampler
    // layer, mean of its heads).
    static void writeRawMaps(const std::string &file, const AttentionMaps &maps,
                             const std::map<std::string, std::string> &metadata,
                             const AnswerAttribution *answer = nullptr);

private:
    struct Engine;
    std::string m_checkpointDir;
    std::unique_ptr<Engine> m_engine;
    TokenLayout m_layout;
    std::map<std::string, std::shared_ptr<const AttentionMaps>> m_encoded;
};

// A checkpoint a run kept at the end of one of its stages.
struct StageCheckpoint {
    int stage = 0;
    std::string stageName;
    std::string path;
    int visualTokens = 0; // as the store recorded the stage
};

// The run's stage-end checkpoints that still exist, in stage order. Throws
// InputError for a run the store does not have.
std::vector<StageCheckpoint> runStageCheckpoints(ExperimentStore &store, int64_t runId);
// The checkpoint a run kept at the end of its stage named `stage` (empty:
// its last stage that kept one). Throws InputError naming the run and the
// stages that have one.
std::string runStageCheckpoint(ExperimentStore &store, int64_t runId, const std::string &stage);

// One question of a run's evaluation set, with the image it asks about.
struct EvalQuestion {
    std::string image;
    std::string question;
    std::string answer;
    std::string type;
};

// The first `limit` questions of the evaluation set the run was scored on,
// read from its stored config (the data must still be where the run left
// it; it is generated again if it is not). Throws InputError naming what is
// missing.
std::vector<EvalQuestion> runEvalQuestions(ExperimentStore &store, int64_t runId, int limit);

} // namespace cosw

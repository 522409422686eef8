#pragma once
// A run config (YAML): the model and the list of stages it trains through.
//
//   name: quickstart
//   model: {vision: {...}, connector: {...}, lm: {...}}
//   data: {dir: ..., train_images: 2000, ...}
//   stages:
//     - name: pretrain
//       steps: 300
//       ...
//     - name: finetune
//       scaling: {resolution: 2, window: [1, 2]}
//
// Each stage may scale the tokens at its start; the model in effect during a
// stage is the previous stage's model with that scaling applied.

#include "text/Conversation.h"
#include "model/ModelConfig.h"
#include "scaling/TokenScaling.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cosw {

// Where a run's data comes from. The bundled benchmark is generated into
// `dir` on first use when `generate` is set.
struct DataConfig {
    std::string dir;          // image root and JSON files; default: per-user data directory
    bool generate = true;     // create FMNIST-Grid in `dir` when it is absent
    int trainImages = 2000;
    int testImages = 300;
    int grid = 8;             // cells per side
    int cellPixels = 28;
    uint64_t seed = 0;
    double fill = 0.35;         // probability that a cell holds an item
    int questionsPerImage = 4;
    int turnsPerSample = 1;     // training questions per conversation
    int textGrids = 0;          // grids of text-grids.json (0: none)
    bool denseQuestions = false; // write finetune-dense.json
    // What the text is read with: "words" (the data set's word tokenizer) or
    // a SentencePiece tokenizer.model (absolute once loaded; a config may say
    // "lm" for the imported language model's own).
    std::string tokenizer = "words";
    std::string eval = "eval.json";
    // What text stages are evaluated on: the eval questions with their
    // image's caption as text (how well the language model reads a caption).
    std::string textEval = "text-eval.json";
    int evalSamples = 0;      // 0: the whole eval set
    int cellReadingImages = 100; // eval images captioned for cell reading; 0: none
    bool skipBadImages = false;
    // Images named by absolute paths, `..` or links out of data.dir (refused
    // by default: datasets come from elsewhere).
    bool allowOutsideImages = false;
    int workers = 2;          // image-decoding threads
    // Keep vision features per training image while the tower is frozen, so
    // each image goes through the tower once per stage.
    bool featureCache = false;
};

struct StageConfig {
    std::string name;
    std::string kind = "pretrain"; // vision | text | pretrain | finetune
    std::string data;         // dataset file in the data directory; default by kind
    // Other dataset files drawn from alongside `data`, each with its share of
    // the batches (e.g. {pretrain.json, 0.3}); `data` gets the rest.
    std::vector<std::pair<std::string, double>> mix;
    int steps = 0;            // optimizer steps; or
    int epochs = 0;           // passes over the stage's data
    int batchSize = 8;
    int gradAccum = 1;
    double lr = 1e-3;
    int warmupSteps = 0;
    double minLrRatio = 0.1;  // cosine decays to lr * min_lr_ratio
    double weightDecay = 0.0;
    double gradClip = 1.0;    // max gradient norm; 0 turns clipping off
    std::vector<std::string> train{"connector"}; // parts that learn: vision, connector, lm, lora (text stages: lm, lora)
    std::map<std::string, double> lrScale; // part -> multiplier of lr (absent: 1)
    ScalingSpec scaling;      // applied at the start of the stage
    // Adapters added to the language model at the start of the stage (kept
    // by later stages); their part is `lora` in train and lr_scale.
    LoraConfig lora;
    bool evaluate = false;    // evaluate on the eval set, text stages on data.text_eval (default: finetune stages)
    int evalInterval = 0;     // steps; 0 evaluates at the end only
    int checkpointInterval = 0;
    // Steps between reading the loss back from the device to report it
    // (every step is still recorded); 0: every step on the CPU, where the
    // read costs nothing, every 10 on a GPU, where it makes the host wait.
    int logInterval = 0;
    // auto | fp32 | bf16 (autocast on CUDA and on CPUs with bf16 products).
    // auto is resolved when a Trainer is made (automaticPrecision), so a
    // stored run's config says what it used.
    std::string precision = "auto";
    // conversation (each turn sees the earlier ones) | independent (each
    // turn sees the image and itself, as evaluation asks; TurnLayout)
    std::string turns = "conversation";
    // default | plain | vicuna_v1 (text/Conversation.h); evaluation asks in
    // the template of the stage it follows.
    std::string conversationTemplate = "default";
    std::string device = "cpu";
    uint64_t seed = 0;

    TurnLayout turnLayout() const;
    const ConversationTemplate &form() const;
    // The share of batches drawn from `data`.
    double dataWeight() const;
    // `data`, then the files of the mix.
    std::vector<std::string> dataFiles() const;
    // Whether `part` (vision, connector, lm, lora) learns in this stage.
    bool trains(const std::string &part) const;
    // As the run's config JSON holds it.
    Json toJson() const;
};

struct RunConfig {
    std::string file;
    std::string name;
    ModelConfig model;               // as configured, before any stage's scaling
    DataConfig data;
    std::vector<StageConfig> stages;
    std::vector<ModelConfig> stageModels; // the model in effect during each stage

    // Reads and validates a YAML run config. `overrides` are "key.path=value"
    // assignments (value in YAML scalar syntax) applied before validation.
    // Errors throw ConfigError/InputError naming the file, line and key.
    static RunConfig load(const std::string &path, const std::vector<std::string> &overrides = {});
    static RunConfig fromJson(const Json &json, const ConfigSource &source);
    Json toJson() const;
};

// Sections naming an imported part (model.vision.pretrained,
// model.lm.pretrained) take their architecture from it: keys left out are
// filled in, stated ones must agree (ConfigError naming the key), and the
// path becomes absolute (relative ones are read from the config's
// directory). data.tokenizer becomes the absolute path of its
// tokenizer.model ("lm": the imported language model's). RunConfig::load
// does this before reading; so does anything checking a config tree a user
// edits.
void resolvePretrained(Json &root, const ConfigSource &source);
// Whether model.<part>.<key> stays the run's choice when the part is
// imported (feature_layer, max_seq_len, lora, ...) rather than the import's
// architecture.
bool isRunChoiceWithImport(const std::string &part, const std::string &key);

// Applies "a.b[2].c=value" to a config tree, creating mappings as needed.
// Returns the key path it set, as config errors spell it ("a.b[2].c").
std::string applyOverride(Json &root, const std::string &assignment);
// Drops the lines of `keyPath` and what it holds: an overridden value was
// not read from the file, so an error about it should not point there.
void forgetLines(JsonLines &lines, const std::string &keyPath);

} // namespace cosw

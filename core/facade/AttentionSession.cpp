#include "AttentionSession.h"

#include "base/Errors.h"
#include "base/Json.h"
#include "base/Messages.h"
#include "data/ImagePipeline.h"
#include "data/Tokenizer.h"
#include "io/Checkpoint.h"
#include "scaling/TokenScaling.h"
#include "text/Conversation.h"
#include "store/ExperimentStore.h"
#include "train/RunConfig.h"
#include "train/RunData.h"
#include "train/Trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <optional>

namespace fs = std::filesystem;

namespace cosw {

GridRect TokenLayout::windowCells(int scale, int window) const
{
    const int g = scales.at(size_t(scale)).windows, side = featureGrid / g;
    const int row = window / g, column = window % g;
    return {row * side, column * side, (row + 1) * side, (column + 1) * side};
}

int TokenLayout::cellsPerWindow(int scale) const
{
    const int side = featureGrid / scales.at(size_t(scale)).windows;
    return side * side;
}

int TokenLayout::scaleOf(int token) const
{
    for (size_t s = 0; s < scales.size(); ++s)
        if (token < scales[s].firstToken + scales[s].tokens())
            return int(s);
    return -1;
}

std::vector<int> childWindows(const TokenLayout &before, const TokenLayout &after, int scale, int window)
{
    // In relative image coordinates a window of `after` is a child when its
    // centre lies in the parent: window grids only ever subdivide.
    const int g0 = before.scales.at(size_t(scale)).windows, g1 = after.scales.at(size_t(scale)).windows;
    const int row0 = window / g0, column0 = window % g0;
    std::vector<int> children;
    for (int w = 0; w < g1 * g1; ++w) {
        const int row = (2 * (w / g1) + 1) * g0 / (2 * g1), column = (2 * (w % g1) + 1) * g0 / (2 * g1);
        if (row == row0 && column == column0)
            children.push_back(w);
    }
    return children;
}

const float *AttentionMaps::map(int layer, int head, int token) const
{
    if (layer < 0)
        layer += layers;
    if (head < 0)
        head = heads;
    const size_t cells = size_t(layout.featureGrid) * size_t(layout.featureGrid);
    const size_t index = (size_t(layer) * size_t(heads + 1) + size_t(head)) * size_t(layout.visualTokens) + size_t(token);
    return values.data() + index * cells;
}

float AttentionMaps::peak(int layer, int head, int token) const
{
    const float *m = map(layer, head, token);
    return *std::max_element(m, m + size_t(layout.featureGrid) * size_t(layout.featureGrid));
}

float AttentionMaps::spread(int layer, int head, int token) const
{
    const float *m = map(layer, head, token);
    const size_t cells = size_t(layout.featureGrid) * size_t(layout.featureGrid);
    // Divided by their sum: the mean over heads is a distribution only up to rounding.
    const double total = std::accumulate(m, m + cells, 0.0);
    double entropy = 0;
    for (size_t c = 0; c < cells; ++c)
        if (m[c] > 0) {
            const double p = m[c] / total;
            entropy -= p * std::log(p);
        }
    return float(std::exp(entropy));
}

ScaleSpread scaleSpread(const AttentionMaps &maps, int layer, int head, int scale)
{
    const TokenScaleLayout &s = maps.layout.scales.at(size_t(scale));
    std::vector<float> spreads;
    for (int t = 0; t < s.tokens(); ++t)
        spreads.push_back(maps.spread(layer, head, s.firstToken + t));
    std::sort(spreads.begin(), spreads.end());
    const size_t n = spreads.size();
    ScaleSpread out;
    out.median = n % 2 ? spreads[n / 2] : 0.5f * (spreads[n / 2 - 1] + spreads[n / 2]);
    out.least = spreads.front();
    out.greatest = spreads.back();
    out.windowCells = maps.layout.cellsPerWindow(scale);
    return out;
}

const float *AnswerAttribution::sequenceMass(int layer) const
{
    const int row = layer < 0 || layer >= lmLayers ? lmLayers : layer;
    return mass.data() + size_t(row) * size_t(sequenceLength);
}

std::vector<float> AnswerAttribution::visualMass(int layer) const
{
    const float *m = sequenceMass(layer) + visualStart;
    return {m, m + visualTokens};
}

float AnswerAttribution::visualShare(int layer) const
{
    float share = 0;
    for (float v : visualMass(layer))
        share += v;
    return share;
}

std::vector<float> answerPatchMap(const AnswerAttribution &answer, int lmLayer, const AttentionMaps &maps,
                                  int resamplerLayer, int head)
{
    const size_t cells = size_t(maps.layout.featureGrid) * size_t(maps.layout.featureGrid);
    std::vector<float> patch(cells, 0.0f);
    const std::vector<float> mass = answer.visualMass(lmLayer);
    for (int t = 0; t < answer.visualTokens && t < maps.layout.visualTokens; ++t) {
        if (!maps.layout.hasAttention) {
            patch[size_t(t)] += mass[size_t(t)]; // the MLP's token t is feature cell t
            continue;
        }
        const float *map = maps.map(resamplerLayer, head, t);
        for (size_t c = 0; c < cells; ++c)
            patch[c] += mass[size_t(t)] * map[c];
    }
    return patch;
}

struct AttentionSession::Engine {
    Checkpoint checkpoint;
    Mllm model{nullptr};
    std::optional<Tokenizer> tokenizer; // read when a question is first asked
    ConversationTemplate form;          // with it
};

namespace {

// How the checkpoint's stage framed its questions (trainer_state.json); the
// default for checkpoints written outside a stage (scaled, merged).
const ConversationTemplate &checkpointTemplate(const std::string &dir)
{
    const fs::path state = fs::path(dir) / "trainer_state.json";
    const Json j = fs::exists(state) ? parseJsonFile(state.string()) : Json::object();
    const Json *name = j.is_object() ? findKey(j, "template") : nullptr;
    if (!name)
        return *conversationTemplate("default");
    const ConversationTemplate *form = name->is_string() ? conversationTemplate(name->get<std::string>()) : nullptr;
    if (!form)
        throw InputError(fill(msg("%1: template: %2 is not a conversation template"), {state.string(), name->dump()}));
    return *form;
}

TokenLayout layoutOf(const ModelConfig &config)
{
    TokenLayout layout;
    layout.connector = connectorTypeName(config.connector.type);
    layout.resolution = config.vision.imageSize;
    layout.featureGrid = config.vision.grid();
    layout.visualTokens = visualTokens(config);
    layout.hasAttention = config.connector.type != ConnectorType::Mlp;
    if (!layout.hasAttention) {
        layout.scales.push_back({layout.featureGrid, 1, 0}); // one token per feature cell
        return layout;
    }
    int first = 0;
    for (const ScaleConfig &s : config.connector.scales) {
        layout.scales.push_back({s.windows, s.queries, first});
        first += layout.scales.back().tokens();
    }
    return layout;
}

// A normalised image tensor [ch, R, R] back to 8-bit RGB.
RgbImage imageAsSeen(const torch::Tensor &chw)
{
    const ImageNormalization norm;
    const int64_t channels = chw.size(0), side = chw.size(1);
    auto mean = torch::tensor(std::vector<float>(norm.mean, norm.mean + channels)).view({channels, 1, 1});
    auto std = torch::tensor(std::vector<float>(norm.std, norm.std + channels)).view({channels, 1, 1});
    auto rgb = (chw * std + mean).clamp(0, 1).mul(255).round().to(torch::kByte); // [ch, R, R]
    rgb = rgb.expand({3, side, side}).permute({1, 2, 0}).contiguous();             // [R, R, 3]
    RgbImage out{static_cast<int>(side), static_cast<int>(side)};
    std::copy(rgb.data_ptr<uint8_t>(), rgb.data_ptr<uint8_t>() + out.pixels.size(), out.pixels.begin());
    return out;
}

std::string cacheKey(const std::string &imagePath)
{
    std::error_code error;
    const auto written = fs::last_write_time(imagePath, error);
    return imagePath + "@" + (error ? "" : std::to_string(written.time_since_epoch().count()));
}

} // namespace

AttentionSession::AttentionSession(const std::string &checkpointDir, int resolutionPx, const std::vector<int> &window)
    : m_checkpointDir(checkpointDir), m_engine(std::make_unique<Engine>())
{
    Checkpoint loaded = loadCheckpoint(checkpointDir);
    const ScalingSpec spec = scalingSpecFor(loaded.config, resolutionPx, window);
    m_engine->checkpoint = spec.isIdentity() ? std::move(loaded) : scaleCheckpoint(loaded, spec);
    m_engine->model = instantiate(m_engine->checkpoint, checkpointDir);
    m_engine->model->eval();
    m_layout = layoutOf(m_engine->checkpoint.config);
}

AttentionSession::~AttentionSession() = default;

int AttentionSession::resamplerLayers() const { return m_layout.hasAttention ? m_engine->checkpoint.config.connector.layers : 0; }

int AttentionSession::resamplerHeads() const { return m_layout.hasAttention ? m_engine->checkpoint.config.connector.heads : 0; }

std::shared_ptr<const AttentionMaps> AttentionSession::encode(const std::string &imagePath)
{
    const std::string key = cacheKey(imagePath);
    if (auto found = m_encoded.find(key); found != m_encoded.end())
        return found->second;

    const ModelConfig &config = m_engine->checkpoint.config;
    torch::NoGradGuard noGrad;
    const torch::Tensor image = loadImage(imagePath, config.vision.imageSize, config.vision.channels); // [ch, R, R]
    auto maps = std::make_shared<AttentionMaps>();
    maps->layout = m_layout;
    maps->image = imageAsSeen(image);
    maps->layers = resamplerLayers();
    maps->heads = resamplerHeads();
    if (m_layout.hasAttention) {
        const int64_t n = m_layout.featureGrid, heads = maps->heads;
        const torch::Tensor features = m_engine->model->features(image.unsqueeze(0)); // [1, n, n, C]
        std::vector<torch::Tensor> layers;
        for (int layer = 0; layer < maps->layers; ++layer) {
            AttentionRequest request;
            request.enabled = true;
            request.layer = layer;
            request.perHead = true;
            const ConnectorOutput out = m_engine->model->connector()->forward(features, request);
            auto perHead = torch::cat(out.attention, 2)[0];                           // [H, T, n, n]
            layers.push_back(torch::cat({perHead, perHead.mean(0, true)}, 0));       // [H + 1, T, n, n]
        }
        auto all = torch::stack(layers).to(torch::kFloat).contiguous();              // [L, H + 1, T, n, n]
        TORCH_CHECK(all.size(1) == heads + 1 && all.size(2) == m_layout.visualTokens && all.size(3) == n);
        maps->values.assign(all.data_ptr<float>(), all.data_ptr<float>() + all.numel());
    }
    m_encoded[key] = maps;
    return maps;
}

AnswerAttribution AttentionSession::answer(const std::string &imagePath, const std::string &question, int maxNewTokens)
{
    if (!m_engine->tokenizer) {
        m_engine->tokenizer = Tokenizer::loadFrom(m_checkpointDir);
        m_engine->form = m_engine->tokenizer->frame(checkpointTemplate(m_checkpointDir));
    }
    const ModelConfig &config = m_engine->checkpoint.config;
    torch::NoGradGuard noGrad;
    const torch::Tensor image = loadImage(imagePath, config.vision.imageSize, config.vision.channels).unsqueeze(0);
    const std::vector<int64_t> prompt = promptTokens(m_engine->tokenizer->encoder(), question, true, m_engine->form);
    const AnswerAttention attention = m_engine->model->answerAttention(
        image, torch::tensor(prompt, torch::kLong).view({1, -1}), maxNewTokens);

    AnswerAttribution out;
    out.question = question;
    out.answer = m_engine->tokenizer->decode(attention.answer);
    out.lmLayers = int(attention.attention.size(0));
    out.visualStart = int(attention.visualStart);
    out.visualTokens = int(attention.visualTokens);
    out.sequenceLength = int(attention.attention.size(3));
    auto perLayer = attention.attention.mean({1, 2});                            // [L, S]
    auto rows = torch::cat({perLayer, perLayer.mean(0, true)}, 0).contiguous(); // [L + 1, S]
    out.mass.assign(rows.data_ptr<float>(), rows.data_ptr<float>() + rows.numel());
    return out;
}

void AttentionSession::writeRawMaps(const std::string &file, const AttentionMaps &maps,
                                    const std::map<std::string, std::string> &metadata, const AnswerAttribution *answer)
{
    StateDict out;
    const RgbImage &im = maps.image;
    out["image"] = torch::from_blob(const_cast<uint8_t *>(im.pixels.data()), {im.height, im.width, 3}, torch::kByte).clone();
    if (maps.layout.hasAttention) {
        const int64_t n = maps.layout.featureGrid;
        auto all = torch::from_blob(const_cast<float *>(maps.values.data()),
                                    {maps.layers, maps.heads + 1, maps.layout.visualTokens, n, n}, torch::kFloat);
        for (size_t s = 0; s < maps.layout.scales.size(); ++s) {
            const TokenScaleLayout &scale = maps.layout.scales[s];
            auto tokens = all.narrow(2, scale.firstToken, scale.tokens());              // [L, H + 1, t_s, n, n]
            out["attention." + std::to_string(s)] = tokens.narrow(1, 0, maps.heads).clone();
            out["attention_mean." + std::to_string(s)] = tokens.select(1, maps.heads).clone();
        }
    }
    if (answer) {
        const int64_t rows = answer->lmLayers + 1, n = maps.layout.featureGrid;
        auto sequence = torch::tensor(answer->mass).view({rows, answer->sequenceLength});
        out["answer.sequence_mass"] = sequence;
        out["answer.visual_mass"] = sequence.narrow(1, answer->visualStart, answer->visualTokens).clone();
        out["answer.patch_map"] = torch::tensor(answerPatchMap(*answer, -1, maps)).view({n, n});
    }
    writeSafetensors(file, out, metadata);
}

namespace {

// The stage-end checkpoints of a run already read from the store, as the
// trainer finds them to share and resume (Trainer::stageEndCheckpoint).
std::vector<StageCheckpoint> stageCheckpoints(const RunDetail &run)
{
    std::vector<StageCheckpoint> out;
    for (const StageRecord &s : run.stages)
        if (const CheckpointRecord *end = Trainer::stageEndCheckpoint(run, s.index))
            out.push_back({s.index, s.name, end->path, s.visualTokens});
    return out;
}

} // namespace

std::vector<StageCheckpoint> runStageCheckpoints(ExperimentStore &store, int64_t runId)
{
    return stageCheckpoints(store.run(runId));
}

std::string runStageCheckpoint(ExperimentStore &store, int64_t runId, const std::string &stage)
{
    const RunDetail run = store.run(runId);
    const std::vector<StageCheckpoint> kept = stageCheckpoints(run);
    const std::string id = std::to_string(runId);
    if (kept.empty())
        throw InputError(fill(msg("run %1 (%2) kept no checkpoint at the end of a stage"), {id, run.run.name}));
    if (stage.empty())
        return kept.back().path;
    std::string withOne;
    for (const StageCheckpoint &c : kept) {
        if (c.stageName == stage)
            return c.path;
        withOne += (withOne.empty() ? "" : ", ") + c.stageName;
    }
    throw InputError(fill(msg("run %1 (%2) has no checkpoint at the end of a stage named '%3'; stages with one: %4"),
                          {id, run.run.name, stage, withOne}));
}

std::vector<EvalQuestion> runEvalQuestions(ExperimentStore &store, int64_t runId, int limit)
{
    const RunDetail run = store.run(runId);
    const ConfigSource source{fill(msg("run %1 (stored config)"), {std::to_string(runId)}), {}};
    const RunConfig config = RunConfig::fromJson(parseJson(run.run.config, source.file), source);
    const PreparedData data = prepareRunData(config, [](const TrainingEvent &) {});
    if (!data.eval)
        throw InputError(fill(msg("run %1 (%2) has no evaluation set"), {std::to_string(runId), run.run.name}));
    std::vector<EvalQuestion> out;
    for (const ConversationSample &s : data.eval->samples()) {
        if (int(out.size()) >= limit)
            break;
        if (!s.image.empty())
            out.push_back({s.image, s.prompt(), s.answer(), s.turns.front().type});
    }
    return out;
}

} // namespace cosw

#include "Trainer.h"

#include "io/PretrainedImport.h"
#include "io/LoraWeights.h"
#include "io/AtomicDirectory.h"

#include "LossReadback.h"
#include "LrSchedule.h"
#include "OptimizerGroups.h"
#include "RunSummary.h"
#include "DataParallel.h"
#include "FeatureCache.h"
#include "StageCache.h"
#include "StageKind.h"
#include "StepMetrics.h"
#include "VisionTowerTrainer.h"
#include "data/MixedBatchLoader.h"
#include "facade/BlasKernel.h"
#include "model/Autocast.h"
#include "base/CrashPoints.h"
#include "base/Device.h"
#include "base/Errors.h"
#include "base/Files.h"
#include "base/Messages.h"
#include "model/Gradients.h"
#include "optim/GradientClip.h"
#include "base/Numbers.h"
#include "bench/Precision.h"
#include "scaling/TokenScaling.h"
#include "store/ExperimentStore.h"
#include "store/StoreJson.h"

#include <ATen/CPUGeneratorImpl.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <exception>
#include <set>

namespace fs = std::filesystem;

namespace cosw {

namespace {

// How often a run's place (stage, step, time left) is written to the store:
// often enough for a run list to follow, seldom enough to cost no step time.
constexpr double kProgressSeconds = 2;

// A LibTorch archive streamed into `path` through a FileWriter, so a full
// disk fails with the file named and the reason. LibTorch's writer must not
// see the failure: it would throw again from its destructor and abort the
// process. So the rest of the archive is dropped and the error raised after.
template <typename Value>
void saveArchive(const Value &value, const std::string &path)
{
    FileWriter out(path);
    std::exception_ptr failure;
    torch::save(value, [&](const void *data, size_t size) -> size_t {
        if (!failure) {
            try {
                out.write(data, size);
            } catch (...) {
                failure = std::current_exception();
            }
        }
        return size;
    });
    if (failure)
        std::rethrow_exception(failure);
    out.close();
}

// Thrown inside a stage when a stop was requested; the checkpoint is written.
struct Interrupted {
    std::string message;
};

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// Checkpoints written before rng.pt kept the generator state as hex in
// trainer_state.json; they still resume exactly.
torch::Tensor fromHex(const std::string &hex, const std::string &source)
{
    if (hex.size() % 2)
        throw InputError(fill(msg("%1: rng state is not hex"), {source}));
    auto t = torch::empty({static_cast<int64_t>(hex.size() / 2)}, torch::kUInt8);
    auto *p = t.data_ptr<uint8_t>();
    auto nibble = [&](char c) -> uint8_t {
        if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
        if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
        throw InputError(fill(msg("%1: rng state is not hex"), {source}));
    };
    for (size_t i = 0; i < hex.size() / 2; ++i)
        p[i] = static_cast<uint8_t>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
    return t;
}

} // namespace

void Trainer::StageStats::fill(StageRecord &record) const
{
    // Timing covers training steps only: evaluation and checkpoint I/O come after.
    std::vector<double> sorted = stepTimes;
    std::sort(sorted.begin(), sorted.end());
    record.wallSeconds = wall;
    if (!sorted.empty())
        record.stepSeconds = sorted[sorted.size() / 2];
    const double timed = std::max(1e-9, std::accumulate(stepTimes.begin(), stepTimes.end(), 0.0));
    record.samplesPerSecond = samples / timed;
    record.lmTokensPerSecond = lmTokens / timed;
    record.finalLoss = lastLoss;
}

std::atomic<bool> &Trainer::stopRequested()
{
    static std::atomic<bool> flag{false};
    return flag;
}

Trainer::Trainer(RunConfig config, ExperimentStore &store, TrainerOptions options, const TrainingEventSink &events,
                 std::optional<PreparedData> data)
    : m_config(std::move(config)), m_store(store), m_options(std::move(options)), m_events(events),
      m_device(torch::kCPU)
{
    // Devices and precisions are checked for every stage before anything runs.
    m_precisionNotes.resize(m_config.stages.size());
    for (size_t i = 0; i < m_config.stages.size(); ++i) {
        StageConfig &st = m_config.stages[i];
        if (!m_options.device.empty())
            st.device = m_options.device;
        if (m_options.parallel)
            st.device = DataParallel::deviceForRank(st.device, m_options.parallel->localRank());
        const torch::Device device = parseDevice(st.device);
        if (st.precision == "auto" && st.kind == "vision") {
            st.precision = "fp32"; // cached towers are fp32 ones; bf16 is trained only when asked for
        } else if (st.precision == "auto") {
            PrecisionChoice choice = automaticPrecision(device);
            // Ranks measure their own devices; they train in bf16 only if all chose it.
            if (m_options.parallel) {
                const double bf16Ranks = m_options.parallel->sum(choice.precision == "bf16" ? 1.0 : 0.0);
                if (choice.precision == "bf16" && bf16Ranks < m_options.parallel->worldSize())
                    choice = {"fp32", msg("not every rank's device runs bf16 products faster")};
            }
            st.precision = choice.precision;
            m_precisionNotes[i] = fill(msg("precision auto: %1 (%2)"), {choice.precision, choice.reason});
        }
        std::string why;
        if (st.precision == "bf16" && !bf16Supported(device, &why))
            throw ConfigError(m_config.file, "stages[" + std::to_string(i) + "].precision",
                              fill(msg("bf16 on %1: %2"), {st.device, why}));
        if (i == 0)
            m_device = device;
    }
    if (m_options.threads > 0)
        setCpuThreads(m_options.threads);
    if (m_options.runsDir.empty())
        m_options.runsDir = ExperimentStore::runsDirectory(m_store.file());
    // The benchmark is generated on first use: by rank 0 alone.
    m_data = leadThenFollow(m_options.parallel, [&] {
        return data ? std::move(*data) : prepareRunData(m_config, [this](const TrainingEvent &e) { report(e); });
    });
    checkStageData();
}

void Trainer::checkStageData() const
{
    for (size_t i = 0; i < m_config.stages.size(); ++i) {
        const StageConfig &st = m_config.stages[i];
        if (st.kind == "vision")
            continue;
        const ModelConfig &mc = m_config.stageModels[i];
        const bool textTrains = st.trains("lm") || st.trains("lora");
        const std::string stage = childKeyPath("stages", i);
        const std::vector<const ConversationDataset *> data = m_data.stageData(st);
        for (size_t f = 0; f < data.size(); ++f) {
            const ConversationDataset *d = data[f];
            if (!d->hasImages() && !textTrains)
                throw ConfigError(
                    m_config.file,
                    childKeyPath(f == 0 ? stage : childKeyPath(childKeyPath(stage, "mix"), f - 1), "data"),
                    // TRANSLATORS: %1 is a dataset file, %2 a stage's name, %3 the parts it trains (connector, vision).
                    fill(msg("%1 holds text only, but stage %2 trains no part that sees text (it trains %3): its "
                             "batches would teach nothing; train lm or lora in this stage too, or leave the file out"),
                         {d->source(), st.name, listText(st.train)}));
            const auto [index, tokens] =
                longestSample(*d, m_data.tokenizer, st.turnLayout(), m_data.tokenizer.frame(st.form()));
            const int64_t visual = d->hasImages() ? visualTokens(mc) : 0;
            const int64_t length = int64_t(tokens) + (visual > 0 ? visual - 1 : 0);
            if (length > mc.lm.maxSeqLen)
                throw ConfigError(
                    m_config.file, "model.lm.max_seq_len",
                    // TRANSLATORS: %3 is a sample's id, %4 its dataset file, %5 the stage's name.
                    fill(msg("%1 is too short: sample %3 of %4 in stage %5 takes %2 tokens with the stage's %6 "
                             "visual tokens"),
                         {std::to_string(mc.lm.maxSeqLen), std::to_string(length), d->sample(index).id, d->source(),
                          st.name, std::to_string(visual)}));
        }
    }
}

void Trainer::report(TrainingEvent e)
{
    e.runId = m_runId;
    if (e.kind == "step" || e.kind == "eval_progress") {
        RunProgress p;
        p.stage = e.stage;
        p.stages = static_cast<int>(m_config.stages.size());
        p.stageName = e.stageName;
        p.evaluating = e.kind == "eval_progress";
        p.step = e.step;
        p.totalSteps = e.totalSteps;
        if (!p.evaluating)
            p.etaSeconds = e.etaSeconds;
        p.time = unixNow();
        m_latestProgress = p;
        if (p.time - m_progressWritten >= kProgressSeconds || e.step == e.totalSteps)
            recordLatestProgress();
    }
    if (m_events)
        m_events(e);
}

void Trainer::recordLatestProgress()
{
    if (!m_latestProgress)
        return;
    m_store.setProgress(m_runId, *m_latestProgress);
    m_progressWritten = m_latestProgress->time;
    m_latestProgress.reset();
}

int64_t Trainer::createRun(const std::string &name, const SweepLabel &sweep)
{
    Json versions = Json::object();
    versions["cos_workbench"] = COS_VERSION;
    versions["libtorch"] = TORCH_VERSION;
    versions["blas"] = blasSummary(blasInfo());
    return m_store.createRun(name.empty() ? (m_config.name.empty() ? "run" : m_config.name) : name,
                             m_config.toJson().dump(), connectorTypeName(m_config.model.connector.type),
                             m_device.str(), versions.dump(), sweep);
}

RunOutcome Trainer::run(int64_t runId, const std::string &resumeFrom)
{
    m_runId = runId;
    stopRequested() = false;
    Progress progress;
    if (!resumeFrom.empty()) {
        progress = loadTrainingCheckpoint(resumeFrom);
        m_store.forgetAfter(runId, progress.stage, progress.step);
    } else {
        // A run started over (stopped before its first checkpoint) records
        // everything again.
        m_store.forgetAfter(runId, -1, 0);
        torch::manual_seed(m_config.stages.front().seed);
        Mllm initial(m_config.model);
        progress.weights = stateDict(*initial);
        applyPretrained(m_config.model, progress.weights);
        m_store.setParameters(runId, countParameters(*initial).total());
    }
    m_store.startRun(runId);
    TrainingEvent start;
    start.kind = "run_start";
    // TRANSLATORS: a training run has started.
    start.text = resumeFrom.empty() ? std::string(msg("started")) : fill(msg("resumed from %1"), {resumeFrom});
    start.data = Json::object();
    start.data["data_dir"] = m_data.dir;
    start.data["db"] = m_store.file();
    report(start);
    try {
        runStages(runId, std::move(progress));
    } catch (const Interrupted &i) {
        recordLatestProgress(); // exactly where it stopped
        m_store.endRun(runId, RunStatus::Interrupted, i.message);
        m_failure = i.message;
        TrainingEvent e;
        e.kind = "run_end";
        e.text = fill(msg("interrupted: %1"), {i.message});
        report(e);
        return RunOutcome::Interrupted;
    } catch (const std::exception &ex) {
        m_failure = ex.what();
        try {
            recordLatestProgress();
        } catch (const std::exception &) {
            // Where it stopped only informs; the failure itself must be recorded.
        }
        m_store.endRun(runId, RunStatus::Failed, m_failure);
        TrainingEvent e;
        e.kind = "run_end";
        e.text = fill(msg("failed: %1"), {m_failure});
        report(e);
        return RunOutcome::Failed;
    }
    recordLatestProgress();
    m_store.endRun(runId, RunStatus::Finished, m_finishedNote);
    TrainingEvent e;
    e.kind = "run_end";
    // TRANSLATORS: a training run has finished.
    e.text = msg("finished");
    report(e);
    return RunOutcome::Finished;
}

const CheckpointRecord *Trainer::stageEndCheckpoint(const RunDetail &run, int stage)
{
    const CheckpointRecord *end = nullptr;
    for (const CheckpointRecord &c : run.checkpoints)
        if (c.stage == stage && c.step == 0 && fs::exists(c.path))
            end = &c;
    return end;
}

RunOutcome Trainer::runFrom(int64_t runId, const RunDetail &source, int stage)
{
    const std::string sourceId = std::to_string(source.run.id);
    if (stage < 1 || stage >= static_cast<int>(m_config.stages.size()))
        throw InputError(fill(msg("run %1: stage %2 is not a later stage of this run's config"),
                              {sourceId, std::to_string(stage)}));
    const CheckpointRecord *end = stageEndCheckpoint(source, stage - 1);
    if (source.run.status != RunStatus::Finished || !end)
        throw InputError(fill(msg("run %1 kept no checkpoint at the end of stage %2"),
                              {sourceId, std::to_string(stage - 1)}));
    for (const StageRecord &s : source.stages)
        if (s.index < stage)
            m_store.putStage(runId, s);
    m_finishedNote = fill(msg("stages 0-%1 shared with run %2"), {std::to_string(stage - 1), sourceId});
    const RunOutcome outcome = run(runId, end->path);
    m_finishedNote.clear();
    return outcome;
}

void Trainer::runStages(int64_t runId, Progress progress)
{
    for (int i = progress.stage; i < static_cast<int>(m_config.stages.size()); ++i) {
        progress.stage = i;
        if (progress.step == 0) {
            // Token scaling happens as the stage starts, on the weights the
            // previous stage left.
            const ModelConfig &before = i == 0 ? m_config.model : m_config.stageModels[i - 1];
            const ModelConfig &after = m_config.stageModels[i];
            if (!m_config.stages[i].scaling.isIdentity())
                progress.weights = scaledWeights(before, after, progress.weights, m_config.stages[i].scaling);
            // Adapters start with the stage that adds them, B = 0: the
            // model answers as it did until they learn.
            if (after.lm.lora.enabled() && !before.lm.lora.enabled())
                progress.weights = withFreshAdapters(after.lm.lora, std::move(progress.weights), m_config.stages[i].seed);
        }
        const StageRecord planned = stageRecord(i);
        TrainingEvent e;
        e.kind = "stage_start";
        e.stage = i;
        e.stageName = planned.name;
        e.data = Json::object();
        e.data["kind"] = planned.kind;
        e.data["visual_tokens"] = planned.visualTokens;
        e.data["resolution"] = planned.resolution;
        report(e);
        if (!m_precisionNotes[size_t(i)].empty()) {
            TrainingEvent note;
            note.kind = "message";
            note.stage = i;
            note.stageName = planned.name;
            note.text = m_precisionNotes[size_t(i)];
            report(note);
        }
        if (planned.kind == "vision")
            runVisionStage(runId, i, progress);
        else
            runConversationStage(runId, i, progress);
        progress.step = 0;
        progress.positions.clear();
        progress.wallSeconds = 0;
        progress.optimizerFile.clear();
    }
}

void Trainer::runVisionStage(int64_t runId, int index, Progress &progress)
{
    const StageConfig &st = m_config.stages[index];
    const ModelConfig &mc = m_config.stageModels[index];
    VisionTowerTrainer trainer(mc, st, m_data.cellsJson, towerResolutions(m_config, static_cast<size_t>(index)),
                               m_data.identity, m_config.data.skipBadImages);
    // Rank 0 trains (or finds) the tower; the others read it from its cache.
    VisionTowerResult result = leadThenFollow(m_options.parallel, [&] {
        return trainer.run(
            progress.weights, parseDevice(st.device),
            [&](const TrainingEvent &step) {
                TrainingEvent e = step;
                e.stage = index;
                e.stageName = st.name;
                report(e);
            },
            stopRequested());
    });
    if (stopRequested())
        throw Interrupted{fill(msg("stopped during the vision stage %1; it restarts on resume"), {st.name})};
    for (auto &[name, tensor] : result.weights)
        progress.weights[name] = tensor;

    StageRecord record = stageRecord(index);
    record.steps = result.cached ? 0 : result.steps;
    record.fromCache = result.cached;
    record.wallSeconds = result.wallSeconds;
    if (!result.cached) {
        record.samplesPerSecond = result.steps * st.batchSize / std::max(result.wallSeconds, 1e-9);
        record.finalLoss = result.finalLoss;
    }
    m_store.putStage(runId, record);
    reportReplacedImages(index, result.replacedImages);
    // The tower's held-out cell accuracy is stage 0's evaluation: per
    // resolution, and their mean overall.
    std::string accuracyText;
    if (!result.cellAccuracy.empty()) {
        EvaluationRecord tower;
        tower.stage = index;
        tower.step = result.steps;
        tower.n = result.cellsEvaluated;
        for (const auto &[resolution, accuracy] : result.cellAccuracy) {
            tower.perType[towerCellsType(resolution)] = {accuracy, result.cellsEvaluated};
            tower.accuracy += accuracy / double(result.cellAccuracy.size());
        }
        accuracyText = towerCellAccuracyText(result.cellAccuracy);
        m_store.addEvaluation(runId, tower);
    }
    TrainingEvent e;
    e.kind = "stage_end";
    e.stage = index;
    e.stageName = st.name;
    if (accuracyText.empty())
        e.text = result.cached ? fill(msg("vision tower from cache %1"), {result.cacheDir})
                               : fill(msg("vision tower trained and cached in %1"), {result.cacheDir});
    else
        e.text = result.cached
                     ? fill(msg("vision tower from cache %1; held-out cell accuracy %2"), {result.cacheDir, accuracyText})
                     : fill(msg("vision tower trained and cached in %1; held-out cell accuracy %2"),
                            {result.cacheDir, accuracyText});
    report(e);
}

StageRecord Trainer::stageRecord(int index) const
{
    const StageConfig &st = m_config.stages[index];
    const ModelConfig &mc = m_config.stageModels[index];
    StageRecord record;
    record.index = index;
    record.name = st.name;
    record.kind = st.kind;
    if (stageHasVisualTokens(st.kind)) {
        record.visualTokens = visualTokens(mc);
        record.tokensPerScale = tokensPerScale(mc);
    }
    if (stageSeesImage(st.kind))
        record.resolution = mc.vision.imageSize;
    return record;
}

EvaluationResult Trainer::evaluateStage(int64_t runId, int index, int64_t step, Mllm &model)
{
    EvaluationOptions options;
    options.limit = m_config.data.evalSamples;
    const StageConfig &st = m_config.stages[index];
    options.batchSize = std::max(1, st.batchSize * 2);
    options.form = m_data.tokenizer.frame(st.form());
    DataParallel *parallel = m_options.parallel;
    if (parallel) { // every rank answers its share; each ends with the whole result
        options.shard.index = parallel->rank();
        options.shard.count = parallel->worldSize();
        options.shard.gather = [parallel](std::vector<double> &values) { parallel->sum(values); };
    }
    const TypePrior prior = typePriorOf(m_data.stageData(st));
    // A text stage is scored on captions as text: how well the language
    // model reads what the visual tokens will have to carry.
    const bool text = st.kind == "text";
    // As the stage computes: its frozen parts may be held in bf16.
    AutocastGuard autocast(st.precision == "bf16", parseDevice(st.device));
    EvaluationResult r = evaluate(model, text ? *m_data.textEval : *m_data.eval, prior, m_data.tokenizer, parseDevice(st.device), options,
                                  [&](int done, int total) {
                                      TrainingEvent e;
                                      e.kind = "eval_progress";
                                      e.stage = index;
                                      e.stageName = st.name;
                                      e.step = done;
                                      e.totalSteps = total;
                                      report(e);
                                  });
    if (!text && !m_data.evalCells.empty()) {
        const auto [reading, cells] =
            cellReadingAccuracy(model, m_data.evalCells, m_data.tokenizer, parseDevice(st.device), options.batchSize,
                                options.form, options.shard);
        r.record.cellReading = reading;
        r.record.cellReadingCells = cells;
        r.record.cellReadingPrior = m_data.cellReadingPrior;
    }
    model->train();
    if (follows(parallel))
        return r; // rank 0 records for the group
    r.record.stage = index;
    r.record.step = step;
    m_store.addEvaluation(runId, r.record);
    m_store.addMetrics(runId, {{index, step, "eval_accuracy", r.record.accuracy, unixNow()}});
    TrainingEvent e;
    e.kind = "eval";
    e.stage = index;
    e.stageName = st.name;
    e.step = step;
    e.data = Json::object();
    e.data["evaluated_on"] = text ? "text" : "images";
    e.data["accuracy"] = r.record.accuracy;
    e.data["n"] = r.record.n;
    e.data["majority_answer"] = r.majorityAnswer;
    e.data["majority_accuracy"] = r.majorityAccuracy;
    e.data["standard_error"] = standardError(r.record.accuracy, r.record.n);
    e.data["type_prior"] = optionalNumber(r.record.typePrior);
    e.data["shuffled_accuracy"] = optionalNumber(r.record.shuffledAccuracy);
    e.data["cell_reading"] = optionalNumber(r.record.cellReading);
    e.data["cell_reading_prior"] = optionalNumber(r.record.cellReadingPrior);
    Json perType = Json::object();
    for (const auto &[type, v] : r.record.perType)
        perType[type] = v.first;
    e.data["per_type"] = perType;
    report(e);
    return r;
}

void Trainer::runConversationStage(int64_t runId, int index, Progress &progress)
{
    const StageConfig &st = m_config.stages[index];
    const ModelConfig &mc = m_config.stageModels[index];
    const torch::Device device = parseDevice(st.device);

    // A text stage's language model follows from the one it starts from,
    // the stage and the data alone: cached, so the runs of a comparison
    // share it as they share the vision tower.
    // (A stage resumed midway is keyed by where it resumed, so it is not cached.)
    const bool fromStart = progress.step == 0;
    const std::string textCache = st.kind == "text" && fromStart
                                      ? textStageCacheDir(mc, st, m_data.identity, progress.weights)
                                      : "";
    const fs::path cachedLm = fs::path(textCache) / "lm.safetensors";
    DataParallel *parallel = m_options.parallel;
    bool cached = !textCache.empty() && fs::exists(cachedLm);
    if (parallel) // every rank takes the cache, or none does
        cached = parallel->sum(cached ? 1.0 : 0.0) == parallel->worldSize();
    if (cached) {
        for (auto &[name, tensor] : readSafetensors(cachedLm.string()))
            progress.weights[name] = tensor;
        finishCachedTextStage(runId, index, progress, textCache);
        return;
    }

    Mllm model(mc);
    loadStateDict(*model, progress.weights, fill(msg("weights entering stage %1"), {st.name}));
    model->train();
    const std::set<std::string> parts(st.train.begin(), st.train.end());
    StageOptimizer stageOptimizer = makeStageOptimizer(*model, st);
    torch::optim::AdamW &optimizer = *stageOptimizer.optimizer;
    if (st.precision == "bf16")
        holdFrozenInBf16(*model);
    model->to(device); // keeps the optimizer's tensors: parameters move in place
    if (!progress.optimizerFile.empty())
        torch::load(optimizer, progress.optimizerFile);

    std::vector<MixedBatchLoader::Source> sources;
    const std::vector<const ConversationDataset *> data = m_data.stageData(st);
    for (size_t i = 0; i < data.size(); ++i)
        sources.push_back({data[i], i == 0 ? st.dataWeight() : st.mix[i - 1].second});
    MixedBatchLoader loader(sources, m_data.tokenizer, mc.vision.imageSize, mc.vision.channels, st.batchSize, st.seed,
                            m_config.data.workers, m_config.data.skipBadImages, st.turnLayout(),
                            m_data.tokenizer.frame(st.form()));
    if (parallel) // each rank decodes only its rows of every batch
        loader.setShard(parallel->batchShard());
    if (!progress.positions.empty())
        loader.seek(progress.positions);
    const int64_t total = st.steps > 0 ? st.steps
                                       : std::max<int64_t>(1, st.epochs * loader.batchesPerEpoch() / st.gradAccum);

    StageRecord record = stageRecord(index);
    record.steps = total;
    m_store.putStage(runId, record);

    // Frozen tower: each image's features are computed once and reused.
    const bool useFeatureCache = m_config.data.featureCache && !parts.count("vision");
    // The record says whether the stage's time leaves the tower out: a stage of text alone never ran it.
    record.featureCache =
        useFeatureCache && std::any_of(data.begin(), data.end(), [](const ConversationDataset *d) { return d->hasImages(); });
    FeatureCache featureCache(sources);

    StepMetrics metrics(m_store, runId, index);
    StageStats stats;
    stats.wall = progress.wallSeconds;
    LossReadback pending;
    const int64_t interval = readBackInterval(st.logInterval, device);
    // Records and reports the steps whose losses were still on the device.
    auto readBack = [&] {
        for (const LossReadback::Step &s : pending.take(parallel)) {
            if (!std::isfinite(s.loss))
                throw std::runtime_error(fill(msg("diverged at step %1 of stage %2 (loss %3)"),
                                              {std::to_string(s.step), st.name, formatReal(s.loss)}));
            stats.wall += s.seconds;
            stats.stepTimes.push_back(s.seconds);
            stats.lastLoss = s.loss;
            const double rate = st.batchSize * st.gradAccum / s.seconds;
            metrics.add(s.step, s.loss, s.lr, rate, s.seconds);

            TrainingEvent e;
            e.kind = "step";
            e.stage = index;
            e.stageName = st.name;
            e.step = s.step;
            e.totalSteps = total;
            e.loss = s.loss;
            e.lr = s.lr;
            e.samplesPerSecond = rate;
            // Only this process's steps: a resumed stage's earlier time is not in the rate.
            e.etaSeconds = (stats.wall - progress.wallSeconds) / static_cast<double>(s.step - progress.step)
                           * static_cast<double>(total - s.step);
            report(e);
        }
    };

    for (int64_t step = progress.step; step < total; ++step) {
        // Every rank stops at the same step, whichever was signalled.
        const bool stop = parallel ? parallel->sum(stopRequested() ? 1.0 : 0.0) > 0 : stopRequested().load();
        if (stop) {
            readBack();
            metrics.flush();
            progress.step = step;
            progress.positions = loader.positions();
            progress.wallSeconds = stats.wall;
            const std::string dir = saveTrainingCheckpoint(runId, index, model, &optimizer, progress, step);
            throw Interrupted{
                fill(msg("stopped at step %1 of stage %2; checkpoint %3"), {std::to_string(step), st.name, dir})};
        }
        const auto start = std::chrono::steady_clock::now();
        const double lr = learningRate(st, step, total);
        setLearningRate(stageOptimizer, lr);
        // This rank's share of the step's loss, left on the device.
        torch::Tensor loss = torch::zeros({}, torch::TensorOptions().dtype(torch::kDouble).device(device));
        for (int micro = 0; micro < st.gradAccum; ++micro) {
            const auto fetch = std::chrono::steady_clock::now();
            const TrainingBatch batch = loader.next(); // this rank's rows of the batch
            stats.dataWait += seconds(fetch);
            stats.skipped += batch.skipped;
            const bool text = !batch.images.defined(); // a text stage's batch, or text mixed in
            stats.samples += batch.ids.size(0);
            stats.lmTokens += batch.ids.size(0) * (text ? batch.ids.size(1) : batch.ids.size(1) - 1 + visualTokens(mc));
            // A rank's mean loss over its rows counts as its share of the
            // batch's answer tokens: the ranks' parts add up to the batch's loss.
            const double share = parallel ? parallel->tokenShare(DataParallel::answerTokens(batch.labels)) : 1.0;
            if (batch.ids.size(0) == 0 || share == 0.0)
                continue; // nothing of this batch fell to this rank
            AutocastGuard autocast(st.precision == "bf16", device);
            // Ids, labels and layout stay on the host: the model moves what it needs.
            auto l = text              ? model->textLoss(batch.ids, batch.labels, batch.layout)
                     : useFeatureCache ? model->lossFromFeatures(featureCache.features(model, batch, device), batch.ids,
                                                                 batch.labels, batch.layout)
                                       : model->loss(toDevice(batch.images, device), batch.ids, batch.labels, batch.layout);
            (l * share / st.gradAccum).backward();
            loss = loss + l.detach().to(torch::kDouble) * (share / st.gradAccum);
        }
        if (parallel)
            parallel->sumGradients(stageOptimizer.params);
        if (st.gradClip > 0)
            clipGradientNorm(stageOptimizer.params, st.gradClip);
        optimizer.step();
        crashPoint("step"); // the weights moved on, nothing of the step recorded
        releaseGradients(optimizer);
        pending.add(step + 1, loss, lr, seconds(start));

        const bool last = step + 1 == total;
        const bool evaluateNow = st.evaluate && st.evalInterval > 0 && (step + 1) % st.evalInterval == 0 && !last;
        const bool checkpointNow = st.checkpointInterval > 0 && (step + 1) % st.checkpointInterval == 0 && !last;
        if ((step + 1) % interval == 0 || last || evaluateNow || checkpointNow)
            readBack();
        if (evaluateNow) {
            metrics.flush();
            evaluateStage(runId, index, step + 1, model);
        }
        if (checkpointNow) {
            metrics.flush();
            Progress at = progress;
            at.step = step + 1;
            at.positions = loader.positions();
            at.wallSeconds = stats.wall;
            saveTrainingCheckpoint(runId, index, model, &optimizer, at, at.step);
        }
    }
    metrics.flush();
    if (parallel) { // the stage's figures count every rank's rows
        stats.samples = int64_t(parallel->sum(double(stats.samples)));
        stats.lmTokens = int64_t(parallel->sum(double(stats.lmTokens)));
        stats.skipped = int64_t(parallel->sum(double(stats.skipped)));
    }
    finishConversationStage(runId, index, model, progress, record, stats, total, textCache);
}

void Trainer::reportReplacedImages(int index, int64_t replaced)
{
    if (replaced == 0)
        return;
    TrainingEvent e;
    e.kind = "message";
    e.stage = index;
    e.stageName = m_config.stages[index].name;
    e.text = fill(msg("%1 samples replaced for unreadable images"), {std::to_string(replaced)});
    report(e);
}

void Trainer::finishConversationStage(int64_t runId, int index, Mllm &model, Progress &progress, StageRecord &record,
                                      const StageStats &stats, int64_t total, const std::string &textCache)
{
    const StageConfig &st = m_config.stages[index];
    stats.fill(record);
    m_store.putStage(runId, record);
    reportReplacedImages(index, stats.skipped);

    if (st.evaluate)
        evaluateStage(runId, index, total, model);

    progress.weights = carriedWeights(*model, progress.weights);
    Progress next;
    next.stage = index + 1;
    next.weights = progress.weights;
    saveTrainingCheckpoint(runId, index, model, nullptr, next, total);
    if (!textCache.empty() && !follows(m_options.parallel)) {
        StateDict lm;
        for (const auto &[name, tensor] : progress.weights)
            if (name.rfind("lm.", 0) == 0)
                lm[name] = tensor;
        writeDirectoryAtomically(textCache, [&](const std::string &staging) {
            writeSafetensors((fs::path(staging) / "lm.safetensors").string(), lm, {{"format", "pt"}});
        }, WhenPresent::KeepOther);
    }

    TrainingEvent e;
    e.kind = "stage_end";
    e.stage = index;
    e.stageName = st.name;
    e.data = Json::object();
    e.data["wall_seconds"] = stats.wall;
    e.data["data_wait_seconds"] = stats.dataWait;
    e.data["final_loss"] = stats.lastLoss;
    if (!textCache.empty())
        e.text = fill(msg("language model trained and cached in %1"), {textCache});
    report(e);
}

void Trainer::finishCachedTextStage(int64_t runId, int index, Progress &progress, const std::string &cacheDir)
{
    const StageConfig &st = m_config.stages[index];
    Mllm model(m_config.stageModels[index]);
    loadStateDict(*model, progress.weights, fill(msg("weights entering stage %1"), {st.name}));
    model->to(parseDevice(st.device));
    StageRecord record = stageRecord(index);
    record.steps = 0; // nothing trained in this run, as for a cached vision tower
    record.fromCache = true;
    m_store.putStage(runId, record);
    if (st.evaluate)
        evaluateStage(runId, index, 0, model);
    Progress next;
    next.stage = index + 1;
    next.weights = carriedWeights(*model, progress.weights);
    saveTrainingCheckpoint(runId, index, model, nullptr, next, 0);

    TrainingEvent e;
    e.kind = "stage_end";
    e.stage = index;
    e.stageName = st.name;
    e.text = fill(msg("language model from cache %1"), {cacheDir});
    report(e);
}

std::string textStageCacheDir(const ModelConfig &model, const StageConfig &stage, const std::string &dataIdentity,
                              const StateDict &entering)
{
    // What the stage learns from; not its name, device, evaluation or
    // checkpoints, nor the language model's max_seq_len (a bound on the
    // sequence, checked before training: positions are rotary, so it changes
    // no weight).
    Json key = Json::object();
    key["lm"] = model.toJson().at("lm");
    key["lm"].erase("max_seq_len");
    Json learning = stage.toJson();
    for (const char *field : {"name", "evaluate", "eval_interval", "checkpoint_interval", "log_interval", "device"})
        learning.erase(field);
    key["stage"] = learning;
    key["data"] = dataIdentity;
    key["lm_entering"] = tensorsHash(entering, "lm.");
    return (fs::path(cacheRoot()) / "language-models" / contentHash(key.dump())).string();
}

std::string Trainer::saveTrainingCheckpoint(int64_t runId, int index, Mllm &model, torch::optim::Optimizer *optimizer,
                                            const Progress &progress, int64_t step)
{
    if (follows(m_options.parallel))
        return {}; // rank 0 keeps the group's checkpoints
    const StageConfig &st = m_config.stages[index];
    const bool stageDone = progress.stage > index;
    char name[96];
    std::snprintf(name, sizeof name, "stage%d-%s-step%lld", index, stageDone ? "end" : "at", static_cast<long long>(step));
    const fs::path dir = fs::path(m_options.runsDir) / std::to_string(runId) / "checkpoints" / name;
    if (fs::exists(dir))
        fs::remove_all(dir); // the same point reached again after a resume
    // A finished stage's progress holds what it carries on already; within a
    // stage it holds the weights the stage entered with.
    const StateDict weights = stageDone ? progress.weights : carriedWeights(*model, progress.weights);
    saveCheckpoint(dir.string(), {m_config.stageModels[index], weights}, [&](const std::string &tmp) {
        Json state = Json::object();
        state["run_id"] = runId;
        state["stage"] = progress.stage;
        state["stage_name"] = st.name;
        // How the stage framed its questions, so a checkpoint is asked as it learned.
        state["template"] = st.conversationTemplate;
        state["step"] = progress.step;
        // The stage's own dataset, then each mixed-in one.
        Json loaders = Json::array();
        for (const auto &position : progress.positions) {
            Json loader = Json::object();
            loader["epoch"] = position.epoch;
            loader["offset"] = position.offset;
            loaders.push_back(loader);
        }
        state["loaders"] = loaders;
        state["wall_seconds"] = progress.wallSeconds;
        writeTextFile((fs::path(tmp) / "trainer_state.json").string(), state.dump(2) + "\n");
        crashPoint("checkpoint"); // half the checkpoint's files written
        saveArchive(at::detail::getDefaultCPUGenerator().get_state(), (fs::path(tmp) / "rng.pt").string());
        if (optimizer)
            saveArchive(*optimizer, (fs::path(tmp) / "optimizer.pt").string());
        m_data.tokenizer.saveInto(tmp);
    });
    m_store.addCheckpoint(runId, {index, stageDone ? 0 : progress.step, dir.string(), unixNow()});
    TrainingEvent e;
    e.kind = "checkpoint";
    e.stage = index;
    e.stageName = st.name;
    e.step = progress.step;
    e.text = dir.string();
    report(e);
    return dir.string();
}

Trainer::Progress Trainer::loadTrainingCheckpoint(const std::string &dir)
{
    const std::string stateFile = (fs::path(dir) / "trainer_state.json").string();
    const Json state = parseJsonFile(stateFile);
    auto integer = [&](const Json *v, const char *key) {
        if (!v || !v->is_number_integer())
            throw InputError(fill(msg("%1: `%2` is missing or not an integer"), {stateFile, key}));
        return v->get<int64_t>();
    };
    Progress p;
    p.stage = static_cast<int>(integer(findKey(state, "stage"), "stage"));
    p.step = integer(findKey(state, "step"), "step");
    // `loader` (one position) is how checkpoints written before mixed stages say it.
    const Json *loaders = findKey(state, "loaders");
    const Json *single = findKey(state, "loader");
    if (!(loaders && loaders->is_array()) && !(single && single->is_object()))
        throw InputError(fill(msg("%1: `loaders` is missing or not a list"), {stateFile}));
    for (const Json &loader : loaders && loaders->is_array() ? *loaders : Json::array({*single}))
        p.positions.push_back(
            {integer(findKey(loader, "epoch"), "loaders[].epoch"), integer(findKey(loader, "offset"), "loaders[].offset")});
    if (const Json *w = findKey(state, "wall_seconds"); w && w->is_number())
        p.wallSeconds = w->get<double>();
    if (p.stage < 0 || p.stage > static_cast<int>(m_config.stages.size()))
        throw InputError(fill(msg("%1: stage %2 is not in this run's config"), {stateFile, std::to_string(p.stage)}));
    const Checkpoint ck = loadCheckpoint(dir);
    p.weights = ck.weights;
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    if (const std::string rngFile = (fs::path(dir) / "rng.pt").string(); fs::exists(rngFile)) {
        torch::Tensor rngState;
        try {
            torch::load(rngState, rngFile);
            generator.set_state(rngState);
        } catch (const c10::Error &e) {
            throw InputError(fill(msg("%1: not a random generator state (%2)"), {rngFile, e.what_without_backtrace()}));
        }
    } else if (const Json *rng = findKey(state, "rng"); rng && rng->is_string()) {
        generator.set_state(fromHex(rng->get<std::string>(), stateFile));
    }
    const std::string optimizerFile = (fs::path(dir) / "optimizer.pt").string();
    if (p.step > 0 && fs::exists(optimizerFile))
        p.optimizerFile = optimizerFile;
    return p;
}

} // namespace cosw

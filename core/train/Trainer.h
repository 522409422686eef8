#pragma once
// Runs a run config end to end (DESIGN §4): the stages in order, token
// scaling at stage starts, timing that counts training only, evaluation,
// atomic checkpoints with everything needed to resume, and every record in
// the experiment store.

#include "Evaluator.h"
#include "RunConfig.h"
#include "data/BatchLoader.h"
#include "RunData.h"
#include "TrainingEvents.h"
#include "data/ConversationDataset.h"
#include "data/Tokenizer.h"
#include "io/Checkpoint.h"
#include "store/StoreRecords.h"

#include <atomic>
#include <map>
#include <memory>
#include <optional>

namespace cosw {

class ExperimentStore;
class DataParallel;

struct TrainerOptions {
    std::string device = "cpu";   // overrides every stage's device when set
    int threads = 0;              // intra-op threads; 0 keeps LibTorch's default
    std::string runsDir;          // checkpoints go to runsDir/<run id>/
    // This process is one rank of a data-parallel run (joined already):
    // each conversation stage's batches are shared out and the gradients
    // summed; rank 0 trains the vision tower the others then read from its
    // cache, and alone evaluates, checkpoints and publishes caches.
    DataParallel *parallel = nullptr;
};

enum class RunOutcome { Finished, Failed, Interrupted };

class Trainer {
public:
    // Loads (generating FMNIST-Grid on first use) and validates the run's
    // data, unless `data` is given already prepared for this config, and the
    // device; throws InputError before anything is stored.
    Trainer(RunConfig config, ExperimentStore &store, TrainerOptions options, const TrainingEventSink &events,
            std::optional<PreparedData> data = std::nullopt);

    // Creates a queued run in the store and returns its id.
    int64_t createRun(const std::string &name, const SweepLabel &sweep = {});
    // Runs (or, with a checkpoint directory, resumes) run `runId` to its
    // end. Failures are recorded on the run and returned, not thrown.
    RunOutcome run(int64_t runId, const std::string &resumeFrom = {});
    // Runs `runId` from stage `stage` on, starting from the model finished
    // run `source` left at the end of stage `stage - 1`: the two configs
    // agree up to there, so those stages would train the same weights again.
    // Their records are copied from `source` (what the model cost), and the
    // run's message names it. Throws InputError when `source` kept no
    // checkpoint there.
    RunOutcome runFrom(int64_t runId, const RunDetail &source, int stage);
    // The checkpoint a finished stage `stage` of `run` left, if it is still on disk.
    static const CheckpointRecord *stageEndCheckpoint(const RunDetail &run, int stage);
    const std::string &failure() const { return m_failure; }

    // Set from a signal handler: finish the step, checkpoint, stop.
    static std::atomic<bool> &stopRequested();

    const PreparedData &data() const { return m_data; }
    // The config as it runs and is stored (device overrides applied).
    const RunConfig &config() const { return m_config; }

private:
    struct Progress {
        int stage = 0;
        int64_t step = 0;         // optimizer steps done in `stage`
        std::vector<BatchLoader::Position> positions; // per dataset of the stage's mix; empty: the start
        double wallSeconds = 0;   // training time of `stage` so far
        StateDict weights;        // model entering `stage` (or at `step` when resuming)
        std::string optimizerFile;
    };

    void runStages(int64_t runId, Progress progress);
    void runVisionStage(int64_t runId, int index, Progress &progress);
    // What a conversation stage's steps add up to.
    struct StageStats {
        double wall = 0;          // training time of the stage, earlier runs of it included
        double dataWait = 0;      // inside `wall`: steps that waited for the loader
        int64_t lmTokens = 0, samples = 0, skipped = 0;
        double lastLoss = 0;
        std::vector<double> stepTimes; // this process's steps
        // Wall time, median step, samples/s and LM tokens/s, final loss.
        void fill(StageRecord &record) const;
    };

    // Stages that train on conversations: text, pretrain, finetune.
    void runConversationStage(int64_t runId, int index, Progress &progress);
    // After the last step: the stage's figures, its evaluation, the end
    // checkpoint, the text stage's cache entry and the stage_end event.
    void finishConversationStage(int64_t runId, int index, Mllm &model, Progress &progress, StageRecord &record,
                                 const StageStats &stats, int64_t total, const std::string &textCache);
    // Says how many training images were replaced for being unreadable
    // (data.skip_bad_images), when any were.
    void reportReplacedImages(int index, int64_t replaced);
    // A text stage whose language model was cached (progress.weights hold
    // it): evaluated, recorded and checkpointed without training.
    void finishCachedTextStage(int64_t runId, int index, Progress &progress, const std::string &cacheDir);
    // `progress` is where a resume starts; `step` is how many steps of stage
    // `index` the weights have seen (the directory's name says it).
    std::string saveTrainingCheckpoint(int64_t runId, int index, Mllm &model, torch::optim::Optimizer *optimizer,
                                       const Progress &progress, int64_t step);
    Progress loadTrainingCheckpoint(const std::string &dir);
    // The stage's identity: name, kind, tokens, resolution.
    StageRecord stageRecord(int index) const;
    EvaluationResult evaluateStage(int64_t runId, int index, int64_t step, Mllm &model);
    // ConfigError, before anything trains rather than when a batch first
    // draws it, when a stage's longest sample, with the stage's visual
    // tokens, exceeds the language model's max_seq_len, or when a stage
    // draws text-only samples but trains nothing that sees text (only the
    // connector or the tower): such batches would have no gradient.
    void checkStageData() const;
    // To the event sink; a step's (or an evaluation's) event also records
    // where the run is in the store, every few seconds and at the last one.
    void report(TrainingEvent e);
    // Writes where the run is, if not written yet (every ending does, so a
    // stopped run records exactly where it stopped).
    void recordLatestProgress();

    RunConfig m_config;
    ExperimentStore &m_store;
    TrainerOptions m_options;
    TrainingEventSink m_events;
    torch::Device m_device;
    // Per stage: how `precision: auto` was resolved (empty where it was not asked for).
    std::vector<std::string> m_precisionNotes;
    PreparedData m_data;
    int64_t m_runId = 0;
    std::string m_failure;
    std::string m_finishedNote; // the message of a run that finishes
    std::optional<RunProgress> m_latestProgress; // not yet in the store
    double m_progressWritten = 0;                 // Unix seconds
};

// Where the language model a text stage leaves is cached: keyed by the LM
// config, what the stage learns from (data, steps, rates, seed, ...), the
// data set and the language model entering it.
std::string textStageCacheDir(const ModelConfig &model, const StageConfig &stage, const std::string &dataIdentity,
                              const StateDict &entering);

} // namespace cosw

#pragma once
// What the experiment store holds, as plain records: runs, stages, metric
// points, evaluations, checkpoints, artifacts and comparison rows. The
// trainer and evaluator fill them without needing the store itself.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cosw {

enum class RunStatus { Queued, Running, Finished, Failed, Interrupted };
const char *runStatusName(RunStatus status);
// Throws InputError for an unknown name.
RunStatus runStatusFromName(const std::string &name);

// Where a run of a sweep sits in its grid: the sweep's tag, the variant's
// overrides without the seed (so a variant's seeds group), and the seed's
// index when the sweep repeats variants over seeds.
struct SweepLabel {
    std::string sweep;
    std::string variant;
    std::optional<int64_t> seed;
};

// Where a run is, as its trainer last wrote it (every few seconds, with its
// heartbeat); a failed or interrupted run keeps where it stopped.
struct RunProgress {
    int stage = 0;                    // index into the run's stages
    int stages = 0;                   // how many the run has
    std::string stageName;
    bool evaluating = false;          // the stage's evaluation, after its steps
    int64_t step = 0, totalSteps = 0; // optimizer steps of the stage, or answers of its evaluation
    std::optional<double> etaSeconds; // to the stage's last step, as of `time`
    double time = 0;                  // Unix seconds, when written
};

struct RunRecord {
    int64_t id = 0;
    std::string name;
    RunStatus status = RunStatus::Queued;
    std::string config;     // resolved run config, JSON text
    std::string connector;  // chain_of_sight | resampler | mlp
    std::string host;
    std::optional<int64_t> pid;
    std::string device;
    std::string versions;   // JSON text: program, LibTorch, ...
    double createdAt = 0;   // Unix seconds
    std::optional<double> startedAt, endedAt, heartbeatAt;
    std::string message;    // why it failed or was interrupted
    int minVisualTokens = 0, maxVisualTokens = 0; // over its stages
    SweepLabel sweep;                                   // empty for a run outside any sweep
    std::optional<int64_t> parameters;
    std::optional<RunProgress> progress;                // none before its first step
};

// The progress worth showing: a running run's, or where a failed or
// interrupted one stopped; null for any other run or one without a record.
const RunProgress *progressShown(const RunRecord &run);
// Seconds left in a running run's stage, counted down from the trainer's
// estimate by the time since it was written; none when the run is not
// running, has no estimate or is past the stage's last step.
std::optional<double> stageSecondsLeft(const RunRecord &run, double now);

struct StageRecord {
    int index = 0;
    std::string name;
    std::string kind;       // vision | pretrain | finetune | other
    int visualTokens = 0;
    std::vector<int> tokensPerScale;
    int resolution = 0;
    int64_t steps = 0;
    std::optional<double> wallSeconds;        // training only: no evaluation, no checkpoint I/O
    std::optional<double> samplesPerSecond;
    std::optional<double> lmTokensPerSecond;
    std::optional<double> stepSeconds;        // median
    std::optional<double> finalLoss;
    bool featureCache = false;
    // The stage's result (a vision tower, a language model) was taken from
    // the stage cache: nothing trained in this run, steps is 0.
    bool fromCache = false;
};

struct MetricPoint {
    int stage = 0;
    int64_t step = 0;
    std::string name;
    double value = 0;
    double time = 0;        // Unix seconds
};

struct SeriesPoint {
    int64_t step = 0;
    double value = 0;
    double time = 0;
    int stage = 0;
    // A down-sampled series (ExperimentStore::metricSeries) keeps each
    // bucket's minimum and maximum. The first of the two also stands for
    // every finite point the bucket held, with their mean; the second for
    // none. An average over the series (the monitor's smoothing) then still
    // weighs every point as logged. A point as logged stands for itself.
    int64_t represents = 1;
    std::optional<double> mean;
};

struct EvaluationRecord {
    int stage = 0;
    int64_t step = 0;
    double accuracy = 0;
    int64_t n = 0;
    std::map<std::string, std::pair<double, int64_t>> perType; // type -> (accuracy, n)
    double time = 0;
    // Image-blind controls on the same questions (DESIGN §5), absent from
    // evaluations stored before they existed. typePrior: answering each
    // question with its type's commonest training answer; shuffled: the same
    // model answering each question about another eval image.
    std::optional<double> typePrior;
    std::optional<double> shuffledAccuracy;
    std::map<std::string, double> typePriorPerType;
    std::map<std::string, double> shuffledPerType;
    // Cells of eval images the model names correctly when captioning them.
    std::optional<double> cellReading;
    std::optional<int64_t> cellReadingCells;
    std::optional<double> cellReadingPrior; // every cell named as the commonest training label
};

// Seconds since the Unix epoch, as the store records times.
double unixNow();
// "2026-12-04 17:30" in local time, as tables show a run's date.
std::string localTimeText(double unixSeconds);

// The binomial standard error of an accuracy over n questions.
double standardError(double accuracy, int64_t n);
// A per-type figure, or nullopt when that type has none.
std::optional<double> figureFor(const std::map<std::string, double> &perType, const std::string &type);

// The vision tower's held-out cell accuracy is stored as its stage's
// evaluation with one type per resolution the tower learnt, named by
// towerCellsType ("cells@56px").
std::string towerCellsType(int resolution);
// Resolution -> held-out cell accuracy of a tower's evaluation; empty for
// any other evaluation.
std::map<int, double> towerCellAccuracy(const EvaluationRecord &evaluation);
// "0.9210 at 56 px, 0.9025 at 112 px".
std::string towerCellAccuracyText(const std::map<int, double> &accuracy);

struct CheckpointRecord {
    int stage = 0;
    int64_t step = 0;
    std::string path;
    double time = 0;
};

struct ArtifactRecord {
    std::string kind;       // attention-map, plot, report, ...
    std::string path;
    std::string description;
    double time = 0;
};

// A pretrained vision tower or language model imported with
// `cos-batch import`, which run configs name by its directory.
struct ImportRecord {
    int64_t id = 0;
    std::string part;         // vision | lm
    std::string architecture; // as the source's config.json says, e.g. CLIPVisionModel
    std::string source;       // the directory it was imported from
    std::string path;         // the imported part's directory
    int64_t parameters = 0;
    double createdAt = 0;
};

struct RunDetail {
    RunRecord run;
    std::vector<StageRecord> stages;
    std::optional<EvaluationRecord> finalEvaluation; // the run's last
    // The others, by stage and step: the vision tower's held-out cells,
    // evaluations every eval_interval steps.
    std::vector<EvaluationRecord> earlierEvaluations;
    std::vector<CheckpointRecord> checkpoints;
    std::vector<ArtifactRecord> artifacts;
};

struct RunFilter {
    std::optional<RunStatus> status;
    std::string namePattern;               // * and ? are wildcards; case-sensitive, literal otherwise
    std::string connector;
    std::optional<int> minTokens, maxTokens; // any stage's visual tokens within the range
    std::optional<double> createdAfter, createdBefore;
    std::string sweep;                     // runs of this sweep only
};

// One run as the comparison dashboard sees it (DESIGN §5a).
struct ComparisonRow {
    int64_t runId = 0;
    std::string name;
    std::string status;
    std::string connector;
    std::string device;
    double createdAt = 0;
    std::string config;                     // resolved run config, JSON text
    SweepLabel sweep;
    std::optional<int64_t> parameters;
    std::vector<std::pair<std::string, int>> tokensPerStage;     // stage name -> visual tokens
    std::vector<std::pair<std::string, int>> resolutionPerStage; // stage name -> input pixels per side
    // The last stage of each kind: what "pre-trained with N tokens, fine-tuned with M" means.
    std::optional<int> pretrainTokens, finetuneTokens;
    std::optional<int> pretrainResolution, finetuneResolution;
    std::optional<double> pretrainSeconds;  // stages of kind pretrain
    std::optional<double> finetuneSeconds;  // stages of kind finetune
    std::optional<double> pretrainSamplesPerSecond, finetuneSamplesPerSecond;
    // Stages that read the frozen tower's features from the feature cache:
    // their times leave the tower out, so they compare only with their like.
    std::vector<std::string> featureCacheStages;
    std::string blas;                       // the kernel the run's CPU products ran on, as recorded; empty if not
    std::optional<double> accuracy;         // final evaluation
    std::optional<int64_t> evaluated;       // its questions
    std::optional<double> typePrior;        // its controls
    std::optional<double> shuffledAccuracy;
    std::optional<double> cellReading;
    std::optional<double> cellReadingPrior;
    std::map<std::string, double> perTypeAccuracy;
    std::map<std::string, double> typePriorPerType, shuffledPerType;

    // The accuracy's standard error; nullopt without an evaluation.
    std::optional<double> accuracySe() const;
    // "pretrain=32;finetune=320": visual tokens per stage.
    std::string tokensText() const;
};

} // namespace cosw

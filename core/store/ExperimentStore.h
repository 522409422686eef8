#pragma once
// The experiment store (DESIGN §6): one SQLite file that training runs write
// into, several at a time, while the GUI and CLI read it. Runs, stages,
// metric series, evaluations, checkpoints and artifacts.

#include "SqliteDatabase.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cosw {

enum class RunStatus { Queued, Running, Finished, Failed, Interrupted };
const char *runStatusName(RunStatus status);
// Throws InputError for an unknown name.
RunStatus runStatusFromName(const std::string &name);

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
};

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

// The binomial standard error of an accuracy over n questions.
double standardError(double accuracy, int64_t n);
// A per-type figure, or nullopt when that type has none.
std::optional<double> figureFor(const std::map<std::string, double> &perType, const std::string &type);

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

struct RunDetail {
    RunRecord run;
    std::vector<StageRecord> stages;
    std::optional<EvaluationRecord> finalEvaluation; // the run's last
    std::vector<CheckpointRecord> checkpoints;
    std::vector<ArtifactRecord> artifacts;
};

struct RunFilter {
    std::optional<RunStatus> status;
    std::string namePattern;               // * and ? are wildcards; case-sensitive, literal otherwise
    std::string connector;
    std::optional<int> minTokens, maxTokens; // any stage's visual tokens within the range
    std::optional<double> createdAfter, createdBefore;
};

// One row of the comparison table.
struct ComparisonRow {
    int64_t runId = 0;
    std::string name;
    std::string status;
    std::string connector;
    std::vector<std::pair<std::string, int>> tokensPerStage; // stage name -> visual tokens
    std::optional<double> pretrainSeconds;  // stages of kind pretrain
    std::optional<double> finetuneSeconds;  // stages of kind finetune
    std::optional<double> accuracy;         // final evaluation
    std::optional<int64_t> evaluated;       // its questions
    std::optional<double> typePrior;        // its controls
    std::optional<double> shuffledAccuracy;
    std::optional<double> cellReading;
    std::optional<double> cellReadingPrior;
    std::map<std::string, double> perTypeAccuracy;
};

// Indices of the rows no other row beats on both pre-training time (lower is
// better) and accuracy (higher is better). Rows missing either are left out.
std::vector<size_t> paretoFront(const std::vector<ComparisonRow> &rows);

class ExperimentStore {
public:
    static constexpr int kSchemaVersion = 2;

    // $COS_DB, else $XDG_DATA_HOME/cos-workbench/experiments.sqlite, else
    // ~/.local/share/cos-workbench/experiments.sqlite.
    static std::string defaultPath();

    // Opens or creates the store (its directory too), migrates an older
    // schema in one transaction, refuses a newer one (InputError, file left
    // as it is), and marks runs whose process is gone `interrupted`.
    explicit ExperimentStore(const std::string &file, int busyTimeoutMs = 10000);

    const std::string &file() const { return m_db.file(); }
    int schemaVersion();

    // -------------------------------------------------------- run lifecycle
    int64_t createRun(const std::string &name, const std::string &configJson, const std::string &connector,
                      const std::string &device, const std::string &versionsJson);
    // queued/failed/interrupted -> running; records host, pid and a heartbeat.
    void startRun(int64_t runId);
    void heartbeat(int64_t runId);
    // running -> finished | failed | interrupted.
    void endRun(int64_t runId, RunStatus status, const std::string &message = {});
    // Marks `running` runs whose process is gone (same host, pid dead) or
    // whose heartbeat is older than staleSeconds (another host) as
    // `interrupted`. Returns how many.
    int markStaleRuns(double staleSeconds = 600);

    // ----------------------------------------------------------------- data
    void putStage(int64_t runId, const StageRecord &stage); // insert or replace by index
    // One transaction for the whole batch.
    void addMetrics(int64_t runId, const std::vector<MetricPoint> &points);
    int64_t addEvaluation(int64_t runId, const EvaluationRecord &evaluation);
    void addCheckpoint(int64_t runId, const CheckpointRecord &checkpoint);
    void addArtifact(int64_t runId, const ArtifactRecord &artifact);

    // -------------------------------------------------------------- queries
    std::vector<RunRecord> runs(const RunFilter &filter = {});
    // Throws InputError "no run N in FILE".
    RunDetail run(int64_t runId);
    std::vector<std::string> metricNames(int64_t runId);
    // At most max(maxPoints, 2) points: when the series is longer it is cut
    // into maxPoints/2 buckets of equal step width and each bucket keeps its
    // minimum and maximum, so spikes survive. afterStep lets a live view
    // fetch only new points. Steps restart in every stage, so a multi-stage
    // run is read one stage at a time: `stage` keeps only that stage's points.
    std::vector<SeriesPoint> metricSeries(int64_t runId, const std::string &name, int maxPoints = 2000,
                                          std::optional<int64_t> afterStep = std::nullopt,
                                          std::optional<int> stage = std::nullopt);
    int64_t metricCount(int64_t runId, const std::string &name = {});
    std::vector<ComparisonRow> comparison(const RunFilter &filter = {});

private:
    void migrate();
    RunRecord readRun(SqliteStatement &s);
    RunStatus statusOf(int64_t runId);
    void requireRun(int64_t runId);

    SqliteDatabase m_db;
};

} // namespace cosw

#pragma once
// The experiment store (DESIGN §6): one SQLite file that training runs write
// into, several at a time, while the GUI and CLI read it. Runs, stages,
// metric series, evaluations, checkpoints and artifacts.

#include "SqliteDatabase.h"
#include "StoreRecords.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cosw {

class ExperimentStore {
public:
    static constexpr int kSchemaVersion = 6;

    // $COS_DB, else $XDG_DATA_HOME/cos-workbench/experiments.sqlite, else
    // ~/.local/share/cos-workbench/experiments.sqlite.
    static std::string defaultPath();
    // Where the store in `file` keeps its runs' checkpoints and rank logs:
    // `FILE-runs/` beside it (as SQLite's own `FILE-wal`), so two stores in
    // one folder never share a run's folder, where run 1 of one would
    // overwrite run 1 of the other.
    static std::string runsDirectory(const std::string &file);

    // Opens or creates the store (its directory too), migrates an older
    // schema in one transaction, refuses a newer one (InputError, file left
    // as it is), and marks runs whose process is gone `interrupted`.
    // A store this process may not write (the file or its folder read-only:
    // an archive, a colleague's results) opens for reading: nothing is
    // migrated or marked, and a write is refused naming the file.
    explicit ExperimentStore(const std::string &file, int busyTimeoutMs = 10000);

    const std::string &file() const { return m_db.file(); }
    bool readOnly() const { return m_db.readOnly(); }
    int schemaVersion();

    // -------------------------------------------------------- run lifecycle
    int64_t createRun(const std::string &name, const std::string &configJson, const std::string &connector,
                      const std::string &device, const std::string &versionsJson, const SweepLabel &sweep = {});
    // The model's parameter count, known once the trainer has built it.
    void setParameters(int64_t runId, int64_t parameters);
    // queued/failed/interrupted -> running; records host, pid and a heartbeat.
    void startRun(int64_t runId);
    void heartbeat(int64_t runId);
    // Where the run is; a heartbeat too.
    void setProgress(int64_t runId, const RunProgress &progress);
    // running -> finished | failed | interrupted.
    void endRun(int64_t runId, RunStatus status, const std::string &message = {});
    // A queued run that will not be started as queued ends `interrupted`
    // (resumable: it starts from the beginning). False when it is no longer
    // queued: somebody started it meanwhile.
    bool giveUpQueuedRun(int64_t runId, const std::string &message);
    // Marks `running` runs whose process is gone (same host, pid dead) or
    // whose heartbeat is older than staleSeconds (another host) as
    // `interrupted`. Returns how many.
    int markStaleRuns(double staleSeconds = 600);
    // Process `pid` on this host ended and the one that started it knows why
    // (a data-parallel rank 0 killed by a signal, which recorded nothing):
    // its runs with a heartbeat since `since`, still `running` or marked
    // `interrupted` as vanished, end `failed` with `why`. Returns their ids.
    std::vector<int64_t> failRunsOfEndedProcess(int64_t pid, double since, const std::string &why);

    // ----------------------------------------------------------------- data
    void putStage(int64_t runId, const StageRecord &stage); // insert or replace by index
    // One transaction for the whole batch.
    void addMetrics(int64_t runId, const std::vector<MetricPoint> &points);
    int64_t addEvaluation(int64_t runId, const EvaluationRecord &evaluation);
    void addCheckpoint(int64_t runId, const CheckpointRecord &checkpoint);
    void addArtifact(int64_t runId, const ArtifactRecord &artifact);
    // A resumed run goes on from a checkpoint taken `step` optimizer steps
    // into stage `stage`: what it recorded after that point (metrics,
    // evaluations, checkpoints; it was killed or stopped before its next
    // checkpoint) is removed, in one transaction, since the resumed run
    // records those steps again. Stage -1: everything, for a run started over.
    void forgetAfter(int64_t runId, int stage, int64_t step);

    // -------------------------------------------------------------- queries
    std::vector<RunRecord> runs(const RunFilter &filter = {});
    // Throws InputError "no run N in FILE".
    RunDetail run(int64_t runId);
    std::vector<std::string> metricNames(int64_t runId);
    // At most max(maxPoints, 2) points: when the series is longer it is cut
    // into maxPoints/2 buckets of equal step width and each bucket keeps its
    // minimum and maximum, so spikes survive, and its mean (SeriesPoint::mean). afterStep lets a live view
    // fetch only new points. Steps restart in every stage, so a multi-stage
    // run is read one stage at a time: `stage` keeps only that stage's points.
    std::vector<SeriesPoint> metricSeries(int64_t runId, const std::string &name, int maxPoints = 2000,
                                          std::optional<int64_t> afterStep = std::nullopt,
                                          std::optional<int> stage = std::nullopt);
    int64_t metricCount(int64_t runId, const std::string &name = {});
    // Every point of the run, as logged: by stage, step and name.
    std::vector<MetricPoint> metricPoints(int64_t runId);
    std::vector<ComparisonRow> comparison(const RunFilter &filter = {});

    // Imported parts, one record per directory (a new import there replaces
    // it); newest first.
    int64_t recordImport(const ImportRecord &record);
    std::vector<ImportRecord> imports();

private:
    void migrate();
    RunRecord readRun(SqliteStatement &s);
    RunStatus statusOf(int64_t runId);
    void requireRun(int64_t runId);
    // One row of a run's table, in one transaction that first checks the run exists.
    template <typename... Values>
    void insertForRun(const char *table, std::initializer_list<const char *> columns, int64_t runId,
                      const Values &...values);

    SqliteDatabase m_db;
};

} // namespace cosw

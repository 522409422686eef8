#include "ExperimentStore.h"

#include "StoreJson.h"

#include "base/Errors.h"
#include "base/Messages.h"
#include "base/Json.h"
#include "base/Processes.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;

namespace cosw {

namespace {

std::string hostName()
{
    char buf[256] = {};
    gethostname(buf, sizeof buf - 1);
    return buf;
}

// Schema migrations: entry i moves a database from version i to i + 1.
// Never edit a released entry; append a new one and bump kSchemaVersion.
const char *const kMigrations[] = {
    // 0 -> 1
    R"sql(
CREATE TABLE runs (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('queued','running','finished','failed','interrupted')),
    config       TEXT NOT NULL,
    connector    TEXT NOT NULL DEFAULT '',
    host         TEXT NOT NULL DEFAULT '',
    pid          INTEGER,
    device       TEXT NOT NULL DEFAULT '',
    versions     TEXT NOT NULL DEFAULT '{}',
    created_at   REAL NOT NULL,
    started_at   REAL,
    ended_at     REAL,
    heartbeat_at REAL,
    message      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX runs_status ON runs(status);
CREATE TABLE stages (
    run_id               INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    idx                  INTEGER NOT NULL,
    name                 TEXT NOT NULL,
    kind                 TEXT NOT NULL DEFAULT '',
    visual_tokens        INTEGER NOT NULL,
    tokens_per_scale     TEXT NOT NULL DEFAULT '[]',
    resolution           INTEGER NOT NULL,
    steps                INTEGER NOT NULL DEFAULT 0,
    wall_seconds         REAL,
    samples_per_second   REAL,
    lm_tokens_per_second REAL,
    step_seconds         REAL,
    final_loss           REAL,
    feature_cache        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, idx)
);
CREATE TABLE metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    stage  INTEGER NOT NULL,
    step   INTEGER NOT NULL,
    name   TEXT NOT NULL,
    value  REAL,
    time   REAL NOT NULL
);
CREATE INDEX metrics_series ON metrics(run_id, name, step);
CREATE TABLE evaluations (
    id       INTEGER PRIMARY KEY,
    run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    stage    INTEGER NOT NULL,
    step     INTEGER NOT NULL,
    accuracy REAL NOT NULL,
    n        INTEGER NOT NULL,
    time     REAL NOT NULL
);
CREATE INDEX evaluations_run ON evaluations(run_id, stage, step);
CREATE TABLE evaluation_types (
    evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    type          TEXT NOT NULL,
    accuracy      REAL NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (evaluation_id, type)
);
CREATE TABLE checkpoints (
    id     INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    stage  INTEGER NOT NULL,
    step   INTEGER NOT NULL,
    path   TEXT NOT NULL,
    time   REAL NOT NULL
);
CREATE TABLE artifacts (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    path        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    time        REAL NOT NULL
);
)sql",
    // 1 -> 2: the image-blind controls of an evaluation
    R"sql(
ALTER TABLE evaluations ADD COLUMN type_prior REAL;
ALTER TABLE evaluations ADD COLUMN shuffled_accuracy REAL;
ALTER TABLE evaluations ADD COLUMN cell_reading REAL;
ALTER TABLE evaluations ADD COLUMN cell_reading_cells INTEGER;
ALTER TABLE evaluations ADD COLUMN cell_reading_prior REAL;
ALTER TABLE evaluation_types ADD COLUMN type_prior REAL;
ALTER TABLE evaluation_types ADD COLUMN shuffled_accuracy REAL;
)sql",
    // 2 -> 3: sweeps (the variant without its seed, so seeds group) and model size
    R"sql(
ALTER TABLE runs ADD COLUMN sweep TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN sweep_variant TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN sweep_seed INTEGER;
ALTER TABLE runs ADD COLUMN parameters INTEGER;
CREATE INDEX runs_sweep ON runs(sweep);
)sql",
    // 3 -> 4: imported pretrained parts
    R"sql(
CREATE TABLE imports (
    id           INTEGER PRIMARY KEY,
    part         TEXT NOT NULL,
    architecture TEXT NOT NULL,
    source       TEXT NOT NULL,
    path         TEXT NOT NULL UNIQUE,
    parameters   INTEGER NOT NULL,
    created_at   REAL NOT NULL
);
)sql",
    // 4 -> 5: when the run's process started, so a reused pid is not taken for it
    R"sql(
ALTER TABLE runs ADD COLUMN pid_started_at REAL;
)sql",
    // 5 -> 6: stages taken from the stage cache (a stage trains at least one
    // step, so a stored stage of none is one whose result came from the
    // cache), and where a run is (JSON, RunProgress).
    R"sql(
ALTER TABLE stages ADD COLUMN from_cache INTEGER NOT NULL DEFAULT 0;
UPDATE stages SET from_cache = 1 WHERE steps = 0;
ALTER TABLE runs ADD COLUMN progress TEXT NOT NULL DEFAULT '';
)sql",
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == ExperimentStore::kSchemaVersion,
              "one migration per schema version");

// A user's pattern (* and ?) as an SQLite GLOB with every other character
// literal: '[' opens a character class in GLOB, so it becomes "[[]".
std::string globPattern(const std::string &pattern)
{
    std::string out;
    for (char c : pattern)
        out += c == '[' ? std::string("[[]") : std::string(1, c);
    return out;
}

std::string intListJson(const std::vector<int> &values)
{
    Json a = Json::array();
    for (int v : values)
        a.push_back(v);
    return a.dump();
}

std::vector<int> intListFromJson(const std::string &text)
{
    std::vector<int> out;
    Json a = parseJson(text.empty() ? "[]" : text, "tokens_per_scale");
    for (const Json &v : a)
        out.push_back(static_cast<int>(v.get<int64_t>()));
    return out;
}

} // namespace

std::string ExperimentStore::defaultPath()
{
    if (const char *db = std::getenv("COS_DB"); db && *db)
        return db;
    fs::path base;
    if (const char *xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        base = xdg;
    else if (const char *home = std::getenv("HOME"); home && *home)
        base = fs::path(home) / ".local" / "share";
    else
        base = fs::current_path();
    return (base / "cos-workbench" / "experiments.sqlite").string();
}

std::string ExperimentStore::runsDirectory(const std::string &file)
{
    return fs::absolute(file).string() + "-runs";
}

static std::string prepareLocation(const std::string &file)
{
    const fs::path path(file);
    if (path.has_parent_path()) {
        std::error_code ec;
        fs::create_directories(path.parent_path(), ec);
        if (ec)
            throw InputError(fill(msg("%1: cannot create its directory (%2); choose another location with %3 or %4"),
                                  {file, ec.message(), "--db", "COS_DB"}));
    }
    if (fs::is_directory(path))
        throw InputError(fill(msg("%1: is a directory, not a database file"), {file}));
    return file;
}

ExperimentStore::ExperimentStore(const std::string &file, int busyTimeoutMs)
    : m_db(prepareLocation(file),
           SqliteDatabase::writable(file) ? SqliteDatabase::Mode::ReadWriteCreate : SqliteDatabase::Mode::ReadOnly,
           busyTimeoutMs)
{
    const int version = schemaVersion();
    if (version > kSchemaVersion)
        throw InputError(fill(msg("%1: the database has schema version %2, newer than this build's %3; use a newer "
                                  "CoS Workbench (the file was not changed)"),
                              {file, std::to_string(version), std::to_string(kSchemaVersion)}));
    if (m_db.readOnly()) {
        if (version < kSchemaVersion)
            throw InputError(fill(msg("%1: the database is read-only and has schema version %2, older than this "
                                      "build's %3; make it writable once so it can be upgraded (the file was not "
                                      "changed)"),
                                  {file, std::to_string(version), std::to_string(kSchemaVersion)}));
        return;
    }
    m_db.enableWal();
    if (version < kSchemaVersion)
        migrate();
    markStaleRuns();
}

int ExperimentStore::schemaVersion()
{
    auto s = m_db.prepare("PRAGMA user_version");
    s.step();
    return static_cast<int>(s.int64(0));
}

void ExperimentStore::migrate()
{
    m_db.transaction([&] {
        // Re-read inside the write lock: another process may have migrated.
        for (int v = schemaVersion(); v < kSchemaVersion; ++v) {
            m_db.exec(kMigrations[v]);
            m_db.exec("PRAGMA user_version = " + std::to_string(v + 1));
        }
    });
}

// ------------------------------------------------------------- lifecycle

int64_t ExperimentStore::createRun(const std::string &name, const std::string &configJson,
                                   const std::string &connector, const std::string &device,
                                   const std::string &versionsJson, const SweepLabel &sweep)
{
    int64_t id = 0;
    m_db.transaction([&] {
        m_db.prepare("INSERT INTO runs (name, status, config, connector, device, versions, created_at, sweep, "
                     "sweep_variant, sweep_seed) VALUES (?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?)")
            .bindAll(name, configJson, connector, device, versionsJson, unixNow(), sweep.sweep, sweep.variant,
                     sweep.seed)
            .run();
        id = m_db.lastInsertId();
    });
    return id;
}

void ExperimentStore::setParameters(int64_t runId, int64_t parameters)
{
    m_db.transaction([&] {
        requireRun(runId);
        m_db.prepare("UPDATE runs SET parameters = ? WHERE id = ?").bind(1, parameters).bind(2, runId).run();
    });
}

void ExperimentStore::requireRun(int64_t runId)
{
    auto s = m_db.prepare("SELECT 1 FROM runs WHERE id = ?");
    s.bind(1, runId);
    if (!s.step())
        throw InputError(fill(msg("no run %1 in %2"), {std::to_string(runId), file()}));
}

RunStatus ExperimentStore::statusOf(int64_t runId)
{
    auto s = m_db.prepare("SELECT status FROM runs WHERE id = ?");
    s.bind(1, runId);
    if (!s.step())
        throw InputError(fill(msg("no run %1 in %2"), {std::to_string(runId), file()}));
    return runStatusFromName(s.text(0));
}

void ExperimentStore::startRun(int64_t runId)
{
    m_db.transaction([&] {
        const RunStatus status = statusOf(runId);
        if (status == RunStatus::Finished || status == RunStatus::Running)
            throw InputError(fill(msg("run %1 in %2 is %3 and cannot be started"),
                                  {std::to_string(runId), file(), runStatusName(status)}));
        const double t = unixNow();
        const std::optional<double> processStart = processStartTime(getpid());
        m_db.prepare("UPDATE runs SET status = 'running', host = ?, pid = ?, pid_started_at = ?, "
                     "started_at = COALESCE(started_at, ?), heartbeat_at = ?, ended_at = NULL, message = '' WHERE id = ?")
            .bind(1, hostName())
            .bind(2, static_cast<int64_t>(getpid()))
            .bind(3, processStart)
            .bind(4, t)
            .bind(5, t)
            .bind(6, runId)
            .run();
    });
}

void ExperimentStore::setProgress(int64_t runId, const RunProgress &progress)
{
    m_db.transaction([&] {
        requireRun(runId);
        m_db.prepare("UPDATE runs SET progress = ?, heartbeat_at = ? WHERE id = ?")
            .bindAll(runProgressJson(progress).dump(), progress.time, runId)
            .run();
    });
}

void ExperimentStore::heartbeat(int64_t runId)
{
    m_db.transaction([&] {
        requireRun(runId);
        m_db.prepare("UPDATE runs SET heartbeat_at = ? WHERE id = ?").bind(1, unixNow()).bind(2, runId).run();
    });
}

void ExperimentStore::endRun(int64_t runId, RunStatus status, const std::string &message)
{
    if (status == RunStatus::Queued || status == RunStatus::Running)
        throw std::logic_error(std::string("endRun needs a final status, not ") + runStatusName(status));
    m_db.transaction([&] {
        requireRun(runId);
        m_db.prepare("UPDATE runs SET status = ?, ended_at = ?, message = ? WHERE id = ?")
            .bind(1, runStatusName(status))
            .bind(2, unixNow())
            .bind(3, message)
            .bind(4, runId)
            .run();
    });
}

bool ExperimentStore::giveUpQueuedRun(int64_t runId, const std::string &message)
{
    bool changed = false;
    m_db.transaction([&] {
        requireRun(runId);
        m_db.prepare("UPDATE runs SET status = 'interrupted', ended_at = ?, message = ? WHERE id = ? AND status = 'queued'")
            .bindAll(unixNow(), message, runId)
            .run();
        changed = m_db.changes() > 0;
    });
    return changed;
}

int ExperimentStore::markStaleRuns(double staleSeconds)
{
    int marked = 0;
    const std::string host = hostName();
    const double t = unixNow();
    // Readers open the store too; take the write lock only when some run
    // claims to be running.
    {
        auto any = m_db.prepare("SELECT 1 FROM runs WHERE status = 'running' LIMIT 1");
        if (!any.step())
            return 0;
    }
    m_db.transaction([&] {
        auto s = m_db.prepare("SELECT id, host, pid, heartbeat_at, pid_started_at FROM runs WHERE status = 'running'");
        std::vector<std::pair<int64_t, std::string>> stale;
        while (s.step()) {
            const int64_t id = s.int64(0);
            const std::string runHost = s.text(1);
            const auto pid = s.optionalInt64(2);
            const double beat = s.optionalReal(3).value_or(0);
            if (runHost == host) {
                // On this host the process table is the truth: a live
                // process is never stale, however long since its heartbeat.
                // The reason is the run's message, read by people in `show` and the window.
                const std::string number = std::to_string(pid.value_or(0));
                if (!pid || !processAlive(*pid))
                    stale.emplace_back(id, fill(msg("process %1 on %2 is gone"), {number, host}));
                else if (!sameProcessAlive(*pid, s.optionalReal(4)))
                    stale.emplace_back(id, fill(msg("process %1 on %2 is gone (its pid now belongs to a process "
                                                    "started later)"),
                                                {number, host}));
            } else if (t - beat > staleSeconds)
                stale.emplace_back(id, fill(msg("no heartbeat from %1 for %2 s"),
                                            {runHost, std::to_string(int(t - beat))}));
        }
        auto update = m_db.prepare("UPDATE runs SET status = 'interrupted', ended_at = ?, message = ? WHERE id = ?");
        for (const auto &[id, why] : stale) {
            update.bind(1, t).bind(2, why).bind(3, id);
            update.run();
            ++marked;
        }
    });
    return marked;
}

std::vector<int64_t> ExperimentStore::failRunsOfEndedProcess(int64_t pid, double since, const std::string &why)
{
    std::vector<int64_t> ids;
    m_db.transaction([&] {
        auto s = m_db.prepare("SELECT id FROM runs WHERE host = ? AND pid = ? AND heartbeat_at >= ? "
                              "AND status IN ('running', 'interrupted')");
        s.bind(1, hostName()).bind(2, pid).bind(3, since);
        while (s.step())
            ids.push_back(s.int64(0));
        auto update = m_db.prepare("UPDATE runs SET status = 'failed', ended_at = ?, message = ? WHERE id = ?");
        for (const int64_t id : ids) {
            update.bind(1, unixNow()).bind(2, why).bind(3, id);
            update.run();
        }
    });
    return ids;
}

// ------------------------------------------------------------------ data

// "VERB INTO table (a, b) VALUES (?, ?)"
static std::string insertSql(const char *table, std::initializer_list<const char *> columns,
                             const char *verb = "INSERT")
{
    std::string names, marks;
    for (const char *c : columns) {
        names += (names.empty() ? "" : ", ") + std::string(c);
        marks += marks.empty() ? "?" : ", ?";
    }
    return std::string(verb) + " INTO " + table + " (" + names + ") VALUES (" + marks + ")";
}

template <typename... Values>
void ExperimentStore::insertForRun(const char *table, std::initializer_list<const char *> columns, int64_t runId,
                                   const Values &...values)
{
    m_db.transaction([&] {
        requireRun(runId);
        m_db.prepare(insertSql(table, columns)).bindAll(runId, values...).run();
    });
}

void ExperimentStore::putStage(int64_t runId, const StageRecord &st)
{
    m_db.transaction([&] {
        requireRun(runId);
        m_db.prepare(insertSql("stages",
                               {"run_id", "idx", "name", "kind", "visual_tokens", "tokens_per_scale", "resolution",
                                "steps", "wall_seconds", "samples_per_second", "lm_tokens_per_second", "step_seconds",
                                "final_loss", "feature_cache", "from_cache"},
                               "INSERT OR REPLACE"))
            .bindAll(runId, st.index, st.name, st.kind, st.visualTokens, intListJson(st.tokensPerScale), st.resolution,
                     st.steps, st.wallSeconds, st.samplesPerSecond, st.lmTokensPerSecond, st.stepSeconds, st.finalLoss,
                     st.featureCache ? 1 : 0, st.fromCache ? 1 : 0)
            .run();
    });
}

void ExperimentStore::addMetrics(int64_t runId, const std::vector<MetricPoint> &points)
{
    if (points.empty())
        return;
    m_db.transaction([&] {
        requireRun(runId);
        auto insert = m_db.prepare(insertSql("metrics", {"run_id", "stage", "step", "name", "value", "time"}));
        for (const auto &p : points)
            insert.bindAll(runId, p.stage, p.step, p.name, p.value, p.time).run();
    });
}

void ExperimentStore::forgetAfter(int64_t runId, int stage, int64_t step)
{
    m_db.transaction([&] {
        requireRun(runId);
        for (const char *table : {"metrics", "evaluations", "checkpoints"})
            m_db.prepare(std::string("DELETE FROM ") + table
                         + " WHERE run_id = ?1 AND (stage > ?2 OR (stage = ?2 AND step > ?3))")
                .bindAll(runId, stage, step)
                .run();
    });
}

int64_t ExperimentStore::addEvaluation(int64_t runId, const EvaluationRecord &e)
{
    int64_t id = 0;
    m_db.transaction([&] {
        requireRun(runId);
        m_db.prepare(insertSql("evaluations", {"run_id", "stage", "step", "accuracy", "n", "time", "type_prior",
                                               "shuffled_accuracy", "cell_reading", "cell_reading_cells",
                                               "cell_reading_prior"}))
            .bindAll(runId, e.stage, e.step, e.accuracy, e.n, e.time > 0 ? e.time : unixNow(), e.typePrior,
                     e.shuffledAccuracy, e.cellReading, e.cellReadingCells, e.cellReadingPrior)
            .run();
        id = m_db.lastInsertId();
        auto type = m_db.prepare(
            insertSql("evaluation_types", {"evaluation_id", "type", "accuracy", "n", "type_prior", "shuffled_accuracy"}));
        for (const auto &[name, value] : e.perType)
            type.bindAll(id, name, value.first, value.second, figureFor(e.typePriorPerType, name),
                         figureFor(e.shuffledPerType, name))
                .run();
    });
    return id;
}

void ExperimentStore::addCheckpoint(int64_t runId, const CheckpointRecord &c)
{
    insertForRun("checkpoints", {"run_id", "stage", "step", "path", "time"}, runId, c.stage, c.step, c.path,
                 c.time > 0 ? c.time : unixNow());
}

void ExperimentStore::addArtifact(int64_t runId, const ArtifactRecord &a)
{
    insertForRun("artifacts", {"run_id", "kind", "path", "description", "time"}, runId, a.kind, a.path, a.description,
                 a.time > 0 ? a.time : unixNow());
}

// --------------------------------------------------------------- queries

// A run's stages that make visual tokens (train/StageKind.h): text and
// vision stages' are no token budget.
static const std::string kTokenStages = "FROM stages WHERE run_id = r.id AND kind NOT IN ('text', 'vision')";

static const std::string kRunColumns =
    "r.id, r.name, r.status, r.config, r.connector, r.host, r.pid, r.device, r.versions, r.created_at, "
    "r.started_at, r.ended_at, r.heartbeat_at, r.message, "
    "(SELECT COALESCE(MIN(visual_tokens), 0) " + kTokenStages + "), "
    "(SELECT COALESCE(MAX(visual_tokens), 0) " + kTokenStages + "), "
    "r.sweep, r.sweep_variant, r.sweep_seed, r.parameters, r.progress";

RunRecord ExperimentStore::readRun(SqliteStatement &s)
{
    RunRecord r;
    r.id = s.int64(0);
    r.name = s.text(1);
    r.status = runStatusFromName(s.text(2));
    r.config = s.text(3);
    r.connector = s.text(4);
    r.host = s.text(5);
    r.pid = s.optionalInt64(6);
    r.device = s.text(7);
    r.versions = s.text(8);
    r.createdAt = s.real(9);
    r.startedAt = s.optionalReal(10);
    r.endedAt = s.optionalReal(11);
    r.heartbeatAt = s.optionalReal(12);
    r.message = s.text(13);
    r.minVisualTokens = static_cast<int>(s.int64(14));
    r.maxVisualTokens = static_cast<int>(s.int64(15));
    r.sweep.sweep = s.text(16);
    r.sweep.variant = s.text(17);
    r.sweep.seed = s.optionalInt64(18);
    r.parameters = s.optionalInt64(19);
    r.progress = runProgressFromJson(s.text(20));
    return r;
}

std::vector<RunRecord> ExperimentStore::runs(const RunFilter &f)
{
    // Every filter is a bound parameter; a NULL parameter switches its clause off.
    auto s = m_db.prepare("SELECT " + kRunColumns + " FROM runs r WHERE "
                          "(?1 IS NULL OR r.status = ?1) AND "
                          "(?2 IS NULL OR r.name GLOB ?2) AND "
                          "(?3 IS NULL OR r.connector = ?3) AND "
                          "(?4 IS NULL OR EXISTS (SELECT 1 " + kTokenStages + " AND visual_tokens >= ?4)) AND "
                          "(?5 IS NULL OR EXISTS (SELECT 1 " + kTokenStages + " AND visual_tokens <= ?5)) AND "
                          "(?6 IS NULL OR r.created_at >= ?6) AND "
                          "(?7 IS NULL OR r.created_at <= ?7) AND "
                          "(?8 IS NULL OR r.sweep = ?8) "
                          "ORDER BY r.id");
    if (f.status)
        s.bind(1, runStatusName(*f.status));
    if (!f.namePattern.empty())
        s.bind(2, globPattern(f.namePattern));
    if (!f.connector.empty())
        s.bind(3, f.connector);
    s.bind(4, f.minTokens ? std::optional<int64_t>(*f.minTokens) : std::nullopt);
    s.bind(5, f.maxTokens ? std::optional<int64_t>(*f.maxTokens) : std::nullopt);
    s.bind(6, f.createdAfter);
    s.bind(7, f.createdBefore);
    if (!f.sweep.empty())
        s.bind(8, f.sweep);
    std::vector<RunRecord> out;
    while (s.step())
        out.push_back(readRun(s));
    return out;
}

RunDetail ExperimentStore::run(int64_t runId)
{
    RunDetail d;
    {
        auto s = m_db.prepare("SELECT " + kRunColumns + " FROM runs r WHERE r.id = ?");
        s.bind(1, runId);
        if (!s.step())
            throw InputError(fill(msg("no run %1 in %2"), {std::to_string(runId), file()}));
        d.run = readRun(s);
    }
    {
        auto s = m_db.prepare("SELECT idx, name, kind, visual_tokens, tokens_per_scale, resolution, steps, wall_seconds, "
                              "samples_per_second, lm_tokens_per_second, step_seconds, final_loss, feature_cache, "
                              "from_cache FROM stages WHERE run_id = ? ORDER BY idx");
        s.bind(1, runId);
        while (s.step()) {
            StageRecord st;
            st.index = static_cast<int>(s.int64(0));
            st.name = s.text(1);
            st.kind = s.text(2);
            st.visualTokens = static_cast<int>(s.int64(3));
            st.tokensPerScale = intListFromJson(s.text(4));
            st.resolution = static_cast<int>(s.int64(5));
            st.steps = s.int64(6);
            st.wallSeconds = s.optionalReal(7);
            st.samplesPerSecond = s.optionalReal(8);
            st.lmTokensPerSecond = s.optionalReal(9);
            st.stepSeconds = s.optionalReal(10);
            st.finalLoss = s.optionalReal(11);
            st.featureCache = s.int64(12) != 0;
            st.fromCache = s.int64(13) != 0;
            d.stages.push_back(st);
        }
    }
    {
        auto s = m_db.prepare("SELECT id, stage, step, accuracy, n, time, type_prior, shuffled_accuracy, cell_reading, "
                              "cell_reading_cells, cell_reading_prior "
                              "FROM evaluations WHERE run_id = ? ORDER BY stage, step, id");
        s.bind(1, runId);
        std::vector<EvaluationRecord> evaluations;
        while (s.step()) {
            EvaluationRecord e;
            const int64_t id = s.int64(0);
            e.stage = static_cast<int>(s.int64(1));
            e.step = s.int64(2);
            e.accuracy = s.real(3);
            e.n = s.int64(4);
            e.time = s.real(5);
            e.typePrior = s.optionalReal(6);
            e.shuffledAccuracy = s.optionalReal(7);
            e.cellReading = s.optionalReal(8);
            e.cellReadingCells = s.optionalInt64(9);
            e.cellReadingPrior = s.optionalReal(10);
            auto t = m_db.prepare("SELECT type, accuracy, n, type_prior, shuffled_accuracy FROM evaluation_types "
                                  "WHERE evaluation_id = ? ORDER BY type");
            t.bind(1, id);
            while (t.step()) {
                e.perType[t.text(0)] = {t.real(1), t.int64(2)};
                if (const auto v = t.optionalReal(3))
                    e.typePriorPerType[t.text(0)] = *v;
                if (const auto v = t.optionalReal(4))
                    e.shuffledPerType[t.text(0)] = *v;
            }
            evaluations.push_back(std::move(e));
        }
        if (!evaluations.empty()) {
            d.finalEvaluation = std::move(evaluations.back());
            evaluations.pop_back();
            d.earlierEvaluations = std::move(evaluations);
        }
    }
    {
        auto s = m_db.prepare("SELECT stage, step, path, time FROM checkpoints WHERE run_id = ? ORDER BY id");
        s.bind(1, runId);
        while (s.step())
            d.checkpoints.push_back({static_cast<int>(s.int64(0)), s.int64(1), s.text(2), s.real(3)});
    }
    {
        auto s = m_db.prepare("SELECT kind, path, description, time FROM artifacts WHERE run_id = ? ORDER BY id");
        s.bind(1, runId);
        while (s.step())
            d.artifacts.push_back({s.text(0), s.text(1), s.text(2), s.real(3)});
    }
    return d;
}

int64_t ExperimentStore::recordImport(const ImportRecord &r)
{
    int64_t id = 0;
    m_db.transaction([&] {
        auto s = m_db.prepare("INSERT OR REPLACE INTO imports (part, architecture, source, path, parameters, created_at) "
                              "VALUES (?, ?, ?, ?, ?, ?)");
        s.bindAll(r.part, r.architecture, r.source, r.path, r.parameters, r.createdAt > 0 ? r.createdAt : unixNow());
        s.step();
        id = m_db.lastInsertId();
    });
    return id;
}

std::vector<ImportRecord> ExperimentStore::imports()
{
    auto s = m_db.prepare("SELECT id, part, architecture, source, path, parameters, created_at FROM imports "
                          "ORDER BY created_at DESC, id DESC");
    std::vector<ImportRecord> out;
    while (s.step()) {
        ImportRecord r;
        r.id = s.int64(0);
        r.part = s.text(1);
        r.architecture = s.text(2);
        r.source = s.text(3);
        r.path = s.text(4);
        r.parameters = s.int64(5);
        r.createdAt = s.real(6);
        out.push_back(r);
    }
    return out;
}

std::vector<std::string> ExperimentStore::metricNames(int64_t runId)
{
    auto s = m_db.prepare("SELECT DISTINCT name FROM metrics WHERE run_id = ? ORDER BY name");
    s.bind(1, runId);
    std::vector<std::string> out;
    while (s.step())
        out.push_back(s.text(0));
    return out;
}

std::vector<MetricPoint> ExperimentStore::metricPoints(int64_t runId)
{
    auto s = m_db.prepare("SELECT stage, step, name, value, time FROM metrics WHERE run_id = ? "
                          "ORDER BY stage, step, name, rowid");
    s.bind(1, runId);
    std::vector<MetricPoint> out;
    while (s.step())
        out.push_back({static_cast<int>(s.int64(0)), s.int64(1), s.text(2), s.real(3), s.real(4)});
    return out;
}

int64_t ExperimentStore::metricCount(int64_t runId, const std::string &name)
{
    auto s = m_db.prepare("SELECT count(*) FROM metrics WHERE run_id = ?1 AND (?2 IS NULL OR name = ?2)");
    s.bind(1, runId);
    if (!name.empty())
        s.bind(2, name);
    s.step();
    return s.int64(0);
}

std::vector<SeriesPoint> ExperimentStore::metricSeries(int64_t runId, const std::string &name, int maxPoints,
                                                       std::optional<int64_t> afterStep, std::optional<int> stage)
{
    const int64_t after = afterStep.value_or(std::numeric_limits<int64_t>::min());
    const int64_t limit = std::max(maxPoints, 2);
    // Counting stops at limit + 1: enough to know whether to down-sample.
    auto count = m_db.prepare("SELECT count(*), MIN(step), MAX(step) FROM (SELECT step FROM metrics "
                              "WHERE run_id = ? AND name = ? AND step > ? AND (?5 IS NULL OR stage = ?5) "
                              "ORDER BY step LIMIT ?4)");
    count.bind(1, runId).bind(2, name).bind(3, after).bind(4, limit + 1).bind(5, stage);
    count.step();
    const bool whole = count.int64(0) <= limit;

    auto s = m_db.prepare("SELECT step, value, time, stage FROM metrics WHERE run_id = ? AND name = ? AND step > ? "
                          "AND (?4 IS NULL OR stage = ?4) ORDER BY step, rowid");
    s.bind(1, runId).bind(2, name).bind(3, after).bind(4, stage);
    std::vector<SeriesPoint> out;
    auto read = [&] { return SeriesPoint{s.int64(0), s.real(1), s.real(2), static_cast<int>(s.int64(3))}; };
    if (whole) {
        while (s.step())
            out.push_back(read());
        return out;
    }
    // One pass in step order: buckets of equal step width, each keeping its
    // minimum and maximum (in step order), so spikes survive.
    auto range = m_db.prepare("SELECT MIN(step), MAX(step) FROM metrics WHERE run_id = ? AND name = ? AND step > ? "
                              "AND (?4 IS NULL OR stage = ?4)");
    range.bind(1, runId).bind(2, name).bind(3, after).bind(4, stage);
    range.step();
    const int64_t lo = range.int64(0), hi = range.int64(1), buckets = limit / 2;
    int64_t current = -1, finite = 0;
    double sum = 0;
    SeriesPoint low{}, high{};
    auto close = [&] {
        if (current < 0)
            return;
        const bool lowFirst = low.step < high.step || (low.step == high.step && low.time <= high.time);
        SeriesPoint first = lowFirst ? low : high, second = lowFirst ? high : low;
        first.represents = finite;
        first.mean = finite > 0 ? std::optional(sum / double(finite)) : std::nullopt;
        second.represents = 0;
        out.push_back(first);
        if (low.step != high.step || low.value != high.value || low.time != high.time)
            out.push_back(second);
    };
    while (s.step()) {
        const SeriesPoint p = read();
        const int64_t bucket = (p.step - lo) * buckets / (hi - lo + 1);
        if (bucket != current) {
            close();
            current = bucket;
            low = high = p;
            finite = 0;
            sum = 0;
        } else {
            if (p.value < low.value)
                low = p;
            if (p.value > high.value)
                high = p;
        }
        if (std::isfinite(p.value)) {
            ++finite;
            sum += p.value;
        }
    }
    close();
    return out;
}

std::vector<ComparisonRow> ExperimentStore::comparison(const RunFilter &filter)
{
    // Three queries for any number of runs (a dashboard reads a thousand):
    // the runs, every stage, and each run's last evaluation with its types.
    std::vector<ComparisonRow> rows;
    std::map<int64_t, size_t> rowOf;
    m_db.snapshot([&] {
        for (const RunRecord &r : runs(filter)) {
            ComparisonRow row;
            row.runId = r.id;
            row.name = r.name;
            row.status = runStatusName(r.status);
            row.connector = r.connector;
            row.device = r.device;
            row.createdAt = r.createdAt;
            row.config = r.config;
            row.sweep = r.sweep;
            row.parameters = r.parameters;
            row.blas = recordedBlas(r.versions);
            rowOf[r.id] = rows.size();
            rows.push_back(std::move(row));
        }
        auto target = [&](int64_t runId) -> ComparisonRow * {
            const auto it = rowOf.find(runId);
            return it == rowOf.end() ? nullptr : &rows[it->second];
        };
        auto stages = m_db.prepare("SELECT run_id, name, kind, visual_tokens, resolution, wall_seconds, "
                                   "samples_per_second, feature_cache FROM stages ORDER BY run_id, idx");
        while (stages.step()) {
            ComparisonRow *row = target(stages.int64(0));
            if (!row)
                continue;
            const std::string name = stages.text(1), kind = stages.text(2);
            const int tokens = static_cast<int>(stages.int64(3)), resolution = static_cast<int>(stages.int64(4));
            row->tokensPerStage.emplace_back(name, tokens);
            row->resolutionPerStage.emplace_back(name, resolution);
            if (stages.int64(7) != 0)
                row->featureCacheStages.push_back(name);
            const auto seconds = stages.optionalReal(5);
            const auto samples = stages.optionalReal(6);
            auto sum = [&](std::optional<double> &total) {
                if (seconds)
                    total = total.value_or(0) + *seconds;
            };
            if (kind == "pretrain") {
                sum(row->pretrainSeconds);
                row->pretrainTokens = tokens;
                row->pretrainResolution = resolution;
                row->pretrainSamplesPerSecond = samples;
            } else if (kind == "finetune") {
                sum(row->finetuneSeconds);
                row->finetuneTokens = tokens;
                row->finetuneResolution = resolution;
                row->finetuneSamplesPerSecond = samples;
            }
        }
        std::map<int64_t, ComparisonRow *> rowOfEvaluation;
        auto evaluations = m_db.prepare(
            "SELECT e.run_id, e.id, e.accuracy, e.n, e.type_prior, e.shuffled_accuracy, e.cell_reading, "
            "e.cell_reading_prior FROM evaluations e WHERE e.id = (SELECT id FROM evaluations WHERE run_id = e.run_id "
            "ORDER BY stage DESC, step DESC, id DESC LIMIT 1)");
        while (evaluations.step()) {
            ComparisonRow *row = target(evaluations.int64(0));
            if (!row)
                continue;
            rowOfEvaluation[evaluations.int64(1)] = row;
            row->accuracy = evaluations.real(2);
            row->evaluated = evaluations.int64(3);
            row->typePrior = evaluations.optionalReal(4);
            row->shuffledAccuracy = evaluations.optionalReal(5);
            row->cellReading = evaluations.optionalReal(6);
            row->cellReadingPrior = evaluations.optionalReal(7);
        }
        auto types = m_db.prepare("SELECT evaluation_id, type, accuracy, type_prior, shuffled_accuracy "
                                  "FROM evaluation_types ORDER BY evaluation_id, type");
        while (types.step()) {
            const auto it = rowOfEvaluation.find(types.int64(0));
            if (it == rowOfEvaluation.end())
                continue;
            const std::string type = types.text(1);
            it->second->perTypeAccuracy[type] = types.real(2);
            if (const auto v = types.optionalReal(3))
                it->second->typePriorPerType[type] = *v;
            if (const auto v = types.optionalReal(4))
                it->second->shuffledPerType[type] = *v;
        }
    });
    return rows;
}

} // namespace cosw

// The experiment store (DESIGN §6): schema and migrations, several writer
// processes at once, a writer killed mid-transaction, stale runs, the run
// lifecycle, down-sampled series, comparisons, hostile names, bad files and
// the default location.

#include "TestSupport.h"

#include "base/Errors.h"
#include "base/Processes.h"
#include "compare/ParetoFront.h"
#include "store/ExperimentStore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QtTest>

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <chrono>
#include <csignal>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <thread>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cosw;

namespace {

std::string str(const QString &s) { return s.toStdString(); }

double now()
{
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string thisHost()
{
    char buf[256] = {};
    gethostname(buf, sizeof buf - 1);
    return buf;
}



// What a call threw: its kind ("InputError", "StoreError", "other" or
// "nothing") and message. ConfigError counts as InputError.
struct Thrown {
    QString kind = "nothing";
    std::string message;
};

Thrown thrown(const std::function<void()> &fn)
{
    Thrown t;
    try {
        fn();
    } catch (const InputError &e) {
        t = {"InputError", e.what()};
    } catch (const StoreError &e) {
        t = {"StoreError", e.what()};
    } catch (const std::exception &e) {
        t = {"other", e.what()};
    }
    return t;
}

QString describe(const Thrown &t) { return t.kind + ": " + QString::fromStdString(t.message); }

bool contains(const std::string &haystack, const std::string &needle)
{
    return haystack.find(needle) != std::string::npos;
}

// A plain sqlite3 connection beside the store, for what the store's API does
// not offer: raw schema checks, fixtures, locks and tampering.
class RawDb {
public:
    explicit RawDb(const QString &path)
    {
        m_rc = sqlite3_open_v2(path.toUtf8().constData(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
        sqlite3_busy_timeout(m_db, 10000);
    }
    ~RawDb() { sqlite3_close(m_db); }
    RawDb(const RawDb &) = delete;
    RawDb &operator=(const RawDb &) = delete;

    bool ok() const { return m_rc == SQLITE_OK; }

    // Empty on success, else sqlite's message.
    std::string exec(const std::string &sql)
    {
        char *error = nullptr;
        const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &error);
        std::string out = rc == SQLITE_OK ? std::string() : std::string(error ? error : "error ") + std::to_string(rc);
        sqlite3_free(error);
        return out;
    }

    // The first column of every row, as text.
    QStringList column(const std::string &sql)
    {
        QStringList out;
        sqlite3_stmt *s = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
            return {"<prepare failed: " + QString::fromUtf8(sqlite3_errmsg(m_db)) + ">"};
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(s, 0));
            out << (p ? QString::fromUtf8(p) : QString("<null>"));
        }
        if (rc != SQLITE_DONE)
            out << "<step failed: " + QString::fromUtf8(sqlite3_errmsg(m_db)) + ">";
        sqlite3_finalize(s);
        return out;
    }

    qint64 integer(const std::string &sql)
    {
        const QStringList c = column(sql);
        return c.isEmpty() ? -1 : c.first().toLongLong();
    }

private:
    sqlite3 *m_db = nullptr;
    int m_rc = SQLITE_ERROR;
};

const QStringList kTables = {"artifacts", "checkpoints", "evaluation_types", "evaluations",
                             "imports", "metrics", "runs", "stages"};

QStringList tables(RawDb &db)
{
    return db.column("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
}

QString writerPath() { return QString::fromLocal8Bit(qgetenv("COS_STORE_WRITER")); }

struct WriterResult {
    int exitCode = -1;
    QString out, err;
};

WriterResult runWriter(const QStringList &args)
{
    QProcess p;
    p.start(writerPath(), args);
    p.waitForFinished(60000);
    WriterResult r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// "run ID" in a writer's output.
int64_t runIdFrom(const QString &out)
{
    for (const QString &line : out.split('\n'))
        if (line.startsWith("run "))
            return line.mid(4).toLongLong();
    return -1;
}

std::vector<MetricPoint> points(const std::string &name, int64_t firstStep, int64_t count, int stage = 1)
{
    std::vector<MetricPoint> out;
    for (int64_t i = 0; i < count; ++i)
        out.push_back({stage, firstStep + i, name, 1.0 / static_cast<double>(firstStep + i + 1), 1.7e9 + i});
    return out;
}

ComparisonRow row(std::optional<double> seconds, std::optional<double> accuracy)
{
    ComparisonRow r;
    r.pretrainSeconds = seconds;
    r.accuracy = accuracy;
    return r;
}

// Saves and restores the variables defaultPath() reads.
class EnvGuard {
public:
    EnvGuard()
    {
        for (const char *name : {"COS_DB", "XDG_DATA_HOME", "HOME"})
            m_saved.push_back({name, qEnvironmentVariableIsSet(name), qgetenv(name)});
    }
    ~EnvGuard()
    {
        for (const auto &v : m_saved) {
            if (v.set)
                qputenv(v.name, v.value);
            else
                qunsetenv(v.name);
        }
    }

private:
    struct Saved {
        const char *name;
        bool set;
        QByteArray value;
    };
    std::vector<Saved> m_saved;
};

} // namespace

class TestStore : public QObject {
    Q_OBJECT
public:
    // Before QTest starts: on a CPU OpenBLAS does not know, with the right kernel.
    static void initMain() { cosw::ensureBlasKernel(); }

private slots:
    void initTestCase()
    {
        QVERIFY2(!writerPath().isEmpty(), "COS_STORE_WRITER is not set (run through ctest)");
        QVERIFY2(QFile::exists(writerPath()), qPrintable(writerPath()));
    }

    // ------------------------------------------------------------ schema

    void freshSchema()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("fresh.sqlite");
        {
            ExperimentStore store(str(path));
            QCOMPARE(store.schemaVersion(), ExperimentStore::kSchemaVersion);
            QCOMPARE(store.file(), str(path));
        }
        RawDb raw(path);
        QCOMPARE(raw.integer("PRAGMA user_version"), qint64(ExperimentStore::kSchemaVersion));
        QCOMPARE(tables(raw), kTables);
        QCOMPARE(raw.column("PRAGMA journal_mode"), QStringList{"wal"});
        QCOMPARE(raw.column("PRAGMA integrity_check"), QStringList{"ok"});
    }

    void reopenIsIdempotent()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("again.sqlite");
        int64_t id = 0;
        {
            ExperimentStore store(str(path));
            id = store.createRun("kept", "{}", "mlp", "cpu", "{}");
            store.addMetrics(id, points("loss", 0, 10));
        }
        QStringList schema;
        {
            RawDb raw(path);
            schema = raw.column("SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_schema ORDER BY name");
        }
        QVERIFY(!schema.isEmpty());
        for (int i = 0; i < 3; ++i) {
            ExperimentStore store(str(path));
            QCOMPARE(store.schemaVersion(), ExperimentStore::kSchemaVersion);
            const auto runs = store.runs();
            QCOMPARE(runs.size(), size_t(1));
            QCOMPARE(runs[0].id, id);
            QCOMPARE(runs[0].name, std::string("kept"));
            QCOMPARE(runs[0].status, RunStatus::Queued);
            QCOMPARE(store.metricCount(id), int64_t(10));
        }
        RawDb raw(path);
        QCOMPARE(raw.column("SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_schema ORDER BY name"),
                 schema);
        QCOMPARE(raw.integer("PRAGMA user_version"), qint64(ExperimentStore::kSchemaVersion));
    }

    void newerSchemaIsRefused_data()
    {
        QTest::addColumn<bool>("madeByStore");
        QTest::newRow("store in WAL mode") << true;
        QTest::newRow("plain rollback-journal database") << false;
    }

    void newerSchemaIsRefused()
    {
        QFETCH(bool, madeByStore);
        QTemporaryDir dir;
        const QString path = dir.filePath("future.sqlite");
        if (madeByStore) {
            ExperimentStore store(str(path));
            store.createRun("from the future", "{}", "", "", "{}");
        }
        {
            RawDb raw(path);
            QCOMPARE(raw.exec("CREATE TABLE IF NOT EXISTS future_table (x); PRAGMA user_version = "
                              + std::to_string(ExperimentStore::kSchemaVersion + 1)),
                     std::string());
        }
        QVERIFY(!QFile::exists(path + "-wal"));
        const QByteArray before = test::readFile(path);
        QVERIFY(!before.isEmpty());

        const Thrown t = thrown([&] { ExperimentStore store(str(path)); });
        QCOMPARE(t.kind, QString("InputError"));
        QVERIFY2(contains(t.message, str(path)), t.message.c_str());
        QVERIFY2(contains(t.message, std::to_string(ExperimentStore::kSchemaVersion + 1)), t.message.c_str());
        QCOMPARE(test::readFile(path), before);
        QVERIFY(!QFile::exists(path + "-journal"));
        QVERIFY(!QFile::exists(path + "-wal") || test::readFile(path + "-wal").isEmpty());
    }

    // Every earlier schema version has a fixture, tests/data/store-vN.sql,
    // with the same content; a new schema version adds a row by itself and
    // fails until its predecessor's fixture exists.
    void migration_data()
    {
        QTest::addColumn<int>("version");
        for (int v = 1; v <= ExperimentStore::kSchemaVersion; ++v)
            QTest::newRow(qPrintable(QString("from v%1").arg(v))) << v;
    }

    void migration()
    {
        QFETCH(int, version);
        const QString fixture = test::sourcePath(QString("tests/data/store-v%1.sql").arg(version));
        QFile f(fixture);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable("missing fixture " + fixture));
        const std::string sql = f.readAll().toStdString();

        QTemporaryDir dir;
        const QString path = dir.filePath(QString("v%1.sqlite").arg(version));
        {
            RawDb raw(path);
            QCOMPARE(raw.exec(sql), std::string());
            QCOMPARE(raw.integer("PRAGMA user_version"), qint64(version));
        }

        ExperimentStore store(str(path));
        QCOMPARE(store.schemaVersion(), ExperimentStore::kSchemaVersion);

        const auto runs = store.runs();
        QCOMPARE(runs.size(), size_t(2));
        const RunRecord &r = runs[0];
        QCOMPARE(r.id, int64_t(1));
        QCOMPARE(r.name, std::string("fixture run"));
        QCOMPARE(r.status, RunStatus::Finished);
        QCOMPARE(r.config, std::string("{\"seed\":3,\"stages\":3}"));
        QCOMPARE(r.connector, std::string("chain_of_sight"));
        QCOMPARE(r.host, std::string("fixture-host"));
        QCOMPARE(r.pid, std::optional<int64_t>(4242));
        QCOMPARE(r.device, std::string("cuda:0"));
        QCOMPARE(r.versions, std::string("{\"program\":\"0.1.0\",\"libtorch\":\"2.1.0\"}"));
        QCOMPARE(r.createdAt, 1700000000.5);
        QCOMPARE(r.startedAt, std::optional<double>(1700000001.0));
        QCOMPARE(r.endedAt, std::optional<double>(1700005401.0));
        QCOMPARE(r.heartbeatAt, std::optional<double>(1700005400.0));
        // The fixture's vision stage recorded the model's 16 tokens, as builds
        // did then; a stage that trains the tower alone makes none, so the
        // run's smallest budget is its pre-training's.
        QCOMPARE(r.minVisualTokens, 80);
        QCOMPARE(r.maxVisualTokens, 336);
        // From before sweeps: in none, parameters unknown.
        QVERIFY(r.sweep.sweep.empty() && r.sweep.variant.empty() && !r.sweep.seed && !r.parameters);
        // Nor was where a run is recorded.
        QVERIFY(!r.progress && !runs[1].progress);
        // Left `running` on another host years ago: interrupted on open.
        QCOMPARE(runs[1].name, std::string("fixture left running"));
        QCOMPARE(runs[1].status, RunStatus::Interrupted);
        QVERIFY2(contains(runs[1].message, "fixture-host"), runs[1].message.c_str());

        const RunDetail d = store.run(1);
        QCOMPARE(d.stages.size(), size_t(3));
        QCOMPARE(d.stages[0].name, std::string("align"));
        QCOMPARE(d.stages[0].kind, std::string("vision"));
        QCOMPARE(d.stages[0].tokensPerScale, std::vector<int>{16});
        QCOMPARE(d.stages[0].lmTokensPerSecond, std::optional<double>());
        QCOMPARE(d.stages[1].index, 1);
        QCOMPARE(d.stages[1].kind, std::string("pretrain"));
        QCOMPARE(d.stages[1].visualTokens, 80);
        QCOMPARE(d.stages[1].tokensPerScale, (std::vector<int>{16, 64}));
        QCOMPARE(d.stages[1].resolution, 448);
        QCOMPARE(d.stages[1].steps, int64_t(1000));
        QCOMPARE(d.stages[1].wallSeconds, std::optional<double>(3600.0));
        QCOMPARE(d.stages[1].samplesPerSecond, std::optional<double>(55.5));
        QCOMPARE(d.stages[1].lmTokensPerSecond, std::optional<double>(9000.0));
        QCOMPARE(d.stages[1].stepSeconds, std::optional<double>(0.12));
        QCOMPARE(d.stages[1].finalLoss, std::optional<double>(1.25));
        QVERIFY(d.stages[1].featureCache);
        QCOMPARE(d.stages[2].tokensPerScale, (std::vector<int>{16, 64, 256}));
        QVERIFY(!d.stages[2].featureCache);
        // Run 1 trained every stage; run 2 took its tower from the stage
        // cache, which stores before schema 6 tell by its zero steps.
        QVERIFY(std::none_of(d.stages.begin(), d.stages.end(), [](const StageRecord &st) { return st.fromCache; }));
        const RunDetail cachedTower = store.run(2);
        QCOMPARE(cachedTower.stages.size(), size_t(1));
        QCOMPARE(cachedTower.stages[0].steps, int64_t(0));
        QVERIFY(cachedTower.stages[0].fromCache);

        QVERIFY(d.finalEvaluation);
        QCOMPARE(d.finalEvaluation->stage, 2);
        QCOMPARE(d.finalEvaluation->step, int64_t(500));
        QCOMPARE(d.finalEvaluation->accuracy, 0.62);
        QCOMPARE(d.finalEvaluation->n, int64_t(200));
        QCOMPARE(d.finalEvaluation->perType.size(), size_t(2));
        QCOMPARE(d.finalEvaluation->perType.at("counting"), std::make_pair(0.5, int64_t(50)));
        QCOMPARE(d.finalEvaluation->perType.at("ocr"), std::make_pair(0.7, int64_t(150)));
        // Stored before the controls existed: absent, not zero.
        QVERIFY(!d.finalEvaluation->typePrior && !d.finalEvaluation->shuffledAccuracy && !d.finalEvaluation->cellReading);
        QVERIFY(d.finalEvaluation->typePriorPerType.empty() && d.finalEvaluation->shuffledPerType.empty());
        QCOMPARE(d.checkpoints.size(), size_t(1));
        QCOMPARE(d.checkpoints[0].path, std::string("/data/runs/fixture/step-500"));
        QCOMPARE(d.checkpoints[0].step, int64_t(500));
        QCOMPARE(d.artifacts.size(), size_t(1));
        QCOMPARE(d.artifacts[0].kind, std::string("attention-map"));
        QCOMPARE(d.artifacts[0].description, std::string("stage 2, image 0"));

        // Imports came with schema 4: none before, the fixture's one since.
        const auto imports = store.imports();
        QCOMPARE(imports.size(), size_t(version >= 4 ? 1 : 0));
        if (version >= 4) {
            QCOMPARE(imports[0].part, std::string("lm"));
            QCOMPARE(imports[0].architecture, std::string("LlamaForCausalLM"));
            QCOMPARE(imports[0].path, std::string("/data/imports/vicuna"));
            QCOMPARE(imports[0].parameters, int64_t(6738415616));
        }
        // A new import is recorded; importing into the same directory again replaces it.
        store.recordImport({0, "vision", "CLIPVisionModel", "/models/clip", "/data/imports/clip", 303179776, 1800000000.0});
        store.recordImport({0, "vision", "CLIPModel", "/models/clip-336", "/data/imports/clip", 304293376, 1800000001.0});
        QCOMPARE(store.imports().size(), imports.size() + 1);
        QCOMPARE(store.imports().front().architecture, std::string("CLIPModel"));
        QCOMPARE(store.imports().front().createdAt, 1800000001.0);

        QCOMPARE(store.metricNames(1), (std::vector<std::string>{"loss", "lr"}));
        QCOMPARE(store.metricCount(1), int64_t(550));
        QCOMPARE(store.metricCount(1, "loss"), int64_t(500));
        const auto series = store.metricSeries(1, "loss", 2000);
        QCOMPARE(series.size(), size_t(500));
        QCOMPARE(series.front().step, int64_t(10));
        QCOMPARE(series.front().value, 5.0);
        QCOMPARE(series.front().stage, 1);
        QCOMPARE(series.back().step, int64_t(5000));
        QCOMPARE(series.back().value, 0.01);

        const auto rows = store.comparison();
        QCOMPARE(rows.size(), size_t(2));
        QCOMPARE(rows[0].pretrainSeconds, std::optional<double>(3600.0));
        QCOMPARE(rows[0].finetuneSeconds, std::optional<double>(1800.0));
        QCOMPARE(rows[0].accuracy, std::optional<double>(0.62));

        // Still writable after the migration.
        store.addMetrics(1, points("loss", 6000, 5));
        QCOMPARE(store.metricCount(1, "loss"), int64_t(505));
        QCOMPARE(store.createRun("after migration", "{}", "", "", "{}"), int64_t(3));
    }

    // -------------------------------------------------------- concurrency

    void concurrentWriters()
    {
        constexpr int kWriters = 4, kPoints = 10000, kBatch = 100;
        QTemporaryDir dir;
        const QString path = dir.filePath("shared.sqlite");
        std::vector<std::unique_ptr<QProcess>> writers;
        for (int i = 0; i < kWriters; ++i) {
            writers.push_back(std::make_unique<QProcess>());
            writers.back()->start(writerPath(), {path, "metrics", QString("writer %1").arg(i),
                                                 QString::number(kPoints), QString::number(kBatch)});
        }
        for (auto &w : writers)
            QVERIFY2(w->waitForStarted(), qPrintable(w->errorString()));

        // The fifth process reads while they write; it may be the one that
        // creates the file.
        ExperimentStore store(str(path));
        std::map<int64_t, int64_t> seen; // run -> last count
        int reads = 0, partial = 0;
        QElapsedTimer guard;
        guard.start();
        auto running = [&] {
            bool any = false;
            for (auto &w : writers) {
                // waitForFinished() lets QProcess notice an exit (there is no
                // event loop); it returns false for one that already exited.
                if (w->state() != QProcess::NotRunning)
                    w->waitForFinished(2);
                any |= w->state() != QProcess::NotRunning;
            }
            return any;
        };
        while (running()) {
            QVERIFY2(guard.elapsed() < 120000, "the writers did not finish within two minutes");
            for (const RunRecord &r : store.runs()) {
                const int64_t count = store.metricCount(r.id, "loss");
                // Every addMetrics call is one transaction: a reader sees
                // whole batches, and never fewer than before.
                QVERIFY2(count % kBatch == 0, qPrintable(QString::number(count)));
                QVERIFY(count >= seen[r.id]);
                QVERIFY(count <= kPoints);
                seen[r.id] = count;
                partial += count > 0 && count < kPoints;
                const auto series = store.metricSeries(r.id, "loss", 200);
                QVERIFY(series.size() <= 200);
                QVERIFY(std::is_sorted(series.begin(), series.end(),
                                       [](const SeriesPoint &a, const SeriesPoint &b) { return a.step < b.step; }));
                QVERIFY(store.metricCount(r.id) >= count);
                ++reads;
            }
        }
        qInfo("the reader made %d run reads while the writers ran, %d of them mid-run", reads, partial);

        for (auto &w : writers) {
            const QString err = QString::fromUtf8(w->readAllStandardError());
            QCOMPARE(w->exitStatus(), QProcess::NormalExit);
            QVERIFY2(w->exitCode() == 0, qPrintable(err));
            QVERIFY2(err.isEmpty(), qPrintable(err));
            QVERIFY(w->readAllStandardOutput().contains("done " + QByteArray::number(kPoints)));
        }

        const auto runs = store.runs();
        QCOMPARE(runs.size(), size_t(kWriters));
        std::set<std::string> names;
        for (const RunRecord &r : runs) {
            names.insert(r.name);
            QCOMPARE(r.status, RunStatus::Finished);
            QCOMPARE(store.metricCount(r.id), int64_t(kPoints));
            QCOMPARE(store.metricCount(r.id, "loss"), int64_t(kPoints));
            const auto series = store.metricSeries(r.id, "loss", 2 * kPoints);
            QCOMPARE(series.size(), size_t(kPoints));
            for (int i = 0; i < kPoints; ++i) {
                QCOMPARE(series[i].step, int64_t(i));
                QCOMPARE(series[i].value, 10.0 / (i + 1));
            }
        }
        QCOMPARE(names, (std::set<std::string>{"writer 0", "writer 1", "writer 2", "writer 3"}));
        RawDb raw(path);
        QCOMPARE(raw.column("PRAGMA integrity_check"), QStringList{"ok"});
    }

    // Processes that open one new store at the same moment (the ranks of
    // `bench replica --nproc`, the desktop beside a run) all get it: switching
    // a new file to WAL is not waited for by SQLite's busy handler, and it
    // used to fail one of them with "the database is locked".
    void newStoreOpenedByManyAtOnce()
    {
        constexpr int kTrials = 40, kOpeners = 4;
        QTemporaryDir dir;
        int failures = 0;
        QString firstError;
        for (int trial = 0; trial < kTrials; ++trial) {
            const std::string path = str(dir.filePath(QString("new-%1.sqlite").arg(trial)));
            std::atomic<int> ready{0};
            std::vector<std::string> errors(kOpeners);
            std::vector<std::thread> openers;
            for (int i = 0; i < kOpeners; ++i)
                openers.emplace_back([&, i] {
                    ++ready;
                    while (ready < kOpeners) {
                    }
                    try {
                        ExperimentStore store(path);
                        store.runs();
                    } catch (const std::exception &e) {
                        errors[size_t(i)] = e.what();
                    }
                });
            for (auto &t : openers)
                t.join();
            for (const std::string &e : errors)
                if (!e.empty()) {
                    ++failures;
                    if (firstError.isEmpty())
                        firstError = QString::fromStdString(e);
                }
            RawDb raw(QString::fromStdString(path));
            QCOMPARE(raw.column("PRAGMA journal_mode"), QStringList{"wal"});
        }
        QVERIFY2(failures == 0, qPrintable(QString("%1 of %2 opens failed, e.g. %3")
                                               .arg(failures)
                                               .arg(kTrials * kOpeners)
                                               .arg(firstError)));
    }

    void killedMidTransaction()
    {
        constexpr int kBatch = 2000, kCommitsBeforeKill = 5;
        QTemporaryDir dir;
        const QString path = dir.filePath("killed.sqlite");
        QProcess p;
        p.start(writerPath(), {path, "loop", "doomed", QString::number(kBatch)});
        QVERIFY2(p.waitForStarted(), qPrintable(p.errorString()));

        int64_t runId = -1, lastTotal = 0;
        int commits = 0;
        auto parse = [&](const QByteArray &line) {
            if (line.startsWith("run "))
                runId = line.mid(4).trimmed().toLongLong();
            else if (line.startsWith("committed ")) {
                lastTotal = line.mid(10).trimmed().toLongLong();
                ++commits;
            }
        };
        QElapsedTimer guard;
        guard.start();
        while (commits < kCommitsBeforeKill) {
            QVERIFY2(guard.elapsed() < 60000, qPrintable(QString::fromUtf8(p.readAllStandardError())));
            QVERIFY2(p.state() == QProcess::Running || p.canReadLine(),
                     qPrintable(QString::fromUtf8(p.readAllStandardError())));
            if (!p.canReadLine())
                p.waitForReadyRead(1000);
            while (p.canReadLine())
                parse(p.readLine());
        }
        QVERIFY(::kill(static_cast<pid_t>(p.processId()), SIGKILL) == 0);
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);
        for (const QByteArray &line : p.readAllStandardOutput().split('\n'))
            parse(line);
        QVERIFY(runId > 0);
        QVERIFY(lastTotal >= kCommitsBeforeKill * kBatch);

        {
            RawDb raw(path);
            QCOMPARE(raw.column("PRAGMA integrity_check"), QStringList{"ok"});
        }
        ExperimentStore store(str(path));
        const int64_t count = store.metricCount(runId);
        // Everything it reported is there, plus at most the batch it
        // committed before it could print, and never part of a batch.
        QVERIFY2(count == lastTotal || count == lastTotal + kBatch,
                 qPrintable(QString("%1 points, last reported %2").arg(count).arg(lastTotal)));
        QCOMPARE(store.run(runId).run.status, RunStatus::Interrupted);
        const auto series = store.metricSeries(runId, "loss", int(count) + 1);
        QCOMPARE(int64_t(series.size()), count);
        QCOMPARE(series.back().step, count - 1);
        RawDb raw(path);
        QCOMPARE(raw.column("PRAGMA integrity_check"), QStringList{"ok"});
    }

    // ---------------------------------------------------------- lifecycle

    // What tells a run's process from a later one with the same pid.
    void processIdentity()
    {
        const std::optional<double> self = processStartTime(getpid());
        QVERIFY(self);
        QVERIFY(*self <= now() && *self > now() - 24 * 3600); // this test started minutes ago at most
        QVERIFY(sameProcessAlive(getpid(), self));
        QVERIFY(sameProcessAlive(getpid(), std::nullopt));
        QVERIFY(!sameProcessAlive(getpid(), *self - 100)); // "we started earlier": then it is another process
        // An exited child nobody reaped yet is gone, though kill() still finds it.
        const pid_t child = fork();
        if (child == 0)
            _exit(0);
        QTest::qWait(200);
        QVERIFY(!processAlive(child));
        int status = 0;
        QCOMPARE(waitpid(child, &status, 0), child);
        QVERIFY(!processAlive(child));
    }

    void staleRuns()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("stale.sqlite");
        const WriterResult w = runWriter({path, "start-and-exit", "orphan"});
        QVERIFY2(w.exitCode == 0, qPrintable(w.err));
        const int64_t orphan = runIdFrom(w.out);
        QVERIFY(orphan > 0);
        {
            RawDb raw(path);
            QCOMPARE(raw.column("SELECT status FROM runs WHERE id = " + std::to_string(orphan)),
                     QStringList{"running"});
        }

        ExperimentStore store(str(path));
        RunRecord r = store.run(orphan).run;
        QCOMPARE(r.status, RunStatus::Interrupted);
        QVERIFY(!r.message.empty());
        QVERIFY2(contains(r.message, "gone") && r.pid && contains(r.message, std::to_string(*r.pid)),
                 r.message.c_str());
        QVERIFY(r.endedAt);

        const int64_t remoteOld = store.createRun("remote, silent for an hour", "{}", "", "", "{}");
        const int64_t remoteFresh = store.createRun("remote, beat 10 s ago", "{}", "", "", "{}");
        const int64_t local = store.createRun("this process", "{}", "", "", "{}");
        const int64_t localQuiet = store.createRun("this process, quiet for an hour", "{}", "", "", "{}");
        const int64_t queued = store.createRun("queued", "{}", "", "", "{}");
        for (int64_t id : {remoteOld, remoteFresh, local, localQuiet})
            store.startRun(id);
        {
            RawDb raw(path);
            const double t = now();
            QCOMPARE(raw.exec("UPDATE runs SET host = 'elsewhere.example', heartbeat_at = " + std::to_string(t - 3600)
                              + " WHERE id = " + std::to_string(remoteOld)),
                     std::string());
            QCOMPARE(raw.exec("UPDATE runs SET host = 'elsewhere.example', heartbeat_at = " + std::to_string(t - 10)
                              + " WHERE id = " + std::to_string(remoteFresh)),
                     std::string());
            QCOMPARE(raw.exec("UPDATE runs SET heartbeat_at = " + std::to_string(t - 3600)
                              + " WHERE id = " + std::to_string(localQuiet)),
                     std::string());
        }
        QCOMPARE(store.markStaleRuns(600), 1);
        r = store.run(remoteOld).run;
        QCOMPARE(r.status, RunStatus::Interrupted);
        QVERIFY2(contains(r.message, "elsewhere.example"), r.message.c_str());
        QCOMPARE(store.run(remoteFresh).run.status, RunStatus::Running);
        // A live process on this host is never stale, whatever its heartbeat.
        QCOMPARE(store.run(local).run.status, RunStatus::Running);
        QCOMPARE(store.run(localQuiet).run.status, RunStatus::Running);
        QCOMPARE(store.run(queued).run.status, RunStatus::Queued);
        QCOMPARE(store.markStaleRuns(600), 0);

        // A pid that now belongs to a process started later is not the run's:
        // this process pretends to have started in 2001.
        const int64_t reused = store.createRun("pid reused", "{}", "", "", "{}");
        store.startRun(reused);
        {
            RawDb raw(path);
            QCOMPARE(raw.exec("UPDATE runs SET pid_started_at = 1000000000 WHERE id = " + std::to_string(reused)),
                     std::string());
        }
        QCOMPARE(store.markStaleRuns(600), 1);
        r = store.run(reused).run;
        QCOMPARE(r.status, RunStatus::Interrupted);
        QVERIFY2(contains(r.message, "belongs to a process started later"), r.message.c_str());
        QCOMPARE(store.run(local).run.status, RunStatus::Running);

        // Opening the store again marks nothing that is alive.
        ExperimentStore again(str(path));
        QCOMPARE(again.run(local).run.status, RunStatus::Running);
        QCOMPARE(again.run(localQuiet).run.status, RunStatus::Running);
        QCOMPARE(again.run(remoteFresh).run.status, RunStatus::Running);
        // A remote run goes stale once its heartbeat is older than the limit.
        QCOMPARE(again.markStaleRuns(5), 1);
        QCOMPARE(again.run(remoteFresh).run.status, RunStatus::Interrupted);
    }

    // A parent that saw its child die knows why: the child's runs since it
    // started (running, or marked interrupted as vanished) fail with that
    // reason; older runs of the pid and other processes' runs stay.
    void runsOfAnEndedProcessFail()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("ended.sqlite");
        const WriterResult w = runWriter({path, "start-and-exit", "killed"});
        QVERIFY2(w.exitCode == 0, qPrintable(w.err));
        const int64_t killed = runIdFrom(w.out);
        ExperimentStore store(str(path));
        QCOMPARE(store.run(killed).run.status, RunStatus::Interrupted); // vanished, as far as the store knows
        const int64_t pid = *store.run(killed).run.pid;
        const int64_t earlier = store.createRun("the same pid, long ago", "{}", "", "", "{}");
        const int64_t alive = store.createRun("this process", "{}", "", "", "{}");
        store.startRun(alive);
        {
            RawDb raw(path);
            QCOMPARE(raw.exec("UPDATE runs SET status = 'interrupted', host = (SELECT host FROM runs WHERE id = "
                              + std::to_string(killed) + "), pid = " + std::to_string(pid) + ", heartbeat_at = "
                              + std::to_string(now() - 3600) + " WHERE id = " + std::to_string(earlier)),
                     std::string());
        }
        const std::vector<int64_t> failed = store.failRunsOfEndedProcess(pid, now() - 600, "rank 0 was killed by signal 9");
        QCOMPARE(failed, std::vector<int64_t>{killed});
        const RunRecord r = store.run(killed).run;
        QCOMPARE(r.status, RunStatus::Failed);
        QCOMPARE(r.message, std::string("rank 0 was killed by signal 9"));
        QCOMPARE(store.run(earlier).run.status, RunStatus::Interrupted);
        QCOMPARE(store.run(alive).run.status, RunStatus::Running);
        // A run already failed is not marked again.
        QVERIFY(store.failRunsOfEndedProcess(pid, now() - 600, "again").empty());
    }

    void lifecycle()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("life.sqlite");
        ExperimentStore store(str(path));
        const double before = now();
        const int64_t id = store.createRun("life", "{\"a\":1}", "mlp", "cuda:1", "{\"program\":\"x\"}");
        RunRecord r = store.run(id).run;
        QCOMPARE(r.id, id);
        QCOMPARE(r.status, RunStatus::Queued);
        QCOMPARE(r.name, std::string("life"));
        QCOMPARE(r.config, std::string("{\"a\":1}"));
        QCOMPARE(r.connector, std::string("mlp"));
        QCOMPARE(r.device, std::string("cuda:1"));
        QCOMPARE(r.versions, std::string("{\"program\":\"x\"}"));
        QVERIFY(r.createdAt >= before - 1);
        QVERIFY(!r.startedAt && !r.endedAt && !r.heartbeatAt && !r.pid);
        QVERIFY(r.host.empty());

        store.startRun(id);
        r = store.run(id).run;
        QCOMPARE(r.status, RunStatus::Running);
        QCOMPARE(r.host, thisHost());
        QCOMPARE(r.pid, std::optional<int64_t>(getpid()));
        QVERIFY(r.startedAt && r.heartbeatAt && !r.endedAt);
        {
            RawDb raw(path);
            QCOMPARE(raw.exec("UPDATE runs SET heartbeat_at = 1 WHERE id = " + std::to_string(id)), std::string());
        }
        store.heartbeat(id);
        QVERIFY(*store.run(id).run.heartbeatAt > 1);
        store.endRun(id, RunStatus::Finished);
        r = store.run(id).run;
        QCOMPARE(r.status, RunStatus::Finished);
        QVERIFY(r.endedAt && *r.endedAt >= *r.startedAt);
        QVERIFY(r.message.empty());

        const int64_t failed = store.createRun("fails", "{}", "", "", "{}");
        store.startRun(failed);
        store.endRun(failed, RunStatus::Failed, "CUDA out of memory");
        QCOMPARE(store.run(failed).run.status, RunStatus::Failed);
        QCOMPARE(store.run(failed).run.message, std::string("CUDA out of memory"));

        // interrupted -> running again (resume) keeps the first start.
        const int64_t resumed = store.createRun("resumed", "{}", "", "", "{}");
        store.startRun(resumed);
        const double firstStart = *store.run(resumed).run.startedAt;
        store.endRun(resumed, RunStatus::Interrupted, "stopped by the user");
        r = store.run(resumed).run;
        QCOMPARE(r.status, RunStatus::Interrupted);
        QCOMPARE(r.message, std::string("stopped by the user"));
        store.startRun(resumed);
        r = store.run(resumed).run;
        QCOMPARE(r.status, RunStatus::Running);
        QVERIFY(r.message.empty());
        QVERIFY(!r.endedAt);
        QCOMPARE(*r.startedAt, firstStart);

        const int64_t queued = store.createRun("waits", "{}", "", "", "{}");
        auto ids = [&](RunStatus s) {
            RunFilter f;
            f.status = s;
            std::vector<int64_t> out;
            for (const RunRecord &x : store.runs(f))
                out.push_back(x.id);
            return out;
        };
        QCOMPARE(ids(RunStatus::Finished), std::vector<int64_t>{id});
        QCOMPARE(ids(RunStatus::Failed), std::vector<int64_t>{failed});
        QCOMPARE(ids(RunStatus::Running), std::vector<int64_t>{resumed});
        QCOMPARE(ids(RunStatus::Queued), std::vector<int64_t>{queued});
        QCOMPARE(ids(RunStatus::Interrupted), std::vector<int64_t>{});
        QCOMPARE(store.runs().size(), size_t(4));

        for (RunStatus s : {RunStatus::Queued, RunStatus::Running, RunStatus::Finished, RunStatus::Failed,
                            RunStatus::Interrupted})
            QCOMPARE(runStatusFromName(runStatusName(s)), s);
        QCOMPARE(thrown([] { runStatusFromName("paused"); }).kind, QString("InputError"));

        // A missing run: exactly "no run N in FILE", from every call that takes one.
        const std::string missing = "no run 9999 in " + str(path);
        const std::vector<std::pair<const char *, std::function<void()>>> calls = {
            {"run", [&] { store.run(9999); }},
            {"startRun", [&] { store.startRun(9999); }},
            {"endRun", [&] { store.endRun(9999, RunStatus::Finished); }},
            {"putStage", [&] { store.putStage(9999, StageRecord{}); }},
            {"addEvaluation", [&] { store.addEvaluation(9999, EvaluationRecord{}); }},
            {"addCheckpoint", [&] { store.addCheckpoint(9999, CheckpointRecord{}); }},
            {"addArtifact", [&] { store.addArtifact(9999, ArtifactRecord{}); }},
            {"setProgress", [&] { store.setProgress(9999, RunProgress{}); }},
        };
        for (const auto &[what, call] : calls) {
            const Thrown t = thrown(call);
            QVERIFY2(t.kind == "InputError" && t.message == missing, qPrintable(QString(what) + " " + describe(t)));
        }
        QCOMPARE(store.runs().size(), size_t(4));
    }

    void progressIsRecordedWithTheHeartbeat()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("progress.sqlite");
        ExperimentStore store(str(path));
        const int64_t id = store.createRun("r", "{}", "", "cpu", "{}");
        const int64_t other = store.createRun("other", "{}", "", "cpu", "{}");
        store.startRun(id);
        QVERIFY(!store.run(id).run.progress); // before its first step

        // Stage 3 of 0-4, step 120 of 450, 90.5 s left, written at that time.
        RunProgress training{3, 5, "pretrain", false, 120, 450, 90.5, 1800000000.25};
        store.setProgress(id, training);
        const auto check = [&](const RunRecord &r, const RunProgress &want) {
            QVERIFY(r.progress);
            QCOMPARE(r.progress->stage, want.stage);
            QCOMPARE(r.progress->stages, want.stages);
            QCOMPARE(r.progress->stageName, want.stageName);
            QCOMPARE(r.progress->evaluating, want.evaluating);
            QCOMPARE(r.progress->step, want.step);
            QCOMPARE(r.progress->totalSteps, want.totalSteps);
            QCOMPARE(r.progress->etaSeconds, want.etaSeconds);
            QCOMPARE(r.progress->time, want.time);
        };
        check(store.run(id).run, training);
        QCOMPARE(store.run(id).run.heartbeatAt, std::optional<double>(training.time)); // a heartbeat too
        // The list reads it as well, for the run list to follow; only this run's.
        for (const RunRecord &r : store.runs())
            if (r.id == id)
                check(r, training);
            else
                QVERIFY(!r.progress);

        RunProgress evaluating = training;
        evaluating.evaluating = true;
        evaluating.step = 300;
        evaluating.totalSteps = 1200;
        evaluating.etaSeconds.reset();
        evaluating.time += 60;
        store.setProgress(id, evaluating);
        check(store.run(id).run, evaluating);
        // Where it stopped stays with a run that ends.
        store.endRun(id, RunStatus::Interrupted, "stopped");
        check(store.run(id).run, evaluating);

        // A damaged record of where a run is does not keep it from being listed.
        {
            RawDb raw(path);
            QCOMPARE(raw.exec("UPDATE runs SET progress = '{\"stage\": ' WHERE id = " + std::to_string(other)),
                     std::string());
        }
        const auto runs = store.runs();
        QCOMPARE(runs.size(), size_t(2));
        QVERIFY(std::none_of(runs.begin(), runs.end(), [&](const RunRecord &r) { return r.id == other && r.progress; }));
    }

    // ------------------------------------------------------ metric series

    void downSampling()
    {
        QTemporaryDir dir;
        ExperimentStore store(str(dir.filePath("series.sqlite")));
        const int64_t id = store.createRun("series", "{}", "", "", "{}");
        const int64_t other = store.createRun("other", "{}", "", "", "{}");
        constexpr int64_t kFirst = 1, kLast = 10000;
        const std::map<int64_t, double> spikes = {
            {17, -3e5}, {1234, 1e6}, {5678, -1e6}, {9000, 5e5}, {9999, 2e5}};
        std::map<int64_t, double> truth;
        std::vector<MetricPoint> all;
        for (int64_t s = kFirst; s <= kLast; ++s) {
            double v = 2.0 + std::sin(double(s) / 50.0) + 1000.0 / double(s + 10);
            if (auto it = spikes.find(s); it != spikes.end())
                v = it->second;
            truth[s] = v;
            all.push_back({int(s / 4000), s, "loss", v, 1.7e9 + double(s)});
            // Same steps, another series and another run, with values that
            // would show up if the query mixed them in.
            all.push_back({0, s, "grad_norm", 1e9, 1.7e9});
        }
        std::shuffle(all.begin(), all.end(), std::mt19937(7));
        for (size_t i = 0; i < all.size(); i += 1000)
            store.addMetrics(id, std::vector<MetricPoint>(all.begin() + i, all.begin() + std::min(all.size(), i + 1000)));
        store.addMetrics(other, points("loss", 0, 20000));
        QCOMPARE(store.metricCount(id, "loss"), kLast - kFirst + 1);

        // Checks `got` is a down-sampled view of the points of `truth` after
        // `after`, the way the store documents it.
        auto check = [&](const std::vector<SeriesPoint> &got, int maxPoints, int64_t after) {
            std::map<int64_t, double> part(truth.upper_bound(after), truth.end());
            QVERIFY(!part.empty());
            QVERIFY2(got.size() <= size_t(maxPoints), qPrintable(QString::number(got.size())));
            QVERIFY(got.size() >= 2);
            for (size_t i = 1; i < got.size(); ++i)
                QVERIFY2(got[i - 1].step < got[i].step, qPrintable(QString::number(got[i].step)));
            std::map<int64_t, double> gotMap;
            for (const SeriesPoint &p : got) {
                QVERIFY2(part.count(p.step) && part.at(p.step) == p.value, qPrintable(QString::number(p.step)));
                QCOMPARE(p.time, 1.7e9 + double(p.step));
                QCOMPARE(p.stage, int(p.step / 4000));
                gotMap[p.step] = p.value;
            }
            for (const auto &[step, value] : spikes)
                if (step > after)
                    QVERIFY2(gotMap.count(step) && gotMap.at(step) == value,
                             qPrintable(QString("spike at step %1 is missing").arg(step)));
            const int64_t lo = part.begin()->first, hi = part.rbegin()->first, buckets = maxPoints / 2;
            std::map<int64_t, std::pair<double, double>> extremes;
            for (const auto &[step, value] : part) {
                const int64_t b = (step - lo) * buckets / (hi - lo + 1);
                auto it = extremes.find(b);
                if (it == extremes.end())
                    extremes[b] = {value, value};
                else
                    it->second = {std::min(it->second.first, value), std::max(it->second.second, value)};
            }
            QCOMPARE(int64_t(extremes.size()), std::min<int64_t>(buckets, int64_t(part.size())));
            for (const auto &[b, mm] : extremes) {
                bool hasMin = false, hasMax = false;
                for (const auto &[step, value] : gotMap) {
                    if ((step - lo) * buckets / (hi - lo + 1) != b)
                        continue;
                    hasMin |= value == mm.first;
                    hasMax |= value == mm.second;
                }
                QVERIFY2(hasMin && hasMax, qPrintable(QString("bucket %1 lacks its min or max").arg(b)));
            }
            // Each bucket's first point stands for all its points, with their
            // mean, the second for none: an average over the view weighs every
            // point as logged.
            std::map<int64_t, std::pair<double, int64_t>> sums;
            for (const auto &[step, value] : part) {
                auto &[sum, n] = sums[(step - lo) * buckets / (hi - lo + 1)];
                sum += value;
                ++n;
            }
            std::set<int64_t> seen;
            for (const SeriesPoint &p : got) {
                const int64_t b = (p.step - lo) * buckets / (hi - lo + 1);
                if (!seen.insert(b).second) {
                    QCOMPARE(p.represents, int64_t(0));
                    continue;
                }
                QCOMPARE(p.represents, sums.at(b).second);
                QVERIFY(p.mean);
                QVERIFY2(std::abs(*p.mean - sums.at(b).first / double(sums.at(b).second)) < 1e-6 * (1 + std::abs(*p.mean)),
                         qPrintable(QString("bucket %1's mean").arg(b)));
            }
        };
        check(store.metricSeries(id, "loss", 200), 200, std::numeric_limits<int64_t>::min());
        if (QTest::currentTestFailed())
            return;
        check(store.metricSeries(id, "loss", 201), 201, std::numeric_limits<int64_t>::min());
        if (QTest::currentTestFailed())
            return;
        check(store.metricSeries(id, "loss", 2000), 2000, std::numeric_limits<int64_t>::min());
        if (QTest::currentTestFailed())
            return;
        // A live view asking for what is new, still more than maxPoints.
        check(store.metricSeries(id, "loss", 200, 5000), 200, 5000);
        if (QTest::currentTestFailed())
            return;

        // A short series, or a short tail, comes back whole.
        auto whole = store.metricSeries(id, "loss", 200, kLast - 150);
        QCOMPARE(whole.size(), size_t(150));
        for (size_t i = 0; i < whole.size(); ++i) {
            QCOMPARE(whole[i].step, kLast - 149 + int64_t(i));
            QCOMPARE(whole[i].value, truth.at(whole[i].step));
            QCOMPARE(whole[i].represents, int64_t(1));
            QVERIFY(!whole[i].mean);
        }
        QCOMPARE(store.metricSeries(id, "loss", 200, kLast).size(), size_t(0));
        QCOMPARE(store.metricSeries(id, "no such metric", 200).size(), size_t(0));
        const int64_t shortRun = store.createRun("short", "{}", "", "", "{}");
        store.addMetrics(shortRun, points("acc", 100, 200));
        const auto shortSeries = store.metricSeries(shortRun, "acc", 200);
        QCOMPARE(shortSeries.size(), size_t(200));
        for (size_t i = 0; i < shortSeries.size(); ++i) {
            QCOMPARE(shortSeries[i].step, int64_t(100 + i));
            QCOMPARE(shortSeries[i].value, 1.0 / double(101 + i));
        }
        const auto newer = store.metricSeries(shortRun, "acc", 200, 250);
        QCOMPARE(newer.size(), size_t(49));
        QCOMPARE(newer.front().step, int64_t(251));
        QCOMPARE(newer.back().step, int64_t(299));
        QCOMPARE(store.metricNames(id), (std::vector<std::string>{"grad_norm", "loss"}));
    }

    // ---------------------------------------------------------- comparison

    // `show` and the trainer's message read a tower's accuracy back from its
    // evaluation's types; a question type must never pass for one.
    void towerCellAccuracyReadsOnlyATowersTypes()
    {
        EvaluationRecord tower;
        tower.perType = {{towerCellsType(56), {0.92, 4800}}, {towerCellsType(112), {0.9025, 4800}}};
        QCOMPARE(towerCellsType(56), std::string("cells@56px"));
        QCOMPARE(towerCellAccuracy(tower), (std::map<int, double>{{56, 0.92}, {112, 0.9025}}));
        QCOMPARE(towerCellAccuracyText(towerCellAccuracy(tower)), std::string("0.9200 at 56 px, 0.9025 at 112 px"));
        for (const char *type : {"count", "cells@px", "cells@56", "cells@56pxx", "cells@-5px", "cells@9999999999px"}) {
            EvaluationRecord other;
            other.perType = {{type, {0.5, 10}}};
            QVERIFY2(towerCellAccuracy(other).empty(), type);
        }
        EvaluationRecord mixed = tower;
        mixed.perType["count"] = {0.5, 10};
        QVERIFY(towerCellAccuracy(mixed).empty());
        QVERIFY(towerCellAccuracy(EvaluationRecord{}).empty());
    }

    void paretoFrontRows()
    {
        std::vector<ComparisonRow> rows = {
            row(10, 0.50),              // 0 front
            row(20, 0.60),              // 1 front
            row(20, 0.55),              // 2 dominated by 1
            row(10, 0.50),              // 3 ties 0: neither beats the other
            row(30, 0.60),              // 4 dominated by 1 (same accuracy, slower)
            row(std::nullopt, 0.99),    // 5 no time: left out
            row(1, std::nullopt),       // 6 no accuracy: left out
            row(40, 0.70),              // 7 front
            row(5, 0.40),               // 8 front: fastest
            row(10, 0.45),              // 9 dominated by 0 (same time, worse)
        };
        QCOMPARE(paretoFront(rows), (std::vector<size_t>{0, 1, 3, 7, 8}));
        QCOMPARE(paretoFront(std::vector<ComparisonRow>{}), std::vector<size_t>{});
        QCOMPARE(paretoFront({row(std::nullopt, std::nullopt), row(3, std::nullopt)}), std::vector<size_t>{});
        QCOMPARE(paretoFront({row(3, 0.1)}), std::vector<size_t>{0});
        // A row missing a value does not shield others either.
        QCOMPARE(paretoFront({row(std::nullopt, 0.9), row(5, 0.5)}), std::vector<size_t>{1});
    }

    void comparison()
    {
        QTemporaryDir dir;
        ExperimentStore store(str(dir.filePath("compare.sqlite")));
        const int64_t a = store.createRun("cos 80-336", "{}", "chain_of_sight", "cpu", "{}");
        const int64_t b = store.createRun("mlp", "{}", "mlp", "cpu", "{}");
        auto stage = [](int index, const char *name, const char *kind, int tokens, std::optional<double> wall) {
            StageRecord s;
            s.index = index;
            s.name = name;
            s.kind = kind;
            s.visualTokens = tokens;
            s.tokensPerScale = {tokens};
            s.resolution = 224;
            s.steps = 100;
            s.wallSeconds = wall;
            return s;
        };
        store.putStage(a, stage(0, "align", "vision", 16, 5.0));
        store.putStage(a, stage(1, "pretrain-1", "pretrain", 80, 10.0));
        store.putStage(a, stage(2, "pretrain-2", "pretrain", 80, 20.5));
        store.putStage(a, stage(3, "pretrain-3", "pretrain", 80, std::nullopt)); // not timed: adds nothing
        store.putStage(a, stage(4, "sft", "finetune", 336, 7.25));
        store.putStage(a, stage(5, "probe", "other", 336, 100.0));
        // Replacing a stage by index replaces it.
        store.putStage(a, stage(2, "pretrain-2", "pretrain", 80, 30.5));
        // A text stage (no image, 0 tokens) is not the run's smallest token count.
        {
            ExperimentStore other(str(dir.filePath("text-stage.sqlite")));
            const int64_t t = other.createRun("with text", "{}", "chain_of_sight", "cpu", "{}");
            other.putStage(t, stage(0, "words", "text", 0, 3.0));
            other.putStage(t, stage(1, "pretrain", "pretrain", 64, 4.0));
            other.putStage(t, stage(2, "sft", "finetune", 128, 4.0));
            QCOMPARE(other.run(t).run.minVisualTokens, 64);
            QCOMPARE(other.run(t).run.maxVisualTokens, 128);
            RunFilter few;
            few.maxTokens = 32; // no image stage of the run is that small
            QVERIFY(other.runs(few).empty());
            few.maxTokens = 64;
            QCOMPARE(other.runs(few).size(), size_t(1));
        }
        // Nor is a vision stage's (older builds recorded the model's tokens
        // for the stage that trains the tower alone).
        QCOMPARE(store.run(a).run.minVisualTokens, 80);
        QCOMPARE(store.run(a).run.maxVisualTokens, 336);

        EvaluationRecord late;
        late.stage = 4;
        late.step = 50;
        late.accuracy = 0.66;
        late.n = 300;
        late.perType = {{"ocr", {0.6, 100}}, {"counting", {0.7, 200}}};
        EvaluationRecord early = late;
        early.stage = 1;
        early.step = 900;
        early.accuracy = 0.2;
        early.perType = {{"ocr", {0.1, 100}}, {"spatial", {0.3, 200}}};
        EvaluationRecord earlierStep = late;
        earlierStep.step = 10;
        earlierStep.accuracy = 0.5;
        // Inserted out of order: the last is by stage, then step.
        store.addEvaluation(a, late);
        store.addEvaluation(a, early);
        store.addEvaluation(a, earlierStep);
        store.putStage(b, stage(0, "pretrain", "pretrain", 576, std::nullopt));

        const auto rows = store.comparison();
        QCOMPARE(rows.size(), size_t(2));
        const ComparisonRow &ra = rows[0];
        QCOMPARE(ra.runId, a);
        QCOMPARE(ra.name, std::string("cos 80-336"));
        QCOMPARE(ra.status, std::string("queued"));
        QCOMPARE(ra.connector, std::string("chain_of_sight"));
        QCOMPARE(ra.pretrainSeconds, std::optional<double>(10.0 + 30.5));
        QCOMPARE(ra.finetuneSeconds, std::optional<double>(7.25));
        QCOMPARE(ra.accuracy, std::optional<double>(0.66));
        QCOMPARE(ra.perTypeAccuracy, (std::map<std::string, double>{{"counting", 0.7}, {"ocr", 0.6}}));
        const std::vector<std::pair<std::string, int>> tokens = {
            {"align", 16}, {"pretrain-1", 80}, {"pretrain-2", 80}, {"pretrain-3", 80}, {"sft", 336}, {"probe", 336}};
        QCOMPARE(ra.tokensPerStage, tokens);
        const ComparisonRow &rb = rows[1];
        QCOMPARE(rb.runId, b);
        QCOMPARE(rb.pretrainSeconds, std::optional<double>());
        QCOMPARE(rb.finetuneSeconds, std::optional<double>());
        QCOMPARE(rb.accuracy, std::optional<double>());
        QVERIFY(rb.perTypeAccuracy.empty());
        QCOMPARE(paretoFront(rows), std::vector<size_t>{0});

        RunFilter f;
        f.connector = "mlp";
        const auto onlyB = store.comparison(f);
        QCOMPARE(onlyB.size(), size_t(1));
        QCOMPARE(onlyB[0].runId, b);
        f = {};
        f.minTokens = 300;
        f.maxTokens = 400;
        QCOMPARE(store.comparison(f).size(), size_t(1));
        QCOMPARE(store.comparison(f)[0].runId, a);
        f.minTokens = 500;
        f.maxTokens = std::nullopt;
        QCOMPARE(store.comparison(f).size(), size_t(1));
        QCOMPARE(store.comparison(f)[0].runId, b);
    }

    // --------------------------------------------------- hostile text

    void hostileNames()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("names.sqlite");
        ExperimentStore store(str(path));
        const std::vector<std::string> names = {
            "r\xC3\xA9'sum\xC3\xA9; DROP TABLE runs;--%_ \xE8\xA9\xA6\xE9\xA8\x93",
            "it's",
            "say \"hi\"",
            "100%",
            "100x",
            "a_b",
            "axb",
            "semi;colon",
            "-- comment",
            "back\\slash",
            "\xE8\xA9\xA6\xE9\xA8\x93",
            "'); DELETE FROM metrics; --",
        };
        std::map<std::string, int64_t> ids;
        for (const std::string &n : names) {
            const std::string config = "{\"name\":\"" + n + "\"}";
            ids[n] = store.createRun(n, config, n, n, config);
        }
        const auto all = store.runs();
        QCOMPARE(all.size(), names.size());
        for (size_t i = 0; i < names.size(); ++i) {
            QCOMPARE(all[i].name, names[i]);
            QCOMPARE(all[i].connector, names[i]);
            QCOMPARE(all[i].device, names[i]);
            QCOMPARE(all[i].config, "{\"name\":\"" + names[i] + "\"}");
            QCOMPARE(store.run(ids[names[i]]).run.name, names[i]);
        }

        auto matching = [&](const std::string &pattern) {
            RunFilter f;
            f.namePattern = pattern;
            std::set<std::string> out;
            for (const RunRecord &r : store.runs(f))
                out.insert(r.name);
            return out;
        };
        // Literal text matches only itself: % _ \ ' " ; -- are not special.
        for (const std::string &n : names)
            QCOMPARE(matching(n), std::set<std::string>{n});
        QCOMPARE(matching("100*"), (std::set<std::string>{"100%", "100x"}));
        QCOMPARE(matching("a?b"), (std::set<std::string>{"a_b", "axb"}));
        QCOMPARE(matching("*\xE8\xA9\xA6\xE9\xA8\x93"), (std::set<std::string>{names[0], names[10]}));
        QCOMPARE(matching("?\xE8\xA9\xA6\xE9\xA8\x93"), std::set<std::string>{}); // ? is one character
        QCOMPARE(matching("??"), std::set<std::string>{"\xE8\xA9\xA6\xE9\xA8\x93"});
        QCOMPARE(matching("%"), std::set<std::string>{});
        QCOMPARE(matching("_"), std::set<std::string>{});
        QCOMPARE(matching("*%*"), (std::set<std::string>{names[0], "100%"}));
        QCOMPARE(matching("*_*"), (std::set<std::string>{names[0], "a_b"}));
        QCOMPARE(matching("*'*"), (std::set<std::string>{names[0], "it's", "'); DELETE FROM metrics; --"}));
        QCOMPARE(matching("*\\*"), std::set<std::string>{"back\\slash"});
        QCOMPARE(matching("*").size(), names.size());
        RunFilter byConnector;
        byConnector.connector = names[0];
        QCOMPARE(store.runs(byConnector).size(), size_t(1));

        // Metric names, stage names, evaluation types, checkpoint and
        // artifact paths with the same text.
        const int64_t id = ids[names[0]];
        std::vector<MetricPoint> pts;
        for (size_t i = 0; i < names.size(); ++i)
            for (int64_t s = 0; s < 5; ++s)
                pts.push_back({0, s, names[i], double(i * 10 + s), 1.7e9});
        store.addMetrics(id, pts);
        std::vector<std::string> sorted = names;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(store.metricNames(id), sorted);
        for (size_t i = 0; i < names.size(); ++i) {
            QCOMPARE(store.metricCount(id, names[i]), int64_t(5));
            const auto series = store.metricSeries(id, names[i], 100);
            QCOMPARE(series.size(), size_t(5));
            QCOMPARE(series[3].value, double(i * 10 + 3));
        }
        QCOMPARE(store.metricCount(id, "%"), int64_t(0));
        QCOMPARE(store.metricCount(id), int64_t(5 * names.size()));

        StageRecord st;
        st.name = names[0];
        st.kind = names[1];
        st.visualTokens = 80;
        st.resolution = 224;
        store.putStage(id, st);
        EvaluationRecord e;
        e.accuracy = 0.5;
        e.n = 10;
        for (size_t i = 0; i < names.size(); ++i)
            e.perType[names[i]] = {double(i) / 100.0, int64_t(i)};
        e.typePrior = 0.25;
        e.shuffledAccuracy = 0.3;
        e.typePriorPerType = {{names[0], 0.125}};
        e.shuffledPerType = {{names[1], 0.375}};
        e.cellReading = 0.875;
        e.cellReadingCells = 1600;
        e.cellReadingPrior = 0.625;
        store.addEvaluation(id, e);
        store.addCheckpoint(id, {0, 1, "/tmp/" + names[0], 0});
        store.addArtifact(id, {names[2], "/tmp/" + names[3], names[0], 0});
        const RunDetail d = store.run(id);
        QCOMPARE(d.stages.size(), size_t(1));
        QCOMPARE(d.stages[0].name, names[0]);
        QCOMPARE(d.stages[0].kind, names[1]);
        QVERIFY(d.finalEvaluation);
        QCOMPARE(d.finalEvaluation->perType, e.perType);
        QCOMPARE(d.finalEvaluation->typePrior, e.typePrior);
        QCOMPARE(d.finalEvaluation->shuffledAccuracy, e.shuffledAccuracy);
        QCOMPARE(d.finalEvaluation->typePriorPerType, e.typePriorPerType);
        QCOMPARE(d.finalEvaluation->shuffledPerType, e.shuffledPerType);
        QCOMPARE(d.finalEvaluation->cellReading, e.cellReading);
        QCOMPARE(d.finalEvaluation->cellReadingCells, e.cellReadingCells);
        QCOMPARE(d.finalEvaluation->cellReadingPrior, e.cellReadingPrior);
        QCOMPARE(d.checkpoints.at(0).path, "/tmp/" + names[0]);
        QCOMPARE(d.artifacts.at(0).kind, names[2]);
        QCOMPARE(d.artifacts.at(0).path, "/tmp/" + names[3]);
        QCOMPARE(d.artifacts.at(0).description, names[0]);
        const auto rows = store.comparison();
        QCOMPARE(rows.size(), names.size());
        QCOMPARE(rows[0].perTypeAccuracy.size(), names.size());
        QCOMPARE(rows[0].perTypeAccuracy.at(names[0]), 0.0);

        RawDb raw(path);
        QCOMPARE(tables(raw), kTables);
        QCOMPARE(raw.integer("SELECT count(*) FROM runs"), qint64(names.size()));
        QCOMPARE(raw.integer("SELECT count(*) FROM metrics"), qint64(5 * names.size()));
        QCOMPARE(raw.column("PRAGMA integrity_check"), QStringList{"ok"});
    }

    // -------------------------------------------------------- bad files

    void notADatabase()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("notes.txt");
        QByteArray text;
        for (int i = 0; i < 200; ++i)
            text += "These are my notes, line " + QByteArray::number(i) + ", not a database.\n";
        QVERIFY(test::writeFile(path, text));
        const Thrown t = thrown([&] { ExperimentStore store(str(path)); });
        QVERIFY2(t.kind == "InputError", qPrintable(describe(t)));
        QVERIFY2(contains(t.message, str(path)), t.message.c_str());
        QCOMPARE(test::readFile(path), text);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"notes.txt"});
    }

    void corruptDatabase_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::newRow("pages overwritten in the middle") << "overwrite";
        QTest::newRow("truncated to half") << "truncate";
    }

    void corruptDatabase()
    {
        QFETCH(QString, damage);
        QTemporaryDir dir;
        const QString path = dir.filePath("damaged.sqlite");
        int64_t id = 0;
        {
            ExperimentStore store(str(path));
            id = store.createRun("victim", "{}", "", "", "{}");
            for (int i = 0; i < 10; ++i)
                store.addMetrics(id, points("loss", i * 2000, 2000));
        }
        QVERIFY(!QFile::exists(path + "-wal"));
        QByteArray bytes = test::readFile(path);
        QVERIFY(bytes.size() > 64 * 4096);
        if (damage == "overwrite") {
            const int page = 4096, middle = (bytes.size() / 2) / page * page;
            for (int i = middle; i < middle + 4 * page; ++i)
                bytes[i] = char(0xA5 ^ (i * 7));
        } else {
            bytes.truncate(bytes.size() / 2);
        }
        QVERIFY(test::writeFile(path, bytes));

        // Opening may succeed (the damage is past the schema); reading the
        // damaged pages must not.
        const Thrown t = thrown([&] {
            ExperimentStore store(str(path));
            store.runs();
            store.run(id);
            store.metricCount(id);
            store.metricCount(id, "loss");
            store.metricSeries(id, "loss", 100000);
            store.metricSeries(id, "loss", 200);
        });
        QVERIFY2(t.kind == "InputError" || t.kind == "StoreError", qPrintable(describe(t)));
        QVERIFY2(contains(t.message, str(path)), t.message.c_str());
        qInfo("%s", qPrintable(describe(t)));
    }

    void unusableLocation_data()
    {
        QTest::addColumn<QString>("where");
        QTest::newRow("under /proc") << "proc";
        QTest::newRow("under a regular file") << "file";
        QTest::newRow("a directory") << "directory";
    }

    void unusableLocation()
    {
        QFETCH(QString, where);
        QTemporaryDir dir;
        QString path;
        if (where == "proc") {
            path = "/proc/cos-workbench-test/experiments.sqlite";
        } else if (where == "file") {
            QVERIFY(test::writeFile(dir.filePath("plain"), "x"));
            path = dir.filePath("plain/sub/experiments.sqlite");
        } else {
            path = dir.filePath("a-directory");
            QVERIFY(QDir().mkpath(path));
        }
        const Thrown t = thrown([&] { ExperimentStore store(str(path)); });
        QVERIFY2(t.kind == "InputError", qPrintable(describe(t)));
        QVERIFY2(contains(t.message, str(path)), t.message.c_str());
        if (where == "file")
            QCOMPARE(test::readFile(dir.filePath("plain")), QByteArray("x"));
    }

    void lockedDatabase_data()
    {
        QTest::addColumn<bool>("wal");
        QTest::newRow("store (WAL)") << true;
        QTest::newRow("rollback-journal database") << false;
    }

    void lockedDatabase()
    {
        QFETCH(bool, wal);
        QTemporaryDir dir;
        const QString path = dir.filePath("locked.sqlite");
        std::unique_ptr<ExperimentStore> open;
        int64_t id = 0;
        if (wal) {
            open = std::make_unique<ExperimentStore>(str(path), 200);
            id = open->createRun("busy", "{}", "", "", "{}");
        }
        RawDb holder(path);
        QVERIFY(holder.ok());
        if (!wal)
            QCOMPARE(holder.exec("CREATE TABLE t (x)"), std::string());
        QCOMPARE(holder.exec("BEGIN EXCLUSIVE"), std::string());
        QCOMPARE(holder.exec(wal ? "INSERT INTO runs (name, status, config, created_at) VALUES ('x', 'queued', '{}', 0)"
                                 : "INSERT INTO t VALUES (1)"),
                 std::string());

        if (wal) {
            // Write-ahead logging lets readers in while a writer holds the
            // lock: the GUI can read while runs write.
            ExperimentStore reader(str(path), 200);
            QCOMPARE(reader.runs().size(), size_t(1));
        }
        const Thrown t = thrown([&] {
            ExperimentStore store(str(path), 200);
            store.createRun("blocked", "{}", "", "", "{}");
        });
        QVERIFY2(t.kind == "StoreError", qPrintable(describe(t)));
        QVERIFY2(contains(t.message, str(path)), t.message.c_str());
        QVERIFY2(contains(t.message, "locked"), t.message.c_str());
        if (!wal)
            return;

        // A store that is already open fails its write the same way, and
        // recovers once the lock is gone.
        const Thrown w = thrown([&] { open->addMetrics(id, points("loss", 0, 100)); });
        QVERIFY2(w.kind == "StoreError", qPrintable(describe(w)));
        QVERIFY2(contains(w.message, str(path)), w.message.c_str());
        QCOMPARE(holder.exec("ROLLBACK"), std::string());
        open->addMetrics(id, points("loss", 100, 50));
        QCOMPARE(open->metricCount(id), int64_t(50));
        QCOMPARE(open->runs().size(), size_t(1));
    }

    // ----------------------------------------------------- default path

    void defaultPath()
    {
        EnvGuard guard;
        QTemporaryDir dir;
        const QString cosDb = dir.filePath("explicit/dir/mine.sqlite");
        const QString xdg = dir.filePath("xdg");
        const QString home = dir.filePath("home");
        qputenv("COS_DB", cosDb.toLocal8Bit());
        qputenv("XDG_DATA_HOME", xdg.toLocal8Bit());
        qputenv("HOME", home.toLocal8Bit());
        QCOMPARE(ExperimentStore::defaultPath(), str(cosDb));

        qputenv("COS_DB", "");
        QCOMPARE(ExperimentStore::defaultPath(), str(xdg + "/cos-workbench/experiments.sqlite"));
        qunsetenv("COS_DB");
        QCOMPARE(ExperimentStore::defaultPath(), str(xdg + "/cos-workbench/experiments.sqlite"));
        qputenv("XDG_DATA_HOME", "");
        QCOMPARE(ExperimentStore::defaultPath(), str(home + "/.local/share/cos-workbench/experiments.sqlite"));
        qunsetenv("XDG_DATA_HOME");
        QCOMPARE(ExperimentStore::defaultPath(), str(home + "/.local/share/cos-workbench/experiments.sqlite"));

        // Opening creates the directories, wherever the path came from.
        for (const QString &expected : {home + "/.local/share/cos-workbench/experiments.sqlite",
                                        xdg + "/cos-workbench/experiments.sqlite", cosDb}) {
            if (expected.startsWith(xdg))
                qputenv("XDG_DATA_HOME", xdg.toLocal8Bit());
            if (expected == cosDb)
                qputenv("COS_DB", cosDb.toLocal8Bit());
            QCOMPARE(ExperimentStore::defaultPath(), str(expected));
            QVERIFY(!QFileInfo::exists(QFileInfo(expected).path()));
            {
                ExperimentStore store(ExperimentStore::defaultPath());
                QCOMPARE(store.file(), str(expected));
                store.createRun("here", "{}", "", "", "{}");
            }
            QVERIFY(QFileInfo(expected).isFile());
            RawDb raw(expected);
            QCOMPARE(raw.integer("SELECT count(*) FROM runs"), qint64(1));
        }
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"

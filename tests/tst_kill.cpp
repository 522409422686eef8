// The kill campaign (docs/RELIABILITY.md): a small whole run (data
// generation, the vision tower and its cache entry, pre-training with
// interval checkpoints, scaled fine-tuning and its evaluation) is killed
// with SIGKILL at a chosen point, resumed, and must end exactly as the
// uninterrupted run ends. Points are either a named crash point passed a
// random number of times (base/CrashPoints.h) or a random moment chosen from
// outside. After every kill the store passes SQLite's integrity check and no
// half checkpoint or cache entry is visible.
//
//   tst_kill [--trials N] [--seed S] [Qt Test options]   (default 10 trials, seed 1)

#include "TestSupport.h"
#include "ProcessRun.h"

#include "base/Json.h"
#include "io/Checkpoint.h"
#include "io/Safetensors.h"
#include "store/SqliteDatabase.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

using namespace cosw;
namespace fs = std::filesystem;

namespace {

int g_trials = 10;
unsigned g_seed = 1;

// What an uninterrupted run leaves, compared with what each resumed one does.
struct Outcome {
    std::vector<std::string> metricRows;     // "name stage step", in order: duplicates and gaps show
    std::map<std::string, double> losses;    // "stage step" -> loss
    std::vector<std::string> evaluations;    // "stage step accuracy n"
    std::vector<std::string> checkpoints;    // "stage step" of the recorded ones
    StateDict finalWeights;
    std::string status;
};

// Rows of one query as text, columns joined by spaces.
std::vector<std::string> rows(SqliteDatabase &db, const std::string &sql, int columns)
{
    std::vector<std::string> out;
    auto s = db.prepare(sql);
    while (s.step()) {
        std::string row;
        for (int c = 0; c < columns; ++c)
            row += (c ? " " : "") + s.text(c);
        out.push_back(row);
    }
    return out;
}

std::string integrity(const QString &dbFile)
{
    SqliteDatabase db(dbFile.toStdString(), SqliteDatabase::Mode::ReadOnly);
    auto s = db.prepare("PRAGMA integrity_check");
    return s.step() ? s.text(0) : "no answer";
}

Outcome readOutcome(const QString &dbFile)
{
    SqliteDatabase db(dbFile.toStdString(), SqliteDatabase::Mode::ReadOnly);
    Outcome o;
    o.metricRows = rows(db, "SELECT name, stage, step FROM metrics WHERE run_id = 1 ORDER BY name, stage, step", 3);
    auto loss = db.prepare("SELECT stage, step, value FROM metrics WHERE run_id = 1 AND name = 'loss'");
    while (loss.step())
        o.losses[loss.text(0) + " " + loss.text(1)] = loss.real(2);
    o.evaluations = rows(db, "SELECT stage, step, accuracy, n FROM evaluations WHERE run_id = 1 ORDER BY stage, step", 4);
    o.checkpoints = rows(db, "SELECT stage, step FROM checkpoints WHERE run_id = 1 ORDER BY stage, step", 2);
    auto last = db.prepare("SELECT path FROM checkpoints WHERE run_id = 1 ORDER BY stage DESC, step = 0 DESC, step DESC "
                           "LIMIT 1");
    if (last.step())
        o.finalWeights = loadCheckpoint(last.text(0)).weights;
    auto status = db.prepare("SELECT status FROM runs WHERE id = 1");
    o.status = status.step() ? status.text(0) : "no run";
    return o;
}

} // namespace

class KillCampaign : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_batch;
    QString m_config;
    Outcome m_reference;
    std::map<std::string, long> m_passes; // crash point -> passes in a whole run
    qint64 m_wholeRunMs = 0;

    // A run's config, in `dir` with its data, so each trial starts bare.
    QString writeConfig(const QString &dir)
    {
        // fp32: every trial is compared with the reference run at 1e-4.
        QString text = test::trainedStagesInFp32(test::smallRunConfig(dir + "/data", 30));
        text.replace("seed: 5, workers: 1}", "seed: 5, workers: 1, generate: true}");
        if (text.count("fp32") != 2)
            return {}; // both trained stages
        const QString file = dir + "/run.yaml";
        if (!test::writeFile(file, text.toUtf8()))
            return {};
        return file;
    }

    QProcessEnvironment environment(const QString &dir) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("COS_CACHE_DIR", dir + "/cache");
        env.remove("COS_CRASH_AT");
        env.remove("COS_CRASH_TALLY");
        return env;
    }

    QStringList runArgs(const QString &dir) const { return {"run", dir + "/run.yaml", "--db", dir + "/store.sqlite"}; }

    // Nothing half-written is visible after a kill: every checkpoint the
    // store records, and every one under the run's folder, loads whole; every
    // cache entry is whole; the store's file is sound.
    void checkNothingHalfWritten(const QString &dir, const QString &where)
    {
        const QString db = dir + "/store.sqlite";
        if (QFile::exists(db)) {
            QCOMPARE(QString::fromStdString(integrity(db)), QString("ok"));
            SqliteDatabase store(db.toStdString(), SqliteDatabase::Mode::ReadOnly);
            // Killed while creating the store, it may hold no tables yet.
            const bool hasTables = !rows(store, "SELECT name FROM sqlite_schema WHERE name = 'checkpoints'", 1).empty();
            for (const std::string &path : hasTables ? rows(store, "SELECT path FROM checkpoints", 1) : std::vector<std::string>())
                QVERIFY2(fs::is_directory(path), qPrintable(where + ": recorded checkpoint missing: " + QString::fromStdString(path)));
        }
        const fs::path checkpoints = fs::path(dir.toStdString()) / "runs" / "1" / "checkpoints";
        if (fs::is_directory(checkpoints))
            for (const auto &entry : fs::directory_iterator(checkpoints)) {
                const std::string name = entry.path().filename().string();
                if (name.front() == '.')
                    continue; // a staging folder: never read as a checkpoint
                try {
                    loadCheckpoint(entry.path().string());
                    parseJsonFile((entry.path() / "trainer_state.json").string());
                } catch (const std::exception &e) {
                    QFAIL(qPrintable(where + ": half checkpoint " + QString::fromStdString(name) + ": " + e.what()));
                }
            }
        const fs::path towers = fs::path(dir.toStdString()) / "cache" / "vision-towers";
        if (fs::is_directory(towers))
            for (const auto &entry : fs::directory_iterator(towers)) {
                if (entry.path().filename().string().front() == '.')
                    continue;
                try {
                    readSafetensors((entry.path() / "vision.safetensors").string());
                    parseJsonFile((entry.path() / "cell_accuracy.json").string());
                } catch (const std::exception &e) {
                    QFAIL(qPrintable(where + ": half cache entry " + QString::fromStdString(entry.path().string()) + ": "
                                     + e.what()));
                }
            }
        const fs::path data = fs::path(dir.toStdString()) / "data";
        if (fs::exists(data))
            QVERIFY2(fs::exists(data / "manifest.json"), qPrintable(where + ": a data folder without its manifest"));
    }

    void compareWithReference(const Outcome &o, const QString &where)
    {
        QVERIFY2(o.status == "finished", qPrintable(where + ": " + QString::fromStdString(o.status)));
        // The same steps once each: a replayed step is not recorded twice,
        // a lost one shows as a gap.
        QVERIFY2(o.metricRows.size() == m_reference.metricRows.size(),
                 qPrintable(where + QString(": %1 metric rows, %2 in the uninterrupted run")
                                        .arg(o.metricRows.size()).arg(m_reference.metricRows.size())));
        for (size_t i = 0; i < o.metricRows.size(); ++i)
            QVERIFY2(o.metricRows[i] == m_reference.metricRows[i],
                     qPrintable(where + ": metric row " + QString::number(i) + ": " + QString::fromStdString(o.metricRows[i])
                                + " vs " + QString::fromStdString(m_reference.metricRows[i])));
        for (const auto &[at, value] : m_reference.losses)
            QVERIFY2(o.losses.count(at) && std::abs(o.losses.at(at) - value) < 1e-4,
                     qPrintable(where + ": loss at " + QString::fromStdString(at)));
        QVERIFY2(o.evaluations == m_reference.evaluations, qPrintable(where + ": evaluations differ"));
        QVERIFY2(o.checkpoints == m_reference.checkpoints, qPrintable(where + ": checkpoint records differ"));
        QVERIFY2(o.finalWeights.size() == m_reference.finalWeights.size(), qPrintable(where + ": final weights differ"));
        for (const auto &[name, t] : m_reference.finalWeights)
            QVERIFY2(torch::allclose(t, o.finalWeights.at(name), 1e-5, 1e-5),
                     qPrintable(where + ": final weight " + QString::fromStdString(name)));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_batch = qEnvironmentVariable("COS_BATCH");
        QVERIFY2(QFile::exists(m_batch), "COS_BATCH names the cos-batch program");

        // The uninterrupted run, counting how often it passes each point.
        const QString dir = m_dir.filePath("reference");
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(!writeConfig(dir).isEmpty());
        QProcessEnvironment env = environment(dir);
        env.insert("COS_CRASH_TALLY", dir + "/tally.txt");
        QElapsedTimer clock;
        clock.start();
        const test::Finished whole = test::runProcess(m_batch, runArgs(dir), env, dir);
        m_wholeRunMs = clock.elapsed();
        QVERIFY2(whole.exitCode == 0, qPrintable(whole.err));
        QVERIFY(QFile::exists(dir + "/tally.txt"));
        const QStringList lines = QString::fromUtf8(test::readFile(dir + "/tally.txt")).split('\n', Qt::SkipEmptyParts);
        for (const QString &line : lines)
            m_passes[line.section(' ', 0, 0).toStdString()] = line.section(' ', 1, 1).toLong();
        // Every kind of moment the campaign aims at is there to be chosen.
        for (const char *point : {"data", "cache", "step", "checkpoint", "evaluation", "store"})
            QVERIFY2(m_passes[point] > 0, point);
        m_reference = readOutcome(dir + "/store.sqlite");
        QCOMPARE(QString::fromStdString(m_reference.status), QString("finished"));
        checkNothingHalfWritten(dir, "reference");
    }

    void campaign()
    {
        // Crash points in turn, so ten trials reach each kind of moment; a
        // random moment from outside between them.
        const std::vector<std::string> kinds = {"step", "checkpoint", "store", "time", "evaluation", "data", "cache"};
        std::mt19937 random(g_seed);
        int survived = 0;
        QStringList summary;
        for (int trial = 0; trial < g_trials; ++trial) {
            const std::string kind = kinds[size_t(trial) % kinds.size()];
            const QString dir = m_dir.filePath(QString("trial-%1").arg(trial));
            QVERIFY(QDir().mkpath(dir));
            QVERIFY(!writeConfig(dir).isEmpty());
            QProcessEnvironment env = environment(dir);
            QString where;
            QProcess victim;
            victim.setWorkingDirectory(dir);
            if (kind == "time") {
                const int ms = std::uniform_int_distribution<int>(50, int(std::max<qint64>(m_wholeRunMs, 100)))(random);
                where = QString("trial %1 (SIGKILL after %2 ms)").arg(trial).arg(ms);
                victim.setProcessEnvironment(env);
                victim.start(m_batch, runArgs(dir));
                QVERIFY(victim.waitForStarted());
                std::this_thread::sleep_for(std::chrono::milliseconds(ms));
                ::kill(pid_t(victim.processId()), SIGKILL);
            } else {
                const long at = std::uniform_int_distribution<long>(1, m_passes[kind])(random);
                where = QString("trial %1 (%2, pass %3 of %4)").arg(trial).arg(QString::fromStdString(kind)).arg(at).arg(m_passes[kind]);
                env.insert("COS_CRASH_AT", QString::fromStdString(kind) + ":" + QString::number(at));
                victim.setProcessEnvironment(env);
                victim.start(m_batch, runArgs(dir));
            }
            QVERIFY2(victim.waitForFinished(120000), qPrintable(where));
            // A timed kill can come after the run's end; the trial then only
            // checks that the end is the reference's.
            const bool killed = victim.exitStatus() == QProcess::CrashExit;
            QVERIFY2(killed || kind == "time", qPrintable(where + ": the crash point did not kill the run: "
                                                          + QString::fromUtf8(victim.readAllStandardError())));
            checkNothingHalfWritten(dir, where);
            if (QTest::currentTestFailed())
                return;

            // Killed before the run was recorded (while generating data), it
            // is started again; killed after it finished (while the program
            // exits), there is nothing to do; otherwise it is resumed.
            std::string status;
            try {
                SqliteDatabase db((dir + "/store.sqlite").toStdString(), SqliteDatabase::Mode::ReadOnly);
                const std::vector<std::string> found = rows(db, "SELECT status FROM runs WHERE id = 1", 1);
                status = found.empty() ? "" : found.front();
            } catch (const std::exception &) {
                // no store yet, or killed before its schema was committed
            }
            if (killed && status != "finished") {
                const bool recorded = !status.empty();
                const QStringList again = recorded ? QStringList{"resume", "1", "--db", dir + "/store.sqlite"} : runArgs(dir);
                const test::Finished resumed = test::runProcess(m_batch, again, environment(dir), dir);
                QVERIFY2(resumed.exitCode == 0, qPrintable(where + ": " + again.join(' ') + ": " + resumed.err));
                checkNothingHalfWritten(dir, where + " after resuming");
                if (QTest::currentTestFailed())
                    return;
            }
            // What the killed process was writing is cleared away once the
            // same checkpoint, cache entry or data set is written again.
            for (const auto &entry : fs::recursive_directory_iterator(dir.toStdString()))
                QVERIFY2(entry.path().filename().string().find(".partial") == std::string::npos,
                         qPrintable(where + ": left behind: " + QString::fromStdString(entry.path().string())));
            compareWithReference(readOutcome(dir + "/store.sqlite"), where);
            if (QTest::currentTestFailed())
                return;
            ++survived;
            summary << where;
            QDir(dir).removeRecursively();
        }
        qInfo().noquote() << QString("kill campaign, seed %1: %2 survived of %3").arg(g_seed).arg(survived).arg(g_trials);
        qInfo().noquote() << summary.join('\n');
    }
};

int main(int argc, char **argv)
{
    // The campaign's own options come out before Qt Test reads the rest.
    std::vector<char *> rest;
    for (int i = 0; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--trials" && i + 1 < argc) {
            g_trials = std::atoi(argv[++i]);
        } else if (a == "--seed" && i + 1 < argc) {
            g_seed = unsigned(std::atoi(argv[++i]));
        } else {
            rest.push_back(argv[i]);
        }
    }
    QCoreApplication app(argc, argv);
    KillCampaign campaign;
    return QTest::qExec(&campaign, int(rest.size()), rest.data());
}

#include "tst_kill.moc"

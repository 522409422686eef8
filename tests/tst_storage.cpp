// Storage that fails under a run or cannot be written at all: a disk that
// fills during a checkpoint or a store write, a file-size limit, and a store
// on read-only storage (an archive, a colleague's results) that must still
// open for reading in cos-batch and the desktop.

#include "TestSupport.h"
#include "ProcessRun.h"

#include "base/Json.h"
#include "io/Checkpoint.h"
#include "store/SqliteDatabase.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>

using namespace cosw;
namespace fs = std::filesystem;

namespace {

// The run's outcome as a user finds it: status, and the checkpoints the
// store records, each of which must load.
struct StoredRun {
    std::string status;
    std::vector<std::string> checkpoints;
    std::string integrity;
};

StoredRun storedRun(const QString &db)
{
    SqliteDatabase store(db.toStdString(), SqliteDatabase::Mode::ReadOnly);
    StoredRun r;
    auto integrity = store.prepare("PRAGMA integrity_check");
    r.integrity = integrity.step() ? integrity.text(0) : "no answer";
    auto status = store.prepare("SELECT status FROM runs WHERE id = 1");
    r.status = status.step() ? status.text(0) : "no run";
    auto checkpoints = store.prepare("SELECT path FROM checkpoints WHERE run_id = 1 ORDER BY stage, step");
    while (checkpoints.step())
        r.checkpoints.push_back(checkpoints.text(0));
    return r;
}

QByteArray digest(const QString &file)
{
    return QCryptographicHash::hash(test::readFile(file), QCryptographicHash::Sha256);
}

} // namespace

class TestStorage : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_batch;

    QString dataDir() const { return m_dir.filePath("data"); }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("COS_CACHE_DIR", m_dir.filePath("cache"));
        return env;
    }

    QString writeConfig(const QString &name)
    {
        const QString file = m_dir.filePath(name);
        return test::writeFile(file, test::smallRunConfig(dataDir(), 30).toUtf8()) ? file : QString();
    }

    // Every checkpoint the store records is whole, and so is every one
    // under the run's folder; the store's file is sound.
    void checkConsistent(const QString &db)
    {
        const StoredRun run = storedRun(db);
        QCOMPARE(QString::fromStdString(run.integrity), QString("ok"));
        for (const std::string &path : run.checkpoints) {
            QVERIFY2(fs::is_directory(path), path.c_str());
            loadCheckpoint(path);
        }
        const fs::path folder = fs::path(db.toStdString()).parent_path() / "runs" / "1" / "checkpoints";
        if (fs::is_directory(folder))
            for (const auto &entry : fs::directory_iterator(folder))
                if (entry.path().filename().string().front() != '.') {
                    loadCheckpoint(entry.path().string());
                    parseJsonFile((entry.path() / "trainer_state.json").string());
                }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_batch = qEnvironmentVariable("COS_BATCH");
        QVERIFY2(QFile::exists(m_batch), "COS_BATCH names the cos-batch program");
        // The data set and the vision tower's cache entry, made once and
        // kept outside the storage under test.
        const QString config = writeConfig("warm.yaml");
        const test::Finished warm =
            test::runProcess(m_batch, {"run", config, "--db", m_dir.filePath("warm/store.sqlite")}, environment());
        QVERIFY2(warm.exitCode == 0, qPrintable(warm.err));
    }

    // The disk fills while the run writes: the write that does not fit fails
    // the run with a message naming what could not be written, the
    // checkpoints written before it stay usable, the store stays sound, and
    // with room again the run resumes to its end. Needs a small tmpfs, which
    // takes mount rights (CI runs as root); skipped without them.
    void fullDiskFailsTheRunCleanly()
    {
        const QString mountPoint = m_dir.filePath("small-disk");
        QVERIFY(QDir().mkpath(mountPoint));
        if (::mount("tmpfs", mountPoint.toUtf8().constData(), "tmpfs", 0, "size=800k") != 0)
            QSKIP("mounting a small tmpfs needs mount rights (root)");
        struct Unmount {
            QByteArray path;
            ~Unmount() { ::umount2(path.constData(), MNT_DETACH); }
        } unmount{mountPoint.toUtf8()};

        const QString config = writeConfig("full.yaml");
        const QString db = mountPoint + "/store.sqlite";
        const test::Finished full = test::runProcess(m_batch, {"run", config, "--db", db}, environment());
        QCOMPARE(full.exitCode, 1);
        const QString lastLine = full.err.trimmed().section('\n', -1);
        QVERIFY2(lastLine.contains(mountPoint), qPrintable(full.err));
        QVERIFY2(lastLine.contains("No space left on device") || lastLine.contains("disk is full"), qPrintable(full.err));
        checkConsistent(db);
        if (QTest::currentTestFailed())
            return;
        const StoredRun failed = storedRun(db);
        QVERIFY2(!failed.checkpoints.empty(), "the checkpoints written before the disk filled are kept");

        QVERIFY(::mount("tmpfs", mountPoint.toUtf8().constData(), "tmpfs", MS_REMOUNT, "size=20m") == 0);
        const test::Finished resumed = test::runProcess(m_batch, {"resume", "1", "--db", db}, environment());
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QCOMPARE(QString::fromStdString(storedRun(db).status), QString("finished"));
        checkConsistent(db);
    }

    // A file-size limit (ulimit -f) below a checkpoint's size: the run fails
    // with the file named instead of being killed, and nothing half-written
    // is left under a checkpoint's name.
    void fileSizeLimitFailsTheRunCleanly()
    {
        const QString config = writeConfig("limited.yaml");
        const QString db = m_dir.filePath("limited/store.sqlite");
        const test::Finished limited = test::runProcess(m_batch, {"run", config, "--db", db}, environment(), {}, 120000, [] {
            const rlimit limit{200 * 1024, 200 * 1024};
            ::setrlimit(RLIMIT_FSIZE, &limit);
        });
        // Exit status 1, not the signal (-1 here): the limit failed a write.
        QCOMPARE(limited.exitCode, 1);
        const QString &err = limited.err;
        const QString lastLine = err.trimmed().section('\n', -1);
        QVERIFY2(lastLine.contains(m_dir.filePath("limited")) && lastLine.contains("File too large"), qPrintable(err));
        checkConsistent(db);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(QString::fromStdString(storedRun(db).status), QString("failed"));
    }

    // A store nobody may write to opens for reading: list, show and export
    // work and change nothing, a run is refused naming the file, and the
    // desktop shows it. As root, the programs run as `nobody`, for whom
    // root's files are read-only.
    void readOnlyStoreOpensForReading()
    {
        const QString folder = m_dir.filePath("archive");
        QVERIFY(QDir().mkpath(folder));
        const QString db = folder + "/store.sqlite";
        QVERIFY(QFile::copy(m_dir.filePath("warm/store.sqlite"), db));
        const QString writable = m_dir.filePath("scratch");
        QVERIFY(QDir().mkpath(writable));
        const bool root = ::geteuid() == 0;
        const auto everyone = QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther
                              | QFileDevice::ExeOwner | QFileDevice::ExeGroup | QFileDevice::ExeOther;
        for (const QString &path : {m_dir.path(), folder})
            QVERIFY(QFile::setPermissions(path, everyone | (root ? QFileDevice::WriteOwner : QFileDevice::Permissions())));
        QVERIFY(QFile::setPermissions(db, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther
                                              | (root ? QFileDevice::WriteOwner : QFileDevice::Permissions())));
        QVERIFY(QFile::setPermissions(writable, everyone | QFileDevice::WriteOwner | QFileDevice::WriteGroup
                                                    | QFileDevice::WriteOther));
        const QByteArray before = digest(db);

        auto asReader = [&](const QString &program, const QStringList &args) {
            QProcessEnvironment env = environment();
            env.insert("HOME", writable);
            env.insert("XDG_CONFIG_HOME", writable + "/config");
            env.insert("XDG_CACHE_HOME", writable + "/cache");
            env.insert("QT_QPA_PLATFORM", "offscreen");
            const std::function<void()> asNobody = [] {
                if (::setgid(65534) != 0 || ::setuid(65534) != 0)
                    ::_exit(99);
            };
            return test::runProcess(program, args, env, {}, 120000, root ? asNobody : std::function<void()>());
        };

        const test::Finished list = asReader(m_batch, {"list", "--db", db});
        QVERIFY2(list.exitCode == 0, qPrintable(list.err));
        QVERIFY2(list.out.contains("gui-small"), qPrintable(list.out));
        const test::Finished show = asReader(m_batch, {"show", "1", "--db", db});
        QVERIFY2(show.exitCode == 0, qPrintable(show.err));
        QVERIFY2(show.out.contains("finished"), qPrintable(show.out));
        const test::Finished exported = asReader(m_batch, {"export", "--format", "csv", "--db", db});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        QVERIFY2(exported.out.contains("gui-small"), qPrintable(exported.out));

        const test::Finished run = asReader(m_batch, {"run", writeConfig("refused.yaml"), "--db", db});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(db) && run.err.contains("cannot open the database for writing"), qPrintable(run.err));

        const QString workbench = qEnvironmentVariable("COS_WORKBENCH");
        QVERIFY2(QFile::exists(workbench), "COS_WORKBENCH names the desktop program");
        const QString shot = writable + "/monitor.png";
        const test::Finished gui = asReader(workbench, {"--db", db, "--view", "monitor", "--run", "1", "--screenshot", shot});
        QVERIFY2(gui.exitCode == 0, qPrintable(gui.err));
        QVERIFY(!QImage(shot).isNull());

        QCOMPARE(digest(db), before);
        QVERIFY(!QFile::exists(db + "-wal"));
        QVERIFY(!QFile::exists(db + "-shm"));
    }
};

QTEST_GUILESS_MAIN(TestStorage)
#include "tst_storage.moc"

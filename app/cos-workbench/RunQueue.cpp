#include "RunQueue.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QSysInfo>

#include <algorithm>

namespace cosw {

RunQueue::RunQueue(QObject *parent) : QObject(parent), m_program(findProgram()) {}

QString RunQueue::findProgram()
{
    const QString fromEnvironment = qEnvironmentVariable("COS_BATCH");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    const QDir here(QCoreApplication::applicationDirPath());
    for (const QString &candidate : {here.filePath("cos-batch"), here.filePath("../cos-batch/cos-batch")})
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    return QStandardPaths::findExecutable("cos-batch");
}

void RunQueue::setDatabase(const QString &file)
{
    m_database = QFileInfo(file).absoluteFilePath();
}

void RunQueue::setLaunchDirectory(const QString &dir)
{
    m_launchDir = QFileInfo(dir).absoluteFilePath();
}

void RunQueue::setRunsPerDevice(int runs)
{
    m_runsPerDevice = std::max(1, runs);
    schedule();
}

QString RunQueue::newLaunchDirectory(const QString &name, QString *error)
{
    QString safeName = name;
    safeName.replace(QRegularExpression("[^A-Za-z0-9_.-]+"), "_");
    const QString stamp = QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss-zzz");
    QDir root(m_launchDir);
    for (int attempt = 0;; ++attempt) {
        const QString leaf = stamp + (attempt ? QStringLiteral("-%1").arg(attempt) : QString()) + "-" + safeName;
        if (root.exists(leaf))
            continue;
        if (!root.mkpath(leaf)) {
            *error = tr("cannot create %1").arg(root.filePath(leaf));
            return {};
        }
        return root.filePath(leaf);
    }
}

RunJob *RunQueue::launch(const QString &configYaml, const QString &name, const QString &device,
                         const QString &deviceOverride, const QStringList &extraArguments, int processes)
{
    QString error;
    const QString title = name.isEmpty() ? QStringLiteral("run") : name;
    const QString dir = newLaunchDirectory(title, &error);
    const QString config = QDir(dir).filePath("config.yaml");
    QFile file(config);
    if (dir.isEmpty() || !file.open(QIODevice::WriteOnly) || file.write(configYaml.toUtf8()) < 0) {
        emit logLine(tr("%1: cannot write the config: %2").arg(title, dir.isEmpty() ? error : file.errorString()));
        return nullptr;
    }
    file.close();
    QStringList queuing{"run", config};
    if (!name.isEmpty())
        queuing << "--name" << name;
    if (!deviceOverride.isEmpty())
        queuing << "--device" << deviceOverride;
    queuing << extraArguments << "--queue" << commonArguments();
    // The stored config holds the device; the ranks are chosen at the start.
    QStringList start = commonArguments();
    if (processes > 1)
        start << "--nproc" << QString::number(processes);
    RunJob *job = RunJob::queue(m_program, queuing, start, device, dir, title, &error, this);
    if (!job) {
        emit logLine(tr("%1: %2").arg(title, error));
        return nullptr;
    }
    track(job);
    if (!job->startQueuing())
        return nullptr;
    emit logLine(tr("%1: queued for %2").arg(title, device));
    return job;
}

RunJob *RunQueue::resume(qint64 runId, const QString &name, const QString &device, const QString &deviceOverride)
{
    QString error;
    const QString dir = newLaunchDirectory(QStringLiteral("resume-%1-%2").arg(runId).arg(name), &error);
    if (dir.isEmpty()) {
        emit logLine(tr("run %1: %2").arg(runId).arg(error));
        return nullptr;
    }
    QStringList arguments{"resume", QString::number(runId)};
    if (!deviceOverride.isEmpty())
        arguments << "--device" << deviceOverride;
    const QString title = tr("%1 (resumed)").arg(name);
    auto *job = new RunJob(m_program, arguments << commonArguments(), device, dir, title, this);
    track(job);
    emit logLine(tr("%1: queued for %2").arg(title, device));
    schedule();
    return job;
}

QStringList RunQueue::commonArguments() const
{
    QStringList arguments{"--db", m_database, "--progress", "json"};
    if (m_threads > 0)
        arguments << "--threads" << QString::number(m_threads);
    return arguments;
}

void RunQueue::track(RunJob *job)
{
    m_jobs.append(job);
    connect(job, &RunJob::logLine, this, &RunQueue::logLine);
    connect(job, &RunJob::runIdKnown, this, &RunQueue::changed);
    connect(job, &RunJob::queued, this, [this] {
        schedule();
        emit changed();
    });
    connect(job, &RunJob::removedFromQueue, this, &RunQueue::giveUp);
    connect(job, &RunJob::eventReceived, this, [this, job](const QJsonObject &event) {
        emit jobEvent(job->runId(), event);
    });
    connect(job, &RunJob::ended, this, [this, job] {
        if (job->pid() > 0)
            m_endedPids.insert(job->pid());
        m_jobs.removeOne(job);
        job->deleteLater();
        schedule();
        emit changed();
    });
    emit changed();
}

RunJob *RunQueue::job(qint64 runId) const
{
    for (RunJob *job : m_jobs)
        if (runId != 0 && job->runId() == runId)
            return job;
    return nullptr;
}

bool RunQueue::cancel(qint64 runId)
{
    RunJob *found = job(runId);
    if (!found)
        return false;
    found->cancel();
    return true;
}

int RunQueue::runningCount() const
{
    return int(std::count_if(m_jobs.begin(), m_jobs.end(), [](RunJob *j) { return j->state() == RunJob::State::Running; }));
}

int RunQueue::runningProcesses() const
{
    int processes = 0;
    for (const RunJob *j : m_jobs)
        if (j->state() == RunJob::State::Running)
            processes += j->processes();
    return processes;
}

int RunQueue::waitingCount() const
{
    return int(std::count_if(m_jobs.begin(), m_jobs.end(), [](RunJob *j) {
        return j->state() == RunJob::State::Waiting || j->state() == RunJob::State::Queuing;
    }));
}

void RunQueue::giveUp(qint64 runId)
{
    try {
        ExperimentStore store(m_database.toStdString());
        if (store.giveUpQueuedRun(runId, tr("removed from the workbench's queue before it started").toStdString()))
            emit logLine(tr("run %1: marked interrupted in the store; resume starts it from the beginning").arg(runId));
    } catch (const std::exception &e) {
        emit logLine(tr("run %1 stays queued in the store: %2").arg(runId).arg(QString::fromUtf8(e.what())));
    }
    emit changed();
}

void RunQueue::schedule()
{
    // Runs start in launch order: one still being recorded in the store holds
    // the later ones for its device back.
    QSet<QString> heldBack;
    for (RunJob *job : m_jobs) {
        if (job->state() == RunJob::State::Queuing)
            heldBack.insert(job->device());
        if (job->state() != RunJob::State::Waiting || heldBack.contains(job->device()))
            continue;
        const auto busy = std::count_if(m_jobs.begin(), m_jobs.end(), [job](RunJob *other) {
            return other->state() == RunJob::State::Running && other->device() == job->device();
        });
        if (busy < m_runsPerDevice && job->start())
            emit changed();
    }
}

QString RunQueue::findLaunchDirectory(qint64 runId) const
{
    // A resumed run has a directory per launch; their names start with the
    // launch time, so the greatest is the one being written now.
    QString latest;
    QDirIterator it(m_launchDir, {RunJob::markerName(runId)}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile marker(it.next());
        const QString dir = QFileInfo(marker.fileName()).absolutePath();
        if (marker.open(QIODevice::ReadOnly) && dir > latest
            && QFileInfo(QString::fromUtf8(marker.readAll())).absoluteFilePath() == m_database)
            latest = dir;
    }
    return latest;
}

RunJob *RunQueue::findQueuedEarlier(qint64 runId)
{
    const QDir root(m_launchDir);
    for (const QString &leaf : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QString dir = root.filePath(leaf);
        // A launch of this session may not have read its run's id yet.
        const bool ours = std::any_of(m_jobs.begin(), m_jobs.end(), [&](RunJob *j) { return j->directory() == dir; });
        if (!ours && QFileInfo::exists(QDir(dir).filePath("queued.json")))
            if (RunJob *job = RunJob::queuedEarlier(m_program, runId, m_database, dir, this))
                return job;
    }
    return nullptr;
}

void RunQueue::adopt(const std::vector<RunRecord> &runs)
{
    const std::string host = QSysInfo::machineHostName().toStdString();
    bool adopted = false;
    for (const RunRecord &run : runs) {
        if (run.status == RunStatus::Queued && !job(run.id) && !m_queuedElsewhere.contains(run.id)) {
            RunJob *waiting = findQueuedEarlier(run.id);
            if (!waiting) {
                m_queuedElsewhere.insert(run.id);
                continue;
            }
            track(waiting);
            emit logLine(tr("%1: waiting again, queued by an earlier session").arg(waiting->title()));
            adopted = true;
            continue;
        }
        if (run.status != RunStatus::Running || run.host != host || !run.pid || job(run.id)
            || m_endedPids.contains(*run.pid))
            continue;
        // A run this session started may be in the store before its job has read the run id, and a
        // data-parallel run records its rank 0's pid, not the job's: decide once every running job knows its id.
        const bool maybeOurs = std::any_of(m_jobs.begin(), m_jobs.end(), [&](RunJob *j) {
            return j->pid() == *run.pid || (j->state() == RunJob::State::Running && j->runId() == 0);
        });
        if (maybeOurs)
            continue;
        const QString title = tr("run %1 (%2)").arg(run.id).arg(QString::fromStdString(run.name));
        RunJob *job = RunJob::follow(run.id, *run.pid, QString::fromStdString(run.device),
                                     findLaunchDirectory(run.id), title, this);
        track(job);
        emit logLine(tr("%1: following it (pid %2), it was running already").arg(title).arg(*run.pid));
        adopted = true;
    }
    if (adopted)
        schedule();
}

} // namespace cosw

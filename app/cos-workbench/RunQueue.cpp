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
                         const QString &deviceOverride, const QStringList &extraArguments)
{
    QString error;
    const QString dir = newLaunchDirectory(name.isEmpty() ? QStringLiteral("run") : name, &error);
    const QString config = QDir(dir).filePath("config.yaml");
    QFile file(config);
    if (dir.isEmpty() || !file.open(QIODevice::WriteOnly) || file.write(configYaml.toUtf8()) < 0) {
        emit logLine(tr("%1: cannot write the config: %2").arg(name, dir.isEmpty() ? error : file.errorString()));
        return nullptr;
    }
    file.close();
    QStringList arguments{"run", config};
    if (!name.isEmpty())
        arguments << "--name" << name;
    if (!deviceOverride.isEmpty())
        arguments << "--device" << deviceOverride;
    arguments << extraArguments;
    return enqueue(arguments, device, dir, name);
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
    return enqueue(arguments, device, dir, tr("%1 (resumed)").arg(name));
}

RunJob *RunQueue::enqueue(const QStringList &arguments, const QString &device, const QString &dir,
                          const QString &title)
{
    QStringList all = arguments;
    all << "--db" << m_database << "--progress" << "json";
    if (m_threads > 0)
        all << "--threads" << QString::number(m_threads);
    auto *job = new RunJob(m_program, all, device, dir, title, this);
    track(job);
    emit logLine(tr("%1: queued for %2").arg(title, device));
    schedule();
    return job;
}

void RunQueue::track(RunJob *job)
{
    m_jobs.append(job);
    connect(job, &RunJob::logLine, this, &RunQueue::logLine);
    connect(job, &RunJob::runIdKnown, this, &RunQueue::changed);
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
    return int(std::count_if(m_jobs.begin(), m_jobs.end(), [](RunJob *j) { return j->state() == RunJob::State::Waiting; }));
}

void RunQueue::schedule()
{
    for (RunJob *job : m_jobs) {
        if (job->state() != RunJob::State::Waiting)
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

void RunQueue::adopt(const std::vector<RunRecord> &runs)
{
    const std::string host = QSysInfo::machineHostName().toStdString();
    bool adopted = false;
    for (const RunRecord &run : runs) {
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

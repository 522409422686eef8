#include "RunJob.h"

#include "base/Processes.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QProcess>
#include <QTimer>

#include <algorithm>
#include <csignal>

namespace cosw {

namespace {

constexpr int kPollMs = 250;

// A launch directory's files: the run's progress and errors, and while it is
// being queued, the queuing command's; `queued.json` says how to start the
// run and is there as long as it waits.
constexpr char kProgressFile[] = "progress.jsonl";
constexpr char kErrorFile[] = "stderr.log";
constexpr char kQueuingProgressFile[] = "queue.jsonl";
constexpr char kQueuingErrorFile[] = "queue.log";
constexpr char kQueuedFile[] = "queued.json";

QStringList resumeArguments(qint64 runId, const QStringList &startArguments)
{
    return QStringList{QStringLiteral("resume"), QString::number(runId)} + startArguments;
}

// Long phases are logged at every tenth of the way, not at every step.
bool worthLogging(const QJsonObject &event, const char *stepKey, const char *totalKey)
{
    const qint64 step = event.value(stepKey).toInteger(), total = event.value(totalKey).toInteger();
    return step == total || step % std::max<qint64>(1, total / 10) == 0;
}

} // namespace

RunJob::RunJob(const QString &program, const QStringList &arguments, const QString &device, const QString &dir,
               const QString &title, QObject *parent)
    : QObject(parent), m_program(program), m_arguments(arguments), m_device(device), m_dir(dir), m_title(title),
      m_timer(new QTimer(this))
{
    m_timer->setInterval(kPollMs);
    connect(m_timer, &QTimer::timeout, this, &RunJob::poll);
}

RunJob *RunJob::follow(qint64 runId, qint64 pid, const QString &device, const QString &dir, const QString &title,
                       QObject *parent)
{
    auto *job = new RunJob({}, {}, device, dir, title, parent);
    job->m_runId = runId;
    job->m_pid = pid;
    job->m_pidStartedAt = processStartTime(pid);
    job->m_state = State::Running;
    if (!dir.isEmpty()) {
        // What happened before is in the store; only new lines are news.
        job->m_progressOffset = QFileInfo(QDir(dir).filePath(kProgressFile)).size();
        job->m_errorOffset = QFileInfo(QDir(dir).filePath(kErrorFile)).size();
    }
    job->m_timer->start();
    return job;
}

RunJob *RunJob::queue(const QString &program, const QStringList &queueArguments, const QStringList &startArguments,
                      const QString &device, const QString &dir, const QString &title, QString *error, QObject *parent)
{
    const QJsonObject how{{"arguments", QJsonArray::fromStringList(startArguments)}, {"device", device}, {"title", title}};
    QFile file(QDir(dir).filePath(kQueuedFile));
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(how).toJson()) < 0) {
        *error = tr("cannot write %1: %2").arg(file.fileName(), file.errorString());
        return nullptr;
    }
    auto *job = new RunJob(program, startArguments, device, dir, title, parent);
    job->m_state = State::Queuing;
    job->m_queueArguments = queueArguments;
    job->m_queuedInStore = true;
    return job;
}

RunJob *RunJob::queuedEarlier(const QString &program, qint64 runId, const QString &database, const QString &dir,
                              QObject *parent)
{
    QFile how(QDir(dir).filePath(kQueuedFile)), queuing(QDir(dir).filePath(kQueuingProgressFile));
    if (!how.open(QIODevice::ReadOnly) || !queuing.open(QIODevice::ReadOnly))
        return nullptr;
    // The queuing command's last line names the run and its store.
    bool named = false;
    for (const QByteArray &line : queuing.readAll().split('\n')) {
        const QJsonObject event = QJsonDocument::fromJson(line).object();
        named |= event.value("event").toString() == QLatin1String("run") && event.value("run_id").toInteger() == runId
                 && QFileInfo(event.value("db").toString()).absoluteFilePath() == QFileInfo(database).absoluteFilePath();
    }
    const QJsonObject start = QJsonDocument::fromJson(how.readAll()).object();
    if (!named || !start.value("arguments").isArray())
        return nullptr;
    QStringList arguments;
    for (const QJsonValue &argument : start.value("arguments").toArray())
        arguments.append(argument.toString());
    auto *job = new RunJob(program, resumeArguments(runId, arguments), start.value("device").toString(), dir,
                           tr("run %1 (%2)").arg(runId).arg(start.value("title").toString()), parent);
    job->m_runId = runId;
    job->m_queuedInStore = true;
    return job;
}

int RunJob::processes() const
{
    const qsizetype at = m_arguments.indexOf(QStringLiteral("--nproc"));
    return at >= 0 && at + 1 < m_arguments.size() ? std::max(1, m_arguments[at + 1].toInt()) : 1;
}

QString RunJob::markerName(qint64 runId)
{
    return QStringLiteral("run-%1").arg(runId);
}

bool RunJob::startQueuing()
{
    if (m_state != State::Queuing || m_queueArguments.isEmpty())
        return false;
    return launch(m_queueArguments, kQueuingProgressFile, kQueuingErrorFile);
}

bool RunJob::start()
{
    if (m_state != State::Waiting || !launch(m_arguments, kProgressFile, kErrorFile))
        return false;
    // Started: the next session follows it as running, not as waiting.
    QFile::remove(queuedFile());
    m_state = State::Running;
    emit logLine(tr("%1: started (pid %2) on %3").arg(m_title).arg(m_pid).arg(m_device));
    return true;
}

bool RunJob::launch(const QStringList &arguments, const char *progressFile, const char *errorFile)
{
    QProcess process;
    process.setProgram(m_program);
    process.setArguments(arguments);
    process.setWorkingDirectory(m_dir);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(QDir(m_dir).filePath(progressFile));
    process.setStandardErrorFile(QDir(m_dir).filePath(errorFile));
    const bool started = process.startDetached(&m_pid);
    m_pidStartedAt = processStartTime(m_pid);
    if (!started) {
        emit logLine(tr("%1: could not start %2: %3").arg(m_title, m_program, process.errorString()));
        finish();
        return false;
    }
    m_progressOffset = m_errorOffset = 0;
    m_progressPartial.clear();
    m_errorPartial.clear();
    m_timer->start();
    return true;
}

void RunJob::cancel()
{
    if (m_state == State::Queuing && !m_cancelWhenQueued) {
        // The run is given up once the store has it; should this session end
        // first, the next one does not take it over.
        m_cancelWhenQueued = true;
        QFile::remove(queuedFile());
        emit logLine(tr("%1: removed from the queue").arg(m_title));
    } else if (m_state == State::Waiting) {
        emit logLine(tr("%1: removed from the queue").arg(m_title));
        giveUpQueuedRun();
    } else if (m_state == State::Running && sameProcessAlive(m_pid, m_pidStartedAt)) {
        // Never a signal to whoever holds the pid after the run.
        ::kill(static_cast<pid_t>(m_pid), SIGTERM);
        emit logLine(tr("%1: stopping after the current step (a checkpoint is written)").arg(m_title));
    }
}

void RunJob::giveUpQueuedRun()
{
    QFile::remove(queuedFile());
    if (m_queuedInStore && m_runId != 0)
        emit removedFromQueue(m_runId);
    finish();
}

QString RunJob::queuedFile() const
{
    return QDir(m_dir).filePath(kQueuedFile);
}

void RunJob::queuingEnded()
{
    m_timer->stop();
    if (m_runId == 0) {
        emit logLine(tr("%1: not queued, the run was not recorded in the store").arg(m_title));
        giveUpQueuedRun();
        return;
    }
    m_arguments = resumeArguments(m_runId, m_arguments);
    m_state = State::Waiting;
    m_pid = 0;
    m_pidStartedAt.reset();
    if (m_cancelWhenQueued) {
        giveUpQueuedRun();
        return;
    }
    emit queued();
}

QStringList RunJob::readLines(const QString &file, qint64 &offset, QByteArray &partial)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly) || f.size() <= offset)
        return {};
    f.seek(offset);
    const QByteArray bytes = f.readAll();
    offset += bytes.size();
    partial += bytes;
    const int end = partial.lastIndexOf('\n');
    if (end < 0)
        return {};
    const QString complete = QString::fromUtf8(partial.left(end));
    partial.remove(0, end + 1);
    return complete.split('\n', Qt::SkipEmptyParts);
}

void RunJob::poll()
{
    // Liveness first: lines written before the exit are then all on disk.
    const bool alive = sameProcessAlive(m_pid, m_pidStartedAt);
    const bool queuing = m_state == State::Queuing;
    if (!m_dir.isEmpty()) {
        const QDir dir(m_dir);
        for (const QString &line : readLines(dir.filePath(queuing ? kQueuingProgressFile : kProgressFile),
                                             m_progressOffset, m_progressPartial))
            handleProgressLine(line);
        for (const QString &line :
             readLines(dir.filePath(queuing ? kQueuingErrorFile : kErrorFile), m_errorOffset, m_errorPartial))
            emit logLine(tr("%1: %2").arg(m_title, line));
    }
    if (!alive && queuing)
        queuingEnded();
    else if (!alive)
        finish();
}

void RunJob::handleProgressLine(const QString &line)
{
    const QJsonDocument doc = QJsonDocument::fromJson(line.toUtf8());
    if (!doc.isObject()) {
        emit logLine(tr("%1: %2").arg(m_title, line));
        return;
    }
    const QJsonObject event = doc.object();
    if (event.value("event").toString() == QLatin1String("run") && m_runId == 0) {
        m_runId = event.value("run_id").toInteger();
        m_title = tr("run %1 (%2)").arg(m_runId).arg(m_title);
        QFile marker(QDir(m_dir).filePath(markerName(m_runId)));
        if (marker.open(QIODevice::WriteOnly))
            marker.write(event.value("db").toString().toUtf8());
        emit runIdKnown(m_runId);
    }
    const QString text = describe(event);
    if (!text.isEmpty())
        emit logLine(tr("%1: %2").arg(m_title, text));
    emit eventReceived(event);
}

QString RunJob::describe(const QJsonObject &e) const
{
    const QString kind = e.value("event").toString();
    const QString stage = e.value("stage_name").toString();
    if (kind == QLatin1String("run"))
        return (e.value("queued").toBool() ? tr("queued in %1, waiting for %2").arg(e.value("db").toString(), m_device)
                                           : tr("recording into %1").arg(e.value("db").toString()));
    if (kind == QLatin1String("data"))
        return worthLogging(e, "step", "total_steps")
                   ? tr("generating images %1/%2").arg(e.value("step").toInteger()).arg(e.value("total_steps").toInteger())
                   : QString();
    if (kind == QLatin1String("step"))
        return worthLogging(e, "step", "total_steps")
                   ? tr("[%1] step %2/%3, loss %4, %5 samples/s")
                         .arg(stage)
                         .arg(e.value("step").toInteger())
                         .arg(e.value("total_steps").toInteger())
                         .arg(QLocale().toString(e.value("loss").toDouble(), 'f', 4))
                         .arg(QLocale().toString(e.value("samples_per_s").toDouble(), 'f', 1))
                   : QString();
    if (kind == QLatin1String("stage_start") && e.value("kind").toString() == QLatin1String("text"))
        return tr("stage %1 %2: the language model alone, no image").arg(e.value("stage").toInt()).arg(stage);
    if (kind == QLatin1String("stage_start") && e.value("kind").toString() == QLatin1String("vision"))
        return tr("stage %1 %2: the vision tower alone at %3 px")
            .arg(e.value("stage").toInt())
            .arg(stage)
            .arg(e.value("resolution").toInteger());
    if (kind == QLatin1String("stage_start"))
        return tr("stage %1 %2: %3 visual tokens at %4 px")
            .arg(e.value("stage").toInt())
            .arg(stage)
            .arg(e.value("visual_tokens").toInteger())
            .arg(e.value("resolution").toInteger());
    if (kind == QLatin1String("stage_end") && e.contains("wall_seconds"))
        return tr("stage %1 done in %2 s, final loss %3")
            .arg(stage)
            .arg(QLocale().toString(e.value("wall_seconds").toDouble(), 'f', 1))
            .arg(QLocale().toString(e.value("final_loss").toDouble(), 'f', 4));
    if (kind == QLatin1String("eval"))
        return tr("[%1] eval accuracy %2 on %3 samples")
            .arg(stage)
            .arg(QLocale().toString(e.value("accuracy").toDouble(), 'f', 4))
            .arg(e.value("n").toInteger());
    if (kind == QLatin1String("eval_progress"))
        return {};
    return e.value("message").toString();
}

void RunJob::finish()
{
    if (m_state == State::Ended)
        return;
    m_timer->stop();
    m_state = State::Ended;
    emit ended();
}

} // namespace cosw

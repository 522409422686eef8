#pragma once
// Launched runs and the ones waiting for a device. At most `runsPerDevice`
// runs work on one device at a time; later launches wait their turn, recorded
// in the store as `queued`. Runs of this host that the store says are running
// are followed too, whoever started them, so a run left running by a closed
// session is picked up again; so are the queued runs it left waiting.

#include "RunJob.h"

#include "store/ExperimentStore.h"

#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

#include <vector>

namespace cosw {

class RunQueue : public QObject {
    Q_OBJECT
public:
    explicit RunQueue(QObject *parent = nullptr);

    // $COS_BATCH, else cos-batch beside this program (installed or in the
    // build tree), else on PATH. Empty when there is none.
    static QString findProgram();

    void setProgram(const QString &program) { m_program = program; }
    const QString &program() const { return m_program; }
    // Both are made absolute: children run in their launch directories.
    void setDatabase(const QString &file);
    // Each launch gets a directory under it: its config, progress and errors.
    void setLaunchDirectory(const QString &dir);
    void setThreads(int threads) { m_threads = threads; }
    void setRunsPerDevice(int runs);

    // Records a run of the config in the store as queued (`cos-batch run
    // --queue`: the config and its data are checked) and starts it when
    // `device` has a free slot, as `processes` data-parallel ranks.
    // `deviceOverride` (empty: the stages' own devices) is passed on as
    // --device, `extraArguments` as they are (a sweep variant's --set and
    // --sweep). Null, with the reason logged, when the config cannot be written.
    RunJob *launch(const QString &configYaml, const QString &name, const QString &device,
                   const QString &deviceOverride, const QStringList &extraArguments = {}, int processes = 1);
    // Queues `cos-batch resume` of a stored run.
    RunJob *resume(qint64 runId, const QString &name, const QString &device, const QString &deviceOverride);
    // Stops the run (or takes it off the queue). False when no job has it.
    bool cancel(qint64 runId);
    // Follows the running runs of this host that no job follows yet, and
    // queues again the queued runs an earlier session launched and left waiting.
    void adopt(const std::vector<RunRecord> &runs);

    QList<RunJob *> jobs() const { return m_jobs; }
    RunJob *job(qint64 runId) const;
    int runningCount() const;
    // Jobs waiting for a slot, or being recorded in the store before that.
    int waitingCount() const;
    // Processes of the running jobs (a data-parallel run has several).
    int runningProcesses() const;

signals:
    void logLine(const QString &line);
    void jobEvent(qint64 runId, const QJsonObject &event);
    // A job was queued, started, learnt its run id or ended.
    void changed();

private:
    QString newLaunchDirectory(const QString &name, QString *error);
    // --db, --progress json and --threads: what every child is given.
    QStringList commonArguments() const;
    void track(RunJob *job);
    QString findLaunchDirectory(qint64 runId) const;
    // The job of a queued run left waiting by an earlier session; null when it is not one.
    RunJob *findQueuedEarlier(qint64 runId);
    void giveUp(qint64 runId);
    void schedule();

    QString m_program, m_database, m_launchDir;
    int m_threads = 0, m_runsPerDevice = 1;
    QList<RunJob *> m_jobs;
    // A process that died without ending its run leaves it `running` in the
    // store until the store is next opened; it must not be followed again.
    QSet<qint64> m_endedPids;
    // Queued runs no launch directory here waits for (queued by cos-batch).
    QSet<qint64> m_queuedElsewhere;
};

} // namespace cosw

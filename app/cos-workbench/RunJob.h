#pragma once
// One training run as a `cos-batch` child process. The child is started
// detached, in a session of its own, with its progress lines going to a file:
// it survives the workbench closing or crashing, and whoever follows it (this
// session or the next) reads the same file. A new run is first recorded in
// the store as queued (`cos-batch run … --queue`, detached too) and waits
// there for a free slot; its launch directory keeps how to start it, so the
// next session takes over a run this one left waiting.

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>

#include <optional>

class QTimer;

namespace cosw {

class RunJob : public QObject {
    Q_OBJECT
public:
    // Queuing: `cos-batch run … --queue` is recording the run in the store.
    enum class State { Queuing, Waiting, Running, Ended };

    // A run to start: `arguments` follow the program; `dir` receives the
    // progress file (progress.jsonl) and the error output (stderr.log).
    RunJob(const QString &program, const QStringList &arguments, const QString &device, const QString &dir,
           const QString &title, QObject *parent = nullptr);
    // A run started earlier, maybe by another session, still running as `pid`.
    // `dir` is its launch directory when known (empty otherwise); following
    // starts at the end of its progress file.
    static RunJob *follow(qint64 runId, qint64 pid, const QString &device, const QString &dir, const QString &title,
                          QObject *parent = nullptr);
    // A new run: `queueArguments` (a `cos-batch run … --queue`) record it in
    // the store as queued; it then waits, and starts as `cos-batch resume ID`
    // followed by `startArguments`. Null, with the reason in `error`, when
    // `dir` cannot keep how to start it.
    static RunJob *queue(const QString &program, const QStringList &queueArguments, const QStringList &startArguments,
                         const QString &device, const QString &dir, const QString &title, QString *error,
                         QObject *parent = nullptr);
    // The queued run an earlier session launched from `dir`, waiting again;
    // null when `dir` is not the launch directory of queued run `runId` in
    // `database`.
    static RunJob *queuedEarlier(const QString &program, qint64 runId, const QString &database, const QString &dir,
                                 QObject *parent = nullptr);

    // Queuing: starts recording the run in the store. False, with the reason
    // logged, when that does not start.
    bool startQueuing();
    // Waiting -> Running. False, with the reason logged, when it does not start.
    bool start();
    // Graceful stop of a running child (SIGTERM: it finishes its step, writes a
    // checkpoint and ends `interrupted`); a waiting job just ends, and a run it
    // queued in the store is given up (see removedFromQueue).
    void cancel();

    State state() const { return m_state; }
    qint64 runId() const { return m_runId; }
    qint64 pid() const { return m_pid; }
    const QString &device() const { return m_device; }
    const QString &title() const { return m_title; }
    // The data-parallel ranks it starts (--nproc), 1 for a plain run.
    int processes() const;
    const QString &directory() const { return m_dir; }

    // Name of the marker a launch directory gets once the run's id is known;
    // it holds the store's file, so the next session can find the directory.
    static QString markerName(qint64 runId);

signals:
    void runIdKnown(qint64 runId);
    // Queuing -> Waiting: the run is in the store, ready to start.
    void queued();
    // The queued run `runId` will not be started by this job: cancelled
    // before it started.
    void removedFromQueue(qint64 runId);
    void eventReceived(const QJsonObject &event);
    void logLine(const QString &line);
    void ended();

private:
    void poll();
    // Reads what was appended to `file` since `offset`; complete lines only.
    QStringList readLines(const QString &file, qint64 &offset, QByteArray &partial);
    void handleProgressLine(const QString &line);
    QString describe(const QJsonObject &event) const;
    void finish();
    // Starts `arguments` detached, its output into the two files of the launch directory.
    bool launch(const QStringList &arguments, const char *progressFile, const char *errorFile);
    // Queuing ends when its process does: Waiting with the run's id, or ended.
    void queuingEnded();
    // Ends a job whose run waits in the store (or was being queued): the run is given up.
    void giveUpQueuedRun();
    QString queuedFile() const;

    QString m_program;
    QStringList m_arguments, m_queueArguments;
    // The run waits in the store as `queued` (not one stopped earlier).
    bool m_queuedInStore = false;
    bool m_cancelWhenQueued = false;
    QString m_device, m_dir, m_title;
    State m_state = State::Waiting;
    qint64 m_runId = 0;
    qint64 m_pid = 0;
    // When that process started: a later process given the same pid is not it.
    std::optional<double> m_pidStartedAt;
    qint64 m_progressOffset = 0, m_errorOffset = 0;
    QByteArray m_progressPartial, m_errorPartial;
    QTimer *m_timer;
};

} // namespace cosw

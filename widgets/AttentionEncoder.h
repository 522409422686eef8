#pragma once
// Runs the attention session off the UI thread: opening a checkpoint,
// encoding an image and reading a run's checkpoints and evaluation set all
// happen on a worker thread of its own, and their results come back as
// signals on the UI thread. Only the latest request of each kind answers:
// a newer one, or cancel(), drops what an older one would have said.

#include "facade/AttentionSession.h"
#include "store/StoreRecords.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QThread>

#include <functional>
#include <memory>
#include <vector>

namespace cosw {

class AttentionEncoder : public QObject {
    Q_OBJECT
public:
    explicit AttentionEncoder(QObject *parent = nullptr);
    ~AttentionEncoder() override;

    // Opens a checkpoint, token-scaled as `cos-batch scale` would (0 / empty: as it is).
    void open(const QString &checkpointDir, int resolutionPx = 0, const QList<int> &window = {});
    // Encodes an image with the open checkpoint.
    void encode(const QString &imagePath);
    // Asks a question about an image with the open checkpoint.
    void ask(const QString &imagePath, const QString &question);
    // Reads a run's stage-end checkpoints and up to `questions` of its evaluation questions.
    void loadRun(const QString &databasePath, qint64 runId, int questions = 200);
    // Records a file made from a run's maps as the run's artifact in the store.
    void recordArtifact(const QString &databasePath, qint64 runId, const ArtifactRecord &artifact);
    // Drops the answers of every pending request (the work itself runs to its end).
    void cancel();
    bool isBusy() const;

signals:
    void opened(const QString &checkpointDir, const cosw::TokenLayout &layout);
    void encoded(const QString &imagePath, std::shared_ptr<const cosw::AttentionMaps> maps);
    void answered(const QString &imagePath, const cosw::AnswerAttribution &answer);
    void runLoaded(qint64 runId, const std::vector<cosw::StageCheckpoint> &checkpoints,
                   const std::vector<cosw::EvalQuestion> &questions);
    void artifactRecorded(qint64 runId, const QString &path);
    void failed(const QString &message);
    void busyChanged(bool busy);

private:
    enum Kind { Open, Encode, Ask, Run, Record, Kinds };
    // Runs `work` on the worker thread; `deliver` with its result on the UI
    // thread, unless a newer request of the same kind came in meanwhile.
    template <typename Result>
    void post(Kind kind, std::function<Result()> work, std::function<void(const Result &)> deliver);
    void setOutstanding(Kind kind, bool outstanding);

    QThread m_thread;
    QObject *m_context;                        // lives on m_thread
    // The open session and the last few opened, so going back to a
    // checkpoint (or its scaling) finds its encoded images again. Touched on
    // m_thread only.
    struct Sessions;
    std::shared_ptr<Sessions> m_sessions;
    quint64 m_tickets[Kinds] = {};
    bool m_outstanding[Kinds] = {};
};

} // namespace cosw

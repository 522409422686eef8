#include "AttentionEncoder.h"

#include "base/Errors.h"
#include "store/ExperimentStore.h"

#include <algorithm>
#include <exception>
#include <functional>
#include <list>
#include <variant>

namespace cosw {

struct AttentionEncoder::Sessions {
    static constexpr size_t kKept = 4; // a model each: the quickstart's is about 20 MB
    std::shared_ptr<AttentionSession> current;
    std::list<std::pair<std::string, std::shared_ptr<AttentionSession>>> recent; // most recent first

    void open(const std::string &dir, int resolutionPx, const std::vector<int> &window)
    {
        std::string key = dir + "|" + std::to_string(resolutionPx);
        for (int k : window)
            key += "," + std::to_string(k);
        current.reset();
        auto found = std::find_if(recent.begin(), recent.end(), [&](const auto &entry) { return entry.first == key; });
        if (found != recent.end()) {
            recent.splice(recent.begin(), recent, found);
        } else {
            recent.emplace_front(key, std::make_shared<AttentionSession>(dir, resolutionPx, window));
            if (recent.size() > kKept)
                recent.pop_back();
        }
        current = recent.front().second;
    }

    AttentionSession &session() const
    {
        if (!current)
            throw InputError("no checkpoint is open");
        return *current;
    }
};

AttentionEncoder::AttentionEncoder(QObject *parent)
    : QObject(parent), m_context(new QObject), m_sessions(std::make_shared<Sessions>())
{
    m_context->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread.setObjectName("attention");
    m_thread.start();
}

AttentionEncoder::~AttentionEncoder()
{
    m_thread.quit();
    m_thread.wait();
}

template <typename Result>
void AttentionEncoder::post(Kind kind, std::function<Result()> work, std::function<void(const Result &)> deliver)
{
    const quint64 ticket = ++m_tickets[kind];
    setOutstanding(kind, true);
    QMetaObject::invokeMethod(m_context, [this, kind, ticket, work, deliver] {
        // An error is a message for the user, whatever threw it.
        std::variant<Result, QString> outcome;
        try {
            outcome = work();
        } catch (const std::exception &e) {
            outcome = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            this,
            [this, kind, ticket, deliver, outcome = std::move(outcome)] {
                if (ticket != m_tickets[kind])
                    return; // superseded or cancelled
                setOutstanding(kind, false);
                if (const QString *message = std::get_if<QString>(&outcome))
                    emit failed(*message);
                else
                    deliver(std::get<Result>(outcome));
            },
            Qt::QueuedConnection);
    });
}

void AttentionEncoder::setOutstanding(Kind kind, bool outstanding)
{
    const bool wasBusy = isBusy();
    m_outstanding[kind] = outstanding;
    if (isBusy() != wasBusy)
        emit busyChanged(isBusy());
}

bool AttentionEncoder::isBusy() const
{
    return std::any_of(std::begin(m_outstanding), std::end(m_outstanding), [](bool b) { return b; });
}

void AttentionEncoder::open(const QString &checkpointDir, int resolutionPx, const QList<int> &window)
{
    auto sessions = m_sessions;
    const std::string dir = checkpointDir.toStdString();
    const std::vector<int> factors(window.begin(), window.end());
    post<TokenLayout>(
        Open,
        [sessions, dir, resolutionPx, factors] {
            sessions->open(dir, resolutionPx, factors);
            return sessions->session().layout();
        },
        [this, checkpointDir](const TokenLayout &layout) { emit opened(checkpointDir, layout); });
}

void AttentionEncoder::encode(const QString &imagePath)
{
    auto sessions = m_sessions;
    const std::string path = imagePath.toStdString();
    post<std::shared_ptr<const AttentionMaps>>(
        Encode, [sessions, path] { return sessions->session().encode(path); },
        [this, imagePath](const std::shared_ptr<const AttentionMaps> &maps) { emit encoded(imagePath, maps); });
}

void AttentionEncoder::ask(const QString &imagePath, const QString &question)
{
    auto sessions = m_sessions;
    const std::string path = imagePath.toStdString(), text = question.toStdString();
    post<AnswerAttribution>(
        Ask, [sessions, path, text] { return sessions->session().answer(path, text); },
        [this, imagePath](const AnswerAttribution &a) { emit answered(imagePath, a); });
}

void AttentionEncoder::loadRun(const QString &databasePath, qint64 runId, int questions)
{
    const std::string db = databasePath.toStdString();
    using Loaded = std::pair<std::vector<StageCheckpoint>, std::vector<EvalQuestion>>;
    post<Loaded>(
        Run,
        [db, runId, questions] {
            ExperimentStore store(db);
            Loaded loaded;
            loaded.first = runStageCheckpoints(store, runId);
            try {
                loaded.second = runEvalQuestions(store, runId, questions);
            } catch (const InputError &) {
                // A run without (readable) evaluation data still shows its
                // checkpoints; images then come from files.
            }
            return loaded;
        },
        [this, runId](const Loaded &l) { emit runLoaded(runId, l.first, l.second); });
}

void AttentionEncoder::recordArtifact(const QString &databasePath, qint64 runId, const ArtifactRecord &artifact)
{
    const std::string db = databasePath.toStdString();
    post<bool>(
        Record,
        [db, runId, artifact] {
            ExperimentStore(db).addArtifact(runId, artifact);
            return true;
        },
        [this, runId, path = QString::fromStdString(artifact.path)](const bool &) { emit artifactRecorded(runId, path); });
}

void AttentionEncoder::cancel()
{
    for (int kind = 0; kind < Kinds; ++kind) {
        ++m_tickets[kind];
        setOutstanding(Kind(kind), false);
    }
}

} // namespace cosw

#pragma once
// Store queries of the GUI. A StoreReader lives on a worker thread (see
// StoreReaderThread) with a connection of its own: SQLite connections must not
// cross threads, and the UI thread must never wait on a query. Requests are
// queued slot calls; answers come back as signals.

#include "store/ExperimentStore.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cosw {

constexpr int kAllStages = -1;

// A live chart asks for the points of each metric, one stage at a time (steps
// restart in every stage), after the last step it already holds.
struct SeriesRequest {
    int64_t runId = 0;
    std::vector<std::string> metrics;
    std::map<std::pair<std::string, int>, int64_t> lastStep; // (metric, stage) held so far
    int maxPoints = 2000;
};

struct SeriesChunk {
    std::string metric;
    int stage = 0;        // kAllStages for a run without stage records
    bool replace = false; // the points replace what the chart holds (a first or a fresh fetch)
    std::vector<SeriesPoint> points;
};

struct SeriesUpdate {
    RunRecord run;
    std::vector<StageRecord> stages;
    std::vector<SeriesChunk> chunks;
};

class StoreReader : public QObject {
    Q_OBJECT
public:
    explicit StoreReader(QObject *parent = nullptr);
    ~StoreReader() override;

public slots:
    // The next query opens this file (and closes the previous one).
    void setFile(const QString &file);
    void loadRuns();
    void loadSeries(const cosw::SeriesRequest &request);
    // Every run's comparison row (the dashboard filters them itself).
    void loadComparison();
    // Imported pretrained parts (cos-batch import), for the launcher.
    void loadImports();

signals:
    void runsLoaded(const std::vector<cosw::RunRecord> &runs);
    void seriesLoaded(const cosw::SeriesUpdate &update);
    void comparisonLoaded(const std::vector<cosw::ComparisonRow> &rows);
    void importsLoaded(const std::vector<cosw::ImportRecord> &imports);
    void failed(const QString &message);

private:
    ExperimentStore *store();
    // Runs `query` on the store; a failure becomes failed().
    void answer(const std::function<void(ExperimentStore &)> &query);

    QString m_file;
    std::unique_ptr<ExperimentStore> m_store;
};

} // namespace cosw

Q_DECLARE_METATYPE(cosw::SeriesRequest)
Q_DECLARE_METATYPE(cosw::SeriesUpdate)
Q_DECLARE_METATYPE(std::vector<cosw::RunRecord>)
Q_DECLARE_METATYPE(std::vector<cosw::ComparisonRow>)
Q_DECLARE_METATYPE(std::vector<cosw::ImportRecord>)

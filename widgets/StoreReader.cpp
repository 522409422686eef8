#include "StoreReader.h"

#include <exception>

namespace cosw {

StoreReader::StoreReader(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<cosw::SeriesRequest>();
    qRegisterMetaType<cosw::SeriesUpdate>();
    qRegisterMetaType<std::vector<cosw::RunRecord>>();
    qRegisterMetaType<std::vector<cosw::ComparisonRow>>();
    qRegisterMetaType<std::vector<cosw::ImportRecord>>();
}

StoreReader::~StoreReader() = default;

void StoreReader::setFile(const QString &file)
{
    if (file == m_file)
        return;
    m_file = file;
    m_store.reset();
}

ExperimentStore *StoreReader::store()
{
    if (!m_store && !m_file.isEmpty())
        m_store = std::make_unique<ExperimentStore>(m_file.toStdString());
    return m_store.get();
}

void StoreReader::answer(const std::function<void(ExperimentStore &)> &query)
{
    try {
        if (ExperimentStore *s = store())
            query(*s);
    } catch (const std::exception &e) {
        emit failed(QString::fromStdString(e.what()));
    }
}

void StoreReader::loadRuns()
{
    answer([this](ExperimentStore &s) { emit runsLoaded(s.runs()); });
}

void StoreReader::loadComparison()
{
    answer([this](ExperimentStore &s) { emit comparisonLoaded(s.comparison()); });
}

void StoreReader::loadImports()
{
    answer([this](ExperimentStore &s) { emit importsLoaded(s.imports()); });
}

void StoreReader::loadSeries(const SeriesRequest &request)
{
    answer([&](ExperimentStore &s) {
        RunDetail detail = s.run(request.runId);
        SeriesUpdate update;
        update.run = std::move(detail.run);
        update.stages = std::move(detail.stages);
        // A run written by something other than the trainer may have metrics
        // but no stage records: its series are read whole, as stage -1.
        std::vector<int> stages;
        for (const StageRecord &stage : update.stages)
            stages.push_back(stage.index);
        if (stages.empty())
            stages.push_back(kAllStages);
        for (int stage : stages) {
            for (const std::string &metric : request.metrics) {
                const auto held = request.lastStep.find({metric, stage});
                const bool fresh = held == request.lastStep.end();
                SeriesChunk chunk{metric, stage, fresh,
                                  s.metricSeries(request.runId, metric, request.maxPoints,
                                                 fresh ? std::nullopt : std::optional<int64_t>(held->second),
                                                 stage == kAllStages ? std::nullopt : std::optional<int>(stage))};
                if (fresh || !chunk.points.empty())
                    update.chunks.push_back(std::move(chunk));
            }
        }
        emit seriesLoaded(update);
    });
}

} // namespace cosw

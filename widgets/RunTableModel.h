#pragma once
// The runs of the experiment store as a table. Refreshes merge by run id, so
// selections and the sort order survive the periodic reload. A run that is
// running, or stopped midway, shows where it is (or stopped) by its status,
// as its trainer records it in the store: runs started anywhere are followed.

#include "store/ExperimentStore.h"

#include <QAbstractTableModel>

#include <vector>

namespace cosw {

class RunTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { IdColumn, NameColumn, StatusColumn, ConnectorColumn, TokensColumn, CreatedColumn, ColumnCount };
    // Sortable raw values (numbers, times) behind the displayed text.
    static constexpr int SortRole = Qt::UserRole;
    static constexpr int RunIdRole = Qt::UserRole + 1;

    explicit RunTableModel(QObject *parent = nullptr);

    void setRuns(const std::vector<RunRecord> &runs);
    const RunRecord &run(int row) const { return m_runs[static_cast<size_t>(row)]; }
    // -1 when the store has no such run.
    int rowOf(int64_t runId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QString statusText(RunStatus status);
    // The status with where the run is, e.g. "running · pretrain 120/450"
    // (a finished or queued run: the status alone).
    static QString statusWithProgress(const RunRecord &run);
    // Where the run is in full, with the time its stage has left as of `now`
    // (Unix seconds); empty when nothing is recorded or the run is not midway.
    static QString progressDetail(const RunRecord &run, double now);

private:
    std::vector<RunRecord> m_runs;
};

} // namespace cosw

#pragma once
// Sorts the run table by raw values and filters it by a piece of the name
// and a status.

#include "store/ExperimentStore.h"

#include <QSortFilterProxyModel>

#include <optional>

namespace cosw {

class RunFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit RunFilterModel(QObject *parent = nullptr);

    // Case-insensitive substring of the run name; empty shows every run.
    void setNameFilter(const QString &text);
    // nullopt shows every status.
    void setStatusFilter(std::optional<RunStatus> status);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_name;
    std::optional<RunStatus> m_status;
};

} // namespace cosw

#include "RunFilterModel.h"

#include "RunTableModel.h"

namespace cosw {

RunFilterModel::RunFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(RunTableModel::SortRole);
    // Live status changes re-sort and re-filter without a reset.
    setDynamicSortFilter(true);
}

void RunFilterModel::setNameFilter(const QString &text)
{
    m_name = text;
    invalidateFilter();
}

void RunFilterModel::setStatusFilter(std::optional<RunStatus> status)
{
    m_status = status;
    invalidateFilter();
}

bool RunFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
    const auto *model = qobject_cast<const RunTableModel *>(sourceModel());
    if (!model)
        return true;
    const RunRecord &r = model->run(sourceRow);
    if (m_status && r.status != *m_status)
        return false;
    return m_name.isEmpty() || QString::fromStdString(r.name).contains(m_name, Qt::CaseInsensitive);
}

} // namespace cosw

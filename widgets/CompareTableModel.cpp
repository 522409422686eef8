#include "CompareTableModel.h"

#include "LocaleNumber.h"

#include <QFont>
#include <QHash>

namespace cosw {

CompareTableModel::CompareTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void CompareTableModel::setTable(std::shared_ptr<const ComparisonTable> table)
{
    beginResetModel();
    m_table = std::move(table);
    endResetModel();
}

int CompareTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_table ? 0 : int(m_table->rowCount());
}

int CompareTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_table ? 0 : int(m_table->columns().size()) + (m_table->grouped() ? 2 : 1);
}

int CompareTableModel::runsColumn() const
{
    return m_table && m_table->grouped() ? int(m_table->columns().size()) : -1;
}

int CompareTableModel::paretoColumn() const
{
    return m_table ? int(m_table->columns().size()) + (m_table->grouped() ? 1 : 0) : 0;
}

QString CompareTableModel::rowKey(const ComparisonTable &table, size_t row)
{
    QStringList ids;
    for (size_t m : table.groups()[row].members)
        ids << QString::number(table.runs()[m].runId);
    return ids.join(',');
}

QString CompareTableModel::shownText(const ComparisonTable &table, size_t row, size_t column)
{
    const ComparisonColumn &c = table.columns()[column];
    const TableCell &cell = table.cell(row, column);
    if (!c.numeric || !cell.value)
        return QString::fromStdString(cell.text);
    QString text = localeNumber(*cell.value, c.decimals);
    if (cell.spread)
        text += QStringLiteral(" ± ") + localeNumber(*cell.spread, c.decimals);
    return text;
}

QVariant CompareTableModel::data(const QModelIndex &index, int role) const
{
    if (!m_table || !index.isValid())
        return {};
    const size_t row = size_t(index.row());
    if (role == RunIdsRole) {
        QList<qint64> ids;
        for (size_t m : m_table->groups()[row].members)
            ids.append(m_table->runs()[m].runId);
        return QVariant::fromValue(ids);
    }
    if (role == RowKeyRole)
        return rowKey(*m_table, row);
    if (index.column() == runsColumn()) {
        const int runs = int(m_table->groups()[row].members.size());
        if (role == Qt::DisplayRole || role == SortRole)
            return runs;
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    if (index.column() == paretoColumn()) {
        const bool front = m_table->onFront(row);
        if (role == Qt::DisplayRole)
            return front ? QStringLiteral("●") : QString();
        if (role == SortRole)
            return front ? 1 : 0;
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignCenter);
        if (role == Qt::ToolTipRole && front)
            return tr("On the Pareto front: no other row is both faster to pre-train and more accurate");
        return {};
    }
    const size_t column = size_t(index.column());
    const ComparisonColumn &c = m_table->columns()[column];
    const TableCell &cell = m_table->cell(row, column);
    switch (role) {
    case Qt::DisplayRole:
        return shownText(*m_table, row, column);
    case SortRole:
        if (c.numeric)
            return cell.value ? QVariant(*cell.value) : QVariant(-std::numeric_limits<double>::infinity());
        return QString::fromStdString(cell.text);
    case Qt::TextAlignmentRole:
        return int((c.numeric ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    case Qt::FontRole:
        if (cell.rank > 0) {
            QFont font;
            font.setBold(cell.rank == 1);
            font.setUnderline(cell.rank == 2);
            return font;
        }
        return {};
    case Qt::ToolTipRole:
        if (cell.rank == 1)
            return tr("Best in this column");
        if (cell.rank == 2)
            return tr("Second best in this column");
        if (c.numeric && m_table->grouped() && cell.value)
            return tr("Mean ± standard deviation over %n run(s)", "", cell.count);
        return {};
    default:
        return {};
    }
}

QString CompareTableModel::columnTitle(const ComparisonColumn &column)
{
    // The keys the engine names in English; per-type columns carry the
    // dataset's own words.
    static const QHash<QString, const char *> titles = {
        {"name", QT_TR_NOOP("name")},
        {"run_id", QT_TR_NOOP("run")},
        {"status", QT_TR_NOOP("status")},
        {"connector", QT_TR_NOOP("connector")},
        {"sweep", QT_TR_NOOP("sweep")},
        {"tokens", QT_TR_NOOP("tokens")},
        {"pretrain_tokens", QT_TR_NOOP("pre-train tokens")},
        {"finetune_tokens", QT_TR_NOOP("fine-tune tokens")},
        {"pretrain_resolution", QT_TR_NOOP("pre-train px")},
        {"finetune_resolution", QT_TR_NOOP("fine-tune px")},
        {"pretrain_seconds", QT_TR_NOOP("pre-train s")},
        {"pretrain_relative", QT_TR_NOOP("pre-train ×")},
        {"finetune_seconds", QT_TR_NOOP("fine-tune s")},
        {"pretrain_samples_per_second", QT_TR_NOOP("pre-train samples/s")},
        {"finetune_samples_per_second", QT_TR_NOOP("fine-tune samples/s")},
        //: Which stages read the frozen vision tower's features from the cache (their times leave the tower out).
        {"feature_cache", QT_TR_NOOP("feature cache")},
        {"accuracy", QT_TR_NOOP("accuracy")},
        {"accuracy_se", QT_TR_NOOP("± se")},
        {"type_prior", QT_TR_NOOP("type prior")},
        {"shuffled", QT_TR_NOOP("shuffled")},
        {"above_type_prior", QT_TR_NOOP("over prior")},
        {"cell_reading", QT_TR_NOOP("cell reading")},
        {"cell_reading_prior", QT_TR_NOOP("cell reading prior")},
        {"evaluated", QT_TR_NOOP("questions")},
        {"parameters", QT_TR_NOOP("parameters")},
        {"device", QT_TR_NOOP("device")},
        //: The BLAS kernel a run's CPU matrix products ran on.
        {"blas", QT_TR_NOOP("BLAS")},
        {"date", QT_TR_NOOP("date")},
    };
    const auto it = titles.find(QString::fromStdString(column.key));
    return it == titles.end() ? QString::fromStdString(column.header) : tr(it.value());
}

QString CompareTableModel::metricTitle(const ComparisonTable &table)
{
    const std::string &metric = table.options().metric;
    for (const ComparisonColumn &c : table.availableColumns())
        if (c.key == metric)
            return columnTitle(c);
    return QString::fromStdString(metric);
}

QVariant CompareTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (!m_table || orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole)
        return section == paretoColumn() ? tr("Pareto")
               : section == runsColumn() ? tr("runs")
                                         : columnTitle(m_table->columns()[size_t(section)]);
    if (role == Qt::ToolTipRole && section < int(m_table->columns().size()))
        return QString::fromStdString(m_table->columns()[size_t(section)].key);
    return {};
}

} // namespace cosw

#include "RunTableModel.h"

#include "LocaleNumber.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>

#include <algorithm>
#include <unordered_set>

namespace cosw {

RunTableModel::RunTableModel(QObject *parent) : QAbstractTableModel(parent) {}

QString RunTableModel::statusText(RunStatus status)
{
    switch (status) {
    case RunStatus::Queued: return tr("queued");
    case RunStatus::Running: return tr("running");
    case RunStatus::Finished: return tr("finished");
    case RunStatus::Failed: return tr("failed");
    case RunStatus::Interrupted: return tr("interrupted");
    }
    return {};
}

namespace {

bool sameProgress(const std::optional<RunProgress> &a, const std::optional<RunProgress> &b)
{
    if (!a || !b)
        return !a == !b;
    return a->stage == b->stage && a->evaluating == b->evaluating && a->step == b->step && a->time == b->time;
}

} // namespace

QString RunTableModel::statusWithProgress(const RunRecord &r)
{
    const RunProgress *shown = progressShown(r);
    if (!shown)
        return statusText(r.status);
    const RunProgress &p = *shown;
    const QString where = p.evaluating ? tr("evaluating %1/%2").arg(p.step).arg(p.totalSteps)
                                       : tr("%1 %2/%3").arg(QString::fromStdString(p.stageName)).arg(p.step).arg(p.totalSteps);
    //: A run's status, then where it is: "running · pretrain 120/450".
    return tr("%1 · %2").arg(statusText(r.status), where);
}

QString RunTableModel::progressDetail(const RunRecord &r, double now)
{
    const RunProgress *shown = progressShown(r);
    if (!shown)
        return {};
    const RunProgress &p = *shown;
    const QString stage = QString::fromStdString(p.stageName);
    QString text = p.evaluating
                       ? tr("Evaluating stage %1 (%2 of %3): %4 of %5 answers")
                             .arg(stage).arg(p.stage + 1).arg(p.stages).arg(p.step).arg(p.totalSteps)
                       : tr("Stage %1 (%2 of %3): step %4 of %5")
                             .arg(stage).arg(p.stage + 1).arg(p.stages).arg(p.step).arg(p.totalSteps);
    if (const auto left = stageSecondsLeft(r, now))
        text += tr(", about %1 left in the stage").arg(localeDuration(*left));
    return text;
}

int RunTableModel::rowOf(int64_t runId) const
{
    const auto it = std::find_if(m_runs.begin(), m_runs.end(), [&](const RunRecord &r) { return r.id == runId; });
    return it == m_runs.end() ? -1 : static_cast<int>(it - m_runs.begin());
}

void RunTableModel::setRuns(const std::vector<RunRecord> &runs)
{
    std::unordered_set<int64_t> present;
    for (const RunRecord &r : runs)
        present.insert(r.id);
    for (int row = rowCount() - 1; row >= 0; --row) {
        if (!present.count(m_runs[static_cast<size_t>(row)].id)) {
            beginRemoveRows({}, row, row);
            m_runs.erase(m_runs.begin() + row);
            endRemoveRows();
        }
    }
    for (const RunRecord &r : runs) {
        const int row = rowOf(r.id);
        if (row < 0) {
            beginInsertRows({}, rowCount(), rowCount());
            m_runs.push_back(r);
            endInsertRows();
            continue;
        }
        RunRecord &held = m_runs[static_cast<size_t>(row)];
        // Heartbeats change every few seconds; only what the table shows is worth a repaint.
        const bool shown = held.name != r.name || held.status != r.status || held.connector != r.connector
                           || held.minVisualTokens != r.minVisualTokens || held.maxVisualTokens != r.maxVisualTokens
                           || !sameProgress(held.progress, r.progress);
        held = r;
        if (shown)
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
}

int RunTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int RunTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const RunRecord &r = run(index.row());
    if (role == RunIdRole)
        return QVariant::fromValue<qint64>(r.id);
    if (role == Qt::ForegroundRole && index.column() == StatusColumn) {
        switch (r.status) {
        case RunStatus::Running: return QBrush(QColor(0x1f, 0x77, 0xb4));
        case RunStatus::Failed: return QBrush(QColor(0xc0, 0x20, 0x20));
        case RunStatus::Interrupted: return QBrush(QColor(0xb0, 0x70, 0x00));
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        QStringList lines;
        if (!r.message.empty())
            lines << QString::fromStdString(r.message);
        if (const QString where = progressDetail(r, double(QDateTime::currentMSecsSinceEpoch()) / 1000); !where.isEmpty())
            lines << where;
        return lines.isEmpty() ? QVariant() : QVariant(lines.join('\n'));
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool sort = role == SortRole;
    switch (index.column()) {
    case IdColumn: return QVariant::fromValue<qint64>(r.id);
    case NameColumn: return QString::fromStdString(r.name);
    case StatusColumn: return statusWithProgress(r);
    case ConnectorColumn: return QString::fromStdString(r.connector);
    case TokensColumn:
        if (sort)
            return r.maxVisualTokens;
        if (r.maxVisualTokens == 0)
            return QString();
        return r.minVisualTokens == r.maxVisualTokens
                   ? QString::number(r.maxVisualTokens)
                   : QStringLiteral("%1 → %2").arg(r.minVisualTokens).arg(r.maxVisualTokens);
    case CreatedColumn:
        if (sort)
            return r.createdAt;
        return QDateTime::fromSecsSinceEpoch(static_cast<qint64>(r.createdAt)).toString("yyyy-MM-dd HH:mm:ss");
    }
    return {};
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn: return tr("Id");
    case NameColumn: return tr("Name");
    case StatusColumn: return tr("Status");
    case ConnectorColumn: return tr("Connector");
    case TokensColumn: return tr("Visual tokens");
    case CreatedColumn: return tr("Created");
    }
    return {};
}

} // namespace cosw

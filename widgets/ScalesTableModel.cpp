#include "ScalesTableModel.h"

#include "FormValues.h"

namespace cosw {

namespace {

const Json kOneWindow(1); // a resampler's single global window

// What a typed cell holds: an integer where the text is one, the text
// otherwise, for the engine to name.
Json typedCell(const QVariant &value)
{
    bool ok = false;
    const int n = value.toString().trimmed().toInt(&ok);
    return ok ? Json(n) : Json(value.toString().toStdString());
}

const char *columnKey(int column)
{
    return column == ScalesTableModel::WindowsColumn ? "windows" : "queries";
}

} // namespace

ScalesTableModel::ScalesTableModel(Json &tree, QObject *parent) : QAbstractTableModel(parent), m_tree(tree) {}

const Json *ScalesTableModel::connector() const
{
    const Json *model = findKey(m_tree, "model");
    return model ? findKey(*model, "connector") : nullptr;
}

std::string ScalesTableModel::connectorType() const
{
    const Json *c = connector();
    const Json *type = c ? findKey(*c, "type") : nullptr;
    return type && type->is_string() ? type->get<std::string>() : "chain_of_sight";
}

const Json *ScalesTableModel::cell(int row, int column) const
{
    const Json *c = connector();
    if (!c)
        return nullptr;
    if (connectorType() == "resampler")
        return column == WindowsColumn ? &kOneWindow : findKey(*c, "queries");
    const Json *scales = findKey(*c, "scales");
    if (!scales || !scales->is_array() || size_t(row) >= scales->size())
        return nullptr;
    return findKey(scales->at(size_t(row)), columnKey(column));
}

void ScalesTableModel::reload()
{
    beginResetModel();
    m_markedRow = m_markedColumn = -1;
    m_markReason.clear();
    endResetModel();
}

int ScalesTableModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    const std::string type = connectorType();
    if (type == "resampler")
        return connector() ? 1 : 0;
    if (type != "chain_of_sight")
        return 0;
    const Json *c = connector();
    const Json *scales = c ? findKey(*c, "scales") : nullptr;
    return scales && scales->is_array() ? int(scales->size()) : 0;
}

int ScalesTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ScalesTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const bool marked = index.row() == m_markedRow && index.column() == m_markedColumn;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole: {
        const Json *value = cell(index.row(), index.column());
        if (value && value->is_number_integer())
            return static_cast<int>(value->get<int64_t>());
        return value ? QVariant(configValueText(value)) : QVariant();
    }
    case Qt::TextAlignmentRole:
        return int(Qt::AlignCenter);
    case Qt::BackgroundRole:
        return marked ? QVariant(kInvalidColor) : QVariant();
    case Qt::ToolTipRole:
        return marked ? QVariant(m_markReason) : QVariant();
    default:
        return {};
    }
}

bool ScalesTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::EditRole || !(flags(index) & Qt::ItemIsEditable))
        return false;
    Json &model = m_tree["model"];
    if (!model.is_object())
        return false;
    Json &c = model["connector"];
    if (!c.is_object())
        return false;
    if (connectorType() == "resampler") {
        c["queries"] = typedCell(value);
    } else {
        Json *scales = findKey(c, "scales");
        if (!scales || !scales->is_array() || size_t(index.row()) >= scales->size()
            || !scales->at(size_t(index.row())).is_object())
            return false;
        scales->at(size_t(index.row()))[columnKey(index.column())] = typedCell(value);
    }
    emit dataChanged(index, index);
    emit edited();
    return true;
}

Qt::ItemFlags ScalesTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    const bool fixed = connectorType() == "resampler" && index.column() == WindowsColumn;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | (fixed ? Qt::NoItemFlags : Qt::ItemIsEditable);
}

QVariant ScalesTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    return section == WindowsColumn ? tr("Windows per side") : tr("Queries per window");
}

void ScalesTableModel::markCell(int row, int column, const QString &reason)
{
    clearMarks();
    if (row < 0 || row >= rowCount() || column < 0 || column >= ColumnCount)
        return;
    m_markedRow = row;
    m_markedColumn = column;
    m_markReason = reason;
    emit dataChanged(index(row, column), index(row, column), {Qt::BackgroundRole, Qt::ToolTipRole});
}

void ScalesTableModel::clearMarks()
{
    if (m_markedRow < 0)
        return;
    const QModelIndex was = index(m_markedRow, m_markedColumn);
    m_markedRow = m_markedColumn = -1;
    m_markReason.clear();
    emit dataChanged(was, was, {Qt::BackgroundRole, Qt::ToolTipRole});
}

} // namespace cosw

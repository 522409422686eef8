#pragma once
// The connector's scales as a table the launcher edits in place: one row per
// scale, coarse to fine, with windows per side and queries per window. A
// plain resampler shows its one global window (fixed) and its queries; an
// MLP projector has no rows. Edits go straight into the config tree; a cell
// the engine's check names is marked with the reason.

#include "base/Json.h"

#include <QAbstractTableModel>
#include <QString>

namespace cosw {

class ScalesTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { WindowsColumn, QueriesColumn, ColumnCount };

    // `tree`: the run config the launcher holds; it outlives the model.
    explicit ScalesTableModel(Json &tree, QObject *parent = nullptr);

    // Re-reads the tree (another config, another connector type, a scale
    // added or removed).
    void reload();
    // Marks the cell the config error names, with its reason; clearMarks
    // takes every mark away.
    void markCell(int row, int column, const QString &reason);
    void clearMarks();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    // A cell's edit changed the tree.
    void edited();

private:
    std::string connectorType() const;
    const Json *connector() const;
    // The value a cell shows; null where the tree has none.
    const Json *cell(int row, int column) const;

    Json &m_tree;
    int m_markedRow = -1;
    int m_markedColumn = -1;
    QString m_markReason;
};

} // namespace cosw

#pragma once
// The comparison table for a QTableView: numbers in the user's locale with
// the same digits the exports write, best bold and second best underlined,
// Pareto rows marked; sorts by the numbers, not their text.

#include "compare/ComparisonTable.h"

#include <QAbstractTableModel>
#include <QList>

#include <memory>

namespace cosw {

class CompareTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role {
        SortRole = Qt::UserRole + 1, // the number, or the text
        RunIdsRole,                  // QList<qint64>: the runs a row merges
        RowKeyRole,                  // what identifies a row across reloads
    };

    explicit CompareTableModel(QObject *parent = nullptr);

    void setTable(std::shared_ptr<const ComparisonTable> table);
    const ComparisonTable *table() const { return m_table.get(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // After the table's columns: how many runs a group merges (-1 when rows
    // are runs), then "Pareto".
    int runsColumn() const;
    int paretoColumn() const;
    // A row's key: its runs' ids joined ("3,7,9").
    static QString rowKey(const ComparisonTable &table, size_t row);
    // A column's heading in the user's language.
    static QString columnTitle(const ComparisonColumn &column);
    // The title of the column the table's metric reads, for plot axes.
    static QString metricTitle(const ComparisonTable &table);
    // The cell as the view shows it, in the user's locale.
    static QString shownText(const ComparisonTable &table, size_t row, size_t column);

private:
    std::shared_ptr<const ComparisonTable> m_table;
};

} // namespace cosw

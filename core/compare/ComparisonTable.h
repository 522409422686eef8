#pragma once
// The comparison table as the dashboard, `cos-batch compare` and every export
// show it: runs (or groups of runs) by chosen columns, each number formatted
// once, best and second best per column ranked, and the Pareto front of
// pre-training time against a chosen accuracy.

#include "ComparisonColumns.h"
#include "ConfigPaths.h"
#include "RunGroups.h"

#include <optional>
#include <string>
#include <vector>

namespace cosw {

struct ComparisonOptions {
    std::vector<std::string> columns;    // column keys; empty: the defaults
    std::vector<std::string> groupBy;    // group keys (RunGroups.h); empty: one row per run
    std::optional<int64_t> referenceRun; // pre-training time 1.00x
    std::string metric = "accuracy";     // the accuracy of the trade-off (any numeric column)
};

struct TableCell {
    std::string text;            // as shown: "0.533", "0.533 ± 0.012", "mlp"; C locale
    std::optional<double> value; // the mean, rounded as shown
    std::optional<double> spread; // the standard deviation over a group's runs, rounded as shown
    int count = 0;               // runs with the figure
    int rank = 0;                // 1 best, 2 second best in its column, 0 otherwise
};

class ComparisonTable {
public:
    // Throws InputError naming an unknown column, group key or metric, a
    // reference run that is not among the rows, or one without a
    // pre-training time.
    ComparisonTable(std::vector<ComparisonRow> rows, const ComparisonOptions &options);

    const std::vector<ComparisonRow> &runs() const { return m_rows; }
    const std::vector<ComparisonColumn> &availableColumns() const { return m_available; }
    const std::vector<ComparisonColumn> &columns() const { return m_columns; }
    const std::vector<RunGroup> &groups() const { return m_groups; }
    const ComparisonOptions &options() const { return m_options; }
    bool grouped() const { return !m_options.groupBy.empty(); }
    size_t rowCount() const { return m_groups.size(); }
    const TableCell &cell(size_t row, size_t column) const { return m_cells[row][column]; }
    // -1 when the column is not shown.
    int columnIndex(const std::string &key) const;
    // On the Pareto front of pre-training time against the metric.
    bool onFront(size_t row) const { return m_front[row]; }
    std::optional<double> referenceSeconds() const { return m_referenceSeconds; }

    // Any available column over a row's runs, shown or not (the plots read
    // figures the table does not show).
    Summary summary(size_t row, const std::string &key) const;
    // A text column's value over a row's runs: the common value, or the
    // distinct values joined by " / ".
    std::string text(size_t row, const std::string &key) const;

private:
    const ComparisonColumn &available(const std::string &key) const;

    std::vector<ComparisonRow> m_rows;
    std::vector<FlatConfig> m_configs; // only when grouping by a config key
    ComparisonOptions m_options;
    std::optional<double> m_referenceSeconds;
    std::vector<ComparisonColumn> m_available, m_columns;
    std::vector<RunGroup> m_groups;
    std::vector<std::vector<TableCell>> m_cells;
    std::vector<bool> m_front;
};

} // namespace cosw

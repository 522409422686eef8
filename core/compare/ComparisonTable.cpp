#include "ComparisonTable.h"

#include "ParetoFront.h"
#include "base/Errors.h"
#include "base/Messages.h"
#include "base/Numbers.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace cosw {

namespace {

double rounded(double value, int decimals) { return *parseReal(formatRealFixed(value, decimals)); }

FlatConfig flattenStored(const std::string &text)
{
    try {
        return flattenConfig(parseJson(text.empty() ? "{}" : text, "config"));
    } catch (const std::exception &) {
        return {}; // a run whose stored config is not JSON compares by its other figures
    }
}

// Ranks 1 and 2 by the values as shown, so ties on screen share a rank.
void rankColumn(std::vector<std::vector<TableCell>> &cells, size_t column, Better better)
{
    if (better == Better::None)
        return;
    std::set<double> distinct;
    for (const auto &row : cells)
        if (row[column].value)
            distinct.insert(*row[column].value);
    if (distinct.size() < 2)
        return; // one value everywhere marks nothing
    std::vector<double> order(distinct.begin(), distinct.end());
    if (better == Better::Higher)
        std::reverse(order.begin(), order.end());
    for (auto &row : cells) {
        TableCell &c = row[column];
        if (c.value)
            c.rank = *c.value == order[0] ? 1 : *c.value == order[1] ? 2 : 0;
    }
}

} // namespace

ComparisonTable::ComparisonTable(std::vector<ComparisonRow> rows, const ComparisonOptions &options)
    : m_rows(std::move(rows)), m_options(options)
{
    // Parsing a thousand configs costs more than the rest of the table: only
    // grouping by a config key needs them.
    const auto &builtin = builtinGroupKeys();
    const bool byConfig = std::any_of(options.groupBy.begin(), options.groupBy.end(), [&](const std::string &key) {
        return std::find(builtin.begin(), builtin.end(), key) == builtin.end();
    });
    if (byConfig)
        for (const ComparisonRow &r : m_rows)
            m_configs.push_back(flattenStored(r.config));
    if (options.referenceRun) {
        const auto it = std::find_if(m_rows.begin(), m_rows.end(),
                                     [&](const ComparisonRow &r) { return r.runId == *options.referenceRun; });
        if (it == m_rows.end())
            throw InputError(fill(msg("reference run %1 is not among the compared runs"),
                                  {std::to_string(*options.referenceRun)}));
        if (!it->pretrainSeconds || *it->pretrainSeconds <= 0)
            throw InputError(fill(msg("reference run %1 (%2) has no pre-training time to be relative to"),
                                  {std::to_string(*options.referenceRun), it->name}));
        m_referenceSeconds = it->pretrainSeconds;
    }
    m_available = comparisonColumns(m_rows, m_referenceSeconds);
    const std::vector<std::string> keys = options.columns.empty() ? defaultColumnKeys(m_available) : options.columns;
    for (const std::string &key : keys)
        m_columns.push_back(available(key));
    if (!available(options.metric).numeric)
        throw InputError(fill(msg("metric '%1' is not a number column"), {options.metric}));
    m_groups = groupRuns(m_rows, m_configs, options.groupBy);

    for (size_t g = 0; g < m_groups.size(); ++g) {
        std::vector<TableCell> row;
        for (const ComparisonColumn &column : m_columns) {
            TableCell cell;
            if (!column.numeric) {
                cell.text = column.key == "name" && grouped() ? m_groups[g].label : text(g, column.key);
                cell.count = static_cast<int>(m_groups[g].members.size());
            } else {
                const Summary s = summary(g, column.key);
                cell.count = s.count;
                if (s.mean) {
                    cell.value = rounded(*s.mean, column.decimals);
                    cell.text = formatRealFixed(*s.mean, column.decimals);
                    if (s.sd) {
                        cell.spread = rounded(*s.sd, column.decimals);
                        cell.text += " ± " + formatRealFixed(*s.sd, column.decimals);
                    }
                }
            }
            row.push_back(std::move(cell));
        }
        m_cells.push_back(std::move(row));
    }
    for (size_t c = 0; c < m_columns.size(); ++c)
        rankColumn(m_cells, c, m_columns[c].better);

    std::vector<TradeoffPoint> points;
    for (size_t g = 0; g < m_groups.size(); ++g)
        points.push_back({summary(g, "pretrain_seconds").mean, summary(g, options.metric).mean});
    m_front.assign(m_groups.size(), false);
    for (size_t i : paretoFront(points))
        m_front[i] = true;
}

const ComparisonColumn &ComparisonTable::available(const std::string &key) const
{
    for (const ComparisonColumn &c : m_available)
        if (c.key == key)
            return c;
    std::string known;
    for (const ComparisonColumn &c : m_available)
        known += (known.empty() ? "" : ", ") + c.key;
    throw InputError(fill(msg("unknown column '%1' (known: %2)"), {key, known}));
}

int ComparisonTable::columnIndex(const std::string &key) const
{
    for (size_t i = 0; i < m_columns.size(); ++i)
        if (m_columns[i].key == key)
            return static_cast<int>(i);
    return -1;
}

Summary ComparisonTable::summary(size_t row, const std::string &key) const
{
    const ComparisonColumn &column = available(key);
    std::vector<double> values;
    if (column.numeric)
        for (size_t m : m_groups[row].members)
            if (const auto v = column.number(m_rows[m]))
                values.push_back(*v);
    return summarize(values);
}

std::string ComparisonTable::text(size_t row, const std::string &key) const
{
    const ComparisonColumn &column = available(key);
    std::vector<std::string> distinct;
    for (size_t m : m_groups[row].members) {
        const std::string value = column.numeric ? std::string() : column.text(m_rows[m]);
        if (std::find(distinct.begin(), distinct.end(), value) == distinct.end())
            distinct.push_back(value);
    }
    std::string out;
    for (const std::string &v : distinct)
        out += (out.empty() ? "" : " / ") + v;
    return out;
}

} // namespace cosw

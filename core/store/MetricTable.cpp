#include "MetricTable.h"

#include "StoreCsv.h"
#include "StoreJson.h"
#include "base/Numbers.h"

#include <algorithm>
#include <set>

namespace cosw {

MetricTable metricTable(const std::vector<MetricPoint> &points, const std::vector<std::string> &names,
                        const std::map<int, std::string> &stageNames)
{
    MetricTable table;
    table.names = names;
    if (table.names.empty()) {
        std::set<std::string> all;
        for (const MetricPoint &p : points)
            all.insert(p.name);
        table.names.assign(all.begin(), all.end());
    }
    std::map<std::string, size_t> column;
    for (size_t i = 0; i < table.names.size(); ++i)
        column[table.names[i]] = i;
    for (const MetricPoint &p : points) {
        const auto c = column.find(p.name);
        if (c == column.end())
            continue;
        if (table.rows.empty() || table.rows.back().stage != p.stage || table.rows.back().step != p.step) {
            MetricTable::Row row;
            row.stage = p.stage;
            const auto name = stageNames.find(p.stage);
            row.stageName = name == stageNames.end() ? std::string() : name->second;
            row.step = p.step;
            row.time = p.time;
            row.values.resize(table.names.size());
            table.rows.push_back(std::move(row));
        }
        MetricTable::Row &row = table.rows.back();
        row.time = std::min(row.time, p.time);
        row.values[c->second] = p.value;
    }
    return table;
}

std::string metricTableCsv(const MetricTable &table)
{
    std::string out = "stage,stage_name,step,time";
    for (const std::string &name : table.names)
        out += "," + csvField(name);
    out += "\n";
    for (const MetricTable::Row &row : table.rows) {
        out += std::to_string(row.stage) + "," + csvField(row.stageName) + "," + std::to_string(row.step) + ","
               + formatReal(row.time);
        for (const std::optional<double> &v : row.values)
            out += "," + (v ? formatReal(*v) : std::string());
        out += "\n";
    }
    return out;
}

Json metricTableJson(const MetricTable &table)
{
    Json rows = Json::array();
    for (const MetricTable::Row &row : table.rows) {
        Json r = Json::object();
        r["stage"] = row.stage;
        r["stage_name"] = row.stageName;
        r["step"] = row.step;
        r["time"] = row.time;
        for (size_t i = 0; i < table.names.size(); ++i)
            r[table.names[i]] = optionalNumber(row.values[i]);
        rows.push_back(r);
    }
    return rows;
}

} // namespace cosw

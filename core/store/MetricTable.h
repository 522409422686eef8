#pragma once
// A run's metric series side by side, as `cos-batch metrics` writes them:
// one row per stage and step (steps restart in every stage), a column per
// metric (loss, lr, samples_per_s, step_seconds, eval_accuracy, ...), every
// point as logged, not down-sampled as the monitor's charts are.

#include "StoreRecords.h"
#include "base/Json.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cosw {

struct MetricTable {
    struct Row {
        int stage = 0;
        std::string stageName;
        int64_t step = 0;
        double time = 0; // Unix seconds: the row's first point
        std::vector<std::optional<double>> values; // one per name; none where it was not logged at this step
    };
    std::vector<std::string> names;
    std::vector<Row> rows;
};

// `points` in stage and step order (ExperimentStore::metricPoints); `names`
// picks and orders the columns (empty: every name in the points, sorted);
// `stageNames` names the stage indices it holds.
MetricTable metricTable(const std::vector<MetricPoint> &points, const std::vector<std::string> &names,
                        const std::map<int, std::string> &stageNames);

// stage,stage_name,step,time,<names...>; an empty field where a metric was not logged.
std::string metricTableCsv(const MetricTable &table);
// [{stage, stage_name, step, time, <name>: value | null, ...}, ...]
Json metricTableJson(const MetricTable &table);

} // namespace cosw

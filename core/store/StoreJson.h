#pragma once
// JSON views of store records, shared by `cos-batch list/show/export` and
// the GUI's exports (the CSV view is StoreCsv).

#include "ExperimentStore.h"
#include "base/Json.h"

#include <optional>
#include <string>
#include <vector>

namespace cosw {

// A number, or null when absent.
Json optionalNumber(const std::optional<double> &v);

// {stage, stages, stage_name, evaluating, step, total_steps, eta_s, time}
Json runProgressJson(const RunProgress &progress);
// None for an empty or unreadable text: where a run is only informs, so a
// damaged record of it must not keep the run from being listed.
std::optional<RunProgress> runProgressFromJson(const std::string &text);

Json runJson(const RunRecord &run);
// An evaluation: accuracy, n, stage, step, standard error, controls, per type.
Json evaluationJson(const EvaluationRecord &evaluation);
// {id, name, status, config (object), stages: [...], eval: {...} | null (the
//  last evaluation), earlier_evals: [{...}], checkpoints: [paths], ...}
Json runDetailJson(const RunDetail &detail);

// The comparison table with a `pareto` flag per row.
Json comparisonJson(const std::vector<ComparisonRow> &rows);

// The BLAS kernel a run recorded with its versions; empty for runs from
// before it was recorded, or versions that are not JSON.
std::string recordedBlas(const std::string &versions);

} // namespace cosw

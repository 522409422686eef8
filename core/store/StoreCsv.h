#pragma once
// The comparison table as CSV, for `cos-batch export` and the GUI's exports.

#include "StoreRecords.h"

#include <string>
#include <vector>

namespace cosw {

// A header row, then one row per run (RFC 4180 quoting) with its `pareto`
// flag; per-type accuracies become columns accuracy_<type> over the union of
// types.
std::string comparisonCsv(const std::vector<ComparisonRow> &rows);

// One CSV field, quoted (RFC 4180) when it holds a comma, quote or line break.
std::string csvField(const std::string &text);

} // namespace cosw

#pragma once
// The Pareto front of the time/accuracy trade-off: the points no other point
// beats on both less time and more accuracy.

#include "store/StoreRecords.h"

#include <optional>
#include <utility>
#include <vector>

namespace cosw {

struct TradeoffPoint {
    std::optional<double> seconds;  // lower is better
    std::optional<double> accuracy; // higher is better
};

// Indices of the points no other point dominates (no worse on both, better
// on one), in input order. Points missing either figure are left out;
// duplicates of a front point are all on it.
std::vector<size_t> paretoFront(const std::vector<TradeoffPoint> &points);
// Of the rows' pre-training time and final accuracy.
std::vector<size_t> paretoFront(const std::vector<ComparisonRow> &rows);

} // namespace cosw

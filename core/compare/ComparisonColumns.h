#pragma once
// The columns of the comparison table: what each shows, how many decimals,
// and which way is better (for the best and second-best marks). The table,
// the plots and every export read runs through these, so a number is
// computed in one place.

#include "store/StoreRecords.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cosw {

enum class Better { None, Higher, Lower };

struct ComparisonColumn {
    std::string key;    // "accuracy", "accuracy.count", "pretrain_seconds"
    std::string header; // as a table heads it
    bool numeric = true;
    Better better = Better::None;
    int decimals = 3;
    std::function<std::optional<double>(const ComparisonRow &)> number; // numeric columns
    std::function<std::string(const ComparisonRow &)> text;             // the others
};

// Every column the rows can fill: the fixed ones, then accuracy and both
// controls per question type found in the rows. With `referenceSeconds`,
// also pre-training time relative to the reference ("pretrain_relative").
std::vector<ComparisonColumn> comparisonColumns(const std::vector<ComparisonRow> &rows,
                                                std::optional<double> referenceSeconds = std::nullopt);

// What the dashboard shows before the user picks: identity, tokens, times,
// accuracy with its standard error and controls, accuracy per type.
std::vector<std::string> defaultColumnKeys(const std::vector<ComparisonColumn> &available);

// "32 → 80": pre-training and fine-tuning visual tokens, or the stages'
// tokens joined when a run has neither kind.
std::string tokenScalingText(const ComparisonRow &row);

} // namespace cosw

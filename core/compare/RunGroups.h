#pragma once
// Runs merged into groups for the comparison (seeds of one variant, every
// run of one connector, ...), and the mean and spread of a figure over a
// group's runs.

#include "ConfigPaths.h"
#include "store/StoreRecords.h"

#include <optional>
#include <string>
#include <vector>

namespace cosw {

// Keys every run has: connector, pretrain_tokens, finetune_tokens,
// pretrain_resolution, finetune_resolution, sweep, variant (a sweep's
// variant without its seed), device, status. Any other key is a config key
// path ("stages[3].lr", "model.connector.width").
const std::vector<std::string> &builtinGroupKeys();

struct RunGroup {
    std::string label;           // "connector=mlp, finetune_tokens=80"; the run's name for a group of one run
    std::vector<size_t> members; // indices into the rows, in row order
};

// One group per distinct combination of the keys' values, in the order the
// groups first appear; without keys, one group per run. `configs` are the
// rows' flattened configs (flattenConfig of each row's config), read only
// for config keys. Throws InputError for a key that is neither built in nor
// present in any run's config.
std::vector<RunGroup> groupRuns(const std::vector<ComparisonRow> &rows, const std::vector<FlatConfig> &configs,
                                const std::vector<std::string> &keys);

// A key's value for one run, as a group label shows it ("" when it has none).
std::string groupValue(const ComparisonRow &row, const FlatConfig &config, const std::string &key);

struct Summary {
    std::optional<double> mean; // nullopt when no run has the figure
    std::optional<double> sd;   // sample standard deviation; nullopt for fewer than two values
    int count = 0;              // runs with the figure
};

Summary summarize(const std::vector<double> &values);

} // namespace cosw

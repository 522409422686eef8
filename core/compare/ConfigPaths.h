#pragma once
// A run config as flat dotted key paths ("model.connector.scales[0].windows"),
// the form in which the dashboard groups runs by a config key and shows how
// two runs' configs differ.

#include "base/Json.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cosw {

// Every leaf of `config` (numbers, strings, booleans, null, empty lists and
// mappings) with its key path, in document order. Strings are shown bare,
// everything else as JSON ("0.001", "true", "[]").
using FlatConfig = std::vector<std::pair<std::string, std::string>>;
FlatConfig flattenConfig(const Json &config);

// A run's stored config (JSON text) flattened; empty when the text is empty
// or not JSON, so one damaged record leaves the others comparable.
FlatConfig flattenStoredConfig(const std::string &configJson);

// The value at `path` in a flattened config; nullopt when absent.
std::optional<std::string> flatValue(const FlatConfig &config, const std::string &path);

struct ConfigDiff {
    std::vector<std::string> keys;                           // in first-seen order
    std::vector<std::vector<std::optional<std::string>>> values; // [key][config]; nullopt: absent there
};

// The keys whose values differ between the configs (a key absent from some
// of them differs); with `all`, every key.
ConfigDiff diffConfigs(const std::vector<FlatConfig> &configs, bool all = false);

} // namespace cosw

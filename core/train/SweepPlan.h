#pragma once
// Sweeps: the runs a comparison needs, as a grid of config overrides (or a
// list of named variants) repeated over seeds. A variant's label is its
// overrides without the seed, so the dashboard can merge its seeds.

#include "RunConfig.h"

#include <optional>
#include <string>
#include <vector>

namespace cosw {

// One `--vary key.path=v1,v2,...`: commas inside brackets stay with their
// value ("window=[1,2],[2,2]" gives "[1,2]" and "[2,2]").
struct SweepAxis {
    std::string key;
    std::vector<std::string> values;
};
// Throws InputError for a spec without '=', an empty key or no values.
SweepAxis parseSweepAxis(const std::string &spec);

struct SweepVariant {
    std::string label;                  // "stages[4].lr=0.001 connector.width=64": the overrides, seed aside
    std::vector<std::string> overrides; // key=value, seed overrides included
    std::optional<int64_t> seed;        // the seed's index when the sweep has seeds
};

// Every combination of the axes' values (the first axis varies slowest).
// With seeds > 0 each combination is repeated with seed index 0..seeds-1.
// Seed overrides are not filled in: they depend on each variant's stages
// (seedOverrides gives them).
std::vector<SweepVariant> expandSweepGrid(const std::vector<SweepAxis> &axes, int seeds);

// Named variants from a YAML file: a list of {name: TEXT, set: {key.path: value, ...}}.
// Throws InputError naming the file and entry for anything else.
std::vector<SweepVariant> loadSweepVariants(const std::string &file, int seeds);

// Seed index k moves every stage's seed by k, so the tower, the language
// model and the data order all change.
std::vector<std::string> seedOverrides(const RunConfig &config, int64_t k);

// Training FLOPs of the whole run (forward and backward of the parts that
// learn, every step of every stage), assuming `textTokens` text tokens per
// sample; nullopt when a stage counts epochs instead of steps (its length
// depends on the data). Stages a cache will skip are counted too.
std::optional<double> estimateRunFlops(const RunConfig &config, int textTokens = 48);
// The same per stage (nullopt for a stage that counts epochs).
std::vector<std::optional<double>> estimateStageFlops(const RunConfig &config, int textTokens = 48);

// The run name of a variant: "TAG: LABEL [seed K]".
std::string sweepRunName(const std::string &tag, const SweepVariant &variant);

} // namespace cosw

#include "SweepPlan.h"

#include "YamlLoader.h"
#include "base/Errors.h"
#include "base/Messages.h"
#include "bench/FlopCount.h"

#include <algorithm>

namespace cosw {

namespace {

std::vector<std::string> splitTopLevel(const std::string &text)
{
    std::vector<std::string> out;
    std::string current;
    int depth = 0;
    for (char c : text) {
        if (c == '[' || c == '{')
            ++depth;
        else if ((c == ']' || c == '}') && depth > 0)
            --depth;
        if (c == ',' && depth == 0) {
            out.push_back(current);
            current.clear();
            continue;
        }
        current += c;
    }
    out.push_back(current);
    for (std::string &v : out) {
        v.erase(0, v.find_first_not_of(' '));
        v.erase(v.find_last_not_of(' ') + 1);
    }
    return out;
}

std::vector<SweepVariant> withSeeds(std::vector<SweepVariant> variants, int seeds)
{
    if (seeds <= 0)
        return variants;
    std::vector<SweepVariant> out;
    for (const SweepVariant &v : variants)
        for (int k = 0; k < seeds; ++k) {
            SweepVariant s = v;
            s.seed = k;
            out.push_back(s);
        }
    return out;
}

} // namespace

SweepAxis parseSweepAxis(const std::string &spec)
{
    const size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0)
        throw InputError(fill(msg("--vary '%1': expected key.path=value1,value2,..."), {spec}));
    SweepAxis axis;
    axis.key = spec.substr(0, eq);
    for (const std::string &v : splitTopLevel(spec.substr(eq + 1))) {
        if (v.empty())
            throw InputError(fill(msg("--vary '%1': an empty value"), {spec}));
        axis.values.push_back(v);
    }
    return axis;
}

std::vector<SweepVariant> expandSweepGrid(const std::vector<SweepAxis> &axes, int seeds)
{
    std::vector<SweepVariant> variants{SweepVariant{}};
    for (const SweepAxis &axis : axes) {
        std::vector<SweepVariant> next;
        for (const SweepVariant &v : variants)
            for (const std::string &value : axis.values) {
                SweepVariant n = v;
                const std::string assignment = axis.key + "=" + value;
                n.label += (n.label.empty() ? "" : " ") + assignment;
                n.overrides.push_back(assignment);
                next.push_back(n);
            }
        variants = std::move(next);
    }
    if (axes.empty())
        variants.front().label = "base";
    return withSeeds(std::move(variants), seeds);
}

std::vector<SweepVariant> loadSweepVariants(const std::string &file, int seeds)
{
    const Json doc = loadYamlFile(file);
    if (!doc.is_array() || doc.empty())
        throw InputError(fill(msg("%1: expected a list of variants, each {name: ..., set: {key.path: value}}"), {file}));
    std::vector<SweepVariant> variants;
    for (size_t i = 0; i < doc.size(); ++i) {
        const Json &entry = doc[i];
        const std::string number = std::to_string(i + 1);
        const Json *name = entry.is_object() ? findKey(entry, "name") : nullptr;
        const Json *set = entry.is_object() ? findKey(entry, "set") : nullptr;
        if (!name || !name->is_string() || name->get<std::string>().empty())
            throw InputError(fill(msg("%1: variant %2: needs a name"), {file, number}));
        if (!set || !set->is_object())
            throw InputError(fill(msg("%1: variant %2 (%3): needs set: {key.path: value, ...}"),
                                  {file, number, name->get<std::string>()}));
        for (const auto &[key, value] : entry.items())
            if (key != "name" && key != "set")
                throw InputError(fill(msg("%1: variant %2: unknown key '%3' (name, set)"), {file, number, key}));
        SweepVariant v;
        v.label = name->get<std::string>();
        for (const auto &[key, value] : set->items())
            v.overrides.push_back(key + "=" + (value.is_string() ? value.get<std::string>() : value.dump()));
        for (const SweepVariant &other : variants)
            if (other.label == v.label)
                throw InputError(fill(msg("%1: variant %2: the name '%3' is used twice"), {file, number, v.label}));
        variants.push_back(v);
    }
    return withSeeds(std::move(variants), seeds);
}

std::vector<std::string> seedOverrides(const RunConfig &config, int64_t k)
{
    std::vector<std::string> out;
    for (size_t i = 0; i < config.stages.size(); ++i)
        out.push_back("stages[" + std::to_string(i) + "].seed=" + std::to_string(config.stages[i].seed + uint64_t(k)));
    return out;
}

std::optional<double> estimateRunFlops(const RunConfig &config, int textTokens)
{
    double total = 0;
    for (const std::optional<double> &stage : estimateStageFlops(config, textTokens)) {
        if (!stage)
            return std::nullopt;
        total += *stage;
    }
    return total;
}

std::vector<std::optional<double>> estimateStageFlops(const RunConfig &config, int textTokens)
{
    std::vector<std::optional<double>> out;
    for (size_t i = 0; i < config.stages.size(); ++i) {
        const StageConfig &st = config.stages[i];
        if (st.steps <= 0) {
            out.push_back(std::nullopt);
            continue;
        }
        const ModelConfig &model = i < config.stageModels.size() ? config.stageModels[i] : config.model;
        const double samples = double(st.steps) * st.gradAccum * st.batchSize;
        const FlopEstimate f = estimateFlops(model, 1, textTokens);
        double perSample = 0;
        if (st.kind == "vision") {
            perSample = 3 * f.vision;
        } else if (st.kind == "text") {
            // The language model alone: its cost is about linear in the
            // sequence, which has no visual tokens here.
            const double sequence = visualTokens(model) + textTokens - 1;
            perSample = 3 * f.lm * (textTokens - 1) / std::max(sequence, 1.0);
        } else {
            const bool towerRuns = st.trains("vision") || !config.data.featureCache;
            perSample = (towerRuns ? (st.trains("vision") ? 3 : 1) * f.vision : 0) + 3 * (f.connector + f.lm);
        }
        out.push_back(samples * perSample);
    }
    return out;
}

std::string sweepRunName(const std::string &tag, const SweepVariant &variant)
{
    std::string name = tag + ": " + variant.label;
    if (variant.seed)
        name += " seed " + std::to_string(*variant.seed);
    return name;
}

} // namespace cosw

#include "RunGroups.h"

#include "base/Errors.h"
#include "base/Messages.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace cosw {

namespace {

std::string optionalText(const std::optional<int> &v) { return v ? std::to_string(*v) : std::string(); }

} // namespace

const std::vector<std::string> &builtinGroupKeys()
{
    static const std::vector<std::string> keys = {"connector", "pretrain_tokens", "finetune_tokens",
                                                  "pretrain_resolution", "finetune_resolution", "sweep", "variant",
                                                  "device", "status"};
    return keys;
}

std::string groupValue(const ComparisonRow &r, const FlatConfig &config, const std::string &key)
{
    if (key == "connector")
        return r.connector;
    if (key == "pretrain_tokens")
        return optionalText(r.pretrainTokens);
    if (key == "finetune_tokens")
        return optionalText(r.finetuneTokens);
    if (key == "pretrain_resolution")
        return optionalText(r.pretrainResolution);
    if (key == "finetune_resolution")
        return optionalText(r.finetuneResolution);
    if (key == "sweep")
        return r.sweep.sweep;
    if (key == "variant") // a sweep's variant without its seed; two sweeps' variants stay apart
        return r.sweep.sweep.empty() ? r.name : r.sweep.variant + " (" + r.sweep.sweep + ")";
    if (key == "device")
        return r.device;
    if (key == "status")
        return r.status;
    return flatValue(config, key).value_or(std::string());
}

std::vector<RunGroup> groupRuns(const std::vector<ComparisonRow> &rows, const std::vector<FlatConfig> &configs,
                                const std::vector<std::string> &keys)
{
    const auto &builtin = builtinGroupKeys();
    for (const std::string &key : keys) {
        if (std::find(builtin.begin(), builtin.end(), key) != builtin.end())
            continue;
        const bool known = std::any_of(configs.begin(), configs.end(),
                                       [&](const FlatConfig &c) { return flatValue(c, key).has_value(); });
        if (!known)
            throw InputError(fill(msg("unknown group key '%1': neither one of %2 nor a config key of any compared run "
                                      "(e.g. %3)"),
                                  {key,
                                   "connector, pretrain_tokens, finetune_tokens, pretrain_resolution, "
                                   "finetune_resolution, sweep, variant, device, status",
                                   "stages[3].lr"}));
    }
    std::vector<RunGroup> groups;
    if (keys.empty()) {
        for (size_t i = 0; i < rows.size(); ++i)
            groups.push_back({rows[i].name, {i}});
        return groups;
    }
    std::map<std::vector<std::string>, size_t> groupOf;
    for (size_t i = 0; i < rows.size(); ++i) {
        std::vector<std::string> values;
        for (const std::string &key : keys)
            values.push_back(groupValue(rows[i], i < configs.size() ? configs[i] : FlatConfig{}, key));
        const auto [it, inserted] = groupOf.try_emplace(values, groups.size());
        if (inserted) {
            std::string label;
            for (size_t k = 0; k < keys.size(); ++k)
                label += (k ? ", " : "") + keys[k] + "=" + (values[k].empty() ? "–" : values[k]);
            groups.push_back({label, {}});
        }
        groups[it->second].members.push_back(i);
    }
    return groups;
}

Summary summarize(const std::vector<double> &values)
{
    Summary s;
    s.count = static_cast<int>(values.size());
    if (values.empty())
        return s;
    double sum = 0;
    for (double v : values)
        sum += v;
    const double mean = sum / double(values.size());
    s.mean = mean;
    if (values.size() >= 2) {
        double squares = 0;
        for (double v : values)
            squares += (v - mean) * (v - mean);
        s.sd = std::sqrt(squares / double(values.size() - 1));
    }
    return s;
}

} // namespace cosw

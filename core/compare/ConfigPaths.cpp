#include "ConfigPaths.h"

#include <map>

namespace cosw {

namespace {

void flattenInto(const Json &value, const std::string &path, FlatConfig &out)
{
    if (value.is_object() && !value.empty()) {
        for (const auto &[key, child] : value.items())
            flattenInto(child, childKeyPath(path, key), out);
        return;
    }
    if (value.is_array() && !value.empty()) {
        for (size_t i = 0; i < value.size(); ++i)
            flattenInto(value[i], childKeyPath(path, i), out);
        return;
    }
    out.emplace_back(path, value.is_string() ? value.get<std::string>() : value.dump());
}

} // namespace

FlatConfig flattenConfig(const Json &config)
{
    FlatConfig out;
    flattenInto(config, "", out);
    return out;
}

FlatConfig flattenStoredConfig(const std::string &configJson)
{
    if (configJson.empty())
        return {};
    try {
        return flattenConfig(parseJson(configJson, "config"));
    } catch (const std::exception &) {
        return {};
    }
}

std::optional<std::string> flatValue(const FlatConfig &config, const std::string &path)
{
    for (const auto &[key, value] : config)
        if (key == path)
            return value;
    return std::nullopt;
}

ConfigDiff diffConfigs(const std::vector<FlatConfig> &configs, bool all)
{
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::optional<std::string>>> table;
    for (size_t c = 0; c < configs.size(); ++c)
        for (const auto &[key, value] : configs[c]) {
            auto [it, inserted] = table.try_emplace(key, configs.size());
            if (inserted)
                order.push_back(key);
            it->second[c] = value;
        }
    ConfigDiff diff;
    for (const std::string &key : order) {
        const auto &values = table[key];
        bool same = true;
        for (const auto &v : values)
            same = same && v == values.front();
        if (all || !same) {
            diff.keys.push_back(key);
            diff.values.push_back(values);
        }
    }
    return diff;
}

} // namespace cosw

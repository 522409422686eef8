#include "ConfigCheck.h"

#include "base/Errors.h"
#include "base/Messages.h"
#include "train/RunConfig.h"
#include "train/RunSummary.h"
#include "train/YamlLoader.h"

namespace cosw {

static ConfigCheck failure(const InputError &e)
{
    ConfigCheck check;
    check.error = e.what();
    if (const auto *config = dynamic_cast<const ConfigError *>(&e)) {
        check.errorKey = config->key();
        check.errorReason = config->reason();
    } else {
        check.errorReason = e.what();
    }
    return check;
}

ConfigCheck checkRunConfig(const Json &config, const ConfigSource &source)
{
    try {
        if (!config.is_object())
            throw InputError(fill(msg("%1: a run config is a mapping with `model` and `stages`"), {source.file}));
        Json resolved = config;
        resolvePretrained(resolved, source);
        const RunConfig run = RunConfig::fromJson(resolved, source);
        ConfigCheck check;
        check.ok = true;
        check.runName = run.name;
        check.connector = connectorTypeName(run.model.connector.type);
        check.resolved = run.toJson();
        const Json summary = runTokenSummary(run);
        for (size_t i = 0; i < run.stages.size(); ++i) {
            const Json &s = summary.at(i);
            StageTokens stage;
            stage.name = run.stages[i].name;
            stage.kind = run.stages[i].kind;
            stage.resolution = static_cast<int>(s.at("resolution").get<int64_t>());
            stage.grid = static_cast<int>(s.at("grid").get<int64_t>());
            stage.visualTokens = static_cast<int>(s.at("visual_tokens").get<int64_t>());
            stage.lmMaxSequence = run.stageModels[i].lm.maxSeqLen;
            stage.device = run.stages[i].device;
            const Json &memory = s.at("memory");
            stage.memoryWeights = memory.at("weights").get<int64_t>();
            stage.memoryGradients = memory.at("gradients").get<int64_t>();
            stage.memoryOptimizer = memory.at("optimizer").get<int64_t>();
            stage.memoryActivations = memory.at("activations").get<int64_t>();
            stage.memoryTotal = memory.at("total").get<int64_t>();
            for (const Json &scale : s.at("scales"))
                stage.scales.push_back({static_cast<int>(scale.at("windows").get<int64_t>()),
                                        static_cast<int>(scale.at("queries").get<int64_t>()),
                                        static_cast<int>(scale.at("tokens").get<int64_t>())});
            check.stages.push_back(stage);
        }
        return check;
    } catch (const InputError &e) {
        return failure(e);
    }
}

ConfigCheck checkRunConfigText(const std::string &text, const std::string &file)
{
    Json config;
    ConfigSource source(file);
    try {
        config = parseYaml(text, file, &source.lines);
    } catch (const InputError &e) {
        return failure(e);
    }
    return checkRunConfig(config, source);
}

} // namespace cosw

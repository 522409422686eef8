#include "ConfigCheck.h"

#include "model/Errors.h"
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

ConfigCheck checkRunConfig(const Json &config, const std::string &file)
{
    try {
        if (!config.isObject())
            throw InputError(file + ": a run config is a mapping with `model` and `stages`");
        const RunConfig run = RunConfig::fromJson(config, file);
        ConfigCheck check;
        check.ok = true;
        check.runName = run.name;
        check.connector = connectorTypeName(run.model.connector.type);
        check.resolved = run.toJson();
        const Json summary = runTokenSummary(run);
        for (size_t i = 0; i < run.stages.size(); ++i) {
            const Json &s = summary.asArray()[i];
            StageTokens stage;
            stage.name = run.stages[i].name;
            stage.kind = run.stages[i].kind;
            stage.resolution = static_cast<int>(s.find("resolution")->asInt());
            stage.grid = static_cast<int>(s.find("grid")->asInt());
            stage.visualTokens = static_cast<int>(s.find("visual_tokens")->asInt());
            stage.lmMaxSequence = run.stageModels[i].lm.maxSeqLen;
            for (const Json &scale : s.find("scales")->asArray())
                stage.scales.push_back({static_cast<int>(scale.find("windows")->asInt()),
                                        static_cast<int>(scale.find("queries")->asInt()),
                                        static_cast<int>(scale.find("tokens")->asInt())});
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
    try {
        config = parseYaml(text, file);
    } catch (const InputError &e) {
        return failure(e);
    }
    return checkRunConfig(config, file);
}

} // namespace cosw

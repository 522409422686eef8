#include "Checkpoint.h"

#include "AtomicDirectory.h"

#include "base/Errors.h"
#include "base/Files.h"
#include "base/Messages.h"
#include "io/LoraWeights.h"
#include "model/Mllm.h"

#include <filesystem>
#include <sstream>

namespace fs = std::filesystem;

namespace cosw {

static constexpr const char *kCheckpointFormat = "cos-workbench-checkpoint";
static constexpr int kFormatVersion = 1;
static constexpr const char *kAdaptersFile = "adapters.safetensors";

StateDict stateDict(const torch::nn::Module &module)
{
    StateDict out;
    for (const auto &p : module.named_parameters(/*recurse=*/true))
        out[p.key()] = p.value().detach();
    for (const auto &b : module.named_buffers(/*recurse=*/true))
        out[b.key()] = b.value().detach();
    return out;
}

void loadStateDict(torch::nn::Module &module, const StateDict &weights, const std::string &source)
{
    torch::NoGradGuard noGrad;
    StateDict own = stateDict(module);
    for (const auto &kv : weights)
        if (!own.count(kv.first))
            throw InputError(fill(msg("%1: unexpected tensor '%2' for this model config"), {source, kv.first}));
    for (auto &kv : own) {
        auto it = weights.find(kv.first);
        if (it == weights.end())
            throw InputError(fill(msg("%1: tensor '%2' is missing"), {source, kv.first}));
        if (it->second.sizes() != kv.second.sizes()) {
            std::ostringstream has, needs;
            has << it->second.sizes();
            needs << kv.second.sizes();
            throw InputError(fill(msg("%1: tensor '%2' has shape %3, the model config needs %4"),
                                  {source, kv.first, has.str(), needs.str()}));
        }
        kv.second.copy_(it->second);
    }
}

void saveCheckpoint(const std::string &dir, const Checkpoint &checkpoint,
                    const std::function<void(const std::string &)> &writeExtra)
{
    writeDirectoryAtomically(dir, [&](const std::string &tmp) {
        Json config = Json::object();
        config["format"] = kCheckpointFormat;
        config["version"] = kFormatVersion;
        config["model"] = checkpoint.config.toJson();
        writeTextFile((fs::path(tmp) / "config.json").string(), config.dump(2) + "\n");
        // Adapters apart from the base, which they leave as it was: the
        // base can be shared, the adapters sent on their own.
        StateDict base, adapters;
        for (const auto &[name, tensor] : checkpoint.weights)
            (isAdapterTensor(name) ? adapters : base)[name] = tensor;
        const std::map<std::string, std::string> metadata{{"format", "pt"},
                                                          {"producer", std::string("cos-workbench ") + COS_VERSION}};
        writeSafetensors((fs::path(tmp) / "model.safetensors").string(), base, metadata);
        if (!adapters.empty())
            writeSafetensors((fs::path(tmp) / kAdaptersFile).string(), adapters, metadata);
        if (writeExtra)
            writeExtra(tmp);
    });
}

Checkpoint loadCheckpoint(const std::string &dir)
{
    const fs::path root(dir);
    if (!fs::is_directory(root))
        throw InputError(fill(msg("%1: not a checkpoint directory"), {dir}));
    const fs::path configPath = root / "config.json";
    Json json = parseJsonFile(configPath.string());
    const Json *format = findKey(json, "format");
    if (!format || !format->is_string() || format->get<std::string>() != kCheckpointFormat)
        throw InputError(fill(msg("%1: not a CoS Workbench checkpoint (format is not '%2')"),
                              {configPath.string(), kCheckpointFormat}));
    const Json *version = findKey(json, "version");
    if (!version || !version->is_number_integer() || version->get<int64_t>() > kFormatVersion)
        throw InputError(fill(msg("%1: checkpoint format version is newer than this build reads (%2)"),
                              {configPath.string(), std::to_string(kFormatVersion)}));
    const Json *model = findKey(json, "model");
    if (!model)
        throw ConfigError(configPath.string(), "model", msg("is required"));

    Checkpoint ck;
    ck.config = ModelConfig::fromJson(*model, configPath.string(), "model");
    const std::string weightsPath = (root / "model.safetensors").string();
    ck.weights = readSafetensors(weightsPath);
    const fs::path adaptersPath = root / kAdaptersFile;
    if (fs::exists(adaptersPath))
        for (auto &[name, tensor] : readSafetensors(adaptersPath.string())) {
            if (!isAdapterTensor(name))
                throw InputError(fill(msg("%1: '%2' is not an adapter tensor"), {adaptersPath.string(), name}));
            ck.weights[name] = tensor;
        }
    // Names and shapes are checked against the config here, so whatever the
    // caller does first (scaling, inspecting) sees a consistent checkpoint.
    // It costs one model's worth of memory for a moment.
    Mllm probe(ck.config);
    loadStateDict(*probe, ck.weights, weightsPath);
    return ck;
}

Mllm instantiate(const Checkpoint &checkpoint, const std::string &source)
{
    Mllm model(checkpoint.config);
    loadStateDict(*model, checkpoint.weights, source);
    return model;
}

} // namespace cosw

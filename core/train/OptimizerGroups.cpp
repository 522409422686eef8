#include "OptimizerGroups.h"

#include "io/Checkpoint.h"
#include "model/AdaptedLinear.h"
#include "io/LoraWeights.h"

#include <map>
#include <set>

namespace cosw {

const char *modelPartOf(const std::string &name)
{
    if (name.rfind("vision.", 0) == 0)
        return "vision";
    if (name.rfind("connector.", 0) == 0)
        return "connector";
    return isAdapterTensor(name) ? "lora" : "lm";
}

bool decays(const std::string &name, const torch::Tensor &parameter)
{
    if (parameter.dim() < 2)
        return false; // norms, biases, the class embedding
    auto endsWith = [&](const std::string &suffix) {
        return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return name.find("embed") == std::string::npos && !endsWith(".queries");
}

StageOptimizer makeStageOptimizer(torch::nn::Module &model, const StageConfig &stage)
{
    const std::set<std::string> parts(stage.train.begin(), stage.train.end());
    // In a fixed order (part, then decayed first), so a saved optimizer state
    // lines up with the groups of the same stage on resume.
    std::map<std::pair<std::string, bool>, std::vector<torch::Tensor>> grouped;
    StageOptimizer out;
    for (auto &p : model.named_parameters()) {
        const std::string part = modelPartOf(p.key());
        const bool trains = parts.count(part) > 0;
        p.value().set_requires_grad(trains);
        if (!trains)
            continue;
        grouped[{part, !decays(p.key(), p.value())}].push_back(p.value());
        out.params.push_back(p.value());
    }
    std::vector<torch::optim::OptimizerParamGroup> groups;
    for (auto &[key, tensors] : grouped) {
        const auto scale = stage.lrScale.find(key.first);
        const double s = scale == stage.lrScale.end() ? 1.0 : scale->second;
        auto options = std::make_unique<torch::optim::AdamWOptions>(stage.lr * s);
        options->weight_decay(key.second ? 0.0 : stage.weightDecay);
        groups.emplace_back(tensors, std::move(options));
        out.lrScales.push_back(s);
    }
    out.optimizer = std::make_unique<FusedAdamW>(groups, torch::optim::AdamWOptions(stage.lr));
    return out;
}

void setLearningRate(StageOptimizer &o, double lr)
{
    auto &groups = o.optimizer->param_groups();
    for (size_t i = 0; i < groups.size(); ++i)
        static_cast<torch::optim::AdamWOptions &>(groups[i].options()).lr(lr * o.lrScales[i]);
}

void holdFrozenInBf16(torch::nn::Module &model)
{
    torch::NoGradGuard noGrad;
    for (const auto &module : model.modules()) {
        if (!module->as<torch::nn::LinearImpl>() && !module->as<torch::nn::Conv2dImpl>() && !module->as<AdaptedLinearImpl>())
            continue;
        for (auto &p : module->named_parameters(/*recurse=*/false))
            if (p.key() == "weight" && !p.value().requires_grad() && p.value().scalar_type() == torch::kFloat)
                p.value().set_data(p.value().to(torch::kBFloat16));
    }
}

StateDict carriedWeights(torch::nn::Module &model, const StateDict &entering)
{
    StateDict out = stateDict(model);
    for (const auto &p : model.named_parameters())
        if (!p.value().requires_grad())
            if (const auto it = entering.find(p.key()); it != entering.end())
                out[p.key()] = it->second;
    for (auto &[name, t] : out)
        t = t.cpu();
    return out;
}

} // namespace cosw

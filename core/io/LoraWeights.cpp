#include "LoraWeights.h"

#include "model/AdaptedLinear.h"

#include <ATen/CPUGeneratorImpl.h>

namespace cosw {

namespace {

const std::string kWeight = ".weight";

// "lm.layers.3.self_attn.q_proj.weight" -> "q_proj"; "" for anything else.
std::string projectionOf(const std::string &name)
{
    if (name.rfind("lm.layers.", 0) != 0 || name.size() <= kWeight.size()
        || name.compare(name.size() - kWeight.size(), kWeight.size(), kWeight) != 0)
        return "";
    const std::string layer = name.substr(0, name.size() - kWeight.size());
    const std::string last = layer.substr(layer.rfind('.') + 1);
    return last.size() > 5 && last.compare(last.size() - 5, 5, "_proj") == 0 ? last : "";
}

} // namespace

bool isAdapterTensor(const std::string &name)
{
    const auto dot = name.rfind('.');
    const std::string last = dot == std::string::npos ? name : name.substr(dot + 1);
    return last == "lora_a" || last == "lora_b";
}

StateDict withFreshAdapters(const LoraConfig &lora, StateDict weights, uint64_t seed)
{
    at::Generator generator = at::detail::createCPUGenerator(seed);
    StateDict added;
    // The state dict is ordered by name, so the draws are too.
    for (const auto &[name, w] : weights) {
        if (!lora.adapts(projectionOf(name)))
            continue;
        const std::string layer = name.substr(0, name.size() - kWeight.size());
        if (weights.count(layer + ".lora_a"))
            continue;
        added[layer + ".lora_a"] = freshLoraA(lora.rank, w.size(1), generator).to(w.device()); // [r, in]
        added[layer + ".lora_b"] = torch::zeros({w.size(0), lora.rank}, w.options().dtype(torch::kFloat)); // [out, r]
    }
    weights.insert(added.begin(), added.end());
    return weights;
}

StateDict mergedAdapters(const LoraConfig &lora, StateDict weights)
{
    torch::NoGradGuard noGrad;
    StateDict out;
    for (const auto &[name, w] : weights) {
        if (isAdapterTensor(name))
            continue;
        const std::string layer = projectionOf(name).empty() ? "" : name.substr(0, name.size() - kWeight.size());
        const auto a = layer.empty() ? weights.end() : weights.find(layer + ".lora_a");
        if (a == weights.end()) {
            out[name] = w;
            continue;
        }
        const torch::Tensor &b = weights.at(layer + ".lora_b");
        // [out, in] += scale * [out, r] @ [r, in], in fp32 whatever the storage.
        out[name] = (w.to(torch::kFloat) + torch::matmul(b.to(torch::kFloat), a->second.to(torch::kFloat)) * lora.scale())
                        .to(w.scalar_type());
    }
    return out;
}

} // namespace cosw

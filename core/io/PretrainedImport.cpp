#include "PretrainedImport.h"

#include "AtomicDirectory.h"
#include "io/Checkpoint.h"
#include "base/Errors.h"
#include "base/Files.h"
#include "base/Messages.h"
#include "model/LanguageModel.h"
#include "io/LoraWeights.h"
#include "model/VisionTower.h"

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <set>

namespace fs = std::filesystem;

namespace cosw {

namespace {

constexpr const char *kPretrainedFormat = "cos-workbench-pretrained";

const Json &requireKey(const Json &config, const std::string &key, const std::string &source)
{
    const Json *v = findKey(config, key);
    if (!v || v->is_null())
        throw InputError(fill(msg("%1: config.json has no '%2'"), {source, key}));
    return *v;
}

int intKey(const Json &config, const std::string &key, const std::string &source)
{
    const Json &v = requireKey(config, key, source);
    if (!v.is_number_integer())
        throw InputError(fill(msg("%1: config.json '%2' is not an integer"), {source, key}));
    return v.get<int>();
}

template <typename T>
T valueOr(const Json &config, const std::string &key, T fallback)
{
    const Json *v = findKey(config, key);
    return v && !v->is_null() ? v->get<T>() : fallback;
}

std::string architectureOf(const Json &config)
{
    if (const Json *a = findKey(config, "architectures"); a && a->is_array() && !a->empty() && (*a)[0].is_string())
        return (*a)[0].get<std::string>();
    return valueOr<std::string>(config, "model_type", "unknown");
}

// Copies `from` (a Hugging Face name) to `to` (ours), checking the shape.
void take(const StateDict &source, StateDict &out, const std::string &from, const std::string &to,
          const std::vector<int64_t> &shape, const std::string &dir)
{
    const auto it = source.find(from);
    if (it == source.end())
        throw InputError(fill(msg("%1: tensor '%2' is missing"), {dir, from}));
    if (it->second.sizes() != torch::IntArrayRef(shape)) {
        std::ostringstream has, says;
        has << it->second.sizes();
        says << torch::IntArrayRef(shape);
        throw InputError(fill(msg("%1: tensor '%2' has shape %3, the config says %4"), {dir, from, has.str(), says.str()}));
    }
    out[to] = it->second;
}

// The imported weights fit a module built from the imported config.
template <typename Module>
void checkAgainst(Module module, const StateDict &weights, const std::string &prefix, const std::string &dir)
{
    StateDict own;
    for (const auto &[name, tensor] : weights)
        own[name.substr(prefix.size())] = tensor;
    loadStateDict(*module, own, dir);
}

void requireHfDirectory(const std::string &dir)
{
    if (!fs::is_directory(dir))
        throw InputError(fill(msg("%1: not a model directory"), {dir}));
    if (!fs::exists(fs::path(dir) / "config.json"))
        throw InputError(fill(msg("%1: no config.json"), {dir}));
}

Json readHfConfig(const std::string &dir)
{
    requireHfDirectory(dir);
    return parseJsonFile((fs::path(dir) / "config.json").string());
}

} // namespace

StateDict readHfWeights(const std::string &dir)
{
    const fs::path root(dir);
    requireHfDirectory(dir);
    std::map<std::string, std::vector<std::string>> namesOfFile; // empty list: every tensor of the file
    const fs::path index = root / "model.safetensors.index.json";
    if (fs::exists(index)) {
        const Json j = parseJsonFile(index.string());
        const Json *map = findKey(j, "weight_map");
        if (!map || !map->is_object() || map->empty())
            throw InputError(fill(msg("%1: no weight_map"), {index.string()}));
        for (const auto &[name, file] : map->items()) {
            if (!file.is_string())
                throw InputError(fill(msg("%1: the shard of '%2' is not a file name"), {index.string(), name}));
            namesOfFile[file.get<std::string>()].push_back(name);
        }
    } else if (fs::exists(root / "model.safetensors")) {
        namesOfFile["model.safetensors"] = {};
    } else {
        throw InputError(fill(msg("%1: no model.safetensors and no model.safetensors.index.json"), {dir}));
    }
    StateDict out;
    for (const auto &[file, names] : namesOfFile) {
        const fs::path path = root / file;
        if (fs::path(file).has_parent_path() || !fs::exists(path))
            throw InputError(fill(msg("%1: names the shard '%2', which is not in %3"), {index.string(), file, dir}));
        const SafetensorsFile shard(path.string());
        for (const std::string &name : names.empty() ? shard.names() : names)
            out[name] = shard.tensor(name); // throws naming the shard and tensor when absent
    }
    return out;
}

PretrainedPart importVisionTower(const std::string &dir)
{
    const Json full = readHfConfig(dir);
    const std::string architecture = architectureOf(full);
    // A whole CLIP model keeps its tower's settings under vision_config.
    const Json *nested = findKey(full, "vision_config");
    const Json &c = nested && nested->is_object() ? *nested : full;
    const std::string type = valueOr<std::string>(c, "model_type", valueOr<std::string>(full, "model_type", ""));
    if (type.rfind("clip", 0) != 0)
        throw InputError(fill(msg("%1: model_type '%2' is not a CLIP vision tower (clip_vision_model or clip)"), {dir, type}));

    PretrainedPart p;
    p.part = "vision";
    p.architecture = architecture;
    p.source = dir;
    VisionConfig &v = p.vision;
    v.width = intKey(c, "hidden_size", dir);
    v.layers = intKey(c, "num_hidden_layers", dir);
    v.heads = intKey(c, "num_attention_heads", dir);
    v.mlpHidden = intKey(c, "intermediate_size", dir);
    v.imageSize = intKey(c, "image_size", dir);
    v.patchSize = intKey(c, "patch_size", dir);
    v.channels = valueOr<int>(c, "num_channels", 3);
    v.normEps = valueOr<double>(c, "layer_norm_eps", 1e-5);
    const std::string act = valueOr<std::string>(c, "hidden_act", "quick_gelu");
    if (act != "quick_gelu" && act != "gelu")
        throw InputError(fill(msg("%1: activation '%2' is not supported (quick_gelu, gelu)"), {dir, act}));
    v.activation = act;
    v.classToken = true;
    v.preNorm = true;
    v.patchBias = false;
    v.featureLayer = -2; // the second to last block, as LLaVA reads CLIP
    if (v.width % v.heads != 0 || v.imageSize % v.patchSize != 0)
        throw InputError(fill(msg("%1: heads must divide hidden_size and patch_size image_size"), {dir}));

    const StateDict hf = readHfWeights(dir);
    const std::string in = "vision_model.";
    const int64_t C = v.width, n = v.grid();
    StateDict &w = p.weights;
    take(hf, w, in + "embeddings.patch_embedding.weight", "vision.patch_embed.weight", {C, v.channels, v.patchSize, v.patchSize}, dir);
    take(hf, w, in + "embeddings.class_embedding", "vision.class_embedding", {C}, dir);
    take(hf, w, in + "embeddings.position_embedding.weight", "vision.position_embedding", {n * n + 1, C}, dir);
    take(hf, w, in + "pre_layrnorm.weight", "vision.pre_norm.weight", {C}, dir);
    take(hf, w, in + "pre_layrnorm.bias", "vision.pre_norm.bias", {C}, dir);
    for (int i = 0; i < v.layers; ++i) {
        const std::string from = in + "encoder.layers." + std::to_string(i) + ".";
        const std::string to = "vision.blocks." + std::to_string(i) + ".";
        for (const char *norm : {"1", "2"})
            for (const char *kind : {"weight", "bias"})
                take(hf, w, from + "layer_norm" + norm + "." + kind, to + "norm" + norm + "." + kind, {C}, dir);
        for (const char *proj : {"q_proj", "k_proj", "v_proj", "out_proj"}) {
            take(hf, w, from + "self_attn." + proj + ".weight", to + "attn." + proj + ".weight", {C, C}, dir);
            take(hf, w, from + "self_attn." + proj + ".bias", to + "attn." + proj + ".bias", {C}, dir);
        }
        take(hf, w, from + "mlp.fc1.weight", to + "mlp.fc1.weight", {v.mlpHidden, C}, dir);
        take(hf, w, from + "mlp.fc1.bias", to + "mlp.fc1.bias", {v.mlpHidden}, dir);
        take(hf, w, from + "mlp.fc2.weight", to + "mlp.fc2.weight", {C, v.mlpHidden}, dir);
        take(hf, w, from + "mlp.fc2.bias", to + "mlp.fc2.bias", {C}, dir);
    }
    checkAgainst(VisionTower(v), w, "vision.", dir);
    return p;
}

PretrainedPart importLanguageModel(const std::string &dir)
{
    const Json c = readHfConfig(dir);
    const std::string architecture = architectureOf(c);
    const std::string type = valueOr<std::string>(c, "model_type", "");
    if (type != "llama" && type != "mistral" && type != "qwen2")
        throw InputError(fill(msg("%1: model_type '%2' is not supported (llama, mistral, qwen2)"), {dir, type}));
    if (const Json *act = findKey(c, "hidden_act"); act && act->is_string() && act->get<std::string>() != "silu")
        throw InputError(fill(msg("%1: activation '%2' is not supported (silu)"), {dir, act->get<std::string>()}));
    if (const Json *scaling = findKey(c, "rope_scaling"); scaling && !scaling->is_null())
        throw InputError(fill(msg("%1: rope_scaling is not supported"), {dir}));
    // Qwen2 always has q, k and v biases (its config does not say so);
    // LLaMA's may say attention_bias, which also puts one on o_proj.
    if (type != "qwen2" && valueOr<bool>(c, "attention_bias", false))
        throw InputError(fill(msg("%1: attention_bias (on o_proj too) is not supported; Qwen2's q, k, v biases are"), {dir}));
    if (valueOr<bool>(c, "mlp_bias", false))
        throw InputError(fill(msg("%1: MLP biases are not supported"), {dir}));

    PretrainedPart p;
    p.part = "lm";
    p.architecture = architecture;
    p.source = dir;
    LmConfig &l = p.lm;
    l.vocabSize = intKey(c, "vocab_size", dir);
    l.width = intKey(c, "hidden_size", dir);
    l.layers = intKey(c, "num_hidden_layers", dir);
    l.heads = intKey(c, "num_attention_heads", dir);
    l.kvHeads = valueOr<int>(c, "num_key_value_heads", l.heads);
    l.mlpHidden = intKey(c, "intermediate_size", dir);
    l.maxSeqLen = valueOr<int>(c, "max_position_embeddings", 2048);
    l.ropeTheta = valueOr<double>(c, "rope_theta", 10000.0);
    l.normEps = valueOr<double>(c, "rms_norm_eps", 1e-6);
    l.tieEmbeddings = valueOr<bool>(c, "tie_word_embeddings", false);
    l.bosId = valueOr<int>(c, "bos_token_id", 1);
    l.eosId = valueOr<int>(c, "eos_token_id", 2);
    l.padId = valueOr<int>(c, "pad_token_id", 0);
    l.attentionBias = type == "qwen2";
    // The decoder attends to the whole sequence: up to a sliding window's
    // length that is exactly what a windowed model does, so the window
    // bounds the sequence.
    const Json *window = findKey(c, "sliding_window");
    const bool windowed = valueOr<bool>(c, "use_sliding_window", type == "mistral");
    if (windowed && window && window->is_number_integer() && window->get<int>() > 0)
        l.maxSeqLen = std::min(l.maxSeqLen, window->get<int>());
    if (l.width % l.heads != 0 || l.heads % l.kvHeads != 0)
        throw InputError(fill(msg("%1: heads must divide hidden_size and num_key_value_heads the heads"), {dir}));

    const StateDict hf = readHfWeights(dir);
    const int64_t W = l.width, V = l.vocabSize, hd = l.headDim(), H = l.heads, KV = l.kvHeads, M = l.mlpHidden;
    StateDict &w = p.weights;
    take(hf, w, "model.embed_tokens.weight", "lm.embed_tokens.weight", {V, W}, dir);
    for (int i = 0; i < l.layers; ++i) {
        const std::string name = "layers." + std::to_string(i) + ".";
        auto map = [&](const std::string &suffix, const std::vector<int64_t> &shape) {
            take(hf, w, "model." + name + suffix, "lm." + name + suffix, shape, dir);
        };
        map("input_layernorm.weight", {W});
        map("self_attn.q_proj.weight", {H * hd, W});
        map("self_attn.k_proj.weight", {KV * hd, W});
        map("self_attn.v_proj.weight", {KV * hd, W});
        if (l.attentionBias) {
            map("self_attn.q_proj.bias", {H * hd});
            map("self_attn.k_proj.bias", {KV * hd});
            map("self_attn.v_proj.bias", {KV * hd});
        }
        map("self_attn.o_proj.weight", {W, H * hd});
        map("post_attention_layernorm.weight", {W});
        map("mlp.gate_proj.weight", {M, W});
        map("mlp.up_proj.weight", {M, W});
        map("mlp.down_proj.weight", {W, M});
    }
    take(hf, w, "model.norm.weight", "lm.norm.weight", {W}, dir);
    if (!l.tieEmbeddings)
        take(hf, w, "lm_head.weight", "lm.lm_head.weight", {V, W}, dir);
    checkAgainst(LanguageModel(l), w, "lm.", dir);
    return p;
}

void savePretrainedPart(const std::string &dir, const PretrainedPart &part)
{
    ModelConfig model;
    model.vision = part.vision;
    model.lm = part.lm;
    const Json all = model.toJson();
    writeDirectoryAtomically(dir, [&](const std::string &tmp) {
        Json config = Json::object();
        config["format"] = kPretrainedFormat;
        config["version"] = 1;
        config["part"] = part.part;
        config["architecture"] = part.architecture;
        config["source"] = part.source;
        config[part.part] = all.at(part.part);
        writeTextFile((fs::path(tmp) / "config.json").string(), config.dump(2) + "\n");
        writeSafetensors((fs::path(tmp) / "model.safetensors").string(), part.weights,
                         {{"format", "pt"}, {"producer", std::string("cos-workbench ") + COS_VERSION}});
        // The language model's SentencePiece model goes with it, for the
        // tokenizer that will read it.
        const fs::path pieces = fs::path(part.source) / "tokenizer.model";
        if (part.part == "lm" && fs::exists(pieces))
            fs::copy_file(pieces, fs::path(tmp) / "tokenizer.model");
    });
}

PretrainedPartInfo readPretrainedPartInfo(const std::string &dir, const std::string &part)
{
    const std::string file = (fs::path(dir) / "config.json").string();
    if (!fs::is_directory(dir))
        throw InputError(part == "lm"
                             ? fill(msg("%1: no such directory (import the language model with cos-batch import %2)"),
                                    {dir, part})
                             : fill(msg("%1: no such directory (import the tower with cos-batch import %2)"),
                                    {dir, part}));
    const Json config = parseJsonFile(file);
    if (valueOr<std::string>(config, "format", "") != kPretrainedFormat)
        throw InputError(fill(msg("%1: not an imported model (format is not '%2'; import it with cos-batch import %3)"),
                              {file, kPretrainedFormat, part}));
    PretrainedPartInfo info;
    info.part = valueOr<std::string>(config, "part", "");
    if (info.part != part)
        throw InputError(fill(msg("%1: holds part '%2', not '%3'"), {file, info.part, part}));
    info.architecture = valueOr<std::string>(config, "architecture", "");
    info.source = valueOr<std::string>(config, "source", "");
    const Json *section = findKey(config, part);
    if (!section || !section->is_object())
        throw InputError(fill(msg("%1: has no '%2' section"), {file, part}));
    info.section = *section;
    return info;
}

void applyPretrained(const ModelConfig &config, StateDict &weights)
{
    torch::NoGradGuard noGrad;
    for (const auto &[prefix, dir] : {std::pair<std::string, std::string>{"vision.", config.vision.pretrained},
                                      std::pair<std::string, std::string>{"lm.", config.lm.pretrained}}) {
        if (dir.empty())
            continue;
        const std::string file = (fs::path(dir) / "model.safetensors").string();
        const StateDict pretrained = readSafetensors(file);
        for (const auto &[name, tensor] : pretrained) {
            const auto it = weights.find(name);
            if (name.rfind(prefix, 0) != 0 || it == weights.end())
                throw InputError(fill(msg("%1: tensor '%2' has no place in this run's model"), {file, name}));
            if (it->second.sizes() != tensor.sizes()) {
                std::ostringstream has, needs;
                has << tensor.sizes();
                needs << it->second.sizes();
                throw InputError(fill(msg("%1: tensor '%2' has shape %3, the run's model needs %4"),
                                      {file, name, has.str(), needs.str()}));
            }
        }
        for (auto &[name, tensor] : weights) {
            if (name.rfind(prefix, 0) != 0 || isAdapterTensor(name))
                continue;
            const auto it = pretrained.find(name);
            if (it == pretrained.end())
                throw InputError(fill(msg("%1: tensor '%2' is missing"), {file, name}));
            tensor = it->second.to(tensor.scalar_type()).clone();
        }
    }
}

} // namespace cosw

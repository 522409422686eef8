#include "HfFixtures.h"

#include "base/Files.h"

#include <QDir>
#include <QProcess>

namespace cosw::test::hf {

void Source::add(const std::string &name, std::vector<int64_t> shape, double scale)
{
    tensors[name] = (torch::randn(shape) * scale).to(torch::kBFloat16).to(torch::kFloat);
}

void writeHfDirectory(const QString &dir, const Source &source, const Json &config)
{
    QDir().mkpath(dir);
    StateDict shards[2];
    Json map = Json::object();
    int i = 0;
    for (const auto &[name, tensor] : source.tensors) {
        const int shard = i++ % 2;
        shards[shard][name] = tensor.to(torch::kBFloat16);
        map[name] = shard == 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
    }
    writeSafetensors((dir + "/model-00001-of-00002.safetensors").toStdString(), shards[0]);
    writeSafetensors((dir + "/model-00002-of-00002.safetensors").toStdString(), shards[1]);
    Json index = Json::object();
    index["metadata"] = Json::object({{"total_size", 0}});
    index["weight_map"] = map;
    writeTextFile((dir + "/model.safetensors.index.json").toStdString(), index.dump(2));
    writeTextFile((dir + "/config.json").toStdString(), config.dump(2));
}

Json clipConfig()
{
    Json vision = Json::object({{"model_type", "clip_vision_model"}, {"hidden_size", kWidth}, {"intermediate_size", kMlp},
                                {"num_hidden_layers", kLayers}, {"num_attention_heads", kHeads},
                                {"image_size", kImage}, {"patch_size", kPatch}, {"hidden_act", "quick_gelu"},
                                {"layer_norm_eps", 1e-5}, {"num_channels", 3}});
    // A whole CLIP model's config, the tower under vision_config.
    return Json::object({{"architectures", Json::array({"CLIPModel"})}, {"model_type", "clip"}, {"vision_config", vision}});
}

Source clipTensors()
{
    Source s;
    const std::string p = "vision_model.";
    const int n = kImage / kPatch;
    s.add(p + "embeddings.patch_embedding.weight", {kWidth, 3, kPatch, kPatch});
    s.add(p + "embeddings.class_embedding", {kWidth});
    s.add(p + "embeddings.position_embedding.weight", {n * n + 1, kWidth});
    s.add(p + "pre_layrnorm.weight", {kWidth}, 1.0);
    s.add(p + "pre_layrnorm.bias", {kWidth});
    for (int i = 0; i < kLayers; ++i) {
        const std::string l = p + "encoder.layers." + std::to_string(i) + ".";
        for (const char *norm : {"layer_norm1", "layer_norm2"}) {
            s.add(l + norm + ".weight", {kWidth}, 1.0);
            s.add(l + norm + ".bias", {kWidth});
        }
        for (const char *proj : {"q_proj", "k_proj", "v_proj", "out_proj"}) {
            s.add(l + "self_attn." + proj + ".weight", {kWidth, kWidth});
            s.add(l + "self_attn." + proj + ".bias", {kWidth});
        }
        s.add(l + "mlp.fc1.weight", {kMlp, kWidth});
        s.add(l + "mlp.fc1.bias", {kMlp});
        s.add(l + "mlp.fc2.weight", {kWidth, kMlp});
        s.add(l + "mlp.fc2.bias", {kWidth});
    }
    s.add("vision_model.post_layernorm.weight", {kWidth}, 1.0); // pooled output only: not imported
    s.add("vision_model.post_layernorm.bias", {kWidth});
    return s;
}

Json llamaConfig(bool tied, bool qwen2, int vocab)
{
    return Json::object({{"architectures", Json::array({qwen2 ? "Qwen2ForCausalLM" : "LlamaForCausalLM"})},
                         {"model_type", qwen2 ? "qwen2" : "llama"},
                         {"vocab_size", vocab}, {"hidden_size", kLmWidth}, {"intermediate_size", kLmMlp},
                         {"num_hidden_layers", kLmLayers}, {"num_attention_heads", kLmHeads},
                         {"num_key_value_heads", kKvHeads}, {"max_position_embeddings", 64}, {"rope_theta", 500.0},
                         {"rms_norm_eps", 1e-6}, {"hidden_act", "silu"}, {"tie_word_embeddings", tied},
                         {"rope_scaling", nullptr}});
}

Source llamaTensors(bool tied, bool qwen2, int vocab)
{
    Source s;
    const int64_t hd = kLmWidth / kLmHeads;
    s.add("model.embed_tokens.weight", {vocab, kLmWidth}, 0.5);
    for (int i = 0; i < kLmLayers; ++i) {
        const std::string l = "model.layers." + std::to_string(i) + ".";
        s.add(l + "input_layernorm.weight", {kLmWidth}, 1.0);
        s.add(l + "post_attention_layernorm.weight", {kLmWidth}, 1.0);
        s.add(l + "self_attn.q_proj.weight", {kLmHeads * hd, kLmWidth});
        s.add(l + "self_attn.k_proj.weight", {kKvHeads * hd, kLmWidth});
        s.add(l + "self_attn.v_proj.weight", {kKvHeads * hd, kLmWidth});
        if (qwen2) {
            s.add(l + "self_attn.q_proj.bias", {kLmHeads * hd});
            s.add(l + "self_attn.k_proj.bias", {kKvHeads * hd});
            s.add(l + "self_attn.v_proj.bias", {kKvHeads * hd});
        }
        s.add(l + "self_attn.o_proj.weight", {kLmWidth, kLmHeads * hd});
        s.add(l + "mlp.gate_proj.weight", {kLmMlp, kLmWidth});
        s.add(l + "mlp.up_proj.weight", {kLmMlp, kLmWidth});
        s.add(l + "mlp.down_proj.weight", {kLmWidth, kLmMlp});
    }
    s.add("model.norm.weight", {kLmWidth}, 1.0);
    if (!tied)
        s.add("lm_head.weight", {vocab, kLmWidth});
    return s;
}

QString writeTokenizerModel(const QString &dir, int vocab)
{
    QDir().mkpath(dir);
    const QString corpus = dir + "/tokenizer-corpus.txt";
    const char *words[] = {"tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
                           "boot", "nothing", "row", "column", "what", "is", "at", "how", "many", "are", "there",
                           "yes", "no", "left", "right", "of", "the", "in", "image", "USER:", "ASSISTANT:"};
    QString text;
    uint64_t state = 11;
    for (int line = 0; line < 600; ++line) {
        for (int w = 0; w < 9; ++w) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            text += QString(w ? " " : "") + words[(state >> 33) % std::size(words)];
        }
        text += QString(" %1.\n").arg(line % 9 + 1);
    }
    writeTextFile(corpus.toStdString(), text.toStdString());
    QProcess train;
    train.start(qEnvironmentVariable("COS_SPM_TRAIN"),
                {corpus, dir + "/tokenizer", "--model_type=bpe", "--vocab_size=" + QString::number(vocab),
                 "--normalization_rule_name=identity", "--byte_fallback=true", "--remove_extra_whitespaces=false",
                 "--character_coverage=1.0", "--split_digits=true"});
    if (!train.waitForFinished(60000) || train.exitStatus() != QProcess::NormalExit || train.exitCode() != 0)
        return "spm-train (" + qEnvironmentVariable("COS_SPM_TRAIN") + ") failed: " + train.errorString() + " "
               + QString::fromUtf8(train.readAllStandardError());
    QFile::remove(dir + "/tokenizer.vocab");
    QFile::remove(corpus);
    return {};
}

} // namespace cosw::test::hf

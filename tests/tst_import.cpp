// Pretrained weights in the layouts people download: tiny CLIP-vision and
// LLaMA checkpoints written here (sharded, bf16) import, and the imported
// models compute what a separate, plain implementation of those
// architectures computes from the source tensors.

#include "TestSupport.h"

#include "base/Errors.h"
#include "base/Files.h"
#include "io/Checkpoint.h"
#include "io/PretrainedImport.h"
#include "io/Safetensors.h"
#include "model/LanguageModel.h"
#include "model/VisionTower.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTest>

#include <torch/torch.h>

#include <filesystem>

using namespace cosw;
namespace F = torch::nn::functional;

namespace {

// Random tensors rounded to bf16, kept in fp32 for the reference.
struct Source {
    std::map<std::string, torch::Tensor> tensors;
    void add(const std::string &name, std::vector<int64_t> shape, double scale = 0.2)
    {
        tensors[name] = (torch::randn(shape) * scale).to(torch::kBFloat16).to(torch::kFloat);
    }
    const torch::Tensor &operator[](const std::string &name) const { return tensors.at(name); }
};

// Writes `source` as a Hugging Face directory: bf16 shards of about half the
// tensors each, with model.safetensors.index.json, and `config`.
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

// ------------------------------------------------------------- CLIP vision

constexpr int kWidth = 16, kHeads = 2, kLayers = 3, kMlp = 24, kImage = 28, kPatch = 7;

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

// CLIP's vision transformer as its paper and Hugging Face's code describe
// it, up to the second to last layer's hidden states, patch rows only.
torch::Tensor clipReference(const Source &s, const torch::Tensor &images)
{
    const std::string p = "vision_model.";
    const int64_t b = images.size(0), n = kImage / kPatch, hd = kWidth / kHeads;
    auto x = F::conv2d(images, s[p + "embeddings.patch_embedding.weight"], F::Conv2dFuncOptions().stride(kPatch));
    x = x.flatten(2).transpose(1, 2);                                            // [B, n*n, C]
    auto cls = s[p + "embeddings.class_embedding"].expand({b, 1, kWidth});
    x = torch::cat({cls, x}, 1) + s[p + "embeddings.position_embedding.weight"]; // [B, 1+n*n, C]
    auto ln = [&](const torch::Tensor &t, const std::string &name) {
        return F::layer_norm(t, F::LayerNormFuncOptions({kWidth}).weight(s[name + ".weight"]).bias(s[name + ".bias"]).eps(1e-5));
    };
    auto linear = [&](const torch::Tensor &t, const std::string &name) {
        return F::linear(t, s[name + ".weight"], s[name + ".bias"]);
    };
    x = ln(x, p + "pre_layrnorm");
    for (int i = 0; i < kLayers - 1; ++i) {
        const std::string l = p + "encoder.layers." + std::to_string(i) + ".";
        auto h = ln(x, l + "layer_norm1");
        auto heads = [&](const torch::Tensor &t) { return t.view({b, -1, kHeads, hd}).transpose(1, 2); };
        auto q = heads(linear(h, l + "self_attn.q_proj")), k = heads(linear(h, l + "self_attn.k_proj")),
             v = heads(linear(h, l + "self_attn.v_proj"));
        auto a = torch::softmax(torch::matmul(q, k.transpose(-1, -2)) / std::sqrt(double(hd)), -1);
        auto o = torch::matmul(a, v).transpose(1, 2).reshape({b, -1, kWidth});
        x = x + linear(o, l + "self_attn.out_proj");
        auto m = linear(ln(x, l + "layer_norm2"), l + "mlp.fc1");
        m = m * torch::sigmoid(1.702 * m); // quick GELU
        x = x + linear(m, l + "mlp.fc2");
    }
    return x.slice(1, 1).reshape({b, n, n, kWidth});
}

// ------------------------------------------------------------------- LLaMA

constexpr int kVocab = 40, kLmWidth = 16, kLmHeads = 4, kKvHeads = 2, kLmLayers = 2, kLmMlp = 24;

Json llamaConfig(bool tied)
{
    return Json::object({{"architectures", Json::array({"LlamaForCausalLM"})}, {"model_type", "llama"},
                         {"vocab_size", kVocab}, {"hidden_size", kLmWidth}, {"intermediate_size", kLmMlp},
                         {"num_hidden_layers", kLmLayers}, {"num_attention_heads", kLmHeads},
                         {"num_key_value_heads", kKvHeads}, {"max_position_embeddings", 64}, {"rope_theta", 500.0},
                         {"rms_norm_eps", 1e-6}, {"hidden_act", "silu"}, {"tie_word_embeddings", tied},
                         {"rope_scaling", nullptr}});
}

Source llamaTensors(bool tied)
{
    Source s;
    const int64_t hd = kLmWidth / kLmHeads;
    s.add("model.embed_tokens.weight", {kVocab, kLmWidth}, 0.5);
    for (int i = 0; i < kLmLayers; ++i) {
        const std::string l = "model.layers." + std::to_string(i) + ".";
        s.add(l + "input_layernorm.weight", {kLmWidth}, 1.0);
        s.add(l + "post_attention_layernorm.weight", {kLmWidth}, 1.0);
        s.add(l + "self_attn.q_proj.weight", {kLmHeads * hd, kLmWidth});
        s.add(l + "self_attn.k_proj.weight", {kKvHeads * hd, kLmWidth});
        s.add(l + "self_attn.v_proj.weight", {kKvHeads * hd, kLmWidth});
        s.add(l + "self_attn.o_proj.weight", {kLmWidth, kLmHeads * hd});
        s.add(l + "mlp.gate_proj.weight", {kLmMlp, kLmWidth});
        s.add(l + "mlp.up_proj.weight", {kLmMlp, kLmWidth});
        s.add(l + "mlp.down_proj.weight", {kLmWidth, kLmMlp});
    }
    s.add("model.norm.weight", {kLmWidth}, 1.0);
    if (!tied)
        s.add("lm_head.weight", {kVocab, kLmWidth});
    return s;
}

// LLaMA as Hugging Face's modeling code computes it: RMSNorm, rotate-half
// rotary positions, grouped-query causal attention, SwiGLU.
torch::Tensor llamaReference(const Source &s, const torch::Tensor &ids, bool tied)
{
    const int64_t b = ids.size(0), t = ids.size(1), hd = kLmWidth / kLmHeads;
    auto rms = [&](const torch::Tensor &x, const std::string &name) {
        return x * torch::rsqrt(x.pow(2).mean(-1, true) + 1e-6) * s[name];
    };
    auto invFreq = torch::pow(500.0, -torch::arange(0, hd, 2, torch::kDouble) / double(hd)).to(torch::kFloat);
    auto angles = torch::outer(torch::arange(t, torch::kFloat), invFreq); // [T, hd/2]
    auto emb = torch::cat({angles, angles}, -1);                           // [T, hd]
    auto cos = emb.cos(), sin = emb.sin();
    auto rotate = [&](const torch::Tensor &x) {
        auto half = x.chunk(2, -1);
        return x * cos + torch::cat({-half[1], half[0]}, -1) * sin;
    };
    auto x = F::embedding(ids, s["model.embed_tokens.weight"]);
    auto causal = torch::ones({t, t}, torch::kBool).triu(1);
    for (int i = 0; i < kLmLayers; ++i) {
        const std::string l = "model.layers." + std::to_string(i) + ".";
        auto h = rms(x, l + "input_layernorm.weight");
        auto q = F::linear(h, s[l + "self_attn.q_proj.weight"]).view({b, t, kLmHeads, hd}).transpose(1, 2);
        auto k = F::linear(h, s[l + "self_attn.k_proj.weight"]).view({b, t, kKvHeads, hd}).transpose(1, 2);
        auto v = F::linear(h, s[l + "self_attn.v_proj.weight"]).view({b, t, kKvHeads, hd}).transpose(1, 2);
        q = rotate(q);
        k = rotate(k).repeat_interleave(kLmHeads / kKvHeads, 1);
        v = v.repeat_interleave(kLmHeads / kKvHeads, 1);
        auto scores = torch::matmul(q, k.transpose(-1, -2)) / std::sqrt(double(hd));
        auto o = torch::matmul(torch::softmax(scores.masked_fill(causal, -INFINITY), -1), v);
        x = x + F::linear(o.transpose(1, 2).reshape({b, t, kLmWidth}), s[l + "self_attn.o_proj.weight"]);
        h = rms(x, l + "post_attention_layernorm.weight");
        x = x + F::linear(F::silu(F::linear(h, s[l + "mlp.gate_proj.weight"])) * F::linear(h, s[l + "mlp.up_proj.weight"]),
                          s[l + "mlp.down_proj.weight"]);
    }
    x = rms(x, "model.norm.weight");
    return F::linear(x, tied ? s["model.embed_tokens.weight"] : s["lm_head.weight"]);
}

double maxDiff(const torch::Tensor &a, const torch::Tensor &b) { return (a - b).abs().max().item<double>(); }

// The imported part's weights loaded into `module`, its prefix ("vision.", "lm.") taken off.
void loadPart(torch::nn::Module &module, const PretrainedPart &part)
{
    const size_t prefix = part.part.size() + 1;
    StateDict own;
    for (const auto &[name, tensor] : part.weights)
        own[name.substr(prefix)] = tensor;
    loadStateDict(module, own, part.source);
}

} // namespace

class TestImport : public QObject {
    Q_OBJECT
public:
    static void initMain() { cosw::ensureBlasKernel(); }

private:
    QTemporaryDir m_dir;

private slots:
    void clipVisionTowerMatchesReference()
    {
        torch::manual_seed(1);
        const Source source = clipTensors();
        const QString dir = m_dir.filePath("clip");
        writeHfDirectory(dir, source, clipConfig());
        const PretrainedPart part = importVisionTower(dir.toStdString());
        QCOMPARE(part.part, std::string("vision"));
        QCOMPARE(part.architecture, std::string("CLIPModel"));
        QCOMPARE(part.vision.width, kWidth);
        QCOMPARE(part.vision.activation, std::string("quick_gelu"));
        QVERIFY(part.vision.preNorm && part.vision.classToken && !part.vision.patchBias);
        QVERIFY(!part.weights.count("vision.post_layernorm.weight"));

        VisionTower tower(part.vision);
        loadPart(*tower, part);
        torch::NoGradGuard noGrad;
        const auto images = torch::randn({2, 3, kImage, kImage});
        const double diff = maxDiff(tower->forward(images), clipReference(source, images));
        QVERIFY2(diff < 1e-4, qPrintable(QString::number(diff)));

        // Written whole: config and weights, read back as they were.
        const QString out = m_dir.filePath("clip-imported");
        savePretrainedPart(out.toStdString(), part);
        const Json config = parseJsonFile((out + "/config.json").toStdString());
        QCOMPARE(config.at("format").get<std::string>(), std::string("cos-workbench-pretrained"));
        QCOMPARE(config.at("vision").at("activation").get<std::string>(), std::string("quick_gelu"));
        const StateDict saved = readSafetensors((out + "/model.safetensors").toStdString());
        QCOMPARE(saved.size(), part.weights.size());
        QVERIFY(torch::equal(saved.at("vision.blocks.1.attn.q_proj.weight"), part.weights.at("vision.blocks.1.attn.q_proj.weight")));
    }

    void llamaMatchesReference_data()
    {
        QTest::addColumn<bool>("tied");
        QTest::newRow("own head") << false;
        QTest::newRow("tied embeddings") << true;
    }

    void llamaMatchesReference()
    {
        QFETCH(bool, tied);
        torch::manual_seed(2);
        const Source source = llamaTensors(tied);
        const QString dir = m_dir.filePath(tied ? "llama-tied" : "llama");
        writeHfDirectory(dir, source, llamaConfig(tied));
        const PretrainedPart part = importLanguageModel(dir.toStdString());
        QCOMPARE(part.lm.kvHeads, kKvHeads);
        QCOMPARE(part.lm.ropeTheta, 500.0);
        QCOMPARE(part.lm.tieEmbeddings, tied);
        LanguageModel lm(part.lm);
        loadPart(*lm, part);
        torch::NoGradGuard noGrad;
        const auto ids = torch::randint(kVocab, {2, 9});
        const double diff = maxDiff(lm->textLogits(ids), llamaReference(source, ids, tied));
        QVERIFY2(diff < 1e-4, qPrintable(QString::number(diff)));
    }

    void mismatchesAreRefusedNamingWhat()
    {
        torch::manual_seed(3);
        auto expectRefusal = [&](const QString &name, const Source &source, const Json &config, bool vision,
                                 const std::string &message, const std::function<void(const QString &)> &spoil = {}) {
            const QString dir = m_dir.filePath(name);
            writeHfDirectory(dir, source, config);
            if (spoil)
                spoil(dir);
            const std::string got = test::thrownMessage<InputError>([&] {
                vision ? importVisionTower(dir.toStdString()) : importLanguageModel(dir.toStdString());
            });
            QVERIFY2(got.find(message) != std::string::npos, (name.toStdString() + ": " + got).c_str());
        };
        Source clip = clipTensors();
        clip.tensors.erase("vision_model.encoder.layers.2.mlp.fc2.bias");
        expectRefusal("missing", clip, clipConfig(), true, "'vision_model.encoder.layers.2.mlp.fc2.bias' is missing");
        clip = clipTensors();
        clip.add("vision_model.encoder.layers.0.mlp.fc1.weight", {kMlp + 1, kWidth});
        expectRefusal("shape", clip, clipConfig(), true, "'vision_model.encoder.layers.0.mlp.fc1.weight' has shape");
        Json relu = clipConfig();
        relu["vision_config"]["hidden_act"] = "relu";
        expectRefusal("activation", clipTensors(), relu, true, "activation 'relu'");
        Json qwen = llamaConfig(false);
        qwen["model_type"] = "qwen2";
        expectRefusal("qwen", llamaTensors(false), qwen, false, "model_type 'qwen2'");
        expectRefusal("shard", llamaTensors(false), llamaConfig(false), false, "model-00002-of-00002.safetensors",
                      [](const QString &dir) { QFile::remove(dir + "/model-00002-of-00002.safetensors"); });
        expectRefusal("no config", llamaTensors(false), llamaConfig(false), false, "no config.json",
                      [](const QString &dir) { QFile::remove(dir + "/config.json"); });
    }

    void commandImportsAndLeavesNothingHalfWritten()
    {
        const QString program = qEnvironmentVariable("COS_BATCH");
        QVERIFY2(!program.isEmpty(), "run through ctest: COS_BATCH is not set");
        torch::manual_seed(4);
        const QString dir = m_dir.filePath("cli-llama");
        writeHfDirectory(dir, llamaTensors(false), llamaConfig(false));
        QProcess p;
        p.start(program, {"import", "lm", dir, "--out", m_dir.filePath("cli-out")});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QVERIFY(p.readAllStandardOutput().contains("imported LlamaForCausalLM"));
        QVERIFY(QFile::exists(m_dir.filePath("cli-out/model.safetensors")));

        QFile::remove(dir + "/model-00001-of-00002.safetensors");
        QProcess bad;
        bad.start(program, {"import", "lm", dir, "--out", m_dir.filePath("cli-bad")});
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitCode(), 2);
        QVERIFY(bad.readAllStandardError().contains("model-00001-of-00002.safetensors"));
        QVERIFY(!QFileInfo::exists(m_dir.filePath("cli-bad")));
        // Nothing left beside it either: no temporary directory.
        QCOMPARE(QDir(m_dir.path()).entryList({".cli-bad*"}, QDir::AllEntries | QDir::Hidden).size(), 0);
    }
};

QTEST_APPLESS_MAIN(TestImport)
#include "tst_import.moc"

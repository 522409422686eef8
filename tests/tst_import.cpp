// Pretrained weights in the layouts people download: tiny CLIP-vision and
// LLaMA checkpoints written here (sharded, bf16) import, and the imported
// models compute what a separate, plain implementation of those
// architectures computes from the source tensors.

#include "HfFixtures.h"
#include "TestSupport.h"

#include "base/Errors.h"
#include "base/Files.h"
#include "io/Checkpoint.h"
#include "io/PretrainedImport.h"
#include "io/Safetensors.h"
#include "model/LanguageModel.h"
#include "model/VisionTower.h"
#include "store/ExperimentStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTest>

#include <torch/torch.h>

#include <filesystem>

using namespace cosw;
using namespace cosw::test::hf;
namespace F = torch::nn::functional;

namespace {

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
        auto project = [&](const char *name) {
            const std::string w = l + "self_attn." + name;
            const auto bias = s.tensors.find(w + ".bias");
            return F::linear(h, s[w + ".weight"], bias == s.tensors.end() ? torch::Tensor() : bias->second);
        };
        auto q = project("q_proj").view({b, t, kLmHeads, hd}).transpose(1, 2);
        auto k = project("k_proj").view({b, t, kKvHeads, hd}).transpose(1, 2);
        auto v = project("v_proj").view({b, t, kKvHeads, hd}).transpose(1, 2);
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
        // The source is bf16, and so is what is kept: nothing lost, half the size.
        for (const auto &[name, tensor] : saved)
            QVERIFY2(tensor.scalar_type() == torch::kBFloat16, name.c_str());
    }

    void llamaMatchesReference_data()
    {
        QTest::addColumn<bool>("tied");
        QTest::addColumn<bool>("qwen2");
        QTest::newRow("own head") << false << false;
        QTest::newRow("tied embeddings") << true << false;
        QTest::newRow("qwen2 biases") << true << true;
    }

    void llamaMatchesReference()
    {
        QFETCH(bool, tied);
        QFETCH(bool, qwen2);
        torch::manual_seed(2);
        const Source source = llamaTensors(tied, qwen2);
        const QString dir = m_dir.filePath(QString("llama-%1-%2").arg(tied).arg(qwen2));
        writeHfDirectory(dir, source, llamaConfig(tied, qwen2));
        const PretrainedPart part = importLanguageModel(dir.toStdString());
        QCOMPARE(part.lm.kvHeads, kKvHeads);
        QCOMPARE(part.lm.ropeTheta, 500.0);
        QCOMPARE(part.lm.tieEmbeddings, tied);
        QCOMPARE(part.lm.attentionBias, qwen2);
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
        Json gemma = llamaConfig(false);
        gemma["model_type"] = "gemma";
        expectRefusal("gemma", llamaTensors(false), gemma, false, "model_type 'gemma'");
        // Qwen2's biases are part of its layout: without them it is refused.
        expectRefusal("qwen2 without biases", llamaTensors(false), llamaConfig(false, true), false,
                      "'model.layers.0.self_attn.q_proj.bias' is missing");
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
        const QString db = m_dir.filePath("imports.sqlite");
        p.start(program, {"import", "lm", dir, "--out", m_dir.filePath("cli-out"), "--db", db});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QVERIFY(p.readAllStandardOutput().contains("imported LlamaForCausalLM"));
        QVERIFY(QFile::exists(m_dir.filePath("cli-out/model.safetensors")));
        // Recorded in the store, where the launcher finds it.
        const std::vector<ImportRecord> imports = ExperimentStore(db.toStdString()).imports();
        QCOMPARE(imports.size(), size_t(1));
        QCOMPARE(imports[0].part, std::string("lm"));
        QCOMPARE(imports[0].architecture, std::string("LlamaForCausalLM"));
        QCOMPARE(QString::fromStdString(imports[0].path), QFileInfo(m_dir.filePath("cli-out")).absoluteFilePath());
        QVERIFY(imports[0].parameters > 0);

        QFile::remove(dir + "/model-00001-of-00002.safetensors");
        QProcess bad;
        bad.start(program, {"import", "lm", dir, "--out", m_dir.filePath("cli-bad"), "--db", db});
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitCode(), 2);
        QVERIFY(bad.readAllStandardError().contains("model-00001-of-00002.safetensors"));
        QVERIFY(!QFileInfo::exists(m_dir.filePath("cli-bad")));
        // Nothing left beside it either: no temporary directory.
        QCOMPARE(QDir(m_dir.path()).entryList({".cli-bad*"}, QDir::AllEntries | QDir::Hidden).size(), 0);
        QCOMPARE(ExperimentStore(db.toStdString()).imports().size(), size_t(1));
    }
};

QTEST_APPLESS_MAIN(TestImport)
#include "tst_import.moc"

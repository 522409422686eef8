// LoRA: adapters that start at B = 0 leave the model exactly as it was,
// merged adapters give the adapted model's outputs, only what a stage names
// learns, and checkpoints keep the adapters apart from the base.

#include "TestSupport.h"

#include "base/Errors.h"
#include "io/Checkpoint.h"
#include "io/LoraWeights.h"
#include "model/Autocast.h"
#include "model/Mllm.h"
#include "text/Conversation.h"
#include "train/OptimizerGroups.h"
#include "train/RunConfig.h"
#include "train/YamlLoader.h"

#include <QTemporaryDir>
#include <QTest>

#include <torch/torch.h>

#include <filesystem>

using namespace cosw;

namespace {

ModelConfig adapted(const ModelConfig &base, int rank = 4, std::vector<std::string> targets = {})
{
    ModelConfig c = base;
    c.lm.lora.rank = rank;
    c.lm.lora.alpha = 8;
    if (!targets.empty())
        c.lm.lora.targets = std::move(targets);
    return c;
}

// Images and prompts with the image placeholder, for whole-model outputs.
struct Inputs {
    torch::Tensor images, ids;
};
Inputs inputs(const ModelConfig &c)
{
    auto ids = torch::randint(4, c.lm.vocabSize, {2, 7});
    ids.select(1, 1).fill_(kImageTokenId);
    return {torch::randn({2, 3, c.vision.imageSize, c.vision.imageSize}), ids};
}

torch::Tensor logits(const ModelConfig &c, const StateDict &weights, const Inputs &in)
{
    Mllm model(c);
    loadStateDict(*model, weights, "test");
    model->eval();
    torch::NoGradGuard noGrad;
    return model->forward(in.images, in.ids);
}

std::string configError(const QString &yaml)
{
    return test::thrownMessage<InputError>(
        [&] { RunConfig::fromJson(parseYaml(yaml.toStdString(), "lora.yaml"), ConfigSource("lora.yaml")); });
}

QString runYaml(const QString &stages)
{
    return "model:\n"
           "  vision: {image_size: 32, patch_size: 4, width: 16, layers: 1, heads: 2, feature_layer: -1}\n"
           "  connector: {width: 16, heads: 2, layers: 1, scales: [{windows: 1, queries: 2}]}\n"
           "  lm: {vocab_size: 64, width: 32, layers: 1, heads: 2, mlp_hidden: 48, max_seq_len: 128}\n"
           "stages:\n" + stages;
}

} // namespace

class TestLora : public QObject {
    Q_OBJECT
public:
    static void initMain() { cosw::ensureBlasKernel(); }

private slots:
    void freshAdaptersChangeNothing()
    {
        torch::manual_seed(1);
        const ModelConfig base = test::tinyModelConfig();
        const StateDict weights = stateDict(*Mllm(base));
        const ModelConfig withLora = adapted(base);
        const StateDict added = withFreshAdapters(withLora.lm.lora, weights, 3);
        // Seven projections per layer, two tensors each.
        QCOMPARE(added.size(), weights.size() + size_t(2 * 7 * base.lm.layers));
        QCOMPARE(added.at("lm.layers.0.self_attn.q_proj.lora_a").sizes().vec(), (std::vector<int64_t>{4, 32}));
        QCOMPARE(added.at("lm.layers.0.mlp.down_proj.lora_b").sizes().vec(), (std::vector<int64_t>{32, 4}));
        QVERIFY(added.at("lm.layers.0.self_attn.q_proj.lora_a").abs().sum().item<double>() > 0);
        const Inputs in = inputs(base);
        QVERIFY(torch::equal(logits(base, weights, in), logits(withLora, added, in)));
        // The same seed draws the same adapters.
        QVERIFY(torch::equal(withFreshAdapters(withLora.lm.lora, weights, 3).at("lm.layers.0.mlp.up_proj.lora_a"),
                             added.at("lm.layers.0.mlp.up_proj.lora_a")));
    }

    void mergedEqualsAdapted()
    {
        torch::manual_seed(2);
        const ModelConfig base = test::tinyModelConfig();
        const ModelConfig withLora = adapted(base, 3, {"q_proj", "v_proj", "down_proj"});
        StateDict weights = withFreshAdapters(withLora.lm.lora, stateDict(*Mllm(base)), 4);
        for (auto &[name, tensor] : weights)
            if (name.size() > 7 && name.compare(name.size() - 7, 7, ".lora_b") == 0)
                tensor = torch::randn(tensor.sizes()) * 0.1;
        QCOMPARE(weights.count("lm.layers.0.self_attn.k_proj.lora_a"), size_t(0));
        const Inputs in = inputs(base);
        const auto adaptedLogits = logits(withLora, weights, in);
        const StateDict merged = mergedAdapters(withLora.lm.lora, weights);
        for (const auto &[name, tensor] : merged)
            QVERIFY2(!isAdapterTensor(name), name.c_str());
        const double diff = (logits(base, merged, in) - adaptedLogits).abs().max().item<double>();
        QVERIFY2(diff < 1e-5, qPrintable(QString::number(diff)));
        // The adapters did change the model: the merge is not a no-op.
        StateDict plain = merged;
        for (auto &[name, tensor] : plain)
            if (weights.count(name))
                tensor = weights.at(name);
        QVERIFY((logits(base, plain, in) - adaptedLogits).abs().max().item<double>() > 1e-3);
    }

    void dropoutOnlyWhileTraining()
    {
        torch::manual_seed(3);
        ModelConfig c = adapted(test::tinyModelConfig());
        c.lm.lora.dropout = 0.5;
        Mllm model(c);
        for (auto &p : model->named_parameters())
            if (isAdapterTensor(p.key()))
                p.value().data().normal_(0.0, 0.5);
        const Inputs in = inputs(c);
        torch::NoGradGuard noGrad;
        model->eval();
        QVERIFY(torch::equal(model->forward(in.images, in.ids), model->forward(in.images, in.ids)));
        model->train();
        QVERIFY(!torch::equal(model->forward(in.images, in.ids), model->forward(in.images, in.ids)));
    }

    void stageTrainsWhatItNames()
    {
        StageConfig stage;
        stage.train = {"connector", "lora"};
        stage.lr = 1e-3;
        stage.lrScale["lora"] = 2.0;
        Mllm model(adapted(test::tinyModelConfig()));
        StageOptimizer optimizer = makeStageOptimizer(*model, stage);
        int adapters = 0;
        for (const auto &p : model->named_parameters()) {
            const std::string part = modelPartOf(p.key());
            QCOMPARE(p.value().requires_grad(), part == "connector" || part == "lora");
            adapters += part == "lora";
            if (part == "lora")
                QVERIFY(isAdapterTensor(p.key()));
        }
        QCOMPARE(adapters, 14);
        QVERIFY(std::find(optimizer.lrScales.begin(), optimizer.lrScales.end(), 2.0) != optimizer.lrScales.end());
    }

    // Under bf16 the frozen parts are held in bf16 and still compute; what
    // the stage carries on is what trained, and the frozen parts exactly as
    // they entered, not rounded.
    void frozenPartsAreHeldInBf16()
    {
        torch::manual_seed(5);
        const ModelConfig c = adapted(test::tinyModelConfig());
        const StateDict entering = stateDict(*Mllm(c));
        Mllm model(c);
        loadStateDict(*model, entering, "test");
        StageConfig stage;
        stage.train = {"connector", "lora"};
        StageOptimizer optimizer = makeStageOptimizer(*model, stage);
        holdFrozenInBf16(*model);
        auto trains = [](const std::string &name) {
            const std::string part = modelPartOf(name);
            return part == "connector" || part == "lora";
        };
        int held = 0;
        for (const auto &p : model->named_parameters()) {
            const std::string &name = p.key();
            // Linear and convolution weights; not embedding tables, position embeddings or query banks.
            const bool matrix = p.value().dim() >= 2 && name.find("embed_tokens") == std::string::npos
                                && name.find("position_embedding") == std::string::npos && name.find("queries") == std::string::npos;
            const bool bf16 = p.value().scalar_type() == torch::kBFloat16;
            QVERIFY2(bf16 == (!trains(name) && matrix), name.c_str());
            held += bf16;
        }
        QVERIFY(held > 0);
        QVERIFY(model->named_parameters()["lm.layers.0.self_attn.q_proj.weight"].scalar_type() == torch::kBFloat16);
        QVERIFY(model->named_parameters()["lm.layers.0.input_layernorm.weight"].scalar_type() == torch::kFloat);

        const Inputs in = inputs(c);
        {
            AutocastGuard autocast(true, torch::kCPU);
            model->forward(in.images, in.ids).to(torch::kFloat).pow(2).mean().backward();
        }
        optimizer.optimizer->step();
        const StateDict carried = carriedWeights(*model, entering);
        QCOMPARE(carried.size(), entering.size());
        int learned = 0;
        for (const auto &[name, before] : entering) {
            const torch::Tensor &after = carried.at(name);
            if (trains(name)) {
                QVERIFY2(after.scalar_type() == torch::kFloat, name.c_str());
                learned += !torch::equal(after, before);
            } else {
                QVERIFY2(after.scalar_type() == before.scalar_type() && torch::equal(after, before), name.c_str());
            }
        }
        QVERIFY(learned > 0);
    }

    void checkpointKeepsAdaptersApart()
    {
        torch::manual_seed(4);
        QTemporaryDir dir;
        const ModelConfig c = adapted(test::tinyModelConfig());
        const StateDict weights = stateDict(*Mllm(c));
        const std::string path = dir.filePath("ck").toStdString();
        saveCheckpoint(path, {c, weights});
        for (const auto &[name, tensor] : readSafetensors(path + "/model.safetensors"))
            QVERIFY2(!isAdapterTensor(name), name.c_str());
        const StateDict adapters = readSafetensors(path + "/adapters.safetensors");
        QCOMPARE(adapters.size(), size_t(14));
        const Checkpoint back = loadCheckpoint(path);
        QVERIFY(back.config.lm.lora == c.lm.lora);
        QCOMPARE(back.weights.size(), weights.size());
        for (const auto &[name, tensor] : weights)
            QVERIFY2(torch::equal(back.weights.at(name), tensor), name.c_str());
    }

    void stageConfig()
    {
        const RunConfig run = RunConfig::fromJson(
            parseYaml(runYaml("  - {name: pre, kind: pretrain, steps: 1}\n"
                              "  - {name: tune, kind: finetune, steps: 1, train: [connector, lora], lora: llava,\n"
                              "     lr_scale: {lora: 0.5}}\n"
                              "  - {name: more, kind: finetune, steps: 1, train: [lora]}\n")
                          .toStdString(),
                      "lora.yaml"),
            ConfigSource("lora.yaml"));
        QVERIFY(!run.stageModels[0].lm.lora.enabled());
        QCOMPARE(run.stageModels[1].lm.lora.rank, 128);
        QCOMPARE(run.stageModels[1].lm.lora.alpha, 256.0);
        QCOMPARE(run.stageModels[1].lm.lora.dropout, 0.05);
        QCOMPARE(run.stageModels[1].lm.lora.targets.size(), size_t(7));
        QVERIFY(run.stageModels[2].lm.lora == run.stageModels[1].lm.lora); // kept by later stages
        QCOMPARE(run.stages[1].lrScale.at("lora"), 0.5);
        // The stored config reads back the same.
        const RunConfig again = RunConfig::fromJson(run.toJson(), ConfigSource("stored"));
        QVERIFY(again.stageModels[2].lm.lora == run.stageModels[1].lm.lora);

        struct Bad {
            const char *stages, *key;
        };
        const Bad bad[] = {
            {"  - {name: a, steps: 1, lora: {r: 4}}\n", "stages[0].train"},
            {"  - {name: a, steps: 1, train: [lora]}\n", "stages[0].train"},
            {"  - {name: a, steps: 1, train: [lora], lora: {r: 0}}\n", "stages[0].lora.r"},
            {"  - {name: a, steps: 1, train: [lora], lora: {r: 4, targets: [qkv]}}\n", "stages[0].lora.targets"},
            {"  - {name: a, steps: 1, train: [lora], lora: huge}\n", "stages[0].lora"},
            {"  - {name: a, steps: 1, train: [lora], lora: {r: 4}}\n"
             "  - {name: b, steps: 1, train: [lora], lora: {r: 8}}\n",
             "stages[1].lora"},
        };
        for (const Bad &b : bad) {
            const std::string message = configError(runYaml(b.stages));
            QVERIFY2(message.find(b.key) != std::string::npos, (std::string(b.key) + ": " + message).c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestLora)
#include "tst_lora.moc"

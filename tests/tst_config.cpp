// Run configs in YAML: typed, validated, and every error names the file,
// line and key so a researcher can fix it without guessing.

#include "TestSupport.h"

#include "base/Errors.h"
#include "model/Mllm.h"
#include "train/MemoryEstimate.h"
#include "train/RunConfig.h"
#include "train/RunSummary.h"
#include "train/YamlLoader.h"
#include "train/YamlWriter.h"

#include <QFile>

#include <cmath>

using namespace cosw;

namespace {

// A three-stage compound-scaling run (tests/data/compound.yaml), the text
// the validation tests edit.
QString compoundText()
{
    QFile f(test::sourcePath("tests/data/compound.yaml"));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read tests/data/compound.yaml");
    return QString::fromUtf8(f.readAll());
}

// The line (1-based) of the first occurrence of `needle` in `text`.
int lineOf(const QString &text, const QString &needle)
{
    const int at = text.indexOf(needle);
    return at < 0 ? -1 : text.left(at).count('\n') + 1;
}

} // namespace

class TestConfig : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    std::string write(const QString &name, const QString &text)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(text.toUtf8());
        return path.toStdString();
    }

    // Loads `text` and returns the ConfigError/InputError message.
    QString loadError(const QString &text, const std::vector<std::string> &overrides = {})
    {
        const std::string path = write("bad.yaml", text);
        return QString::fromStdString(
            test::thrownMessage<InputError>([&] { RunConfig::load(path, overrides); }));
    }

    // "PATH:LINE" of bad.yaml's first line that contains `needle`, as errors name it.
    QString badLine(const QString &text, const QString &needle) const
    {
        return m_dir.filePath("bad.yaml") + ":" + QString::number(lineOf(text, needle));
    }

private slots:
    void quickstartLoadsWithStageTokenCounts()
    {
        const RunConfig run = RunConfig::load(test::sourcePath("configs/quickstart.yaml").toStdString());
        QCOMPARE(run.name, std::string("quickstart"));
        QCOMPARE(run.stages.size(), size_t(5));
        QCOMPARE(run.stages[0].kind, std::string("vision"));
        QCOMPARE(run.stages[1].kind, std::string("text"));
        QCOMPARE(run.stages[2].kind, std::string("text"));
        QCOMPARE(run.stages[3].kind, std::string("pretrain"));
        QCOMPARE(run.stages[4].kind, std::string("finetune"));
        QCOMPARE(run.stages[1].train, std::vector<std::string>{"lm"});
        QCOMPARE(visualTokens(run.stageModels[3]), 32);
        QCOMPARE(visualTokens(run.stageModels[4]), 80);
        QCOMPARE(run.stageModels[4].vision.imageSize, 56);
        QCOMPARE(run.stageModels[4].connector.scales[1].windows, 8);
        QCOMPARE(run.stageModels[4].connector.outputScale, 0.1);
        QCOMPARE(run.stages[4].train, (std::vector<std::string>{"connector", "lm"}));
        QCOMPARE(run.stages[4].lrScale.at("lm"), 0.3);
        // The lookup is learned from fresh grids in text and carried to the
        // image by asking every cell: the generator must write both files.
        QVERIFY(run.data.textGrids > 0 && run.data.denseQuestions);
        QCOMPARE(run.stages[2].mix[1].first, std::string("text-grids.json"));
        QCOMPARE(run.stages[3].mix[1].first, std::string("finetune-dense.json"));
        QCOMPARE(run.stages[4].scaling.window, (std::vector<int>{1, 2}));
        // Evaluation asks one question right after the image; from the text
        // stage on, training asks each of an image's questions that way too.
        QCOMPARE(run.stages[1].turns, std::string("conversation"));
        for (size_t i = 2; i < 5; ++i)
            QCOMPARE(run.stages[i].turns, std::string("independent"));
    }

    void paperConfigLoadsWithItsTokensAndSizes()
    {
        const RunConfig run = RunConfig::load(test::sourcePath("configs/paper/cos-clip-l-7b.yaml").toStdString());
        QCOMPARE(visualTokens(run.stageModels[0]), 80);
        QCOMPARE(visualTokens(run.stageModels[1]), 1296);
        QCOMPARE(tokensPerScale(run.stageModels[1]), (std::vector<int>{16, 1024, 256}));
        QCOMPARE(run.stageModels[1].vision.imageSize, 448);
        QCOMPARE(run.model.vision.featureBlockList(), (std::vector<int>{15, 22}));
        QVERIFY(!run.model.connector.windowPosition && run.model.connector.perWindow);
        QCOMPARE(run.stageModels[1].lm.lora.rank, 128);
        // The public checkpoints' sizes: CLIP ViT-L/14's tower, Vicuna-7B.
        const ParameterCounts counts = countParameters(run.model);
        QCOMPARE(counts.vision, int64_t(303177728)); // without the pooled output's norm
        QCOMPARE(counts.lm, int64_t(6738415616));
        QCOMPARE(countParameters(run.stageModels[1]).lora, int64_t(32) * 128 * (4 * (4096 + 4096) + 3 * (4096 + 11008)));

        // Memory (bf16 stages): what trains in fp32, the frozen rest in bf16;
        // gradients and two moments of the connector alone in pre-training,
        // of connector and adapters after.
        const MemoryEstimate pre = estimateStageMemory(run, 0), fine = estimateStageMemory(run, 1);
        const int64_t preTotal = countParameters(run.stageModels[0]).total();
        QCOMPARE(pre.weights, counts.connector * 4 + (preTotal - counts.connector) * 2);
        QCOMPARE(pre.gradients, counts.connector * 4);
        QCOMPARE(pre.optimizer, 2 * pre.gradients);
        const ParameterCounts tuned = countParameters(run.stageModels[1]);
        QCOMPARE(fine.gradients, (tuned.connector + tuned.lora) * 4);
        QCOMPARE(fine.weights, fine.gradients + (tuned.total() - tuned.connector - tuned.lora) * 2);
        QCOMPARE(fine.bytesPerActivation, 2);
        QCOMPARE(fine.sequence, int64_t(2048));
        QVERIFY(fine.activations > pre.activations / 2); // same LM and sequence, half the batch, more connector
        // Activations grow with the batch, and the total is their sum.
        RunConfig doubled = run;
        doubled.stages[0].batchSize *= 2;
        const MemoryEstimate twice = estimateStageMemory(doubled, 0);
        QCOMPARE(twice.weights, pre.weights);
        QVERIFY(std::abs(double(twice.activations) / double(pre.activations) - 2.0) < 1e-6);
        QCOMPARE(pre.total(), pre.weights + pre.gradients + pre.optimizer + pre.activations);
        QCOMPARE(formatBytes(int64_t(1536) * 1024 * 1024), std::string("1.50 GiB"));
        QCOMPARE(formatBytes(812), std::string("812 B"));
    }

    void parameterCountsMatchBuiltModels_data()
    {
        QTest::addColumn<int>("variant");
        for (int v = 0; v < 6; ++v)
            QTest::newRow(qPrintable(QString("variant %1").arg(v))) << v;
    }

    void parameterCountsMatchBuiltModels()
    {
        QFETCH(int, variant);
        ModelConfig c = test::tinyModelConfig();
        switch (variant) {
        case 1: // per-window banks, multi-level features, CLIP-like tower
            c.connector.perWindow = true;
            c.connector.layers = 2;
            c.vision.featureLayers = {1, 2};
            c.vision.preNorm = true;
            c.vision.patchBias = true;
            break;
        case 2: // a plain resampler, no class token
            c.connector.type = ConnectorType::Resampler;
            c.connector.scales = {{1, 8, true}};
            c.vision.classToken = false;
            break;
        case 3: // an MLP projector of 3 layers
            c.connector.type = ConnectorType::Mlp;
            c.connector.mlpLayers = 3;
            c.connector.scales.clear();
            break;
        case 4: // Qwen2-like: biases, grouped-query attention, untied head, some adapters
            c.lm.attentionBias = true;
            c.lm.kvHeads = 1;
            c.lm.tieEmbeddings = false;
            c.lm.lora.rank = 3;
            c.lm.lora.targets = {"q_proj", "o_proj", "up_proj"};
            break;
        case 5: // every adapter, an added scale
            c.lm.lora.rank = 2;
            c.connector.scales.push_back({4, 2, false, 1, 0});
            break;
        default:
            break;
        }
        c.validate();
        torch::manual_seed(0);
        const ParameterCounts built = countParameters(*Mllm(c));
        const ParameterCounts counted = countParameters(c);
        QCOMPARE(counted.vision, built.vision);
        QCOMPARE(counted.connector, built.connector);
        QCOMPARE(counted.lm, built.lm);
        QCOMPARE(counted.lora, built.lora);
        QCOMPARE(counted.lora > 0, c.lm.lora.enabled());
    }

    void compoundFixtureLoadsWithStageTokenCounts()
    {
        const RunConfig run = RunConfig::load(test::sourcePath("tests/data/compound.yaml").toStdString());
        QCOMPARE(run.stages.size(), size_t(3));
        QCOMPARE(visualTokens(run.stageModels[1]), 32);
        QCOMPARE(visualTokens(run.stageModels[2]), 320);
        QCOMPARE(run.stageModels[2].vision.imageSize, 112);
        QCOMPARE(run.stageModels[2].connector.scales[1].windows, 16);
        QCOMPARE(run.stages[2].scaling.resolution, 2);
    }

    void resolvedConfigRoundTrips()
    {
        const RunConfig run = RunConfig::load(test::sourcePath("configs/quickstart.yaml").toStdString());
        const RunConfig again = RunConfig::fromJson(run.toJson(), "resolved");
        QCOMPARE(again.toJson(), run.toJson());
        QCOMPARE(ModelConfig::fromJson(run.model.toJson()).toJson(), run.model.toJson());
    }

    void unknownKeyNamesKeyAndLine()
    {
        QString text = compoundText();
        text.replace("    patch_size: 7 ", "    pach_size: 7\n    patch_size: 7 ");
        const QString message = loadError(text);
        QVERIFY2(message.contains("model.vision.pach_size: unknown key"), qPrintable(message));
        QVERIFY2(message.contains(QString("bad.yaml:%1:").arg(lineOf(text, "pach_size"))), qPrintable(message));
    }

    void windowsThatDoNotDivideTheGridAreRefused()
    {
        QString text = compoundText();
        text.replace("{windows: 4, queries: 1}", "{windows: 3, queries: 1}");
        const QString message = loadError(text);
        QVERIFY2(message.contains("model.connector.scales[1].windows"), qPrintable(message));
        QVERIFY2(message.contains("do not divide the feature grid of 8"), qPrintable(message));
        QVERIFY2(message.contains(QString("bad.yaml:%1:").arg(lineOf(text, "{windows: 3"))), qPrintable(message));
    }

    void nonPositiveSizesAreRefused_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("key");
        QTest::newRow("lm width") << "    width: 256" << "    width: 0" << "model.lm.width: must be positive";
        QTest::newRow("queries") << "{windows: 1, queries: 16}" << "{windows: 1, queries: -1}"
                                 << "model.connector.scales[0].queries: must be positive";
        QTest::newRow("batch") << "    batch_size: 16" << "    batch_size: 0" << "stages[0].batch_size: must be positive";
        QTest::newRow("steps") << "    steps: 200\n    batch_size: 16" << "    steps: -5\n    batch_size: 16"
                               << "stages[0].steps: must not be negative";
        QTest::newRow("position layout") << "{windows: 4, queries: 1}" << "{windows: 4, queries: 1, position_windows: 3}"
                                         << "model.connector.scales[1].position_windows: 3 must be a positive divisor";
        QTest::newRow("token positions") << "    layers: 2\n    mlp_hidden: 512" << "    layers: 2\n    mlp_hidden: 512\n    token_positions: tokens"
                                         << "model.connector.token_positions";
        QTest::newRow("output scale") << "    layers: 2\n    mlp_hidden: 512" << "    layers: 2\n    mlp_hidden: 512\n    output_scale: 0"
                                      << "model.connector.output_scale: must be a positive number, got 0";
    }
    void nonPositiveSizesAreRefused()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, key);
        QString text = compoundText();
        QVERIFY(text.contains(from));
        text.replace(text.indexOf(from), from.size(), to);
        const QString message = loadError(text);
        QVERIFY2(message.contains(key), qPrintable(message));
    }

    void scalingThatDoesNotFitIsRefused_data()
    {
        QTest::addColumn<QString>("scaling");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("line"); // the line the error must name
        QTest::newRow("windows past the grid") << "      window: [1, 3]" << "stages[2].scaling.window: scale 1 would have 24 windows" << "window: [1, 3]";
        QTest::newRow("wrong factor count") << "      window: [1, 2, 2]" << "stages[2].scaling.window: lists 3 factors for 2 scales" << "window: [1, 2, 2]";
        QTest::newRow("zero factor") << "      window: [0, 2]" << "stages[2].scaling.window: factor 0" << "window: [0, 2]";
        // Resolution and windows together leave no room: named at the resolution factor.
        QTest::newRow("too many tokens") << "      window: [4, 2]" << "max_seq_len" << "resolution: 2";
    }
    void scalingThatDoesNotFitIsRefused()
    {
        QFETCH(QString, scaling);
        QFETCH(QString, expected);
        QFETCH(QString, line);
        QString text = compoundText();
        text.replace("      window: [1, 2]", scaling);
        const QString message = loadError(text);
        QVERIFY2(message.contains(expected), qPrintable(message));
        // Checked after reading, yet named at the line that set it.
        QVERIFY2(message.contains(badLine(text, line) + ": stages[2].scaling"), qPrintable(message));
    }

    void wrongTypesNameTheKey()
    {
        QString text = compoundText();
        text.replace("    layers: 4\n    heads: 4\n    mlp_hidden: 512", "    layers: four\n    heads: 4\n    mlp_hidden: 512");
        QString message = loadError(text);
        QVERIFY2(message.contains(badLine(text, "layers: four") + ": model.vision.layers: expected an integer, got a string"),
                 qPrintable(message));

        text = compoundText();
        text.replace("train: [vision]", "train: [vision, decoder]");
        message = loadError(text);
        QVERIFY2(message.contains("stages[0].train: 'decoder' is not one of vision, connector, lm"), qPrintable(message));

        message = loadError(compoundText(), {"stages[1].turns=sideways"});
        QVERIFY2(message.contains("stages[1].turns") && message.contains("sideways")
                     && message.contains("conversation") && message.contains("independent"),
                 qPrintable(message));
    }

    void resolutionMustAgreeWithScaling()
    {
        QString text = compoundText();
        text.replace("    resolution: 112", "    resolution: 448");
        const QString message = loadError(text);
        QVERIFY2(message.contains("stages[2].resolution: 448 does not match"), qPrintable(message));
    }

    void yamlSyntaxErrorsNameTheLine()
    {
        const QString message = loadError("name: x\nmodel:\n  vision: {image_size: 112\nstages: []\n");
        QVERIFY2(message.startsWith(QString::fromStdString(m_dir.filePath("bad.yaml").toStdString()) + ":"),
                 qPrintable(message));
        const QString dup = loadError("name: x\nname: y\n");
        QVERIFY2(dup.contains("bad.yaml:2: duplicate key 'name'"), qPrintable(dup));
        const QString missing = QString::fromStdString(
            test::thrownMessage<InputError>([] { RunConfig::load("/nonexistent/run.yaml"); }));
        QVERIFY2(missing.contains("/nonexistent/run.yaml: cannot open file"), qPrintable(missing));
    }

    void quotedScalarsStayStrings()
    {
        const Json j = parseYaml("a: '12'\nb: 12\nc: 1.5e-3\nd: true\ne: ~\nf: hello\n", "inline");
        QVERIFY(j.at("a").is_string());
        QCOMPARE(j.at("b").get<int64_t>(), 12);
        QCOMPARE(j.at("c").get<double>(), 1.5e-3);
        QVERIFY(j.at("d").get<bool>());
        QVERIFY(j.at("e").is_null());
        QCOMPARE(j.at("f").get<std::string>(), std::string("hello"));
    }

    // What yaml-cpp reads a scalar as decides its type; quoting always makes
    // a string, and writing a config back keeps every type.
    void trickyScalarsKeepTheirTypes()
    {
        const Json j = parseYaml("quoted_real: \"1e3\"\nreal: 1e3\nquoted_yes: \"yes\"\nyes_word: yes\n"
                                 "quoted_null: '~'\nnull_word: null\nquoted_int: \"007\"\nhex: 0x10\n"
                                 "huge: 1e999\nnegative_zero: -0.0\nempty_quoted: ''\nwords: on the left\n",
                                 "tricky.yaml");
        QCOMPARE(j.at("quoted_real"), Json("1e3"));
        QVERIFY(j.at("real").is_number_float());
        QCOMPARE(j.at("real").get<double>(), 1000.0);
        QCOMPARE(j.at("quoted_yes"), Json("yes"));
        QCOMPARE(j.at("yes_word"), Json(true));
        QCOMPARE(j.at("quoted_null"), Json("~"));
        QVERIFY(j.at("null_word").is_null());
        QCOMPARE(j.at("quoted_int"), Json("007"));
        QCOMPARE(j.at("hex"), Json(16));
        // Too large for a number: kept as text, so the key is named if a number was wanted.
        QCOMPARE(j.at("huge"), Json("1e999"));
        QVERIFY(std::signbit(j.at("negative_zero").get<double>()));
        QCOMPARE(j.at("empty_quoted"), Json(""));
        QCOMPARE(j.at("words"), Json("on the left"));

        const Json back = parseYaml(toYaml(j), "written.yaml");
        QCOMPARE(back, j);
        QVERIFY(std::signbit(back.at("negative_zero").get<double>()));
    }

    void invalidUtf8IsRefusedWithItsLine()
    {
        const QString message = QString::fromStdString(test::thrownMessage<InputError>(
            [] { parseYaml("name: ok\nstages: [caf\xe9]\n", "latin1.yaml"); }));
        QVERIFY2(message.contains("latin1.yaml:2: the text is not valid UTF-8"), qPrintable(message));
    }

    void overridesApplyBeforeValidation()
    {
        const std::string path = write("ok.yaml", compoundText());
        const RunConfig run = RunConfig::load(path, {"stages[2].scaling.window=2", "model.lm.max_seq_len=1024"});
        QCOMPARE(visualTokens(run.stageModels[2]), 512);
        QCOMPARE(run.model.lm.maxSeqLen, 1024);

        const QString bad = loadError(compoundText(), {"model.vision.width=wide"});
        QVERIFY2(bad.contains("model.vision.width: expected an integer"), qPrintable(bad));
        // The value came from --set, not from the file's `width:` line; the
        // error points at the mapping that holds it.
        QVERIFY2(bad.contains(badLine(compoundText(), "vision:") + ": model.vision.width"), qPrintable(bad));
        const QString missing = loadError(compoundText(), {"stages[5].steps=1"});
        QVERIFY2(missing.contains("stages[5] does not exist"), qPrintable(missing));
        const QString dotted = loadError(compoundText(), {"stages.2.steps=1"});
        QVERIFY2(dotted.contains("stages is a list; name its item as stages[2]"), qPrintable(dotted));
        const QString unknown = loadError(compoundText(), {"model.lm.depth=3"});
        QVERIFY2(unknown.contains("model.lm.depth: unknown key"), qPrintable(unknown));
    }
};

QTEST_APPLESS_MAIN(TestConfig)
#include "tst_config.moc"

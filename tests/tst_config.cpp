// Run configs in YAML: typed, validated, and every error names the file,
// line and key so a researcher can fix it without guessing.

#include "TestSupport.h"

#include "model/Errors.h"
#include "train/RunConfig.h"
#include "train/YamlLoader.h"

#include <QFile>

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
        QCOMPARE(run.stages[4].lrScale.at("lm"), 0.1);
        QCOMPARE(run.stages[4].scaling.window, (std::vector<int>{1, 2}));
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
        QTest::newRow("windows past the grid") << "      window: [1, 3]" << "stages[2].scaling.window: scale 1 would have 24 windows";
        QTest::newRow("wrong factor count") << "      window: [1, 2, 2]" << "stages[2].scaling.window: lists 3 factors for 2 scales";
        QTest::newRow("zero factor") << "      window: [0, 2]" << "stages[2].scaling.window: factor 0";
        QTest::newRow("too many tokens") << "      window: [4, 2]" << "max_seq_len";
    }
    void scalingThatDoesNotFitIsRefused()
    {
        QFETCH(QString, scaling);
        QFETCH(QString, expected);
        QString text = compoundText();
        text.replace("      window: [1, 2]", scaling);
        const QString message = loadError(text);
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY2(message.contains("bad.yaml:"), qPrintable(message));
    }

    void wrongTypesNameTheKey()
    {
        QString text = compoundText();
        text.replace("    layers: 4\n    heads: 4\n    mlp_hidden: 512", "    layers: four\n    heads: 4\n    mlp_hidden: 512");
        QString message = loadError(text);
        QVERIFY2(message.contains("model.vision.layers: expected an integer, got a string"), qPrintable(message));

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
        QVERIFY(j.find("a")->isString());
        QCOMPARE(j.find("b")->asInt(), 12);
        QCOMPARE(j.find("c")->asDouble(), 1.5e-3);
        QVERIFY(j.find("d")->asBool());
        QVERIFY(j.find("e")->isNull());
        QCOMPARE(j.find("f")->asString(), std::string("hello"));
    }

    void overridesApplyBeforeValidation()
    {
        const std::string path = write("ok.yaml", compoundText());
        const RunConfig run = RunConfig::load(path, {"stages[2].scaling.window=2", "model.lm.max_seq_len=1024"});
        QCOMPARE(visualTokens(run.stageModels[2]), 512);
        QCOMPARE(run.model.lm.maxSeqLen, 1024);

        const QString bad = loadError(compoundText(), {"model.vision.width=wide"});
        QVERIFY2(bad.contains("model.vision.width: expected an integer"), qPrintable(bad));
        const QString missing = loadError(compoundText(), {"stages[5].steps=1"});
        QVERIFY2(missing.contains("stages[5] does not exist"), qPrintable(missing));
        const QString unknown = loadError(compoundText(), {"model.lm.depth=3"});
        QVERIFY2(unknown.contains("model.lm.depth: unknown key"), qPrintable(unknown));
    }
};

QTEST_APPLESS_MAIN(TestConfig)
#include "tst_config.moc"

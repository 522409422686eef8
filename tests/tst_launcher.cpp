// The launcher: a researcher edits a run and sees the engine's own token
// budget; what the engine rejects is marked and cannot be launched; configs
// survive saving and loading, keys the form does not show included.

#include "HfFixtures.h"
#include "TestSupport.h"

#include "FormValues.h"
#include "LauncherView.h"
#include "facade/ConfigCheck.h"
#include "base/Errors.h"
#include "train/RunConfig.h"
#include "train/RunSummary.h"
#include "train/YamlLoader.h"
#include "train/YamlWriter.h"

#include <QCheckBox>
#include <QDir>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>

using namespace cosw;

namespace {

// A three-stage compound-scaling run (32, 32, 320 tokens) that the
// launcher's numbers are checked against; the bundled presets may change.
QString compoundPath()
{
    return test::sourcePath("tests/data/compound.yaml");
}

std::vector<int> visualTokensPerStage(const ConfigCheck &check)
{
    std::vector<int> tokens;
    for (const StageTokens &s : check.stages)
        tokens.push_back(s.visualTokens);
    return tokens;
}

std::vector<int> tokensOfScales(const StageTokens &stage)
{
    std::vector<int> tokens;
    for (const ScaleTokens &s : stage.scales)
        tokens.push_back(s.tokens);
    return tokens;
}

// The launcher's numbers are the facade's for the tree it holds.
void compareWithFacade(const LauncherView &view)
{
    const ConfigCheck fresh = checkRunConfig(view.configTree(), "edited");
    QCOMPARE(view.lastCheck().ok, fresh.ok);
    QCOMPARE(visualTokensPerStage(view.lastCheck()), visualTokensPerStage(fresh));
    for (size_t i = 0; i < fresh.stages.size(); ++i)
        QCOMPARE(tokensOfScales(view.lastCheck().stages[i]), tokensOfScales(fresh.stages[i]));
}

bool isMarked(QWidget *widget)
{
    return widget && widget->property("invalid").toBool() && !widget->toolTip().isEmpty();
}

} // namespace

class TestLauncher : public QObject {
    Q_OBJECT
public:
    // Before QTest starts: on a CPU OpenBLAS does not know, with the right kernel.
    static void initMain() { cosw::ensureBlasKernel(); }

private:
    QTemporaryDir m_dir;

    std::unique_ptr<LauncherView> compoundView()
    {
        auto view = std::make_unique<LauncherView>();
        QString error;
        if (!view->loadFile(compoundPath(), &error))
            qFatal("cannot load the compound config: %s", qPrintable(error));
        return view;
    }

private slots:
    // The launcher remembers choices (processes): in a directory of the test's own.
    void initTestCase() { test::keepSettingsAndCachesIn(m_dir, "tst_launcher"); }

    // ---------------------------------------------------------------- facade

    void facadeReportsTheEngineTokenBudget()
    {
        const QByteArray text = test::readFile(compoundPath());
        const ConfigCheck check = checkRunConfigText(text.toStdString(), "compound.yaml");
        QVERIFY2(check.ok, check.error.c_str());
        QCOMPARE(check.runName, std::string("compound"));
        QCOMPARE(check.connector, std::string("chain_of_sight"));
        // The vision stage trains the tower alone: no visual tokens.
        QCOMPARE(visualTokensPerStage(check), (std::vector<int>{0, 32, 320}));
        const StageTokens &finetune = check.stages[2];
        QCOMPARE(finetune.name, std::string("finetune"));
        QCOMPARE(finetune.kind, std::string("finetune"));
        QCOMPARE(finetune.resolution, 112);
        QCOMPARE(finetune.grid, 16);
        QCOMPARE(tokensOfScales(finetune), (std::vector<int>{64, 256}));
        QCOMPARE(finetune.scales[1].windows, 16);
        QCOMPARE(finetune.lmMaxSequence, 512);
        QCOMPARE(finetune.textRoom(), 512 - 320);

        // The same numbers `cos-batch inspect` prints.
        const Json summary = runSummary(RunConfig::load(compoundPath().toStdString()));
        const Json &stages = summary.at("stages");
        for (size_t i = 0; i < check.stages.size(); ++i) {
            QCOMPARE(stages.at(i).at("visual_tokens").get<int64_t>(), int64_t(check.stages[i].visualTokens));
            QCOMPARE(stages.at(i).at("grid").get<int64_t>(), int64_t(check.stages[i].grid));
        }
    }

    void facadeNamesTheKeyOfAnInvalidValue()
    {
        QString text = QString::fromUtf8(test::readFile(compoundPath()));
        text.replace("- {windows: 4, queries: 1}", "- {windows: 3, queries: 1}");
        const ConfigCheck check = checkRunConfigText(text.toStdString(), "edited.yaml");
        QVERIFY(!check.ok);
        QCOMPARE(check.errorKey, std::string("model.connector.scales[1].windows"));
        QVERIFY2(QString::fromStdString(check.errorReason).contains("do not divide the feature grid of 8"),
                 check.errorReason.c_str());
        const int line = text.left(text.indexOf("windows: 3")).count('\n') + 1;
        const std::string prefix = "edited.yaml:" + std::to_string(line) + ": model.connector.scales[1].windows";
        QVERIFY2(check.error.rfind(prefix, 0) == 0, check.error.c_str());
        QVERIFY(check.stages.empty());
    }

    void facadeRejectsBadYamlWithItsLine()
    {
        const ConfigCheck duplicate = checkRunConfigText("name: a\nmodel: {}\nname: b\n", "bad.yaml");
        QVERIFY(!duplicate.ok);
        QVERIFY2(duplicate.error.rfind("bad.yaml:3: duplicate key 'name'", 0) == 0, duplicate.error.c_str());
        QVERIFY(duplicate.errorKey.empty());

        const ConfigCheck syntax = checkRunConfigText("name: a\nmodel:\n  vision: [1, 2\nstages: []\n", "bad.yaml");
        QVERIFY(!syntax.ok);
        QVERIFY2(QString::fromStdString(syntax.error).contains(QRegularExpression("^bad\\.yaml:[34]: ")),
                 syntax.error.c_str());

        const ConfigCheck notMapping = checkRunConfigText("- 1\n- 2\n", "list.yaml");
        QVERIFY(!notMapping.ok);
        QVERIFY(notMapping.error.rfind("list.yaml", 0) == 0);
    }

    // ------------------------------------------------------------ YAML writer

    void yamlWriterRoundTrips()
    {
        Json tree = loadYamlFile(compoundPath().toStdString());
        Json odd = Json::object();
        odd["looks_like_bool"] = "true";
        odd["looks_like_int"] = "12";
        odd["looks_like_null"] = "~";
        odd["empty"] = "";
        odd["colon"] = "a: b # not a comment";
        odd["unicode"] = "Größe ×2";
        odd["whole_real"] = 2.0;
        odd["small_real"] = 1e-7;
        odd["third"] = 1.0 / 3.0;
        odd["negative"] = int64_t(-5);
        odd["nothing"] = nullptr;
        odd["empty_list"] = Json::array();
        odd["empty_map"] = Json::object();
        odd["nested"] = Json::array({Json::array({1, 2}), Json::object()});
        tree["odd"] = odd;

        const std::string yaml = toYaml(tree);
        const Json back = parseYaml(yaml, "written.yaml");
        QVERIFY2(back == tree, yaml.c_str());
        // Types survive, not only numeric values.
        QVERIFY(findKey(back, "odd")->at("whole_real").is_number_float());
        QVERIFY(findKey(back, "odd")->at("looks_like_int").is_string());
        // Written the way configs are written by hand.
        QVERIFY2(yaml.find("- {windows: 1, queries: 16}") != std::string::npos, yaml.c_str());
        QVERIFY2(yaml.find("train: [connector, lm]") != std::string::npos, yaml.c_str());
    }

    // --------------------------------------------------------------- launcher

    // The quickstart's text stages see no image: the panel leaves the image
    // columns empty and counts no visual tokens for them. Its vision stage
    // sees images but trains the tower alone: no windows, tokens or text.
    void stagesWithoutTokensShowNone()
    {
        LauncherView view;
        QString error;
        QVERIFY2(view.loadFile(test::sourcePath("configs/quickstart.yaml"), &error), qPrintable(error));
        auto *tokens = view.findChild<QTableWidget *>("tokens");
        QCOMPARE(tokens->rowCount(), 5);
        QVERIFY(tokens->item(1, 0)->text().startsWith("text-short"));
        for (int column : {1, 2, 3, 4})
            QCOMPARE(tokens->item(1, column)->text(), QString("–"));
        QCOMPARE(tokens->item(1, 5)->text(), QString("0"));
        QCOMPARE(tokens->item(1, 7)->text(), QString("text ≤ 512"));
        QCOMPARE(tokens->item(3, 5)->text(), QString("32"));
        QCOMPARE(tokens->item(3, 7)->text(), QString("32 + text ≤ 512"));
        QVERIFY(tokens->item(0, 0)->text().startsWith("vision"));
        QCOMPARE(tokens->item(0, 1)->text(), QString("56 px"));
        for (int column : {3, 4, 7})
            QCOMPARE(tokens->item(0, column)->text(), QString("–"));
        QCOMPARE(tokens->item(0, 5)->text(), QString("0"));
    }

    void compoundConfigShowsTheEngineNumbers()
    {
        auto view = compoundView();
        QVERIFY(view->isLaunchEnabled());
        QVERIFY(view->validationMessage().isEmpty());
        QCOMPARE(visualTokensPerStage(view->lastCheck()), (std::vector<int>{0, 32, 320}));
        QCOMPARE(view->runName(), QString("compound"));

        QAbstractItemModel *scales = view->scalesModel();
        QCOMPARE(scales->rowCount(), 2);
        QCOMPARE(scales->data(scales->index(0, 0)).toInt(), 1);
        QCOMPARE(scales->data(scales->index(0, 1)).toInt(), 16);
        QCOMPARE(scales->data(scales->index(1, 0)).toInt(), 4);

        // What the panel shows.
        auto *tokens = view->findChild<QTableWidget *>("tokens");
        QCOMPARE(tokens->rowCount(), 3);
        QCOMPARE(tokens->item(1, 5)->text(), QString("32"));
        QCOMPARE(tokens->item(2, 5)->text(), QString("320"));
        QCOMPARE(tokens->item(2, 4)->text(), QString("64 + 256"));
        QCOMPARE(tokens->item(2, 3)->text(), QString("2, 16"));
        QCOMPARE(tokens->item(2, 7)->text(), QString("320 + text ≤ 512"));
        const QStringList lines = view->tokenSummaryText().split('\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY2(lines[2].contains("finetune") && lines[2].contains("320"), qPrintable(lines[2]));

        // Form fields show the config, defaults where it leaves a key out.
        QCOMPARE(view->findChild<QSpinBox *>("stages[1].batch_size")->value(), 16);
        QCOMPARE(view->findChild<QLineEdit *>("stages[2].scaling.window")->text(), QString("1, 2"));
        QCOMPARE(view->findChild<QSpinBox *>("stages[2].scaling.resolution")->value(), 2);
        QVERIFY(!view->findChild<QGroupBox *>("stages[1].scaling")->isChecked());
        QCOMPARE(view->findChild<QComboBox *>("stages[0].device")->currentText(), QString("cpu"));
        QCOMPARE(view->findChild<QSpinBox *>("data.grid")->value(), 4);
    }

    void editingTheScalesTableUpdatesTheTokens()
    {
        auto view = compoundView();
        QAbstractItemModel *scales = view->scalesModel();
        QVERIFY(scales->setData(scales->index(1, 0), 2));
        // 1^2x16 + 2^2x1 = 20; fine-tuning (x2 resolution, x2 windows on
        // scale 1): 2^2x16 + 8^2x1 = 128.
        QCOMPARE(visualTokensPerStage(view->lastCheck()), (std::vector<int>{0, 20, 128}));
        compareWithFacade(*view);
        QCOMPARE(view->findChild<QTableWidget *>("tokens")->item(2, 5)->text(), QString("128"));
        const Json &scaleTree = findKey(view->configTree(), "model")->find("connector")->at("scales").at(1);
        QCOMPARE(scaleTree.at("windows").get<int64_t>(), int64_t(2));

        QVERIFY(scales->setData(scales->index(0, 1), 8));
        QCOMPARE(visualTokensPerStage(view->lastCheck()), (std::vector<int>{0, 12, 96}));
        compareWithFacade(*view);
    }

    void addingAndRemovingScales()
    {
        auto view = compoundView();
        QAbstractItemModel *scales = view->scalesModel();
        QVERIFY(scales->setData(scales->index(1, 0), 2));
        view->addScale();
        QCOMPARE(scales->rowCount(), 3);
        // The new, finer scale: twice the windows of the last.
        QCOMPARE(scales->data(scales->index(2, 0)).toInt(), 4);
        QCOMPARE(scales->data(scales->index(2, 1)).toInt(), 1);
        // The fine-tuning stage's factor list grows with the identity.
        QCOMPARE(view->findChild<QLineEdit *>("stages[2].scaling.window")->text(), QString("1, 2, 1"));
        QVERIFY2(view->isLaunchEnabled(), qPrintable(view->validationMessage()));
        // 16 + 4 + 16 = 36; fine-tuning 64 + 64 + (4*2)^2 = 192.
        QCOMPARE(visualTokensPerStage(view->lastCheck()), (std::vector<int>{0, 36, 192}));
        compareWithFacade(*view);

        view->findChild<QTableView *>("model.connector.scales")->selectRow(1);
        view->removeScale();
        QCOMPARE(scales->rowCount(), 2);
        QCOMPARE(scales->data(scales->index(1, 0)).toInt(), 4);
        QCOMPARE(view->findChild<QLineEdit *>("stages[2].scaling.window")->text(), QString("1, 1"));
        // 16 + 16; fine-tuning with x2 resolution only: 64 + 64.
        QCOMPARE(visualTokensPerStage(view->lastCheck()), (std::vector<int>{0, 32, 128}));
        compareWithFacade(*view);
    }

    void invalidWindowCountDisablesLaunchUntilFixed()
    {
        auto view = compoundView();
        QSignalSpy validity(view.get(), &LauncherView::validityChanged);
        QAbstractItemModel *scales = view->scalesModel();
        QVERIFY(scales->setData(scales->index(1, 0), 3));
        QVERIFY(!view->isLaunchEnabled());
        QVERIFY(!view->findChild<QPushButton *>("launch")->isEnabled());
        QVERIFY2(view->validationMessage().contains("model.connector.scales[1].windows"),
                 qPrintable(view->validationMessage()));
        QVERIFY(view->validationMessage().contains("do not divide the feature grid"));
        QCOMPARE(validity.count(), 1);
        QCOMPARE(validity.takeFirst().at(0).toBool(), false);
        // The cell itself carries the reason.
        QVERIFY(scales->data(scales->index(1, 0), Qt::BackgroundRole).isValid());
        QVERIFY(scales->data(scales->index(1, 0), Qt::ToolTipRole).toString().contains("do not divide"));
        QVERIFY(!scales->data(scales->index(0, 0), Qt::BackgroundRole).isValid());
        QCOMPARE(view->findChild<QTableWidget *>("tokens")->rowCount(), 0);

        QVERIFY(scales->setData(scales->index(1, 0), 4));
        QVERIFY(view->isLaunchEnabled());
        QVERIFY(view->validationMessage().isEmpty());
        QCOMPARE(validity.count(), 1);
        QCOMPARE(validity.takeFirst().at(0).toBool(), true);
        QVERIFY(!scales->data(scales->index(1, 0), Qt::BackgroundRole).isValid());
        QCOMPARE(visualTokensPerStage(view->lastCheck()), (std::vector<int>{0, 32, 320}));
    }

    void invalidStageFieldIsMarked()
    {
        auto view = compoundView();
        auto *lr = view->findChild<QLineEdit *>("stages[1].lr");
        QTest::keyClicks(lr, "x"); // "0.001x"
        QVERIFY(!view->isLaunchEnabled());
        QVERIFY2(view->validationMessage().startsWith("stages[1].lr: "), qPrintable(view->validationMessage()));
        QVERIFY(isMarked(lr));

        QTest::keyClick(lr, Qt::Key_Backspace);
        QVERIFY(view->isLaunchEnabled());
        QVERIFY(!isMarked(lr));
        QCOMPARE(findKey(view->configTree(), "stages")->at(1).at("lr").get<double>(), 1e-3);

        // Windows that no longer divide the grid after a stage's scaling are
        // marked at the factor list.
        auto *window = view->findChild<QLineEdit *>("stages[2].scaling.window");
        window->selectAll();
        QTest::keyClicks(window, "1, 3");
        QVERIFY(!view->isLaunchEnabled());
        QVERIFY2(view->validationMessage().startsWith("stages[2].scaling.window"),
                 qPrintable(view->validationMessage()));
        QVERIFY(isMarked(window));

        window->selectAll();
        QTest::keyClicks(window, "1, 2");
        QVERIFY(view->isLaunchEnabled());
        QVERIFY(!isMarked(window));

        // Training nothing is not a run.
        auto *train = view->findChild<QWidget *>("stages[1].train");
        for (QCheckBox *box : train->findChildren<QCheckBox *>())
            box->setChecked(false);
        QVERIFY(!view->isLaunchEnabled());
        QVERIFY2(view->validationMessage().startsWith("stages[1].train: "), qPrintable(view->validationMessage()));
        QVERIFY(isMarked(train));
    }

    void connectorTypeSwitchesAndComesBack()
    {
        auto view = compoundView();
        auto *type = view->findChild<QComboBox *>("model.connector.type");
        type->setCurrentIndex(type->findData("resampler"));
        emit type->activated(type->currentIndex());
        // The fine-tuning stage's window factors do not apply to one global
        // window: the engine says so at that field.
        QVERIFY(!view->isLaunchEnabled());
        QVERIFY2(view->validationMessage().startsWith("stages[2].scaling.window"),
                 qPrintable(view->validationMessage()));
        auto *window = view->findChild<QLineEdit *>("stages[2].scaling.window");
        window->selectAll();
        QTest::keyClick(window, Qt::Key_Delete);
        QVERIFY2(view->isLaunchEnabled(), qPrintable(view->validationMessage()));
        QCOMPARE(view->scalesModel()->rowCount(), 1);
        // A resampler as large as the first scale; resolution scaling keeps it.
        QCOMPARE(visualTokensPerStage(view->lastCheck()), (std::vector<int>{0, 16, 16}));
        compareWithFacade(*view);

        type->setCurrentIndex(type->findData("chain_of_sight"));
        emit type->activated(type->currentIndex());
        QCOMPARE(view->scalesModel()->rowCount(), 2);
        QCOMPARE(visualTokensPerStage(view->lastCheck()), (std::vector<int>{0, 32, 128}));
    }

    void importedPartsStandInForTheArchitecture()
    {
        // An imported tower's directory as `cos-batch import vision` leaves it
        // (the check reads its config.json; the weights are for the run).
        const QString part = m_dir.filePath("imported-clip");
        QVERIFY(QDir().mkpath(part));
        ModelConfig clip;
        clip.vision.imageSize = 56;
        clip.vision.patchSize = 7;
        clip.vision.width = 24;
        clip.vision.layers = 3;
        clip.vision.heads = 2;
        clip.vision.mlpHidden = 96;
        clip.vision.activation = "quick_gelu";
        const Json config = {{"format", "cos-workbench-pretrained"}, {"version", 1}, {"part", "vision"},
                             {"architecture", "CLIPVisionModel"}, {"source", "/models/clip"},
                             {"vision", clip.toJson().at("vision")}};
        QVERIFY(test::writeFile(part + "/config.json", QByteArray::fromStdString(config.dump())));

        auto view = compoundView();
        const int width = view->lastCheck().resolved.at("model").at("vision").at("width").get<int>();
        QVERIFY(width != 24);
        view->setImports({{2, "vision", "CLIPVisionModel", "/models/clip", part.toStdString(), 1234, 1800000000.0},
                          {1, "lm", "LlamaForCausalLM", "/models/gone", m_dir.filePath("deleted").toStdString(), 99, 1.0}});
        auto *vision = view->findChild<QComboBox *>("model.vision.pretrained");
        auto *lm = view->findChild<QComboBox *>("model.lm.pretrained");
        QCOMPARE(vision->count(), 2);
        QCOMPARE(lm->count(), 1); // its directory is gone: not offered
        QCOMPARE(vision->currentIndex(), 0);

        vision->setCurrentIndex(1);
        emit vision->activated(1);
        QVERIFY2(view->isLaunchEnabled(), qPrintable(view->validationMessage()));
        const Json &tree = view->configTree().at("model").at("vision");
        QCOMPARE(tree.at("pretrained").get<std::string>(), part.toStdString());
        QVERIFY(!tree.contains("width")); // the import's architecture, not the preset's
        const Json resolved = view->lastCheck().resolved.at("model").at("vision");
        QCOMPARE(resolved.at("width").get<int>(), 24);
        QCOMPARE(resolved.at("activation").get<std::string>(), std::string("quick_gelu"));
        QVERIFY(view->configYaml().contains("pretrained: " + part));

        // Back to training it here: the preset's architecture returns.
        vision->setCurrentIndex(0);
        emit vision->activated(0);
        QVERIFY(!view->configTree().at("model").at("vision").contains("pretrained"));
        QCOMPARE(view->lastCheck().resolved.at("model").at("vision").at("width").get<int>(), width);

        // A config naming a part the store does not list still shows it,
        // and one that is not there is refused at its field.
        Json edited = view->configTree();
        edited["model"]["lm"]["pretrained"] = m_dir.filePath("elsewhere").toStdString();
        QVERIFY(view->setConfigText(QString::fromStdString(edited.dump()), "edited.json"));
        QVERIFY2(lm->currentText().contains("elsewhere"), qPrintable(lm->currentText()));
        QVERIFY(!view->isLaunchEnabled());
        QVERIFY2(view->validationMessage().startsWith("model.lm.pretrained"), qPrintable(view->validationMessage()));
    }

    // An imported language model with a tokenizer.model reads the text
    // with it; training the LM here again reads the data set's words.
    void anImportedLanguageModelBringsItsTokenizer()
    {
        const QString part = m_dir.filePath("imported-llama");
        const QString trained = test::hf::writeTokenizerModel(part);
        QVERIFY2(trained.isEmpty(), qPrintable(trained));
        ModelConfig llama;
        llama.lm.vocabSize = test::hf::kTokenizerVocab;
        llama.lm.width = 32;
        llama.lm.heads = 4;
        llama.lm.layers = 2;
        const Json config = {{"format", "cos-workbench-pretrained"}, {"version", 1}, {"part", "lm"},
                             {"architecture", "LlamaForCausalLM"}, {"source", "/models/llama"},
                             {"lm", llama.toJson().at("lm")}};
        QVERIFY(test::writeFile(part + "/config.json", QByteArray::fromStdString(config.dump())));

        auto view = compoundView();
        view->setImports({{1, "lm", "LlamaForCausalLM", "/models/llama", part.toStdString(), 99, 1.0}});
        auto *lm = view->findChild<QComboBox *>("model.lm.pretrained");
        QCOMPARE(lm->count(), 2);
        lm->setCurrentIndex(1);
        emit lm->activated(1);
        QVERIFY2(view->isLaunchEnabled(), qPrintable(view->validationMessage()));
        QCOMPARE(view->configTree().at("data").at("tokenizer").get<std::string>(), std::string("lm"));
        QCOMPARE(QString::fromStdString(view->lastCheck().resolved.at("data").at("tokenizer").get<std::string>()),
                 part + "/tokenizer.model");

        lm->setCurrentIndex(0);
        emit lm->activated(0);
        QVERIFY(!view->configTree().at("data").contains("tokenizer"));
        QVERIFY2(view->isLaunchEnabled(), qPrintable(view->validationMessage()));
    }

    void memoryEstimateWarnsAgainstTheDevice()
    {
        auto view = compoundView();
        auto *tokens = view->findChild<QTableWidget *>("tokens");
        int memory = -1;
        for (int c = 0; c < tokens->columnCount(); ++c)
            if (tokens->horizontalHeaderItem(c)->text() == "Memory")
                memory = c;
        QVERIFY(memory >= 0);
        // The engine's estimate, shown per stage with its parts in the tooltip.
        const StageTokens &finetune = view->lastCheck().stages.at(2);
        QVERIFY(finetune.memoryTotal > 0);
        QCOMPARE(finetune.memoryTotal, finetune.memoryWeights + finetune.memoryGradients + finetune.memoryOptimizer
                                           + finetune.memoryActivations);
        QVERIFY2(tokens->item(2, memory)->text().contains("MiB"), qPrintable(tokens->item(2, memory)->text()));
        QVERIFY(tokens->item(2, memory)->toolTip().contains("activations"));
        QCOMPARE(view->validationMessage(), QString());

        // A device too small: a warning naming the stage, launch still allowed.
        view->setDeviceMemory({{"cpu", 1024 * 1024}});
        QVERIFY(view->isLaunchEnabled());
        QCOMPARE(tokens->item(2, memory)->background().color(), kInvalidColor);
        bool warned = false;
        for (QLabel *label : view->findChildren<QLabel *>())
            warned |= label->text().contains("finetune needs about") && label->text().contains("cpu");
        QVERIFY(warned);
        // Enough memory: no warning.
        view->setDeviceMemory({{"cpu", int64_t(1) << 40}});
        QVERIFY(tokens->item(2, memory)->background() == QBrush());
        for (QLabel *label : view->findChildren<QLabel *>())
            QVERIFY(!label->text().contains("needs about"));
    }

    void saveAndLoadGiveTheSameTreeAndNumbers()
    {
        auto view = compoundView();
        view->scalesModel()->setData(view->scalesModel()->index(1, 0), 2);
        view->findChild<QSpinBox *>("stages[1].batch_size")->setValue(32);
        view->findChild<QSpinBox *>("stages[2].seed")->setValue(7);
        QVERIFY(view->isLaunchEnabled());

        const QString path = m_dir.filePath("edited.yaml");
        QString error;
        QVERIFY2(view->saveYaml(path, &error), qPrintable(error));
        LauncherView loaded;
        QVERIFY2(loaded.loadFile(path, &error), qPrintable(error));
        QVERIFY(loaded.configTree() == view->configTree());
        QCOMPARE(visualTokensPerStage(loaded.lastCheck()), (std::vector<int>{0, 20, 128}));
        QCOMPARE(loaded.findChild<QSpinBox *>("stages[1].batch_size")->value(), 32);
        QCOMPARE(loaded.tokenSummaryText(), view->tokenSummaryText());

        // What a run would read.
        const RunConfig run = RunConfig::load(path.toStdString());
        QCOMPARE(run.stages[1].batchSize, 32);
        QCOMPARE(run.stages[2].seed, uint64_t(7));
    }

    void keysTheFormDoesNotShowSurvive()
    {
        auto view = compoundView();
        view->findChild<QSpinBox *>("stages[1].batch_size")->setValue(32);
        const Json &tree = view->configTree();
        // Keys the engine knows but the form does not edit.
        QCOMPARE(findKey(tree, "stages")->at(1).at("weight_decay").get<double>(), 0.05);
        QCOMPARE(findKey(tree, "stages")->at(1).at("warmup_steps").get<int64_t>(), int64_t(30));
        QCOMPARE(findKey(tree, "model")->find("lm")->at("kv_heads").get<int64_t>(), int64_t(2));
        QVERIFY(findKey(tree, "data")->at("feature_cache").get<bool>());
        // Defaults the form shows are not written into the tree.
        QVERIFY(!findKey(tree.at("stages").at(1), "precision"));
        QVERIFY(!findKey(tree.at("stages").at(1), "seed"));

        // A key the engine does not know survives too (and is reported).
        QString text = QString::fromUtf8(test::readFile(compoundPath()));
        text += "notes: {author: someone, tags: [a, b]}\n";
        QVERIFY(view->setConfigText(text, "with-notes.yaml"));
        QVERIFY(!view->isLaunchEnabled());
        QVERIFY2(view->validationMessage().startsWith("notes: unknown key"), qPrintable(view->validationMessage()));
        view->scalesModel()->setData(view->scalesModel()->index(1, 1), 2);
        const QString path = m_dir.filePath("notes.yaml");
        QVERIFY(view->saveYaml(path));
        const Json back = loadYamlFile(path.toStdString());
        QVERIFY(back == view->configTree());
        QCOMPARE(findKey(back, "notes")->at("author").get<std::string>(), std::string("someone"));
        QCOMPARE(findKey(back, "model")->find("connector")->find("scales")->at(1).at("queries").get<int64_t>(),
                 int64_t(2));
    }

    void theYamlPageEditsTheWholeConfig()
    {
        auto view = compoundView();
        auto *yaml = view->findChild<QPlainTextEdit *>("configYaml");
        auto *tabs = view->findChild<QTabWidget *>("stages");
        QVERIFY(yaml && tabs);
        QVERIFY(parseYaml(yaml->toPlainText().toStdString(), "shown") == view->configTree());
        // The form's edits show in the text.
        view->findChild<QSpinBox *>("stages[1].batch_size")->setValue(32);
        QVERIFY(parseYaml(yaml->toPlainText().toStdString(), "shown") == view->configTree());

        // A stage the form cannot add, and a key it does not show, typed in.
        QString text = yaml->toPlainText();
        text.replace("warmup_steps: 30", "warmup_steps: 45");
        text += "  - {name: finetune-more, kind: finetune, steps: 50, batch_size: 8, lr: 5.0e-4,\n"
                "     train: [connector], resolution: 112}\n";
        yaml->setPlainText(text);
        QTRY_COMPARE(tabs->count(), 4);
        QCOMPARE(tabs->tabText(3), QString("finetune-more"));
        QCOMPARE(findKey(view->configTree(), "stages")->at(1).at("warmup_steps").get<int64_t>(), int64_t(45));
        QCOMPARE(findKey(view->configTree(), "stages")->at(1).at("batch_size").get<int64_t>(), int64_t(32));
        const ConfigCheck typed = checkRunConfigText(text.toStdString(), "typed.yaml");
        QVERIFY2(typed.ok, typed.error.c_str());
        QCOMPARE(visualTokensPerStage(view->lastCheck()), visualTokensPerStage(typed));
        QCOMPARE(visualTokensPerStage(view->lastCheck()).size(), size_t(4));
        QVERIFY2(view->isLaunchEnabled(), qPrintable(view->validationMessage()));
        QCOMPARE(yaml->toPlainText(), text); // left as typed

        // Text that does not parse holds Launch back, says where, and
        // leaves the form as it was.
        yaml->setPlainText(text + "notes: [unclosed\n");
        QTRY_VERIFY(!view->isLaunchEnabled());
        QVERIFY2(QRegularExpression("^the YAML page:\\d+: ").match(view->validationMessage()).hasMatch(),
                 qPrintable(view->validationMessage()));
        QCOMPARE(tabs->count(), 4);
        QSignalSpy launched(view.get(), &LauncherView::launchRequested);
        QTest::mouseClick(view->findChild<QPushButton *>("launch"), Qt::LeftButton);
        QCOMPARE(launched.count(), 0);
        yaml->setPlainText(text);
        QTRY_VERIFY(view->isLaunchEnabled());
        QTest::mouseClick(view->findChild<QPushButton *>("launch"), Qt::LeftButton);
        QCOMPARE(launched.count(), 1);
        QVERIFY(parseYaml(launched.at(0).at(0).toString().toStdString(), "launched") == view->configTree());

        // A stage removed in the text goes from the form.
        yaml->setPlainText(text.left(text.indexOf("  - {name: finetune-more")));
        QTRY_COMPARE(tabs->count(), 3);
    }

    void startsFromPresetsAndStoredConfigs()
    {
        LauncherView view;
        QVERIFY(!view.isLaunchEnabled());
        view.setPresetDirectory(test::sourcePath("configs"));
        auto *preset = view.findChild<QComboBox *>("preset");
        const int quickstart = preset->findText("quickstart.yaml");
        QVERIFY(quickstart >= 0);
        QVERIFY(preset->findText("replica/cos.yaml") >= 0);
        QCOMPARE(preset->currentIndex(), -1);
        preset->setCurrentIndex(quickstart);
        emit preset->activated(quickstart);
        const QString quickstartFile = test::sourcePath("configs/quickstart.yaml");
        const ConfigCheck bundled = checkRunConfigText(test::readFile(quickstartFile).toStdString(), "quickstart.yaml");
        QVERIFY(bundled.ok && !bundled.stages.empty());
        QCOMPARE(view.runName(), QString("quickstart"));
        QCOMPARE(visualTokensPerStage(view.lastCheck()), visualTokensPerStage(bundled));

        // A run stores its resolved config as JSON.
        const Json stored = RunConfig::load(compoundPath().toStdString()).toJson();
        QVERIFY(view.setConfigText(QString::fromStdString(stored.dump(2)), "run 12"));
        QVERIFY2(view.isLaunchEnabled(), qPrintable(view.validationMessage()));
        QCOMPARE(visualTokensPerStage(view.lastCheck()), (std::vector<int>{0, 32, 320}));
        QCOMPARE(view.scalesModel()->rowCount(), 2);

        QString error;
        QVERIFY(!view.setConfigText("name: [unclosed\n", "broken.yaml", &error));
        QVERIFY2(error.startsWith("broken.yaml:"), qPrintable(error));
        QVERIFY(view.isLaunchEnabled()); // the previous config stays
        QVERIFY(!view.loadFile(m_dir.filePath("missing.yaml"), &error));
        QVERIFY(error.contains("missing.yaml"));
    }

    void launchHandsOnTheEditedConfig()
    {
        auto view = compoundView();
        view->setDevices({"cpu", "cuda:0", "cuda:1"});
        auto *device = view->findChild<QComboBox *>("stages[2].device");
        QCOMPARE(device->count(), 3);
        QCOMPARE(device->currentText(), QString("cpu"));
        device->setCurrentIndex(2);
        auto *name = view->findChild<QLineEdit *>("name");
        name->selectAll();
        QTest::keyClicks(name, "wide-finetune");

        QSignalSpy launched(view.get(), &LauncherView::launchRequested);
        QTest::mouseClick(view->findChild<QPushButton *>("launch"), Qt::LeftButton);
        QCOMPARE(launched.count(), 1);
        QCOMPARE(launched.at(0).at(1).toString(), QString("wide-finetune"));
        const Json sent = parseYaml(launched.at(0).at(0).toString().toStdString(), "launched");
        QVERIFY(sent == view->configTree());
        QCOMPARE(findKey(sent, "stages")->at(2).at("device").get<std::string>(), std::string("cuda:1"));
        QCOMPARE(launched.at(0).at(2).toInt(), 1);
        // Data-parallel processes go with the launch.
        view->findChild<QSpinBox *>("processes")->setValue(2);
        QTest::mouseClick(view->findChild<QPushButton *>("launch"), Qt::LeftButton);
        QCOMPARE(launched.count(), 2);
        QCOMPARE(launched.at(1).at(2).toInt(), 2);
        launched.clear();
        // The next launcher (the next session's) starts from the processes chosen last.
        QCOMPARE(LauncherView().processes(), 2);
        view->findChild<QSpinBox *>("processes")->setValue(1);
        QCOMPARE(LauncherView().processes(), 1);

        view->scalesModel()->setData(view->scalesModel()->index(1, 0), 3);
        QTest::mouseClick(view->findChild<QPushButton *>("launch"), Qt::LeftButton);
        QCOMPARE(launched.count(), 0);
    }

    void rendersWithALayout()
    {
        // COS_LAUNCHER_SCREENSHOTS names a folder for the pictures, to look at.
        const QString out = QString::fromLocal8Bit(qgetenv("COS_LAUNCHER_SCREENSHOTS"));
        auto view = compoundView();
        view->resize(view->sizeHint().expandedTo(QSize(1100, 720)));
        view->show();
        view->findChild<QTabWidget *>("stages")->setCurrentIndex(2);
        QPixmap shot = view->grab();
        QVERIFY(!shot.isNull());
        if (!out.isEmpty())
            QVERIFY(shot.save(QDir(out).filePath("launcher.png")));

        QTest::keyClicks(view->findChild<QLineEdit *>("stages[2].lr"), "x");
        QVERIFY(!view->isLaunchEnabled());
        shot = view->grab();
        QVERIFY(!shot.isNull());
        if (!out.isEmpty())
            QVERIFY(shot.save(QDir(out).filePath("launcher-invalid.png")));

        view->findChild<QTabWidget *>("configPages")->setCurrentIndex(1);
        shot = view->grab();
        QVERIFY(!shot.isNull());
        if (!out.isEmpty())
            QVERIFY(shot.save(QDir(out).filePath("launcher-yaml.png")));
    }
};

QTEST_MAIN(TestLauncher)
#include "tst_launcher.moc"

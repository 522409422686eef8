// cos-batch as a user runs it: exit statuses, --json outputs, checkpoints and
// encodings on disk.

#include "HfFixtures.h"
#include "TestSupport.h"

#include "base/Device.h"
#include "base/Json.h"
#include "data/WordTokenizer.h"
#include "io/Safetensors.h"
#include "store/ExperimentStore.h"
#include "train/Trainer.h"

#include <QFile>
#include <QImage>
#include <QDir>
#include <QDirIterator>
#include <QProcess>
#include <QRegularExpression>

#include <opencv2/imgcodecs.hpp>

#include <functional>
#include <set>

#include <signal.h>

using namespace cosw;

namespace {

struct Result {
    int exitCode = -1;
    QString out;
    QString err;
};

Result runProgram(const char *variable, const QStringList &args)
{
    QProcess p;
    p.start(QString::fromLocal8Bit(qgetenv(variable)), args);
    p.waitForFinished(300000);
    Result r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

Result runBatch(const QStringList &args) { return runProgram("COS_BATCH", args); }

// The child of `parent` whose environment holds `entry` (e.g. "RANK=1"); 0 when none does.
pid_t childWithEnvironment(pid_t parent, const QByteArray &entry)
{
    for (const QString &name : QDir("/proc").entryList(QDir::Dirs)) {
        bool number = false;
        const int pid = name.toInt(&number);
        if (!number)
            continue;
        const QByteArray stat = test::readFile("/proc/" + name + "/stat");
        const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
        if (fields.size() < 2 || fields[1].toInt() != parent)
            continue;
        if (test::readFile("/proc/" + name + "/environ").split('\0').contains(entry))
            return pid_t(pid);
    }
    return 0;
}

// Starts `yaml` as two ranks writing `db`, then waits until `ready` holds of
// the store; returns the pid of the rank whose RANK is `rank` (0 on a timeout).
pid_t startTwoRanks(QProcess &ranks, const QString &yaml, const QString &db, int rank,
                    const std::function<bool(ExperimentStore &)> &ready)
{
    ranks.start(QString::fromLocal8Bit(qgetenv("COS_BATCH")),
                {"run", yaml, "--db", db, "--nproc", "2", "--progress", "lines", "--rank-timeout", "60"});
    if (!ranks.waitForStarted())
        return 0;
    for (int wait = 0; wait < 600; ++wait) {
        QTest::qWait(100);
        if (!QFile::exists(db))
            continue;
        ExperimentStore store(db.toStdString());
        if (!ready(store))
            continue;
        if (const pid_t pid = childWithEnvironment(pid_t(ranks.processId()), "RANK=" + QByteArray::number(rank)))
            return pid;
    }
    return 0;
}

// A three-stage compound-scaling run (tests/data/compound.yaml).
QString compoundConfig() { return test::sourcePath("tests/data/compound.yaml"); }

// A store with two finished runs (a baseline and Chain-of-Sight) and a queued one.
void fillStore(const std::string &file)
{
    ExperimentStore store(file);
    auto addRun = [&](const std::string &name, const std::string &connector, std::vector<int> tokens,
                      double pretrainSeconds, std::optional<double> accuracy) {
        Json config = Json::object();
        config["name"] = name;
        config["lr"] = 0.001;
        // The Chain-of-Sight run recorded its BLAS and read tower features from the cache.
        const bool cos = connector == "chain_of_sight";
        const int64_t id =
            store.createRun(name, config.dump(), connector, "cpu", cos ? R"({"blas": "OpenBLAS 0.3.21 Haswell"})" : "{}");
        if (!accuracy)
            return id;
        store.startRun(id);
        for (size_t i = 0; i < tokens.size(); ++i) {
            StageRecord st;
            st.index = static_cast<int>(i);
            st.name = i == 0 ? "pretrain" : "finetune";
            st.kind = st.name;
            st.visualTokens = tokens[i];
            st.tokensPerScale = {tokens[i]};
            st.resolution = 112;
            st.steps = 100;
            st.wallSeconds = i == 0 ? pretrainSeconds : 50.0;
            st.samplesPerSecond = 12.5;
            st.finalLoss = 0.5;
            st.featureCache = cos;
            store.putStage(id, st);
        }
        EvaluationRecord e;
        e.stage = 1;
        e.step = 100;
        e.accuracy = *accuracy;
        e.n = 200;
        e.perType = {{"count", {*accuracy - 0.1, 100}}, {"position", {*accuracy + 0.1, 100}}};
        e.typePrior = 0.4;
        e.shuffledAccuracy = 0.45;
        e.cellReading = 0.625;
        e.cellReadingCells = 1600;
        e.cellReadingPrior = 0.5;
        e.typePriorPerType = {{"count", 0.3}, {"position", 0.5}};
        e.shuffledPerType = {{"count", 0.35}, {"position", 0.55}};
        store.addEvaluation(id, e);
        store.addCheckpoint(id, {1, 100, "/ckpt/" + name + "/final", 0});
        store.endRun(id, RunStatus::Finished);
        return id;
    };
    addRun("baseline", "resampler", {320, 320}, 400.0, 0.80);
    addRun("cos, \"quoted\"", "chain_of_sight", {32, 320}, 100.0, 0.79);
    addRun("waiting", "chain_of_sight", {}, 0, std::nullopt);
}


} // namespace

class TestCli : public QObject {
    Q_OBJECT
public:
    // Before QTest starts: on a CPU OpenBLAS does not know, with the right kernel.
    static void initMain() { cosw::ensureBlasKernel(); }

private:
    QTemporaryDir m_dir;
    QString m_checkpoint;
    QString m_image;

private slots:
    void initTestCase()
    {
        QVERIFY(!qgetenv("COS_BATCH").isEmpty());
        // An image with structure: a bright square in one corner.
        cv::Mat img(100, 100, CV_8UC3, cv::Scalar(20, 20, 20));
        img(cv::Rect(0, 0, 40, 40)).setTo(cv::Scalar(250, 200, 100));
        m_image = m_dir.filePath("item.png");
        QVERIFY(cv::imwrite(m_image.toStdString(), img));
        m_checkpoint = m_dir.filePath("init");
        const Result r = runBatch({"init", compoundConfig(), "--out", m_checkpoint, "--seed", "3"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(QFile::exists(m_checkpoint + "/model.safetensors"));
        // A checkpoint handed over from elsewhere may carry LibTorch archives,
        // which can run code when loaded: the commands that take --checkpoint
        // (scale, attention, encode) read its safetensors only, so these
        // would fail every test below if anything loaded them.
        for (const char *archive : {"/optimizer.pt", "/rng.pt"})
            QVERIFY(test::writeFile(m_checkpoint + archive, "not a LibTorch archive"));
        QVERIFY(QFile::exists(m_checkpoint + "/config.json"));
    }

    void versionAndUsage()
    {
        Result r = runBatch({"--version"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith("cos-batch "), qPrintable(r.out));
        // The BLAS line names the library and the kernel the products run on.
        QVERIFY2(r.out.contains("\nBLAS: "), qPrintable(r.out));
        if (r.out.contains("OpenBLAS"))
            QVERIFY2(r.out.contains("(kernel "), qPrintable(r.out));
        QCOMPARE(runBatch({}).exitCode, 2);
        QCOMPARE(runBatch({"frobnicate"}).exitCode, 2);
        QCOMPARE(runBatch({"inspect"}).exitCode, 2);
        QCOMPARE(runBatch({"inspect", compoundConfig(), "--bogus"}).exitCode, 2);
    }

    void inspectJsonReportsTokensPerStage()
    {
        const Result r = runBatch({"inspect", compoundConfig(), "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json j = parseJson(r.out.toStdString());
        const Json &p = j.at("parameters");
        QVERIFY(p.at("vision").get<int64_t>() > 0);
        QVERIFY(p.at("connector").get<int64_t>() > 0);
        QVERIFY(p.at("lm").get<int64_t>() > 0);
        QCOMPARE(p.at("total").get<int64_t>(),
                 p.at("vision").get<int64_t>() + p.at("connector").get<int64_t>() + p.at("lm").get<int64_t>());

        // Stage 0 trains the vision tower at the pre-training resolution.
        const Json &stages = j.at("stages");
        QCOMPARE(stages.size(), size_t(3));
        QCOMPARE(stages[0].at("name").get<std::string>(), std::string("vision"));
        QCOMPARE(stages[1].at("name").get<std::string>(), std::string("pretrain"));
        QCOMPARE(stages[1].at("resolution").get<int64_t>(), 56);
        QCOMPARE(stages[1].at("grid").get<int64_t>(), 8);
        QCOMPARE(stages[1].at("visual_tokens").get<int64_t>(), 32);
        QCOMPARE(stages[2].at("resolution").get<int64_t>(), 112);
        QCOMPARE(stages[2].at("grid").get<int64_t>(), 16);
        QCOMPARE(stages[2].at("visual_tokens").get<int64_t>(), 320);
        const Json &scales = stages[2].at("scales");
        QCOMPARE(scales.size(), size_t(2));
        QCOMPARE(scales[0].at("windows").get<int64_t>(), 2);
        QCOMPARE(scales[0].at("queries").get<int64_t>(), 16);
        QCOMPARE(scales[0].at("tokens").get<int64_t>(), 64);
        QCOMPARE(scales[1].at("windows").get<int64_t>(), 16);
        QCOMPARE(scales[1].at("tokens").get<int64_t>(), 256);

        // Memory per stage: the parts add up; fp32 weights of the model as
        // configured, then of the scaled one (its larger position table).
        for (size_t i = 0; i < stages.size(); ++i) {
            const Json &m = stages[i].at("memory");
            QCOMPARE(m.at("total").get<int64_t>(), m.at("weights").get<int64_t>() + m.at("gradients").get<int64_t>()
                                                       + m.at("optimizer").get<int64_t>() + m.at("activations").get<int64_t>());
            if (i < 2)
                QCOMPARE(m.at("weights").get<int64_t>(), p.at("total").get<int64_t>() * 4);
            else
                QVERIFY(m.at("weights").get<int64_t>() > p.at("total").get<int64_t>() * 4);
        }

        const Result table = runBatch({"inspect", compoundConfig()});
        QCOMPARE(table.exitCode, 0);
        QVERIFY2(table.out.contains("finetune") && table.out.contains("320"), qPrintable(table.out));
        QVERIFY2(table.out.contains("memory per stage") && table.out.contains("MiB"), qPrintable(table.out));
    }

    // A text stage trains the language model on text alone: no image, so
    // no resolution and no visual tokens, in the JSON and in the table; a
    // vision stage trains the tower on images and makes no tokens either.
    void inspectShowsStagesWithoutTokens()
    {
        const QString quickstart = test::sourcePath("configs/quickstart.yaml");
        const Result r = runBatch({"inspect", quickstart, "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json stages = parseJson(r.out.toStdString()).at("stages");
        QCOMPARE(stages[1].at("kind").get<std::string>(), std::string("text"));
        QCOMPARE(stages[1].at("visual_tokens").get<int64_t>(), 0);
        QCOMPARE(stages[1].at("resolution").get<int64_t>(), 0);
        QVERIFY(stages[1].at("scales").empty());
        QCOMPARE(stages[3].at("kind").get<std::string>(), std::string("pretrain"));
        QCOMPARE(stages[3].at("visual_tokens").get<int64_t>(), 32);
        // The vision stage sees images, at the tower's resolution, and makes no tokens.
        QCOMPARE(stages[0].at("kind").get<std::string>(), std::string("vision"));
        QCOMPARE(stages[0].at("visual_tokens").get<int64_t>(), 0);
        QCOMPARE(stages[0].at("resolution").get<int64_t>(), 56);
        QVERIFY(stages[0].at("scales").empty());
        const Result table = runBatch({"inspect", quickstart});
        QCOMPARE(table.exitCode, 0);
        const QStringList rows = table.out.split('\n').filter(QRegularExpression("^  text-short "));
        QCOMPARE(rows.size(), 1);
        QVERIFY2(rows[0].contains("text only, no image") && !rows[0].contains("56"), qPrintable(rows[0]));
        const QStringList vision = table.out.split('\n').filter("the vision tower alone");
        QCOMPARE(vision.size(), 1);
        QVERIFY2(vision[0].startsWith("  vision ") && vision[0].contains(" 56 "), qPrintable(vision[0]));
    }

    void templatesTrainAndEvaluateEndToEnd()
    {
        // The small run fine-tuned and evaluated in LLaVA's vicuna_v1 template.
        const QString root = m_dir.filePath("templates");
        QVERIFY(QDir().mkpath(root));
        QString yaml = test::smallRunConfig(m_dir.filePath("sweep-data"), 4);
        yaml.replace("  - {name: vision, kind: vision, steps: 10, batch_size: 8, lr: 2.0e-3, train: [vision]}\n", "");
        yaml.replace("scaling: {resolution: 2, window: [1, 2]}}", "template: vicuna_v1, steps: 4}");
        yaml.replace("steps: 20, batch_size", "batch_size");
        const QString config = root + "/run.yaml";
        QVERIFY(test::writeFile(config, yaml.toUtf8()));
        const QString db = root + "/store.sqlite";
        Result r = runBatch({"run", config, "--db", db, "--progress", "lines"});
        QVERIFY2(r.exitCode == 0, qPrintable(yaml + r.out + r.err));
        const std::vector<RunRecord> runs = ExperimentStore(db.toStdString()).runs();
        QCOMPARE(runs.size(), size_t(1));
        QCOMPARE(runs[0].status, RunStatus::Finished);
        const Json stored = parseJson(runs[0].config);
        QCOMPARE(stored.at("stages").at(1).at("template").get<std::string>(), std::string("vicuna_v1"));
        QCOMPARE(stored.at("stages").at(0).at("template").get<std::string>(), std::string("default"));
        const RunDetail detail = ExperimentStore(db.toStdString()).run(runs[0].id);
        QVERIFY(detail.finalEvaluation && detail.finalEvaluation->n > 0);

        // A template nobody knows is refused before anything is stored.
        r = runBatch({"run", config, "--db", db, "--set", "stages[1].template=chatml"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("stages[1].template"), qPrintable(r.err));
        QCOMPARE(ExperimentStore(db.toStdString()).runs().size(), size_t(1));
        // So is it when the run is only queued; ranks are chosen when it starts.
        r = runBatch({"run", config, "--db", db, "--queue", "--set", "stages[1].template=chatml"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("stages[1].template"), qPrintable(r.err));
        r = runBatch({"run", config, "--db", db, "--queue", "--nproc", "2"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--nproc"), qPrintable(r.err));
        QCOMPARE(ExperimentStore(db.toStdString()).runs().size(), size_t(1));

        // A queued run waits in the store, listed, until resume starts it.
        r = runBatch({"run", config, "--db", db, "--queue", "--name", "later", "--progress", "json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json queued = parseJson(r.out.trimmed().split('\n').last().toStdString());
        QCOMPARE(queued.at("queued").get<bool>(), true);
        const int64_t later = queued.at("run_id").get<int64_t>();
        QCOMPARE(ExperimentStore(db.toStdString()).run(later).run.status, RunStatus::Queued);
        r = runBatch({"list", "--db", db});
        QVERIFY2(r.out.contains(QRegularExpression(QString(" %1 +later +queued ").arg(later))), qPrintable(r.out));
        r = runBatch({"resume", QString::number(later), "--db", db, "--progress", "lines"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("starting the queued run"), qPrintable(r.out));
        const RunDetail started = ExperimentStore(db.toStdString()).run(later);
        QCOMPARE(started.run.status, RunStatus::Finished);
        QVERIFY(started.finalEvaluation && started.finalEvaluation->n > 0);
    }

    void paperTokenSettingsPlanWithoutBuildingTheModel()
    {
        // The paper's settings on CLIP-L/14 + 7B: planned, and not timed on
        // a machine that cannot hold the model.
        const QString db = m_dir.filePath("paper.sqlite");
        const Result r = runBatch({"sweep", test::sourcePath("configs/paper/cos-clip-l-7b.yaml"), "--variants",
                                   test::sourcePath("configs/paper/token-settings.yaml"), "--dry-run", "--json",
                                   "--db", db});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json plan = parseJson(r.out.toStdString());
        const Json &variants = plan.is_array() ? plan : plan.at("variants");
        std::map<std::string, std::string> tokens;
        for (const Json &v : variants)
            tokens[v.at("label").get<std::string>()] = v.at("tokens").get<std::string>();
        QCOMPARE(tokens.size(), size_t(5));
        QVERIFY2(tokens.at("pre80-ft336").find("336") != std::string::npos, tokens.at("pre80-ft336").c_str());
        QVERIFY2(tokens.at("pre80-ft528").find("528") != std::string::npos, tokens.at("pre80-ft528").c_str());
        QVERIFY2(tokens.at("pre80-ft1296").find("80") != std::string::npos
                     && tokens.at("pre80-ft1296").find("1296") != std::string::npos,
                 tokens.at("pre80-ft1296").c_str());
        QVERIFY2(tokens.at("pre32-ft528").find("32") != std::string::npos, tokens.at("pre32-ft528").c_str());
        QVERIFY2(tokens.at("pre32-ft1296").find("1296") != std::string::npos, tokens.at("pre32-ft1296").c_str());
    }

    void inspectBadConfigExitsTwoNamingTheKey()
    {
        QString text = QString::fromUtf8(test::readFile(compoundConfig()));
        text.replace("{windows: 4, queries: 1}", "{windows: 5, queries: 1}");
        const QString path = m_dir.filePath("bad.yaml");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text.toUtf8());
        f.close();
        const Result r = runBatch({"inspect", path, "--json"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("bad.yaml:") && r.err.contains("model.connector.scales[1].windows"), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void initRefusesToOverwrite()
    {
        const QByteArray before = test::readFile(m_checkpoint + "/model.safetensors");
        const Result r = runBatch({"init", compoundConfig(), "--out", m_checkpoint, "--seed", "4"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("already exists"), qPrintable(r.err));
        QCOMPARE(test::readFile(m_checkpoint + "/model.safetensors"), before);
    }

    void initIsDeterministicForASeed()
    {
        const QString again = m_dir.filePath("init-again");
        QCOMPARE(runBatch({"init", compoundConfig(), "--out", again, "--seed", "3"}).exitCode, 0);
        QCOMPARE(test::readFile(again + "/model.safetensors"), test::readFile(m_checkpoint + "/model.safetensors"));
    }

    void encodeWritesFeaturesTokensAndAttention()
    {
        const QString out = m_dir.filePath("enc.safetensors");
        const Result r = runBatch({"encode", "--checkpoint", m_checkpoint, "--image", m_image, "--out", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const StateDict t = readSafetensors(out.toStdString());
        QCOMPARE(t.at("features").sizes().vec(), (std::vector<int64_t>{8, 8, 128}));
        QCOMPARE(t.at("visual_tokens").sizes().vec(), (std::vector<int64_t>{32, 256}));
        QCOMPARE(t.at("attention.0").sizes().vec(), (std::vector<int64_t>{16, 8, 8}));
        QCOMPARE(t.at("attention.1").sizes().vec(), (std::vector<int64_t>{16, 8, 8}));
        // Every token's attention is a distribution over the grid.
        for (const char *name : {"attention.0", "attention.1"}) {
            auto sums = t.at(name).sum({1, 2});
            QVERIFY(torch::allclose(sums, torch::ones_like(sums), 1e-4, 1e-5));
        }
        // Local-scale token 5 is window (1, 1) of 4x4: cells rows 2-3, cols 2-3 only.
        auto map = t.at("attention.1")[5];
        QCOMPARE(map.slice(0, 2, 4).slice(1, 2, 4).sum().item<float>(), map.sum().item<float>());
        QCOMPARE(map.slice(0, 0, 2).abs().sum().item<float>(), 0.0f);
    }

    void encodeAtHigherResolutionScalesTheModel()
    {
        const QString out = m_dir.filePath("enc112.safetensors");
        const Result r = runBatch({"encode", "--checkpoint", m_checkpoint, "--image", m_image, "--out", out,
                                   "--resolution", "112"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const StateDict t = readSafetensors(out.toStdString());
        QCOMPARE(t.at("features").sizes().vec(), (std::vector<int64_t>{16, 16, 128}));
        QCOMPARE(t.at("visual_tokens").size(0), int64_t(64 + 64));
        QCOMPARE(t.at("attention.0").sizes().vec(), (std::vector<int64_t>{64, 16, 16}));

        const Result bad = runBatch({"encode", "--checkpoint", m_checkpoint, "--image", m_image, "--out", out,
                                     "--resolution", "150"});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("--resolution 150"), qPrintable(bad.err));
    }

    void metricsGivesEverySeriesAsLogged()
    {
        const QString db = m_dir.filePath("metrics.sqlite");
        int64_t id = 0;
        {
            ExperimentStore store(db.toStdString());
            id = store.createRun("series", "{}", "chain_of_sight", "cpu", "{}");
            store.startRun(id);
            StageRecord pretrain;
            pretrain.index = 1;
            pretrain.name = "pretrain";
            pretrain.kind = "pretrain";
            pretrain.steps = 2;
            store.putStage(id, pretrain);
            // Steps restart in every stage; stage 2 is still running, named by its progress.
            store.addMetrics(id, {{1, 1, "loss", 2.5, 100.0},
                                  {1, 1, "lr", 0.001, 100.0},
                                  {1, 2, "loss", 1.25, 101.5},
                                  {1, 2, "lr", 0.002, 101.5},
                                  {1, 2, "eval_accuracy", 0.5, 102.0},
                                  {2, 1, "loss", 0.75, 110.0},
                                  {2, 1, "lr", 0.001, 110.0}});
            store.setProgress(id, RunProgress{2, 3, "sft, \"scaled\"", false, 1, 10, std::nullopt, 110});
        }
        const QString run = QString::number(id);
        const QString csv = "stage,stage_name,step,time,eval_accuracy,loss,lr\n"
                            "1,pretrain,1,100,,2.5,0.001\n"
                            "1,pretrain,2,101.5,0.5,1.25,0.002\n"
                            "2,\"sft, \"\"scaled\"\"\",1,110,,0.75,0.001\n";
        Result r = runBatch({"metrics", run, "--db", db});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out, csv);
        const QString file = m_dir.filePath("series.csv");
        QCOMPARE(runBatch({"metrics", run, "--db", db, "--out", file}).exitCode, 0);
        QCOMPARE(QString::fromUtf8(test::readFile(file)), csv);

        // The metrics asked for, in that order; null where one was not logged.
        r = runBatch({"metrics", run, "--db", db, "--name", "lr", "--name", "eval_accuracy", "--format", "json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json rows = parseJson(r.out.toStdString());
        QCOMPARE(rows.size(), size_t(3));
        QCOMPARE(rows[0].at("lr").get<double>(), 0.001);
        QVERIFY(rows[0].at("eval_accuracy").is_null() && !rows[0].contains("loss"));
        QCOMPARE(rows[1].at("eval_accuracy").get<double>(), 0.5);
        QCOMPARE(rows[2].at("stage_name").get<std::string>(), std::string("sft, \"scaled\""));
        QCOMPARE(rows[2].at("step").get<int64_t>(), 1);

        // A metric the run never logged, a run that does not exist: exit 2, named.
        r = runBatch({"metrics", run, "--db", db, "--name", "accuracy"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("logged no metric accuracy (it logged: eval_accuracy, loss, lr)"), qPrintable(r.err));
        r = runBatch({"metrics", "99", "--db", db});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("no run 99 in " + db), qPrintable(r.err));
    }

    void showAndListSayWhereARunIsOrStopped()
    {
        const QString db = m_dir.filePath("progress.sqlite");
        int64_t running = 0, stopped = 0;
        {
            ExperimentStore store(db.toStdString());
            // Stage 3 of 0-4, step 120 of 450, still far from its end whenever the test runs.
            RunProgress p{3, 5, "pretrain", false, 120, 450, 1e6, unixNow()};
            running = store.createRun("running", "{}", "chain_of_sight", "cpu", "{}");
            store.startRun(running);
            store.setProgress(running, p);
            stopped = store.createRun("stopped", "{}", "chain_of_sight", "cpu", "{}");
            store.startRun(stopped);
            p.evaluating = true;
            p.step = 300;
            p.totalSteps = 1200;
            p.etaSeconds.reset();
            store.setProgress(stopped, p);
            store.endRun(stopped, RunStatus::Interrupted, "stopped by a signal");
        }
        Result r = runBatch({"show", QString::number(running), "--db", db});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("now: stage 3 pretrain (4 of 5): step 120 of 450, about "), qPrintable(r.out));
        QVERIFY2(r.out.contains(" left in the stage\n"), qPrintable(r.out));
        r = runBatch({"show", QString::number(stopped), "--db", db});
        QVERIFY2(r.out.contains("stopped: evaluating stage 3 pretrain (4 of 5): 300 of 1200 answers\n"), qPrintable(r.out));
        const Json progress = parseJson(runBatch({"show", QString::number(stopped), "--db", db, "--json"}).out.toStdString())
                                  .at("progress");
        QCOMPARE(progress.at("step").get<int64_t>(), 300);
        QCOMPARE(progress.at("evaluating").get<bool>(), true);
        QVERIFY(progress.at("eta_s").is_null());

        // The run list says it too, by the status.
        r = runBatch({"list", "--db", db});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(" running · pretrain 120/450 "), qPrintable(r.out));
        QVERIFY2(r.out.contains(" interrupted · evaluating 300/1200 "), qPrintable(r.out));
    }

    void listShowExportReadTheStore()
    {
        const QString db = m_dir.filePath("store/runs.sqlite"); // the directory is created
        fillStore(db.toStdString());

        Result r = runBatch({"list", "--db", db, "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json runs = parseJson(r.out.toStdString());
        QCOMPARE(runs.size(), size_t(3));
        QCOMPARE(runs.at(1).at("name").get<std::string>(), std::string("cos, \"quoted\""));
        QCOMPARE(runs.at(2).at("status").get<std::string>(), std::string("queued"));

        r = runBatch({"list", "--db", db, "--status", "finished", "--connector", "chain_of_sight"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("cos, \"quoted\"") && !r.out.contains("baseline"), qPrintable(r.out));

        {
            // Evaluations before the last: the vision tower's held-out cells
            // (stored after the run's last evaluation, as a tower's is when a
            // stage is shared later) and one during fine-tuning.
            ExperimentStore store(db.toStdString());
            EvaluationRecord tower;
            tower.stage = 0;
            tower.step = 600;
            tower.n = 4800;
            tower.perType = {{towerCellsType(56), {0.92, 4800}}, {towerCellsType(112), {0.9025, 4800}}};
            tower.accuracy = (0.92 + 0.9025) / 2;
            store.addEvaluation(2, tower);
            EvaluationRecord midway;
            midway.stage = 1;
            midway.step = 50;
            midway.accuracy = 0.7;
            midway.n = 200;
            midway.typePrior = 0.4;
            midway.shuffledAccuracy = 0.5;
            midway.cellReading = 0.55;
            midway.cellReadingCells = 1600;
            midway.cellReadingPrior = 0.5;
            store.addEvaluation(2, midway);
            // A text stage of the baseline whose language model came from the stage cache.
            StageRecord words;
            words.index = 2;
            words.name = "words";
            words.kind = "text";
            words.fromCache = true;
            store.putStage(1, words);
            store.addArtifact(2, {"attention-map", "/maps/cos/scale-0.png", "scale 0, image 3", 0});
            store.addArtifact(2, {"report", "/reports/cos.md", "", 0});
        }
        r = runBatch({"show", "2", "--db", db, "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json run = parseJson(r.out.toStdString());
        QCOMPARE(run.at("id").get<int64_t>(), 2);
        QCOMPARE(run.at("status").get<std::string>(), std::string("finished"));
        QCOMPARE(findKey(run, "config")->at("lr").get<double>(), 0.001);
        const Json &stages = run.at("stages");
        QCOMPARE(stages.size(), size_t(2));
        QCOMPARE(stages[0].at("visual_tokens").get<int64_t>(), 32);
        QCOMPARE(stages[0].at("wall_seconds").get<double>(), 100.0);
        QCOMPARE(stages[1].at("samples_per_second").get<double>(), 12.5);
        QCOMPARE(stages[1].at("final_loss").get<double>(), 0.5);
        QCOMPARE(findKey(run, "eval")->at("accuracy").get<double>(), 0.79);
        QCOMPARE(findKey(run, "eval")->find("per_type")->at("position").get<double>(), 0.79 + 0.1);
        QCOMPARE(findKey(run, "eval")->at("type_prior").get<double>(), 0.4);
        QCOMPARE(findKey(run, "eval")->at("shuffled_accuracy").get<double>(), 0.45);
        QCOMPARE(findKey(run, "eval")->at("standard_error").get<double>(), std::sqrt(0.79 * 0.21 / 200));
        const Json &count = findKey(run, "eval")->at("per_type_detail").at("count");
        QCOMPARE(count.at("n").get<int64_t>(), 100);
        QCOMPARE(count.at("type_prior").get<double>(), 0.3);
        QCOMPARE(count.at("shuffled_accuracy").get<double>(), 0.35);
        QCOMPARE(run.at("checkpoints").at(0).get<std::string>(), std::string("/ckpt/cos, \"quoted\"/final"));
        // The last evaluation is the final one whatever was stored after it;
        // the others come by stage and step.
        QCOMPARE(findKey(run, "eval")->at("step").get<int64_t>(), 100);
        const Json &earlier = run.at("earlier_evals");
        QCOMPARE(earlier.size(), size_t(2));
        QCOMPARE(earlier[0].at("stage").get<int>(), 0);
        QCOMPARE(earlier[0].at("per_type").at("cells@56px").get<double>(), 0.92);
        QCOMPARE(earlier[1].at("step").get<int64_t>(), 50);
        QCOMPARE(earlier[1].at("standard_error").get<double>(), std::sqrt(0.7 * 0.3 / 200));
        QCOMPARE(earlier[1].at("type_prior").get<double>(), 0.4);
        const Json shown3 = parseJson(runBatch({"show", "3", "--db", db, "--json"}).out.toStdString());
        QVERIFY(shown3.find("eval")->is_null() && shown3.at("earlier_evals").empty());

        r = runBatch({"show", "2", "--db", db});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("accuracy 0.7900 ± 0.0288 on 200 samples; image-blind controls: type prior 0.4000, "
                                "shuffled images 0.4500"),
                 qPrintable(r.out));
        // Each earlier evaluation under its stage's line.
        const QStringList shownLines = r.out.split('\n');
        const auto lineAfter = [&shownLines](const QString &start) {
            for (int i = 0; i + 1 < shownLines.size(); ++i)
                if (shownLines[i].trimmed().startsWith(start))
                    return shownLines[i + 1].trimmed();
            return QString();
        };
        QCOMPARE(lineAfter("stage 0 "), QString("held-out cells 0.9200 at 56 px, 0.9025 at 112 px (4800 cells each)"));
        // An earlier evaluation with its controls, as the last one: a number without them is no result.
        QCOMPARE(lineAfter("stage 1 "), QString("step 50: accuracy 0.7000 ± 0.0324 on 200 samples; image-blind controls: "
                                                "type prior 0.4000, shuffled images 0.5000"));
        QCOMPARE(lineAfter("step 50: "), QString("cell reading 0.5500 of 1600 cells; image-blind control 0.5000"));
        // A stage's speed, and whether its time leaves the tower out; what was made from the run.
        QVERIFY2(r.out.contains(QRegularExpression("stage 1 finetune .* loss 0.5000  12.5 samples/s  tower features cached\n")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains("  artifact attention-map: /maps/cos/scale-0.png (scale 0, image 3)\n"), qPrintable(r.out));
        QVERIFY2(r.out.contains("  artifact report: /reports/cos.md\n"), qPrintable(r.out));
        // A stage taken from the cache says so instead of "0 steps".
        r = runBatch({"show", "1", "--db", db});
        QCOMPARE(r.exitCode, 0);
        const QStringList baselineLines = r.out.split('\n');
        const auto cachedLine = std::find_if(baselineLines.begin(), baselineLines.end(), [](const QString &line) {
            return line.trimmed().startsWith("stage 2 words");
        });
        QVERIFY2(cachedLine != baselineLines.end(), qPrintable(r.out));
        QVERIFY2(cachedLine->endsWith("- px  from the stage cache, nothing trained"), qPrintable(*cachedLine));
        QVERIFY2(r.out.contains("12.5 samples/s\n") && !r.out.contains("tower features cached"), qPrintable(r.out));
        const Json baselineStages = parseJson(runBatch({"show", "1", "--db", db, "--json"}).out.toStdString()).at("stages");
        QCOMPARE(baselineStages.at(2).at("from_cache").get<bool>(), true);
        QCOMPARE(baselineStages.at(0).at("from_cache").get<bool>(), false);

        r = runBatch({"show", "42", "--db", db});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("no run 42 in " + db), qPrintable(r.err));

        const QString csv = m_dir.filePath("comparison.csv");
        r = runBatch({"export", "--db", db, "--format", "csv", "--out", csv});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList lines = QString::fromUtf8(test::readFile(csv)).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines[0], QString("run_id,name,status,connector,visual_tokens,pretrain_seconds,finetune_seconds,"
                                   "accuracy,accuracy_se,type_prior,shuffled_accuracy,cell_reading,cell_reading_prior,pareto,feature_cache,"
                                   "blas,accuracy_count,accuracy_position"));
        // The standard error is sqrt(0.79 * 0.21 / 200).
        QCOMPARE(lines[2], QString("2,\"cos, \"\"quoted\"\"\",finished,chain_of_sight,pretrain=32;finetune=320,100,50,0.79,"
                                   "0.02880104165,0.4,0.45,0.625,0.5,true,pretrain;finetune,OpenBLAS 0.3.21 Haswell,0.69,0.89"));
        // Both finished runs are on the front: one is faster, the other more accurate.
        QVERIFY(lines[1].contains(",true,"));
        QVERIFY(lines[3].startsWith("3,waiting,queued") && lines[3].contains(",false"));

        r = runBatch({"export", "--db", db, "--format", "json"});
        QCOMPARE(r.exitCode, 0);
        const Json table = parseJson(r.out.toStdString());
        QCOMPARE(table.at(1).at("pretrain_seconds").get<double>(), 100.0);
        QCOMPARE(table.at(1).at("feature_cache"), Json({"pretrain", "finetune"}));
        QCOMPARE(table.at(1).at("blas").get<std::string>(), std::string("OpenBLAS 0.3.21 Haswell"));
        QVERIFY(table.at(0).at("feature_cache").empty() && table.at(0).at("blas").get<std::string>().empty());
        QCOMPARE(findKey(table.at(1), "visual_tokens")->at("finetune").get<int64_t>(), 320);

        QCOMPARE(runBatch({"export", "--db", db, "--format", "xml"}).exitCode, 2);
    }

    void storeFaultsExitWithTheFileNamed()
    {
        const QString notDb = m_dir.filePath("notes.txt");
        QFile f(notDb);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("these are my notes, not a database\n");
        f.close();
        const QByteArray before = test::readFile(notDb);
        Result r = runBatch({"list", "--db", notDb});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(notDb) && r.err.contains("not a SQLite database"), qPrintable(r.err));
        QCOMPARE(test::readFile(notDb), before);

        // The database path lies under a regular file: its directory cannot exist.
        const QString impossible = notDb + "/runs.sqlite";
        r = runBatch({"list", "--db", impossible});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(impossible), qPrintable(r.err));

        // COS_DB picks the database when --db is absent.
        const QString viaEnv = m_dir.filePath("env/experiments.sqlite");
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("COS_DB", viaEnv);
        p.setProcessEnvironment(env);
        p.start(QString::fromLocal8Bit(qgetenv("COS_BATCH")), {"list"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(QFile::exists(viaEnv));
    }

    // The engine-only benchmark: its options, its refusals and its one JSON line.
    void engineBenchmarkRunsAndRefusesBadOptions()
    {
        const Result help = runProgram("COS_ENGINEBENCH", {"--help"});
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.contains("--text-tokens") && help.out.contains("--dtype"), qPrintable(help.out));

        const QString config = test::sourcePath("configs/engine/small.json");
        for (const QStringList &bad : {QStringList{}, QStringList{"--config", "/nonexistent.json"},
                                       QStringList{"--config", config, "--steps", "0"},
                                       QStringList{"--config", config, "--dtype", "fp16"},
                                       QStringList{"--config", config, "--text-tokens", "2"},
                                       QStringList{"--config", config, "--frobnicate", "1"}}) {
            const Result r = runProgram("COS_ENGINEBENCH", bad);
            QVERIFY2(r.exitCode == 2, qPrintable(bad.join(' ') + ": " + QString::number(r.exitCode) + " " + r.err));
        }
        const Result wrongDevice = runProgram("COS_ENGINEBENCH", {"--config", config, "--device", "tpu"});
        QVERIFY2(wrongDevice.exitCode == 2 && wrongDevice.err.contains("tpu"), qPrintable(wrongDevice.err));

        const Result devices = runProgram("COS_ENGINEBENCH", {"--devices"});
        QCOMPARE(devices.exitCode, 0);
        QCOMPARE(QString::fromStdString(parseJson(devices.out.toStdString()).at(0).at("id").get<std::string>()),
                 QString("cpu"));

        const Result step = runProgram("COS_ENGINEBENCH", {"--config", config, "--steps", "1", "--warmup", "0",
                                                            "--batch", "1", "--dtype", "fp32", "--threads", "1"});
        QVERIFY2(step.exitCode == 0, qPrintable(step.err));
        const Json row = parseJson(step.out.toStdString());
        QCOMPARE(row.at("dtype").get<std::string>(), std::string("fp32"));
        QCOMPARE(row.at("threads").get<int64_t>(), int64_t(1));
        QCOMPARE(row.at("steps").get<int64_t>(), int64_t(1));
        QVERIFY(row.at("step_time_median_s").get<double>() > 0);
        QVERIFY(row.at("parameters").get<int64_t>() > 0);
    }

    void benchConnectorWritesAWellFormedReport()
    {
        const Result r = runBatch({"bench", "connector", "--quick", "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json rows = parseJson(r.out.toStdString());
        QVERIFY(rows.is_array() && rows.size() >= 1);
        for (const Json &row : rows) {
            for (const char *key : {"grid", "windows", "queries", "batch"})
                QVERIFY2(row.contains(key) && row.at(key).is_number_integer() && row.at(key).get<int64_t>() > 0, key);
            for (const char *key : {"batched_ms", "loop_ms", "global_ms"})
                QVERIFY2(row.contains(key) && row.at(key).is_number() && row.at(key).get<double>() > 0, key);
        }
        QCOMPARE(runBatch({"bench", "connector", "--device", "cuda"}).exitCode, 2);

        const Result step = runBatch({"bench", "step", test::sourcePath("configs/engine/small.json"), "--steps", "1",
                                      "--batch", "1", "--json"});
        QVERIFY2(step.exitCode == 0, qPrintable(step.err));
        const Json steps = parseJson(step.out.toStdString());
        QCOMPARE(steps.size(), size_t(1));
        const Json &row = steps.at(0);
        for (const char *key : {"step_time_median_s", "samples_per_s", "flops_per_step", "achieved_flops_per_s",
                                "gemm_peak_flops_per_s", "fraction_of_peak"})
            QVERIFY2(row.contains(key) && row.at(key).get<double>() > 0, key);
        QCOMPARE(runBatch({"bench"}).exitCode, 2);
    }

    void encodeBadInputsExitTwoNamingTheFile()
    {
        const QString out = m_dir.filePath("never.safetensors");
        const QString corrupt = m_dir.filePath("corrupt.png");
        QFile f(corrupt);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("\x89PNG\r\n\x1a\n not really a png");
        f.close();
        Result r = runBatch({"encode", "--checkpoint", m_checkpoint, "--image", corrupt, "--out", out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(corrupt), qPrintable(r.err));

        r = runBatch({"encode", "--checkpoint", m_dir.filePath("nope"), "--image", m_image, "--out", out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("nope"), qPrintable(r.err));

        // A truncated weights file is refused with its name.
        const QString broken = m_dir.filePath("broken");
        QVERIFY(QDir().mkpath(broken));
        QFile::copy(m_checkpoint + "/config.json", broken + "/config.json");
        const QByteArray weights = test::readFile(m_checkpoint + "/model.safetensors");
        QFile w(broken + "/model.safetensors");
        QVERIFY(w.open(QIODevice::WriteOnly));
        w.write(weights.left(weights.size() / 2));
        w.close();
        r = runBatch({"encode", "--checkpoint", broken, "--image", m_image, "--out", out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(broken + "/model.safetensors"), qPrintable(r.err));
        QVERIFY(!QFile::exists(out));
    }

    // `scale` writes a checkpoint with the scaled token layout that loads and
    // encodes; it prints the token arithmetic before and after.
    void scaleWritesTheScaledCheckpoint()
    {
        const QString out = m_dir.filePath("scaled");
        Result r = runBatch({"scale", "--checkpoint", m_checkpoint, "--resolution", "112", "--window", "1,2", "--out", out,
                             "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json report = parseJson(r.out.toStdString(), "stdout");
        QCOMPARE(report.at("before").at("visual_tokens").get<int>(), 32);
        QCOMPARE(report.at("after").at("visual_tokens").get<int>(), 64 + 256);
        QCOMPARE(report.at("after").at("scales")[1].at("windows").get<int>(), 16);
        QCOMPARE(report.at("token_ratio").get<double>(), 10.0);
        const StateDict weights = readSafetensors((out + "/model.safetensors").toStdString());
        QCOMPARE(weights.at("vision.position_embedding").size(0), int64_t(16 * 16 + 1));

        const QString encoded = m_dir.filePath("scaled.safetensors");
        r = runBatch({"encode", "--checkpoint", out, "--image", m_image, "--out", encoded});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(readSafetensors(encoded.toStdString()).at("attention.1").sizes().vec(),
                 (std::vector<int64_t>{256, 16, 16}));

        r = runBatch({"scale", "--checkpoint", m_checkpoint, "--window", "2", "--out", m_dir.filePath("window2")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("before") && r.out.contains("32 visual tokens") && r.out.contains("128 visual tokens")
                     && r.out.contains("x4.00"),
                 qPrintable(r.out));

        // A new scale: a copy of scale 0 with twice its windows per side.
        r = runBatch({"scale", "--checkpoint", m_checkpoint, "--add", "0:2", "--out", m_dir.filePath("added"), "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json added = parseJson(r.out.toStdString(), "stdout");
        const Json &was = added.at("before").at("scales"), &now = added.at("after").at("scales");
        QCOMPARE(now.size(), was.size() + 1);
        QCOMPARE(now.back().at("windows").get<int>(), 2 * was[0].at("windows").get<int>());
        QCOMPARE(now.back().at("queries").get<int>(), was[0].at("queries").get<int>());
        const int copies = now.back().at("windows").get<int>() * now.back().at("windows").get<int>() * now.back().at("queries").get<int>();
        QCOMPARE(added.at("after").at("visual_tokens").get<int>(), added.at("before").at("visual_tokens").get<int>() + copies);
        r = runBatch({"encode", "--checkpoint", m_dir.filePath("added"), "--image", m_image, "--out", m_dir.filePath("added.safetensors")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        for (const char *bad : {"5:1", "0:0", "0-2"}) {
            r = runBatch({"scale", "--checkpoint", m_checkpoint, "--add", bad, "--out", m_dir.filePath("never")});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(QString("--add ") + bad), qPrintable(r.err));
        }

        // Bad factors and an existing output are refused, naming them; nothing is written.
        r = runBatch({"scale", "--checkpoint", m_checkpoint, "--window", "3", "--out", m_dir.filePath("never")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("window"), qPrintable(r.err));
        r = runBatch({"scale", "--checkpoint", m_checkpoint, "--out", m_dir.filePath("never")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("nothing to scale"), qPrintable(r.err));
        QVERIFY(!QFile::exists(m_dir.filePath("never")));
        r = runBatch({"scale", "--checkpoint", m_checkpoint, "--window", "2", "--out", out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(out), qPrintable(r.err));
    }

    // `attention` writes every file its index lists, the maps of every
    // scale, and refuses bad inputs with exit 2 naming them.
    void attentionWritesWhatTheIndexLists()
    {
        const QString out = m_dir.filePath("attention");
        Result r = runBatch({"attention", "--checkpoint", m_checkpoint, "--image", m_image, "--layer", "0", "--head",
                             "2", "--out", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json index = parseJsonFile((out + "/index.json").toStdString());
        QCOMPARE(index.at("layer").get<int>(), 0);
        QCOMPARE(index.at("head").get<int>(), 2);
        QCOMPARE(index.at("visual_tokens").get<int>(), 32);
        QStringList listed;
        for (const Json &f : index.at("files"))
            listed << QString::fromStdString(f.get<std::string>());
        QStringList onDisk = QDir(out).entryList(QDir::Files);
        listed.sort();
        onDisk.sort();
        QCOMPARE(onDisk, listed);
        const StateDict maps = readSafetensors((out + "/maps.safetensors").toStdString());
        for (const Json &scale : index.at("scales")) {
            const auto tensor = maps.at(scale.at("tensor").get<std::string>());
            QCOMPARE(tensor.sizes().vec(), (std::vector<int64_t>{2, 4, scale.at("tokens").get<int64_t>(), 8, 8}));
            QCOMPARE(maps.at(scale.at("mean_tensor").get<std::string>()).size(1), scale.at("tokens").get<int64_t>());
            const cv::Mat figure = cv::imread((out + "/" + QString::fromStdString(scale.at("figure").get<std::string>())).toStdString());
            QVERIFY(!figure.empty());
            // The spread of the layer and head asked for: the exponential of
            // each token's attention entropy, summarised over the scale.
            auto p = tensor[0][2].flatten(1);                      // [tokens, n*n]
            p = p / p.sum(1, true);
            auto spread = torch::exp(-(p * torch::log(p.clamp_min(1e-30))).sum(1)); // [tokens]
            auto sorted = std::get<0>(spread.sort());
            const int64_t n = sorted.size(0);
            const double median = n % 2 ? sorted[n / 2].item<double>()
                                        : 0.5 * (sorted[n / 2 - 1].item<double>() + sorted[n / 2].item<double>());
            const Json &s = scale.at("spread");
            const int side = 8 / scale.at("windows").get<int>();
            QCOMPARE(s.at("window_cells").get<int>(), side * side);
            QVERIFY2(std::abs(s.at("median").get<double>() - median) < 1e-3, s.dump().c_str());
            QVERIFY(std::abs(s.at("least").get<double>() - sorted[0].item<double>()) < 1e-3);
            QVERIFY(std::abs(s.at("greatest").get<double>() - sorted[n - 1].item<double>()) < 1e-3);
            QVERIFY(s.at("greatest").get<double>() <= side * side + 1e-3);
        }
        QVERIFY2(r.out.contains("scale 2: a token reads "), qPrintable(r.out));
        // The mean over heads is what `encode` writes for the last layer.
        const QString encoded = m_dir.filePath("for-attention.safetensors");
        QCOMPARE(runBatch({"encode", "--checkpoint", m_checkpoint, "--image", m_image, "--out", encoded}).exitCode, 0);
        QVERIFY(torch::allclose(maps.at("attention_mean.1")[1], readSafetensors(encoded.toStdString()).at("attention.1"),
                                1e-5, 1e-6));

        const QStringList base{"attention", "--checkpoint", m_checkpoint, "--image", m_image, "--out", out};
        r = runBatch(base + QStringList{"--layer", "2"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--layer 2"), qPrintable(r.err));
        r = runBatch(base + QStringList{"--head", "4"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--head 4"), qPrintable(r.err));
        r = runBatch({"attention", "--checkpoint", m_dir.filePath("missing"), "--image", m_image, "--out", out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("missing"), qPrintable(r.err));
        r = runBatch({"attention", "--checkpoint", m_checkpoint, "--image", m_dir.filePath("none.png"), "--out", out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("none.png"), qPrintable(r.err));
        const QString db = m_dir.filePath("attention.sqlite");
        r = runBatch({"attention", "--db", db, "--run", "42", "--image", m_image, "--out", out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("no run 42"), qPrintable(r.err));
        r = runBatch({"attention", "--run", "1", "--checkpoint", m_checkpoint, "--image", m_image, "--out", out});
        QCOMPARE(r.exitCode, 2);

        // A question needs the words the model was trained with.
        r = runBatch(base + QStringList{"--question", "is there a bag?"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("tokenizer.json"), qPrintable(r.err));
    }

    // With a question: the answer, its share of attention on the image and
    // the picture of where it looked, listed in the index.
    void attentionAnswersAQuestion()
    {
        const QString checkpoint = m_dir.filePath("with-words");
        QVERIFY(QDir().mkpath(checkpoint));
        for (const char *file : {"config.json", "model.safetensors"})
            QVERIFY(QFile::copy(m_checkpoint + "/" + file, checkpoint + "/" + file));
        WordTokenizer::build({"is there a bag ? yes no nothing"}).save((checkpoint + "/tokenizer.json").toStdString());
        const QString out = m_dir.filePath("answer");
        const Result r = runBatch({"attention", "--checkpoint", checkpoint, "--image", m_image, "--question",
                                   "is there a bag?", "--out", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("answer:"), qPrintable(r.out));
        const Json index = parseJsonFile((out + "/index.json").toStdString());
        const Json &answer = index.at("answer");
        QCOMPARE(answer.at("question").get<std::string>(), std::string("is there a bag?"));
        const double share = answer.at("visual_share").get<double>();
        QVERIFY(share > 0 && share < 1);
        double perScale = 0;
        for (const Json &v : answer.at("visual_share_per_scale"))
            perScale += v.get<double>();
        QVERIFY(std::abs(perScale - share) < 1e-4);
        QVERIFY(QFile::exists(out + "/answer.png"));
        const StateDict maps = readSafetensors((out + "/maps.safetensors").toStdString());
        QCOMPARE(maps.at("answer.patch_map").sizes().vec(), (std::vector<int64_t>{8, 8}));
        QVERIFY(std::abs(maps.at("answer.patch_map").sum().item<double>() - share) < 1e-4);
    }

    void compareTablesFrontsGroupsAndPlots()
    {
        const QString db = m_dir.filePath("compare.sqlite");
        const test::ComparisonStore store = test::writeComparisonStore(db.toStdString());
        const QString baseline = QString::number(store.ids.at("baseline/0"));

        // The front as the store query and the dashboard compute it.
        Result r = runBatch({"compare", "--db", db, "--format", "json", "--columns", "name,accuracy"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json rows = parseJson(r.out.toStdString());
        QCOMPARE(rows.size(), size_t(11));
        std::vector<int64_t> front;
        for (const Json &row : rows)
            if (row.at("pareto").get<bool>())
                front.push_back(row.at("run_ids").at(0).get<int64_t>());
        QCOMPARE(front, store.front);

        // Seeds grouped, relative time, in each format.
        r = runBatch({"compare", "--db", db, "--group-by", "variant", "--reference", baseline, "--format", "csv",
                      "--columns", "name,pretrain_relative,accuracy"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 8);
        QCOMPARE(lines[0], QString("name,pretrain_relative,pretrain_relative_sd,accuracy,accuracy_sd,runs,pareto"));
        // cos: (100 + 104 + 100) / 3 / 400 s and the accuracies 0.58, 0.60, 0.58.
        QVERIFY2(lines.contains("variant=cos (replica),0.25,0.01,0.587,0.012,3,true"), qPrintable(r.out));
        r = runBatch({"compare", "--db", db, "--sweep", "replica", "--format", "md", "--columns", "name,accuracy"});
        QVERIFY2(r.exitCode == 0 && r.out.startsWith("| name | accuracy | Pareto |"), qPrintable(r.out + r.err));
        QVERIFY(r.out.contains("**0.900**"));
        r = runBatch({"compare", "1", "2", "--db", db, "--format", "latex", "--columns", "name,accuracy"});
        QVERIFY2(r.exitCode == 0 && r.out.contains("\\toprule") && r.out.count("\\\\\n") == 3, qPrintable(r.out));

        // How two runs' configs differ, as the dashboard's diff shows it.
        const QString cos = QString::number(store.ids.at("cos/0")), resolution = QString::number(store.ids.at("resolution"));
        r = runBatch({"compare", cos, resolution, "--db", db, "--config-diff", "--format", "json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json diff = parseJson(r.out.toStdString());
        QCOMPARE(diff.at("runs"), Json({"cos (#" + cos.toStdString() + ")", "resolution (#" + resolution.toStdString() + ")"}));
        std::vector<std::string> keys;
        for (const Json &k : diff.at("keys"))
            keys.push_back(k.at("key").get<std::string>());
        QCOMPARE(keys, (std::vector<std::string>{"name", "stages[1].lr", "stages[1].resolution"}));
        QCOMPARE(diff.at("keys").at(2).at("values"), Json({"56", "112"}));
        r = runBatch({"compare", cos, resolution, "--db", db, "--config-diff"});
        QVERIFY2(r.exitCode == 0 && r.out.startsWith("| key | cos (#" + cos + ") | resolution (#" + resolution + ") |\n"),
                 qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("| `stages[1].resolution` | 56 | 112 |\n"), qPrintable(r.out));
        // Every key of one run.
        r = runBatch({"compare", cos, "--db", db, "--config-diff", "--all-keys", "--format", "csv"});
        QVERIFY2(r.exitCode == 0 && r.out.contains("\nmodel.connector.type,chain_of_sight\n"), qPrintable(r.out + r.err));

        // The trade-off plot, drawn without a display.
        for (const char *name : {"tradeoff.png", "tradeoff.svg", "tradeoff.pdf"}) {
            const QString plot = m_dir.filePath(name);
            r = runBatch({"compare", "--db", db, "--reference", baseline, "--plot", plot, "--out", m_dir.filePath("t.md")});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            QVERIFY2(test::readFile(plot).size() > 2000, name);
        }
        QVERIFY(!test::readFile(m_dir.filePath("t.md")).isEmpty());
        QCOMPARE(QImage(m_dir.filePath("tradeoff.png")).width(), 820);

        // Bad input: exit 2, naming what is wrong.
        const std::vector<std::pair<QStringList, QString>> bad = {
            {{"compare", "999"}, "no run 999"},
            {{"compare", "--group-by", "stages[9].lr"}, "unknown group key 'stages[9].lr'"},
            {{"compare", "--reference", QString::number(store.ids.at("finetune-only"))}, "no pre-training time"},
            {{"compare", "--columns", "name,speed"}, "unknown column 'speed'"},
            {{"compare", "--plot", m_dir.filePath("plot.txt")}, ".png, .pdf or .svg"},
            {{"compare", "1", "--config-diff"}, "--config-diff compares two or more runs; 1 matched"},
            {{"compare", "--config-diff", "--group-by", "variant"}, "--group-by excludes --config-diff"},
        };
        for (const auto &[args, message] : bad) {
            r = runBatch(QStringList(args) << "--db" << db);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(message), qPrintable(r.err));
        }
    }

    void sweepExpandsTheGridAndRefusesBadKeys()
    {
        const QString db = m_dir.filePath("sweep-plan.sqlite");
        const QString config = m_dir.filePath("sweep-small.yaml");
        QVERIFY(test::writeFile(config, test::smallRunConfig(m_dir.filePath("sweep-data"), 6).toUtf8()));
        Result r = runBatch({"sweep", config, "--db", db, "--vary", "stages[1].lr=0.002,0.001", "--vary",
                             "stages[2].scaling.window=[1,2],[2,2]", "--seeds", "2", "--name", "grid", "--dry-run",
                             "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json plan = parseJson(r.out.toStdString());
        QCOMPARE(plan.at("sweep").get<std::string>(), std::string("grid"));
        const Json &variants = plan.at("variants");
        QCOMPARE(variants.size(), size_t(8));
        std::set<std::string> labels;
        for (size_t i = 0; i < variants.size(); ++i) {
            const Json &v = variants[i];
            const int64_t seed = int64_t(i % 2);
            QCOMPARE(v.at("seed").get<int64_t>(), seed);
            QCOMPARE(v.at("state").get<std::string>(), std::string("new"));
            labels.insert(v.at("label").get<std::string>());
            std::vector<std::string> overrides;
            for (const Json &o : v.at("overrides"))
                overrides.push_back(o.get<std::string>());
            const std::string lr = i < 4 ? "0.002" : "0.001", window = (i / 2) % 2 == 0 ? "[1,2]" : "[2,2]";
            QCOMPARE(overrides, (std::vector<std::string>{"stages[1].lr=" + lr, "stages[2].scaling.window=" + window,
                                                          "stages[0].seed=" + std::to_string(seed),
                                                          "stages[1].seed=" + std::to_string(seed),
                                                          "stages[2].seed=" + std::to_string(seed)}));
            QCOMPARE(v.at("label").get<std::string>(), "stages[1].lr=" + lr + " stages[2].scaling.window=" + window);
            QCOMPARE(v.at("tokens").get<std::string>(), std::string(window == "[1,2]" ? "6 → 72" : "6 → 96"));
            QVERIFY(v.at("estimate_seconds").get<double>() > 0);
        }
        QCOMPARE(labels.size(), size_t(4)); // a variant's seeds share its label
        QVERIFY(ExperimentStore(db.toStdString()).runs().empty()); // a dry run runs nothing

        // A key the engine does not know, or a value it rejects: exit 2 before any run.
        for (const auto &[vary, message] : std::vector<std::pair<QString, QString>>{
                 {"stages[1].lrr=0.1,0.2", "stages[1].lrr"}, {"stages[1].lr=0.1,-3", "stages[1].lr"}}) {
            r = runBatch({"sweep", config, "--db", db, "--vary", vary});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(message), qPrintable(r.err));
        }
        QVERIFY(ExperimentStore(db.toStdString()).runs().empty());
        r = runBatch({"sweep", config, "--db", db});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--vary"), qPrintable(r.err));
    }

    void sweepContinuesWithoutRepeatingFinishedVariants()
    {
        const QString db = m_dir.filePath("sweep.sqlite");
        const QString config = m_dir.filePath("sweep-run.yaml");
        QVERIFY(test::writeFile(config, test::smallRunConfig(m_dir.filePath("sweep-data"), 4).toUtf8()));
        const QStringList common{"sweep", config, "--db", db, "--name", "lrs", "--progress", "lines"};
        Result r = runBatch(QStringList(common) << "--vary" << "stages[2].lr=0.002,0.001");
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        std::vector<RunRecord> runs = ExperimentStore(db.toStdString()).runs();
        QCOMPARE(runs.size(), size_t(2));
        for (const RunRecord &run : runs) {
            QCOMPARE(run.status, RunStatus::Finished);
            QCOMPARE(run.sweep.sweep, std::string("lrs"));
            QVERIFY(run.parameters.value_or(0) > 0);
        }
        QCOMPARE(runs[0].sweep.variant, std::string("stages[2].lr=0.002"));
        QCOMPARE(runs[0].name, std::string("lrs: stages[2].lr=0.002"));

        // The first variant's run was cut short; the sweep grows by one value.
        ExperimentStore(db.toStdString()).endRun(runs[0].id, RunStatus::Interrupted, "killed");
        r = runBatch(QStringList(common) << "--vary" << "stages[2].lr=0.002,0.001,0.0005");
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("interrupted, resumed") && r.out.contains("finished, skipped"), qPrintable(r.out));
        runs = ExperimentStore(db.toStdString()).runs();
        QCOMPARE(runs.size(), size_t(3)); // the interrupted one resumed, not repeated; one new
        for (const RunRecord &run : runs)
            QCOMPARE(run.status, RunStatus::Finished);
        QCOMPARE(runs[2].sweep.variant, std::string("stages[2].lr=0.0005"));
        // Nothing left: a third start runs nothing.
        r = runBatch(QStringList(common) << "--vary" << "stages[2].lr=0.002,0.001,0.0005");
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(ExperimentStore(db.toStdString()).runs().size(), size_t(3));
    }

    void importedPartsTrainWithLoraAndMerge()
    {
        torch::manual_seed(7);
        const QString root = m_dir.filePath("imported");
        const QString clip = root + "/hf-clip", llama = root + "/hf-llama";
        test::hf::writeHfDirectory(clip, test::hf::clipTensors(), test::hf::clipConfig());
        constexpr int vocab = test::hf::kTokenizerVocab;
        test::hf::writeHfDirectory(llama, test::hf::llamaTensors(false, false, vocab), test::hf::llamaConfig(false, false, vocab));
        // Its tokenizer.model, trained by SentencePiece itself; the import keeps it.
        const QString pieces = test::hf::writeTokenizerModel(llama);
        QVERIFY2(pieces.isEmpty(), qPrintable(pieces));
        const QString db = root + "/store.sqlite";
        Result r = runBatch({"import", "vision", clip, "--out", root + "/vision", "--db", db});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runBatch({"import", "lm", llama, "--out", root + "/lm", "--db", db});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));

        // The parts are named relative to the config; their architecture
        // comes from them, the text is read with the LM's own pieces.
        // Pre-training trains the connector alone, then fine-tuning adds
        // adapters to the frozen language model.
        // Where the CPU has bf16 products, pre-training holds the frozen
        // tower and language model in bf16, as a GPU run of the paper's does.
        const QString precision = bf16Supported(torch::kCPU) ? "bf16" : "fp32";
        auto config = [&](const QString &vision, const QString &tokenizer = "lm") {
            return QString("name: imported\n"
                           "model:\n"
                           "  vision: {%1}\n"
                           "  connector: {type: chain_of_sight, width: 16, heads: 2, layers: 1, mlp_hidden: 32,\n"
                           "              scales: [{windows: 1, queries: 2}, {windows: 2, queries: 1}]}\n"
                           "  lm: {pretrained: lm, max_seq_len: 128}\n"
                           "data: {dir: '%2', train_images: 64, test_images: 16, grid: 2, cell_pixels: 14, seed: 5, workers: 1,\n"
                           "       tokenizer: '%3'}\n"
                           "stages:\n"
                           "  - {name: pretrain, kind: pretrain, steps: 4, batch_size: 8, lr: 2.0e-3, train: [connector],\n"
                           "     precision: %4}\n"
                           "  - {name: finetune, kind: finetune, steps: 4, batch_size: 8, lr: 1.0e-2, train: [connector, lora],\n"
                           "     lora: {r: 4, alpha: 8}}\n")
                .arg(vision, m_dir.filePath("sweep-data"), tokenizer, precision);
        };
        const QString yaml = root + "/run.yaml";
        QVERIFY(test::writeFile(yaml, config("pretrained: vision").toUtf8()));
        r = runBatch({"run", yaml, "--db", db, "--progress", "lines"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        const std::vector<RunRecord> runs = ExperimentStore(db.toStdString()).runs();
        QCOMPARE(runs.size(), size_t(1));
        QCOMPARE(runs[0].status, RunStatus::Finished);
        const Json stored = parseJson(runs[0].config);
        QCOMPARE(stored.at("model").at("vision").at("width").get<int>(), test::hf::kWidth);
        QCOMPARE(stored.at("model").at("lm").at("kv_heads").get<int>(), test::hf::kKvHeads);
        QCOMPARE(QString::fromStdString(stored.at("data").at("tokenizer").get<std::string>()), root + "/lm/tokenizer.model");

        std::string finalCheckpoint;
        for (const CheckpointRecord &c : ExperimentStore(db.toStdString()).run(runs[0].id).checkpoints)
            if (c.stage == 1 && c.step == 0)
                finalCheckpoint = c.path;
        QVERIFY(!finalCheckpoint.empty());
        // The checkpoint reads text as the run did: the LM's pieces, byte for byte.
        const QString kept = QString::fromStdString(finalCheckpoint);
        QCOMPARE(test::readFile(kept + "/tokenizer.model"), test::readFile(llama + "/tokenizer.model"));
        QVERIFY(!QFile::exists(kept + "/tokenizer.json"));
        // What was frozen is the imported weights exactly; the adapters learned.
        const StateDict trained = readSafetensors(finalCheckpoint + "/model.safetensors");
        for (const char *part : {"vision", "lm"})
            for (const auto &[name, tensor] : readSafetensors((root + "/" + part + "/model.safetensors").toStdString()))
                QVERIFY2(torch::equal(trained.at(name).to(torch::kFloat), tensor.to(torch::kFloat)), name.c_str());
        const StateDict adapters = readSafetensors(finalCheckpoint + "/adapters.safetensors");
        QCOMPARE(adapters.size(), size_t(2 * 7 * test::hf::kLmLayers));
        QVERIFY(adapters.at("lm.layers.0.self_attn.q_proj.lora_b").abs().max().item<double>() > 0);

        // Merged: W + (alpha / r) B A, no adapters left; merging again has nothing to do.
        const QString merged = root + "/merged";
        r = runBatch({"merge-lora", "--checkpoint", QString::fromStdString(finalCheckpoint), "--out", merged});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(!QFile::exists(merged + "/adapters.safetensors"));
        const StateDict folded = readSafetensors((merged + "/model.safetensors").toStdString());
        const std::string q = "lm.layers.1.self_attn.q_proj.";
        const auto expected = trained.at(q + "weight") + 2.0 * torch::matmul(adapters.at(q + "lora_b"), adapters.at(q + "lora_a"));
        QVERIFY((folded.at(q + "weight") - expected).abs().max().item<double>() < 1e-6);
        r = runBatch({"merge-lora", "--checkpoint", merged, "--out", root + "/again"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("no LoRA adapters"), qPrintable(r.err));

        // A stated key that disagrees with the import, and a part that is not there.
        QVERIFY(test::writeFile(yaml, config("pretrained: vision, width: 32").toUtf8()));
        r = runBatch({"inspect", yaml});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("model.vision.width") && r.err.contains("CLIPModel"), qPrintable(r.err));
        QVERIFY(test::writeFile(yaml, config("pretrained: nowhere").toUtf8()));
        r = runBatch({"inspect", yaml});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("model.vision.pretrained") && r.err.contains("nowhere"), qPrintable(r.err));

        // Tokenizers that cannot be read: a missing file, and a model
        // normalized with a character map this build does not apply.
        QVERIFY(test::writeFile(yaml, config("pretrained: vision", "missing.model").toUtf8()));
        r = runBatch({"inspect", yaml});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("data.tokenizer") && r.err.contains(root + "/missing.model"), qPrintable(r.err));
        QVERIFY(test::writeFile(root + "/corpus.txt", QByteArray("a bag and a coat\nthe boot, the bag\n").repeated(50)));
        QProcess nfkc;
        nfkc.start(qEnvironmentVariable("COS_SPM_TRAIN"), {root + "/corpus.txt", root + "/nfkc", "--model_type=bpe", "--vocab_size=20"});
        QVERIFY(nfkc.waitForFinished(60000));
        QVERIFY2(nfkc.exitCode() == 0, nfkc.readAllStandardError().constData());
        QVERIFY(test::writeFile(yaml, config("pretrained: vision", "nfkc.model").toUtf8()));
        r = runBatch({"inspect", yaml});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("data.tokenizer") && r.err.contains("precompiled character map"), qPrintable(r.err));
        // 'lm' needs an imported language model.
        QVERIFY(test::writeFile(yaml, config("pretrained: vision").replace("lm: {pretrained: lm, max_seq_len: 128}", "lm: {}").toUtf8()));
        r = runBatch({"inspect", yaml});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("data.tokenizer") && r.err.contains("model.lm.pretrained"), qPrintable(r.err));
    }

    // --nproc 2: two ranks (Gloo over loopback), each with its share of
    // every batch, train as one process with the whole batch: the same loss
    // at every step and the same weights. Rank 0 alone writes the store.
    // A rank killed midway fails the run, naming it; the run resumes from
    // rank 0's last checkpoint on one process and ends where it would have.
    // A killed rank 0 has its run failed by the launcher.
    void dataParallelRanksTrainAsOne()
    {
        const QString dir = m_dir.filePath("parallel");
        QVERIFY(QDir().mkpath(dir));
        const QString yaml = dir + "/run.yaml";
        // fp32, so the comparison is of the arithmetic, not of bf16 rounding.
        QVERIFY(test::writeFile(
            yaml, test::trainedStagesInFp32(test::smallRunConfig(m_dir.filePath("sweep-data"), 300)).toUtf8()));
        const QString oneDb = dir + "/one.sqlite", twoDb = dir + "/two.sqlite";
        Result r = runBatch({"run", yaml, "--db", oneDb, "--threads", "1", "--progress", "lines"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runBatch({"run", yaml, "--db", twoDb, "--nproc", "2", "--progress", "lines"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("2 ranks (1 thread each)"), qPrintable(r.out));

        ExperimentStore one(oneDb.toStdString()), two(twoDb.toStdString());
        QCOMPARE(two.runs().size(), size_t(1));
        const int64_t a = one.runs()[0].id, b = two.runs()[0].id;
        for (int stage : {1, 2}) {
            const auto alone = one.metricSeries(a, "loss", 100000, std::nullopt, stage);
            const auto shared = two.metricSeries(b, "loss", 100000, std::nullopt, stage);
            QCOMPARE(shared.size(), alone.size());
            for (size_t i = 0; i < alone.size(); ++i)
                QVERIFY2(std::abs(shared[i].value - alone[i].value) < 1e-4,
                         qPrintable(QString("stage %1 step %2: %3 on two ranks, %4 on one")
                                        .arg(stage).arg(alone[i].step).arg(shared[i].value).arg(alone[i].value)));
        }
        // The ranks shared the evaluation: their parts add up to one process's figures.
        const EvaluationRecord alone1 = *one.run(a).finalEvaluation, shared1 = *two.run(b).finalEvaluation;
        QCOMPARE(shared1.accuracy, alone1.accuracy);
        QCOMPARE(shared1.n, alone1.n);
        QVERIFY(shared1.perType == alone1.perType);
        QVERIFY(alone1.shuffledAccuracy && alone1.cellReading);
        QCOMPARE(shared1.shuffledAccuracy, alone1.shuffledAccuracy);
        QVERIFY(shared1.shuffledPerType == alone1.shuffledPerType);
        QCOMPARE(shared1.cellReading, alone1.cellReading);
        QCOMPARE(shared1.cellReadingCells, alone1.cellReadingCells);
        QDirIterator logs(twoDb + "-runs", {"rank1.log"}, QDir::Files, QDirIterator::Subdirectories);
        QVERIFY(logs.hasNext());
        const QString rank1Log = QString::fromUtf8(test::readFile(logs.next()));
        QVERIFY2(rank1Log.contains("evaluating"), qPrintable(rank1Log.right(2000))); // its part of the questions
        const auto finalCheckpoint = [](ExperimentStore &store, int64_t id) {
            return Trainer::stageEndCheckpoint(store.run(id), 2)->path;
        };
        const auto finalWeights = [&](ExperimentStore &store, int64_t id) {
            return readSafetensors(finalCheckpoint(store, id) + "/model.safetensors");
        };
        // Both stores sit in one folder, each with its own runs' folder.
        const std::string oneEnd = finalCheckpoint(one, a), twoEnd = finalCheckpoint(two, b);
        QVERIFY2(oneEnd != twoEnd && QFile::exists(QString::fromStdString(oneEnd + "/model.safetensors"))
                     && QFile::exists(QString::fromStdString(twoEnd + "/model.safetensors")),
                 twoEnd.c_str());
        // Two ranks sum each gradient in another order than one process, and
        // AdamW magnifies the last bits where a gradient is near nothing, so
        // the weights are held to a tenth of what one step at the smallest
        // learning rate (1e-3) moves them: a lost, repeated or reordered step
        // or an optimizer state not restored moves them by about that much.
        // A key projection's bias is left out: softmax ignores what adds to
        // every score alike, so its gradient is all rounding noise that AdamW
        // turns into full-size steps; that it changes nothing shows in the
        // losses and evaluations above.
        const StateDict alone = finalWeights(one, a);
        const auto differing = [&alone](const StateDict &other) {
            for (const auto &[name, tensor] : alone) {
                const bool keyBias = name.size() > 11 && name.compare(name.size() - 11, 11, "k_proj.bias") == 0;
                const double off = (other.at(name) - tensor).abs().max().item<double>();
                if (!keyBias && off > 1e-4)
                    return QString("%1 differs by %2").arg(name.c_str()).arg(off);
            }
            return QString();
        };
        const QString shared = differing(finalWeights(two, b));
        QVERIFY2(shared.isEmpty(), qPrintable(shared));

        // Rank 1 killed once rank 0 has kept a checkpoint of the pre-training.
        const QString killedDb = dir + "/killed.sqlite";
        QProcess ranks;
        const pid_t rank1 = startTwoRanks(ranks, yaml, killedDb, 1, [](ExperimentStore &store) {
            const auto runs = store.runs();
            return !runs.empty() && !store.run(runs[0].id).checkpoints.empty();
        });
        QVERIFY(rank1 > 0);
        ::kill(rank1, SIGKILL);
        QVERIFY(ranks.waitForFinished(120000));
        const QString said = QString::fromUtf8(ranks.readAllStandardOutput() + ranks.readAllStandardError());
        QVERIFY(ranks.exitCode() != 0);
        QVERIFY2(said.contains("rank 1 was killed by signal 9"), qPrintable(said));
        // The killed rank could not remove its stand-in store; the launcher did.
        QVERIFY(!QFileInfo::exists(QDir::tempPath() + "/cos-batch-rank1-" + QString::number(rank1)));
        ExperimentStore killed(killedDb.toStdString());
        const int64_t k = killed.runs()[0].id;
        QCOMPARE(killed.run(k).run.status, RunStatus::Failed);

        r = runBatch({"resume", QString::number(k), "--db", killedDb, "--threads", "1", "--progress", "lines"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QCOMPARE(killed.run(k).finalEvaluation->accuracy, one.run(a).finalEvaluation->accuracy);
        const auto alone2 = one.metricSeries(a, "loss", 100000, std::nullopt, 2);
        const auto resumed2 = killed.metricSeries(k, "loss", 100000, std::nullopt, 2);
        QCOMPARE(resumed2.size(), alone2.size());
        for (size_t i = 0; i < alone2.size(); ++i)
            QVERIFY2(std::abs(resumed2[i].value - alone2[i].value) < 1e-4, qPrintable(QString::number(alone2[i].step)));
        const QString resumed = differing(finalWeights(killed, k));
        QVERIFY2(resumed.isEmpty(), qPrintable(resumed));

        // Rank 0 killed records nothing itself: the launcher fails its run, naming it.
        const QString lostDb = dir + "/lost.sqlite";
        QProcess lost;
        const pid_t rank0 = startTwoRanks(lost, yaml, lostDb, 0, [](ExperimentStore &store) {
            const auto runs = store.runs();
            return !runs.empty() && runs[0].status == RunStatus::Running;
        });
        QVERIFY(rank0 > 0);
        ::kill(rank0, SIGKILL);
        QVERIFY(lost.waitForFinished(120000));
        const QString told = QString::fromUtf8(lost.readAllStandardOutput() + lost.readAllStandardError());
        QVERIFY(lost.exitCode() != 0);
        QVERIFY2(told.contains("rank 0 was killed by signal 9") && told.contains("marked failed in"), qPrintable(told));
        ExperimentStore lostStore(lostDb.toStdString());
        const RunRecord lostRun = lostStore.run(lostStore.runs()[0].id).run;
        QCOMPARE(lostRun.status, RunStatus::Failed);
        QVERIFY2(lostRun.message == "rank 0 was killed by signal 9", lostRun.message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"

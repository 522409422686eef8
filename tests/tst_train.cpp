// Training runs end to end on a tiny generated FMNIST-Grid: what a user of
// `cos-batch run` relies on — the run learns, is recorded in the store,
// survives SIGTERM and resumes to the same result, and refuses bad input
// before touching the store.

#include "TestSupport.h"

#include "base/Errors.h"
#include "base/Json.h"
#include "store/ExperimentStore.h"
#include "base/Files.h"
#include "model/Mllm.h"
#include "io/Checkpoint.h"
#include "io/Safetensors.h"
#include "optim/GradientClip.h"
#include "base/Device.h"
#include "data/WordTokenizer.h"
#include "train/Evaluator.h"
#include "train/LookupProbe.h"
#include "train/OptimizerGroups.h"
#include "train/ReplicaBenchmark.h"
#include "train/RunConfig.h"
#include "train/RunData.h"
#include "train/Trainer.h"
#include "train/VisionTowerTrainer.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>

#include <csignal>
#include <map>
#include <numeric>
#include <set>
#include <tuple>

using namespace cosw;

namespace {

// The test-sized run, small enough to learn in seconds: two-by-two grids of
// 14 px items unless `data` says otherwise.
QString tinyConfig(const QString &dataDir, int pretrainSteps = 60, int finetuneSteps = 150,
                   const QString &data = "train_images: 200, test_images: 40, grid: 2, cell_pixels: 14",
                   int visionSteps = 60)
{
    return QString("name: tiny\n"
                   "model:\n"
                   "  vision: {image_size: 28, patch_size: 7, width: 32, layers: 2, heads: 2, mlp_hidden: 64, feature_layer: -1}\n"
                   "  connector: {type: chain_of_sight, width: 32, heads: 2, layers: 1, mlp_hidden: 64,\n"
                   "              scales: [{windows: 1, queries: 4}, {windows: 2, queries: 1}]}\n"
                   "  lm: {vocab_size: 128, width: 64, layers: 2, heads: 2, kv_heads: 1, mlp_hidden: 128, max_seq_len: 256}\n"
                   "data: {dir: '%1', %4, seed: 3, workers: 1}\n"
                   "stages:\n"
                   "  - {name: vision, kind: vision, steps: %5, batch_size: 16, lr: 2.0e-3, train: [vision]}\n"
                   "  - {name: pretrain, kind: pretrain, steps: %2, batch_size: 16, lr: 2.0e-3, warmup_steps: 5, train: [connector, lm]}\n"
                   "  - {name: finetune, kind: finetune, steps: %3, batch_size: 16, lr: 2.0e-3, warmup_steps: 5,\n"
                   "     train: [connector, lm], scaling: {resolution: 2, window: [1, 2]}, checkpoint_interval: 50}\n")
        .arg(dataDir)
        .arg(pretrainSteps)
        .arg(finetuneSteps)
        .arg(data)
        .arg(visionSteps);
}

// Runs `config` as a new run until step `step` of stage `stage` has been
// reported, then asks it to stop as a SIGTERM handler would; the run's id
// and how it ended.
std::pair<int64_t, RunOutcome> runUntilReported(const RunConfig &config, ExperimentStore &store, const std::string &name,
                                                const std::string &stage, int64_t step)
{
    Trainer trainer(config, store, {}, [&](const TrainingEvent &e) {
        if (e.kind == "step" && e.stageName == stage && e.step == step)
            Trainer::stopRequested() = true;
    });
    const int64_t id = trainer.createRun(name);
    return {id, trainer.run(id)};
}

struct Result {
    int exitCode = -1;
    QString out, err;
};

QProcess *startBatch(const QStringList &args, const QString &cacheDir)
{
    auto *p = new QProcess;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("COS_CACHE_DIR", cacheDir);
    p->setProcessEnvironment(env);
    p->start(QString::fromLocal8Bit(qgetenv("COS_BATCH")), args);
    return p;
}

Result finish(QProcess *p)
{
    p->waitForFinished(300000);
    Result r;
    r.exitCode = p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1;
    r.out = QString::fromUtf8(p->readAllStandardOutput());
    r.err = QString::fromUtf8(p->readAllStandardError());
    delete p;
    return r;
}

} // namespace

class TestTrain : public QObject {
    Q_OBJECT
public:
    // Before QTest starts: on a CPU OpenBLAS does not know, with the right kernel.
    static void initMain() { cosw::ensureBlasKernel(); }

private:
    QTemporaryDir m_dir;
    QString m_cache;
    QString m_data;

    QString writeConfig(const QString &name, const QString &text)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(text.toUtf8());
        return path;
    }

    Result runBatch(const QStringList &args) { return finish(startBatch(args, m_cache)); }

private slots:
    void initTestCase()
    {
        QVERIFY(!qgetenv("COS_BATCH").isEmpty());
        m_cache = m_dir.filePath("cache");
        m_data = m_dir.filePath("data");
        qputenv("COS_CACHE_DIR", m_cache.toUtf8());
    }

    // The image-blind controls: the type prior is each type's commonest
    // *training* answer scored on the eval questions; the shuffled-image
    // order shows every question another image, the same one on every call.
    void controlsAreImageBlind()
    {
        auto sample = [](const std::string &id, const std::string &image, const std::string &q,
                         const std::string &a, const std::string &type) {
            return parseJson(R"({"id": ")" + id + R"(", "image": ")" + image + R"(", "type": ")" + type
                               + R"(", "conversations": [{"from": "human", "value": "<image>\n)" + q
                               + R"("}, {"from": "gpt", "value": ")" + a + R"("}]})");
        };
        Json train = Json::array(), eval = Json::array();
        for (const auto &[a, type] : std::vector<std::pair<std::string, std::string>>{
                 {"yes", "existence"}, {"no", "existence"}, {"yes", "existence"}, {"bag", "position"},
                 {"Boot.", "position"}, {"boot", "position"}, {"2", "count"}, {"1", "count"}})
            train.push_back(sample("t" + std::to_string(train.size()), "t.png", "q", a, type));
        int n = 0;
        for (const auto &[image, a, type] : std::vector<std::tuple<std::string, std::string, std::string>>{
                 {"a.png", "yes", "existence"}, {"a.png", "boot", "position"}, {"b.png", "no", "existence"},
                 {"c.png", "1", "count"}, {"c.png", "bag", "position"}, {"d.png", "yes", "existence"}})
            eval.push_back(sample("e" + std::to_string(n++), image, "q", a, type));
        const std::string trainPath = m_dir.filePath("prior-train.json").toStdString();
        const std::string evalPath = m_dir.filePath("prior-eval.json").toStdString();
        writeTextFile(trainPath, train.dump());
        writeTextFile(evalPath, eval.dump());
        const ConversationDataset trainSet = ConversationDataset::load(trainPath, "");
        const ConversationDataset evalSet = ConversationDataset::load(evalPath, "");

        const TypePrior prior = typePriorOf({&trainSet});
        QCOMPARE(prior.at("existence"), std::string("yes"));
        QCOMPARE(prior.at("position"), std::string("boot")); // normalised: "Boot." and "boot"
        QCOMPARE(prior.at("count"), std::string("1"));       // a tie goes to the first in order
        const auto [overall, perType] = typePriorAccuracy(evalSet, prior);
        QCOMPARE(overall, 4.0 / 6.0);
        QCOMPARE(perType.at("existence"), 2.0 / 3.0);
        QCOMPARE(perType.at("position"), 0.5);
        QCOMPARE(perType.at("count"), 1.0);
        QCOMPARE(typePriorAccuracy(evalSet, prior, 2).first, 1.0);

        // A stage that mixes sets has the prior of all of them together.
        Json mixed = Json::array();
        for (int i = 0; i < 2; ++i)
            mixed.push_back(sample("m" + std::to_string(i), "m.png", "q", "No", "existence"));
        const std::string mixedPath = m_dir.filePath("prior-mixed.json").toStdString();
        writeTextFile(mixedPath, mixed.dump());
        const ConversationDataset mixedSet = ConversationDataset::load(mixedPath, "");
        const TypePrior both = typePriorOf({&trainSet, &mixedSet});
        QCOMPARE(both.at("existence"), std::string("no")); // 2 yes against 1 + 2 no
        QCOMPARE(both.at("position"), std::string("boot"));
        QCOMPARE(typePriorOf({&mixedSet}).count("position"), size_t(0));

        const std::vector<size_t> order = shuffledImageOrder(evalSet, evalSet.size());
        QCOMPARE(order.size(), evalSet.size());
        std::set<std::string> shown;
        for (size_t i = 0; i < order.size(); ++i) {
            QVERIFY(order[i] < evalSet.size());
            QVERIFY2(evalSet.imagePath(order[i]) != evalSet.imagePath(i), qPrintable(QString::number(i)));
            shown.insert(evalSet.imagePath(order[i]));
        }
        QCOMPARE(shown.size(), size_t(4)); // every image is shown to some question
        QCOMPARE(shuffledImageOrder(evalSet, evalSet.size()), order);
    }

    // lr_scale reaches the optimizer's groups; norms, biases, embeddings and
    // query banks are not decayed; what a stage does not train has no group.
    void optimizerGroupsFollowTheStage()
    {
        ModelConfig mc = test::tinyModelConfig();
        Mllm model(mc);
        StageConfig st;
        st.lr = 1e-3;
        st.weightDecay = 0.05;
        st.train = {"connector", "lm"};
        st.lrScale = {{"connector", 2.0}, {"lm", 0.25}};
        StageOptimizer o = makeStageOptimizer(*model, st);
        auto &groups = o.optimizer->param_groups();
        QCOMPARE(groups.size(), size_t(4)); // connector and lm, decayed or not
        std::map<std::string, std::set<double>> lrsByPart;
        size_t grouped = 0;
        for (const auto &group : groups) {
            const auto &options = static_cast<const torch::optim::AdamWOptions &>(group.options());
            grouped += group.params().size();
            for (const auto &p : model->named_parameters()) {
                for (const auto &t : group.params()) {
                    if (!t.is_same(p.value()))
                        continue;
                    const std::string part = modelPartOf(p.key());
                    QVERIFY2(part != "vision", p.key().c_str());
                    lrsByPart[part].insert(options.lr());
                    QCOMPARE(options.weight_decay(), decays(p.key(), p.value()) ? 0.05 : 0.0);
                }
            }
        }
        QCOMPARE(lrsByPart["connector"], (std::set<double>{2e-3}));
        QCOMPARE(lrsByPart["lm"], (std::set<double>{2.5e-4}));
        QCOMPARE(grouped, o.params.size());
        for (const auto &p : model->named_parameters())
            QCOMPARE(p.value().requires_grad(), modelPartOf(p.key()) != std::string("vision"));
        QVERIFY(!decays("lm.embed_tokens.weight", torch::zeros({4, 4})));
        QVERIFY(!decays("connector.scales.0.queries", torch::zeros({4, 4})));
        QVERIFY(!decays("lm.norm.weight", torch::zeros({4})));
        QVERIFY(decays("lm.layers.0.mlp.gate_proj.weight", torch::zeros({4, 4})));

        // The schedule moves every group, each keeping its scale.
        setLearningRate(o, 1e-2);
        std::set<double> lrs;
        for (const auto &group : groups)
            lrs.insert(static_cast<const torch::optim::AdamWOptions &>(group.options()).lr());
        QCOMPARE(lrs, (std::set<double>{2e-2, 2.5e-3}));
    }

    // The AdamW every stage trains with moves weights and moments as
    // LibTorch's AdamW does, across groups of their own learning rate and
    // decay, a parameter without a gradient and a learning-rate change, by
    // its one-pass CPU loop and by the multi-tensor operations that take
    // what the loop cannot (here a transposed parameter; on a GPU, all); a
    // state saved by either continues in the other, so checkpoints keep
    // resuming.
    void fusedAdamWStepsAsLibTorchsAdamW()
    {
        using Options = torch::optim::AdamWOptions;
        auto fresh = [] {
            torch::manual_seed(3);
            return std::vector<torch::Tensor>{torch::randn({37, 5}).requires_grad_(),
                                              torch::randn({11}).requires_grad_(),
                                              torch::randn({4, 3}).requires_grad_(),
                                              torch::randn({7, 6}).t().requires_grad_()};
        };
        auto groupsOf = [](const std::vector<torch::Tensor> &p) {
            std::vector<torch::optim::OptimizerParamGroup> g;
            g.emplace_back(std::vector<torch::Tensor>{p[0], p[2], p[3]}, std::make_unique<Options>(Options(3e-2).weight_decay(0.1)));
            g.emplace_back(std::vector<torch::Tensor>{p[1]}, std::make_unique<Options>(Options(1e-2).weight_decay(0.0)));
            return g;
        };
        // Gradients of every size, including ones that leave a moment near
        // zero; p[2] gets none after the first step.
        auto feed = [](std::vector<torch::Tensor> &p, int step) {
            torch::manual_seed(100 + step);
            for (size_t i = 0; i < p.size(); ++i)
                p[i].mutable_grad() = i == 2 && step > 0 ? torch::Tensor()
                                      : i == 3           ? torch::randn({7, 6}).t() // strided as its parameter
                                                         : torch::randn(p[i].sizes()) * std::pow(10.0, double(i) - 2.0);
        };
        auto run = [&](torch::optim::Optimizer &o, std::vector<torch::Tensor> &p, int from, int to) {
            for (int step = from; step < to; ++step) {
                // As the trainer's schedule does, every step: halved from step 3.
                for (size_t g = 0; g < o.param_groups().size(); ++g)
                    static_cast<Options &>(o.param_groups()[g].options()).lr((g == 0 ? 3e-2 : 1e-2) * (step >= 3 ? 0.5 : 1.0));
                feed(p, step);
                o.step();
            }
        };
        auto close = [](const std::vector<torch::Tensor> &a, const std::vector<torch::Tensor> &b) {
            for (size_t i = 0; i < a.size(); ++i)
                if (!torch::allclose(a[i], b[i], /*rtol=*/1e-5, /*atol=*/1e-6))
                    return false;
            return true;
        };

        std::vector<torch::Tensor> ours = fresh(), theirs = fresh();
        FusedAdamW fused(groupsOf(ours));
        torch::optim::AdamW plain(groupsOf(theirs));
        run(fused, ours, 0, 6);
        run(plain, theirs, 0, 6);
        QVERIFY(!close(ours, fresh())); // the weights moved
        QVERIFY(close(ours, theirs));
        for (size_t i = 0; i < ours.size(); ++i) {
            auto &a = static_cast<torch::optim::AdamWParamState &>(*fused.state().at(optimizerStateKey(ours[i])));
            auto &b = static_cast<torch::optim::AdamWParamState &>(*plain.state().at(optimizerStateKey(theirs[i])));
            QCOMPARE(a.step(), b.step());
            QVERIFY(torch::allclose(a.exp_avg(), b.exp_avg(), 1e-5, 1e-9));
            QVERIFY(torch::allclose(a.exp_avg_sq(), b.exp_avg_sq(), 1e-5, 1e-12));
        }

        // Saved after four steps by one, continued for two by the other.
        for (const bool fusedFirst : {true, false}) {
            std::vector<torch::Tensor> p = fresh();
            std::unique_ptr<torch::optim::Optimizer> first, second;
            if (fusedFirst)
                first = std::make_unique<FusedAdamW>(groupsOf(p));
            else
                first = std::make_unique<torch::optim::AdamW>(groupsOf(p));
            run(*first, p, 0, 4);
            std::stringstream archive;
            torch::save(*first, archive);
            if (fusedFirst)
                second = std::make_unique<torch::optim::AdamW>(groupsOf(p));
            else
                second = std::make_unique<FusedAdamW>(groupsOf(p));
            torch::load(*second, archive);
            run(*second, p, 4, 6);
            QVERIFY2(close(p, ours), fusedFirst ? "fused, then LibTorch's" : "LibTorch's, then fused");
        }

        // A group with amsgrad makes the whole step LibTorch's own, bit for bit.
        std::vector<torch::Tensor> a = fresh(), b = fresh();
        FusedAdamW amsFused(groupsOf(a));
        torch::optim::AdamW amsPlain(groupsOf(b));
        for (auto *o : std::initializer_list<torch::optim::Optimizer *>{&amsFused, &amsPlain})
            static_cast<Options &>(o->param_groups()[1].options()).amsgrad(true);
        run(amsFused, a, 0, 4);
        run(amsPlain, b, 0, 4);
        for (size_t i = 0; i < a.size(); ++i)
            QVERIFY(torch::equal(a[i], b[i]));
    }

    // The decoder the benchmark trains from scratch can learn to find an item
    // among a short grid's cells from the question's word: the lookup every
    // existence question needs. Fails on a broken attention, position code,
    // loss mask or optimizer, which leave it at the commonest answer.
    void gradientClipAsLibTorchs()
    {
        // The clip that leaves the norm on the device scales gradients as
        // LibTorch's clip_grad_norm_ does, above and below the bound, and
        // passes over parameters without a gradient.
        for (const double bound : {0.5, 1e3}) {
            torch::manual_seed(4);
            std::vector<torch::Tensor> ours, theirs;
            for (const auto &shape : std::vector<std::vector<int64_t>>{{3, 5}, {7}, {2, 2, 2}}) {
                auto p = torch::randn(shape).requires_grad_(true);
                p.mutable_grad() = torch::randn(shape) * 0.7;
                ours.push_back(p);
                auto q = p.detach().clone().requires_grad_(true);
                q.mutable_grad() = p.grad().clone();
                theirs.push_back(q);
            }
            ours.push_back(torch::randn({4}).requires_grad_(true)); // no gradient
            theirs.push_back(ours.back().detach().clone().requires_grad_(true));
            const double norm = torch::nn::utils::clip_grad_norm_(theirs, bound);
            clipGradientNorm(ours, bound);
            QCOMPARE(norm > bound, bound == 0.5);
            for (size_t i = 0; i + 1 < ours.size(); ++i)
                QVERIFY2(torch::allclose(ours[i].grad(), theirs[i].grad(), 1e-6, 1e-7), qPrintable(QString::number(i)));
            QVERIFY(!ours.back().grad().defined());
        }
    }

    void freshDecoderLearnsAShortLookup()
    {
        LookupProbeOptions o;
        o.cells = 4;
        o.steps = 400; // learned by about step 250 here; the rest is margin for other BLAS kernels
        o.evalEvery = 400;
        o.lm.kvHeads = 2;
        std::vector<LookupProbePoint> points;
        runLookupProbe(o, [&](const LookupProbePoint &p) { points.push_back(p); });
        QCOMPARE(points.size(), size_t(1));
        QCOMPARE(points.back().step, 400);
        QVERIFY2(points.back().majority < 0.7, QByteArray::number(points.back().majority));
        QVERIFY2(points.back().accuracy > 0.9, QByteArray::number(points.back().accuracy));

        // The benchmark's caption words need whole rows.
        o.captionFormat = true;
        o.cells = 8;
        try {
            runLookupProbe(o, [](const LookupProbePoint &) {});
            QFAIL("an 8-cell grid was written as rows");
        } catch (const InputError &e) {
            QVERIFY2(std::string(e.what()).find("8 cells is not a square") != std::string::npos, e.what());
        }
        // So do one-word cell names (which write rows too) and labelled
        // cells, the longest wording: a 16-cell grid (the benchmark's) fits
        // the probe's language model, in both.
        o.captionFormat = false;
        o.cellWords = true;
        QVERIFY_THROWS_EXCEPTION(InputError, runLookupProbe(o, [](const LookupProbePoint &) {}));
        o.cellWords = false;
        o.cellLabels = true;
        QVERIFY_THROWS_EXCEPTION(InputError, runLookupProbe(o, [](const LookupProbePoint &) {}));
        o.cells = 16;
        o.steps = 1;
        o.evalEvery = 1;
        points.clear();
        runLookupProbe(o, [&](const LookupProbePoint &p) { points.push_back(p); });
        QCOMPARE(points.size(), size_t(1));
        o.cellWords = true; // "P X" per cell
        points.clear();
        runLookupProbe(o, [&](const LookupProbePoint &p) { points.push_back(p); });
        QCOMPARE(points.size(), size_t(1));
        // Filler words fit the probe's language model too; a negative count is refused.
        o.distractors = 32;
        points.clear();
        runLookupProbe(o, [&](const LookupProbePoint &p) { points.push_back(p); });
        QCOMPARE(points.size(), size_t(1));
        o.distractors = -1;
        QVERIFY_THROWS_EXCEPTION(InputError, runLookupProbe(o, [](const LookupProbePoint &) {}));
    }

    void runLearnsAndIsRecorded()
    {
        const QString config = writeConfig("tiny.yaml", tinyConfig(m_data));
        const QString db = m_dir.filePath("e2e.sqlite");
        const Result r = runBatch({"run", config, "--db", db, "--progress", "json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out.right(2000)));

        // The run id comes first, after the benchmark data is generated on first use.
        QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        while (!lines.isEmpty() && (lines.first().contains("\"event\":\"data\"") || lines.first().contains("\"event\":\"message\"")))
            lines.removeFirst();
        QVERIFY(!lines.isEmpty());
        const Json first = parseJson(lines.first().toStdString());
        QCOMPARE(first.at("event").get<std::string>(), std::string("run"));
        const int64_t id = first.at("run_id").get<int64_t>();

        // Loss falls in both language stages.
        std::map<std::string, std::vector<double>> losses;
        double accuracy = -1, majority = -1, typePrior = -1, shuffled = -1, reading = -1, readingPrior = -1;
        std::vector<std::string> messages;
        for (const QString &line : lines) {
            const Json e = parseJson(line.toStdString());
            const std::string kind = e.at("event").get<std::string>();
            if (kind == "message")
                messages.push_back(e.at("message").get<std::string>());
            if (kind == "step" && e.at("stage").get<int64_t>() > 0)
                losses[e.at("stage_name").get<std::string>()].push_back(e.at("loss").get<double>());
            if (kind == "eval") {
                accuracy = e.at("accuracy").get<double>();
                majority = e.at("majority_accuracy").get<double>();
                typePrior = e.at("type_prior").get<double>();
                shuffled = e.at("shuffled_accuracy").get<double>();
                reading = e.at("cell_reading").get<double>();
                readingPrior = e.at("cell_reading_prior").get<double>();
            }
        }
        for (const auto &[stage, values] : losses) {
            QVERIFY2(values.size() > 20, stage.c_str());
            auto mean = [](auto b, auto e) { return std::accumulate(b, e, 0.0) / double(e - b); };
            const double head = mean(values.begin(), values.begin() + 10);
            const double tail = mean(values.end() - 10, values.end());
            QVERIFY2(tail < head * 0.8, qPrintable(QString("%1: %2 -> %3").arg(stage.c_str()).arg(head).arg(tail)));
        }
        const QString figures = QString("accuracy %1, majority %2, type prior %3, shuffled images %4, "
                                        "cell reading %5 (blind %6)")
                                    .arg(accuracy)
                                    .arg(majority)
                                    .arg(typePrior)
                                    .arg(shuffled)
                                    .arg(reading)
                                    .arg(readingPrior);
        qInfo("%s", qPrintable(figures));
        QVERIFY2(accuracy > majority + 0.1, qPrintable(figures));

        ExperimentStore store(db.toStdString());
        const RunDetail d = store.run(id);
        QCOMPARE(d.run.status, RunStatus::Finished);
        // The run records which BLAS its products ran on.
        const Json versions = parseJson(d.run.versions);
        QVERIFY2(findKey(versions, "blas") && versions.at("blas").is_string(), d.run.versions.c_str());
        QCOMPARE(versions.at("blas").get<std::string>(), blasSummary(blasInfo()));
        // The config leaves precision at auto: the stored config says what
        // each language stage ran in, and the log says why.
        const RunConfig stored = RunConfig::fromJson(parseJson(d.run.config), "stored");
        QCOMPARE(stored.stages[0].precision, std::string("fp32")); // the tower trains in fp32
        for (size_t i = 1; i < 3; ++i) {
            const std::string used = stored.stages[i].precision;
            QVERIFY2(used == "fp32" || used == "bf16", used.c_str());
            const std::string note = "precision auto: " + used + " (";
            QVERIFY2(std::any_of(messages.begin(), messages.end(),
                                 [&](const std::string &m) { return m.rfind(note, 0) == 0; }),
                     note.c_str());
        }
        QCOMPARE(d.stages.size(), size_t(3));
        QCOMPARE(d.stages[1].visualTokens, 8);
        QCOMPARE(d.stages[2].visualTokens, 16 + 64); // (2^2 x 4) + (8^2 x 1)
        QCOMPARE(d.stages[2].resolution, 56);
        for (size_t i = 1; i < 3; ++i) {
            QVERIFY(d.stages[i].wallSeconds && *d.stages[i].wallSeconds > 0);
            QVERIFY(d.stages[i].samplesPerSecond && *d.stages[i].samplesPerSecond > 0);
            QVERIFY(d.stages[i].lmTokensPerSecond && *d.stages[i].lmTokensPerSecond > 0);
            QVERIFY(d.stages[i].finalLoss);
        }
        QVERIFY(d.finalEvaluation);
        QCOMPARE(d.finalEvaluation->accuracy, accuracy);
        QCOMPARE(d.finalEvaluation->perType.size(), size_t(4));
        // The controls are stored with the evaluation, per type too.
        QCOMPARE(d.finalEvaluation->typePrior, std::optional<double>(typePrior));
        QCOMPARE(d.finalEvaluation->shuffledAccuracy, std::optional<double>(shuffled));
        QCOMPARE(d.finalEvaluation->typePriorPerType.size(), size_t(4));
        QCOMPARE(d.finalEvaluation->shuffledPerType.size(), size_t(4));
        QCOMPARE(store.metricCount(id, "loss"), int64_t(60 + 150));
        QVERIFY(!d.checkpoints.empty());
        QVERIFY(QFile::exists(QString::fromStdString(d.checkpoints.back().path) + "/model.safetensors"));
        QVERIFY(QFile::exists(QString::fromStdString(d.checkpoints.back().path) + "/tokenizer.json"));
    }

    // A model that answers without looking scores its controls; one that
    // reads beats both. On one cell per image the lookup is trivial, so what
    // the margin checks is the path from pixels to answer: tower, connector
    // (scaled in fine-tuning), visual tokens in the language model, and the
    // evaluation's pairing of questions with their images. Measured on three
    // data seeds at one and two threads: 0.67-0.69 against a type prior of
    // 0.38-0.42 and shuffled images of 0.30-0.32 (400 questions, se 0.024).
    void modelReadsTheImage()
    {
        // Pre-trained on captions, fine-tuned with some kept: it must also
        // caption the eval images better than naming every cell blind.
        QString text = tinyConfig(m_dir.filePath("one-cell"), 150, 300,
                                  "train_images: 400, test_images: 100, grid: 1, cell_pixels: 28, fill: 0.8", 200);
        const QString plain = "train: [connector, lm], scaling:";
        QVERIFY(text.contains(plain));
        text.replace(plain, "train: [connector, lm], mix: [{data: pretrain.json, weight: 0.2}], scaling:");
        const QString config = writeConfig("one-cell.yaml", text);
        const Result r = runBatch({"run", config, "--db", m_dir.filePath("one-cell.sqlite"), "--progress", "json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out.right(2000)));
        std::optional<Json> eval;
        for (const QString &line : r.out.split('\n', Qt::SkipEmptyParts)) {
            Json e = parseJson(line.toStdString());
            if (e.at("event").get<std::string>() == "eval")
                eval = std::move(e);
        }
        QVERIFY(eval);
        const double accuracy = eval->at("accuracy").get<double>();
        const double typePrior = eval->at("type_prior").get<double>();
        const double shuffled = eval->at("shuffled_accuracy").get<double>();
        const double reading = eval->at("cell_reading").get<double>();
        const double readingPrior = eval->at("cell_reading_prior").get<double>();
        const QString figures = QString("accuracy %1, type prior %2, shuffled images %3 on %4 questions; "
                                        "cell reading %5, blind %6")
                                    .arg(accuracy)
                                    .arg(typePrior)
                                    .arg(shuffled)
                                    .arg(eval->at("n").get<int64_t>())
                                    .arg(reading)
                                    .arg(readingPrior);
        qInfo("%s", qPrintable(figures));
        QVERIFY2(eval->at("n").get<int64_t>() >= 400, qPrintable(figures));
        QVERIFY2(accuracy > typePrior + 0.1, qPrintable(figures));
        QVERIFY2(accuracy > shuffled + 0.1, qPrintable(figures));
        QVERIFY2(reading > readingPrior + 0.1, qPrintable(figures));
    }

    void resumeEqualsUninterrupted()
    {
        // Fine-tuning mixes captions into its questions and scales the LM's
        // learning rate: the resume restores both datasets' positions.
        QString text = tinyConfig(m_data, 30, 40);
        const QString plain = "train: [connector, lm], scaling:";
        QVERIFY(text.contains(plain));
        text.replace(plain, "train: [connector, lm], mix: [{data: pretrain.json, weight: 0.3}], lr_scale: {lm: 0.5},\n"
                            "     scaling:");
        const QString config = writeConfig("resume.yaml", text);
        const RunConfig run = RunConfig::load(config.toStdString());
        QCOMPARE(run.stages[2].mix.size(), size_t(1));
        ExperimentStore store(m_dir.filePath("resume.sqlite").toStdString());

        auto finalWeights = [&](int64_t id) {
            return readSafetensors(store.run(id).checkpoints.back().path + "/model.safetensors");
        };
        auto losses = [&](int64_t id) {
            std::vector<double> out;
            for (const auto &p : store.metricSeries(id, "loss", 1000))
                out.push_back(p.value);
            return out;
        };

        Trainer straight(run, store, {}, {});
        const int64_t a = straight.createRun("straight");
        QCOMPARE(int(straight.run(a)), int(RunOutcome::Finished));

        // Stop after step 17 of fine-tuning, as a SIGTERM handler would.
        const auto interrupted = runUntilReported(run, store, "interrupted", "finetune", 17);
        const int64_t b = interrupted.first;
        QCOMPARE(int(interrupted.second), int(RunOutcome::Interrupted));
        QCOMPARE(store.run(b).run.status, RunStatus::Interrupted);
        // The store says exactly where it stopped, for the run list and `show`.
        const std::optional<RunProgress> stopped = store.run(b).run.progress;
        QVERIFY(stopped && !stopped->evaluating);
        QCOMPARE(stopped->stage, 2);
        QCOMPARE(stopped->stages, 3);
        QCOMPARE(stopped->stageName, std::string("finetune"));
        QCOMPARE(stopped->step, int64_t(17));
        QCOMPARE(stopped->totalSteps, int64_t(40));
        const std::string from = store.run(b).checkpoints.back().path;
        QVERIFY2(QString::fromStdString(from).endsWith("stage2-at-step17"), from.c_str());
        // The generator state is kept by LibTorch's own serialisation; a
        // damaged one is refused, naming the file, and the run stays as it was.
        QVERIFY(QFile::exists(QString::fromStdString(from + "/rng.pt")));
        QVERIFY(!findKey(parseJsonFile(from + "/trainer_state.json"), "rng"));
        const QByteArray rngBytes = test::readFile(QString::fromStdString(from + "/rng.pt"));
        QVERIFY(test::writeFile(QString::fromStdString(from + "/rng.pt"), "not a tensor"));
        Trainer refused(run, store, {}, {});
        const std::string rngError = test::thrownMessage<InputError>([&] { refused.run(b, from); });
        QVERIFY2(QString::fromStdString(rngError).contains("rng.pt: not a random generator state"), rngError.c_str());
        QCOMPARE(store.run(b).run.status, RunStatus::Interrupted);
        QVERIFY(test::writeFile(QString::fromStdString(from + "/rng.pt"), rngBytes));

        Trainer resumed(run, store, {}, {});
        QCOMPARE(int(resumed.run(b, from)), int(RunOutcome::Finished));
        QCOMPARE(store.run(b).run.status, RunStatus::Finished);
        // Its last record is the final stage's end: the evaluation's last question.
        const std::optional<RunProgress> ended = store.run(b).run.progress;
        QVERIFY(ended && ended->stage == 2 && ended->evaluating && ended->step == ended->totalSteps);

        const StateDict wa = finalWeights(a), wb = finalWeights(b);
        QCOMPARE(wa.size(), wb.size());
        for (const auto &[name, t] : wa)
            QVERIFY2(torch::allclose(t, wb.at(name), 1e-5, 1e-6), name.c_str());
        const auto la = losses(a), lb = losses(b);
        QCOMPARE(la.size(), lb.size());
        for (size_t i = 0; i < la.size(); ++i)
            QVERIFY2(std::abs(la[i] - lb[i]) < 1e-4, qPrintable(QString("loss %1: %2 vs %3").arg(i).arg(la[i]).arg(lb[i])));
        QCOMPARE(store.run(b).finalEvaluation->accuracy, store.run(a).finalEvaluation->accuracy);

        // A checkpoint written before mixed stages holds one `loader`
        // position, and the generator state as hex in trainer_state.json
        // instead of rng.pt; it resumes the same way.
        const auto early = runUntilReported(run, store, "early", "pretrain", 12);
        const int64_t c = early.first;
        QCOMPARE(int(early.second), int(RunOutcome::Interrupted));
        const std::string at = store.run(c).checkpoints.back().path;
        const std::string stateFile = at + "/trainer_state.json";
        Json state = parseJsonFile(stateFile);
        QCOMPARE(state.at("loaders").size(), size_t(1));
        state["loader"] = state.at("loaders").at(0);
        state.erase("loaders");
        torch::Tensor rng;
        torch::load(rng, at + "/rng.pt");
        std::string hex;
        for (int64_t i = 0; i < rng.numel(); ++i)
            hex += QString::asprintf("%02x", rng[i].item<uint8_t>()).toStdString();
        state["rng"] = hex;
        QVERIFY(QFile::remove(QString::fromStdString(at + "/rng.pt")));
        writeTextFile(stateFile, state.dump(2));
        Trainer continued(run, store, {}, {});
        QCOMPARE(int(continued.run(c, at)), int(RunOutcome::Finished));
        const StateDict wc = finalWeights(c);
        for (const auto &[name, t] : wa)
            QVERIFY2(torch::allclose(t, wc.at(name), 1e-5, 1e-6), name.c_str());
    }

    // A text stage trains the language model on captions with questions and
    // nothing else: the tower and the connector leave it as they entered, and
    // a later stage may mix text samples into its image batches.
    void textStageTrainsTheLanguageModelAlone()
    {
        QString text = tinyConfig(m_data, 5, 10);
        const QString pretrain = "  - {name: pretrain,";
        QVERIFY(text.contains(pretrain));
        text.replace(pretrain, "  - {name: reading, kind: text, data: text-short.json, steps: 40, batch_size: 16, lr: 2.0e-3,\n"
                               "     warmup_steps: 5, mix: [{data: text.json, weight: 0.5}], evaluate: true}\n"
                                   + pretrain);
        const QString finetune = "train: [connector, lm], scaling:";
        QVERIFY(text.contains(finetune));
        text.replace(finetune, "train: [connector, lm], mix: [{data: text.json, weight: 0.3}], scaling:");
        RunConfig run = RunConfig::load(writeConfig("text-stage.yaml", text).toStdString());
        QCOMPARE(run.stages[1].train, std::vector<std::string>{"lm"}); // a text stage's default
        run.data.featureCache = true;
        ExperimentStore store(m_dir.filePath("text-stage.sqlite").toStdString());
        // The text stage is scored on the eval questions after their caption:
        // every one of them, with the type prior and no image to shuffle.
        std::optional<Json> textEval;
        Trainer trainer(run, store, {}, [&](const TrainingEvent &e) {
            if (e.kind == "eval" && e.stageName == "reading")
                textEval = e.toJson();
        });
        const int64_t id = trainer.createRun("text-stage");
        QCOMPARE(int(trainer.run(id)), int(RunOutcome::Finished));

        const RunDetail d = store.run(id);
        QCOMPARE(d.stages.size(), size_t(4));
        QVERIFY(textEval);
        QCOMPARE(textEval->at("n").get<int64_t>(), int64_t(40 * 4));
        QVERIFY(textEval->at("type_prior").is_number());
        QVERIFY(textEval->at("shuffled_accuracy").is_null());
        QVERIFY(textEval->at("cell_reading").is_null());
        QCOMPARE(d.stages[1].kind, std::string("text"));
        QCOMPARE(d.stages[1].visualTokens, 0);
        QCOMPARE(d.stages[1].resolution, 0);
        // Its time is not one that leaves the tower out (it never ran the tower); the next stage's is.
        QVERIFY(!d.stages[1].featureCache);
        QVERIFY(d.stages[2].featureCache);
        // `show` prints no tokens or resolution for it, the image stages' for the rest.
        const Result shown = runBatch({"show", QString::number(id), "--db", m_dir.filePath("text-stage.sqlite")});
        QCOMPARE(shown.exitCode, 0);
        const QStringList reading = shown.out.split('\n').filter("stage 1 reading");
        QCOMPARE(reading.size(), 1);
        QVERIFY2(reading[0].contains(QRegularExpression(" - tokens +- px ")), qPrintable(reading[0]));
        QVERIFY2(shown.out.contains(QRegularExpression("stage 2 pretrain .* 8 tokens +28 px ")), qPrintable(shown.out));
        // The vision stage trains the tower alone: it sees the images at its
        // resolution but makes no visual tokens.
        QCOMPARE(d.stages[0].kind, std::string("vision"));
        QCOMPARE(d.stages[0].visualTokens, 0);
        QCOMPARE(d.stages[0].resolution, 28);
        QVERIFY2(shown.out.contains(QRegularExpression("stage 0 vision .* - tokens +28 px ")), qPrintable(shown.out));
        QVERIFY(d.stages[1].lmTokensPerSecond && *d.stages[1].lmTokensPerSecond > 0);
        std::vector<double> losses;
        for (const auto &p : store.metricSeries(id, "loss", 1000, std::nullopt, 1))
            losses.push_back(p.value);
        QCOMPARE(losses.size(), size_t(40));
        const double head = std::accumulate(losses.begin(), losses.begin() + 5, 0.0) / 5;
        const double tail = std::accumulate(losses.end() - 5, losses.end(), 0.0) / 5;
        QVERIFY2(tail < head * 0.8, qPrintable(QString("%1 -> %2").arg(head).arg(tail)));

        // The connector leaves the text stage as the run initialised it.
        torch::manual_seed(run.stages.front().seed);
        const StateDict initial = stateDict(*Mllm(run.model));
        const CheckpointRecord *end = Trainer::stageEndCheckpoint(d, 1);
        QVERIFY(end);
        // Named by the steps the stage ran.
        QVERIFY2(QString::fromStdString(end->path).endsWith("stage1-end-step40"), end->path.c_str());
        const StateDict after = readSafetensors(end->path + "/model.safetensors");
        QCOMPARE(after.size(), initial.size());
        int lmChanged = 0, connectorSame = 0;
        for (const auto &[name, t] : initial) {
            const QString n = QString::fromStdString(name);
            const bool same = torch::equal(t, after.at(name));
            if (n.startsWith("lm."))
                lmChanged += same ? 0 : 1;
            if (n.startsWith("connector.")) {
                QVERIFY2(same, name.c_str());
                ++connectorSame;
            }
        }
        QVERIFY(lmChanged > 10);
        QVERIFY(connectorSame > 10);
        QVERIFY(d.finalEvaluation);
    }

    void textStageIsCachedAndShared()
    {
        // The language model a text stage leaves is cached like the vision
        // tower: a second run takes it from the cache without training, bit
        // for bit the first run's, and ends where the first ended.
        QString text = tinyConfig(m_data, 5, 5);
        const QString pretrain = "  - {name: pretrain,";
        text.replace(pretrain, "  - {name: words, kind: text, data: text-short.json, steps: 30, batch_size: 8, lr: 2.0e-3,\n"
                               "     warmup_steps: 5, evaluate: true}\n"
                                   + pretrain);
        const RunConfig run = RunConfig::load(writeConfig("text-cache.yaml", text).toStdString());
        ExperimentStore store(m_dir.filePath("text-cache.sqlite").toStdString());
        std::vector<std::string> stageEnds;
        std::vector<double> textAccuracies;
        std::string identity;
        StageConfig textStage; // as the trainer resolved it (precision: auto)
        auto runOnce = [&] {
            Trainer trainer(run, store, {}, [&](const TrainingEvent &e) {
                if (e.kind == "stage_end" && e.stage == 1)
                    stageEnds.push_back(e.text);
                if (e.kind == "eval" && e.stage == 1)
                    textAccuracies.push_back(e.data.at("accuracy").get<double>());
            });
            const int64_t id = trainer.createRun("text-cache");
            [&] { QCOMPARE(int(trainer.run(id)), int(RunOutcome::Finished)); }();
            identity = trainer.data().identity;
            textStage = trainer.config().stages[1];
            return store.run(id);
        };
        const RunDetail first = runOnce(), second = runOnce();
        QCOMPARE(stageEnds.size(), size_t(2));
        QVERIFY2(QString::fromStdString(stageEnds[0]).startsWith("language model trained and cached in"), stageEnds[0].c_str());
        QVERIFY2(QString::fromStdString(stageEnds[1]).startsWith("language model from cache"), stageEnds[1].c_str());
        QCOMPARE(first.stages[1].steps, int64_t(30));
        QCOMPARE(second.stages[1].steps, int64_t(0));
        // The store says so, for `show`: and the first run's tower, too.
        QVERIFY(!first.stages[1].fromCache && second.stages[1].fromCache);
        QVERIFY(second.stages[0].fromCache);
        // The cached stage is still evaluated, with the same result.
        QCOMPARE(textAccuracies.size(), size_t(2));
        QCOMPARE(textAccuracies[0], textAccuracies[1]);
        QVERIFY(store.metricSeries(second.run.id, "loss", 1000, std::nullopt, 1).empty());

        auto checkpoint = [](const RunDetail &d, int stage) {
            const CheckpointRecord *end = Trainer::stageEndCheckpoint(d, stage);
            return end ? readSafetensors(end->path + "/model.safetensors") : StateDict{};
        };
        // The cached stage trained nothing in the second run, and its checkpoint says so.
        QVERIFY(QString::fromStdString(Trainer::stageEndCheckpoint(second, 1)->path).endsWith("stage1-end-step0"));
        for (int stage : {1, 3}) {
            const StateDict a = checkpoint(first, stage), b = checkpoint(second, stage);
            QVERIFY2(!a.empty() && a.size() == b.size(), qPrintable(QString::number(stage)));
            for (const auto &[name, t] : a)
                QVERIFY2(torch::equal(t, b.at(name)), ("stage " + std::to_string(stage) + ": " + name).c_str());
        }

        // The entry is keyed by what the stage learns from.
        torch::manual_seed(run.stages.front().seed);
        const StateDict entering = stateDict(*Mllm(run.model));
        const std::string dir = textStageCacheDir(run.stageModels[1], textStage, identity, entering);
        QVERIFY(QFile::exists(QString::fromStdString(dir) + "/lm.safetensors"));
        StageConfig renamed = textStage;
        renamed.name = "other";
        renamed.device = "cuda";
        renamed.evaluate = false;
        QCOMPARE(textStageCacheDir(run.stageModels[1], renamed, identity, entering), dir);
        // max_seq_len bounds sequences and changes no weight (rotary positions).
        ModelConfig longer = run.stageModels[1];
        longer.lm.maxSeqLen *= 2;
        QCOMPARE(textStageCacheDir(longer, textStage, identity, entering), dir);
        ModelConfig wider = run.stageModels[1];
        wider.lm.mlpHidden *= 2;
        QVERIFY(textStageCacheDir(wider, textStage, identity, entering) != dir);
        StageConfig faster = textStage;
        faster.lr *= 2;
        QVERIFY(textStageCacheDir(run.stageModels[1], faster, identity, entering) != dir);
        QVERIFY(textStageCacheDir(run.stageModels[1], textStage, identity + "x", entering) != dir);
        StateDict other = entering;
        other.begin()->second = other.begin()->second + 1; // the first tensor is the connector's
        QCOMPARE(textStageCacheDir(run.stageModels[1], textStage, identity, other), dir);
        other = entering;
        other.at("lm.norm.weight") = other.at("lm.norm.weight") * 2;
        QVERIFY(textStageCacheDir(run.stageModels[1], textStage, identity, other) != dir);
    }

    void runsOnOneSetShareItsTokenizer()
    {
        // A run that loads only image files numbers its words as one that
        // loads the text files too: the set's tokenizer.json decides.
        const QString data = m_dir.filePath("data-words");
        QString text = tinyConfig(data, 5, 5);
        const RunConfig images = RunConfig::load(writeConfig("words-images.yaml", text).toStdString());
        text.replace("  - {name: pretrain,", "  - {name: words, kind: text, data: text.json, steps: 5, batch_size: 8}\n"
                                              "  - {name: pretrain,");
        const RunConfig texts = RunConfig::load(writeConfig("words-texts.yaml", text).toStdString());
        const PreparedData a = prepareRunData(images, {}), b = prepareRunData(texts, {});
        QVERIFY(!a.datasets.count("text.json") && b.datasets.count("text.json"));
        QCOMPARE(a.tokenizer.words()->toJson().dump(), b.tokenizer.words()->toJson().dump());
        QCOMPARE(a.tokenizer.words()->toJson().dump(),
                 WordTokenizer::load((data + "/tokenizer.json").toStdString()).toJson().dump());

        // A tokenizer.json that lacks a word of the data is refused by name.
        Json broken = parseJsonFile((data + "/tokenizer.json").toStdString());
        Json kept = Json::array();
        for (const Json &token : broken.at("tokens"))
            if (token.get<std::string>() != "nothing")
                kept.push_back(token);
        broken["tokens"] = kept;
        writeTextFile((data + "/tokenizer.json").toStdString(), broken.dump());
        try {
            prepareRunData(images, {});
            QFAIL("a tokenizer without 'nothing' was accepted");
        } catch (const InputError &e) {
            const QString message = e.what();
            QVERIFY2(message.contains(data + "/tokenizer.json: lacks the word 'nothing'"), qPrintable(message));
        }
    }

    void featureCacheTrainsTheSame()
    {
        // With the tower frozen, cached features must give the training an
        // uncached run gets, and the stage record says the cache was used.
        const QString config = writeConfig("cache.yaml", tinyConfig(m_data, 25, 25));
        ExperimentStore store(m_dir.filePath("cache.sqlite").toStdString());
        RunConfig plain = RunConfig::load(config.toStdString());
        RunConfig cached = plain;
        cached.data.featureCache = true;

        Trainer a(plain, store, {}, {});
        const int64_t ia = a.createRun("plain");
        QCOMPARE(int(a.run(ia)), int(RunOutcome::Finished));
        Trainer b(cached, store, {}, {});
        const int64_t ib = b.createRun("cached");
        QCOMPARE(int(b.run(ib)), int(RunOutcome::Finished));

        const auto la = store.metricSeries(ia, "loss", 1000), lb = store.metricSeries(ib, "loss", 1000);
        QCOMPARE(la.size(), lb.size());
        for (size_t i = 0; i < la.size(); ++i)
            QVERIFY2(std::abs(la[i].value - lb[i].value) < 1e-3,
                     qPrintable(QString("step %1: %2 vs %3").arg(i).arg(la[i].value).arg(lb[i].value)));
        const RunDetail da = store.run(ia), db = store.run(ib);
        QVERIFY(!da.stages[1].featureCache && !da.stages[2].featureCache);
        QVERIFY(db.stages[1].featureCache && db.stages[2].featureCache);
        QVERIFY(!db.stages[0].featureCache); // the vision stage trains the tower
    }

    void lossesReadBackInGroupsRecordEveryStep()
    {
        // A stage may read its losses back from the device every few steps
        // (a GPU then never waits for a step): every step is still recorded,
        // as when each is read at once, and a stop still leaves a checkpoint
        // that resumes to the same weights.
        const QString config = writeConfig("readback.yaml", tinyConfig(m_data, 25, 25));
        ExperimentStore store(m_dir.filePath("readback.sqlite").toStdString());
        const RunConfig each = RunConfig::load(config.toStdString());
        QCOMPARE(each.stages[1].logInterval, 0); // the default: every step on the CPU
        RunConfig grouped = each;
        for (StageConfig &st : grouped.stages)
            st.logInterval = 7;

        Trainer a(each, store, {}, {});
        const int64_t ia = a.createRun("each step");
        QCOMPARE(int(a.run(ia)), int(RunOutcome::Finished));
        std::map<std::string, std::vector<int64_t>> reported;
        Trainer b(grouped, store, {}, [&](const TrainingEvent &e) {
            if (e.kind == "step" && e.stage > 0)
                reported[e.stageName].push_back(e.step);
        });
        const int64_t ib = b.createRun("every 7 steps");
        QCOMPARE(int(b.run(ib)), int(RunOutcome::Finished));

        std::vector<int64_t> all(25);
        std::iota(all.begin(), all.end(), 1);
        QCOMPARE(reported["pretrain"], all);
        QCOMPARE(reported["finetune"], all);
        for (const char *series : {"loss", "lr", "step_seconds"}) {
            const auto pa = store.metricSeries(ia, series, 1000), pb = store.metricSeries(ib, series, 1000);
            QCOMPARE(pb.size(), size_t(50));
            QCOMPARE(pa.size(), pb.size());
            for (size_t i = 0; i < pa.size(); ++i) {
                QCOMPARE(pb[i].step, pa[i].step);
                if (std::string(series) == "step_seconds")
                    QVERIFY(pb[i].value > 0);
                else
                    QVERIFY2(std::abs(pa[i].value - pb[i].value) <= 1e-6 * std::abs(pa[i].value),
                             qPrintable(QString("%1 %2: %3 vs %4").arg(series).arg(i).arg(pa[i].value).arg(pb[i].value)));
            }
        }
        const RunDetail da = store.run(ia), db = store.run(ib);
        QCOMPARE(db.stages[2].finalLoss, da.stages[2].finalLoss);

        // A stop asked for when step 3 is reported takes effect before the
        // next step: read every step, the checkpoint would be at step 3;
        // read in groups of 7, step 3 is reported after step 7.
        const auto stopped = runUntilReported(grouped, store, "stopped", "finetune", 3);
        const int64_t ic = stopped.first;
        QCOMPARE(int(stopped.second), int(RunOutcome::Interrupted));
        const std::string from = store.run(ic).checkpoints.back().path;
        QVERIFY2(QString::fromStdString(from).endsWith("stage2-at-step7"), from.c_str());
        QCOMPARE(store.metricSeries(ic, "loss", 1000).size(), size_t(25 + 7));
        Trainer resumed(grouped, store, {}, {});
        QCOMPARE(int(resumed.run(ic, from)), int(RunOutcome::Finished));
        const StateDict wa = readSafetensors(da.checkpoints.back().path + "/model.safetensors");
        const StateDict wc = readSafetensors(store.run(ic).checkpoints.back().path + "/model.safetensors");
        for (const auto &[name, t] : wa)
            QVERIFY2(torch::allclose(t, wc.at(name), 1e-5, 1e-6), name.c_str());
    }

    void sigtermLeavesALoadableCheckpoint()
    {
        const QString config = writeConfig("long.yaml", tinyConfig(m_data, 100000, 10));
        const QString db = m_dir.filePath("sigterm.sqlite");
        QProcess *p = startBatch({"run", config, "--db", db, "--progress", "json"}, m_cache);
        // Wait until pre-training is under way, then ask it to stop.
        bool training = false;
        while (!training && p->waitForReadyRead(120000))
            while (p->canReadLine())
                training = training || p->readLine().contains("\"stage_name\":\"pretrain\",\"step\"");
        QVERIFY(training);
        ::kill(static_cast<pid_t>(p->processId()), SIGTERM);
        const Result r = finish(p);
        QCOMPARE(r.exitCode, 1);

        ExperimentStore store(db.toStdString());
        const RunDetail d = store.run(1);
        QCOMPARE(d.run.status, RunStatus::Interrupted);
        QVERIFY(!d.checkpoints.empty());
        const Checkpoint ck = loadCheckpoint(d.checkpoints.back().path);
        Mllm model = instantiate(ck, d.checkpoints.back().path);
        QCOMPARE(visualTokens(model->config()), 8);
        QVERIFY(QFile::exists(QString::fromStdString(d.checkpoints.back().path) + "/trainer_state.json"));
        QVERIFY(QFile::exists(QString::fromStdString(d.checkpoints.back().path) + "/optimizer.pt"));
    }

    void badInputExitsTwoBeforeTheStoreIsTouched_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown key") << "name: tiny" << "name: tiny\nnmae: x" << QStringList() << "nmae: unknown key";
        QTest::newRow("wrong type") << "steps: 60, batch_size: 16, lr: 2.0e-3, train: [vision]"
                                    << "steps: sixty, batch_size: 16, lr: 2.0e-3, train: [vision]" << QStringList()
                                    << "stages[0].steps: expected an integer";
        QTest::newRow("missing dataset") << "kind: pretrain," << "kind: pretrain, data: nowhere.json," << QStringList()
                                         << "nowhere.json";
        QTest::newRow("no cuda") << "name: tiny" << "name: tiny" << QStringList{"--device", "cuda"} << "device 'cuda'";
        QTest::newRow("bad override") << "name: tiny" << "name: tiny" << QStringList{"--set", "model.lm.width=wide"}
                                      << "model.lm.width: expected an integer";
        const QString finetune = "train: [connector, lm], scaling:";
        QTest::newRow("unknown part in lr_scale") << finetune << "lr_scale: {projector: 2}, " + finetune << QStringList()
                                                  << "stages[2].lr_scale.projector: unknown key";
        QTest::newRow("negative lr_scale") << finetune << "lr_scale: {lm: -1}, " + finetune << QStringList()
                                           << "stages[2].lr_scale.lm: must be a positive multiplier of lr";
        QTest::newRow("mix without weight") << finetune << "mix: [{data: pretrain.json}], " + finetune << QStringList()
                                            << "stages[2].mix[0].weight: must be a share of the batches in (0, 1), got 0";
        QTest::newRow("mix leaves nothing")
            << finetune << "mix: [{data: pretrain.json, weight: 0.6}, {data: more.json, weight: 0.5}], " + finetune
            << QStringList() << "stages[2].mix: the shares add up to 1.1";
        QTest::newRow("training on the eval set") << finetune << "mix: [{data: eval.json, weight: 0.2}], " + finetune
                                                  << QStringList() << "stages[2].mix: 'eval.json' is an evaluation set (data.eval)";
        QTest::newRow("text stage training the connector")
            << "kind: pretrain," << "kind: text," << QStringList()
            << "stages[1].train: a text stage sees no image, so 'connector' cannot learn in it";
        const QString pretrainStage = "kind: pretrain, steps: 60, batch_size: 16, lr: 2.0e-3, warmup_steps: 5, train: [connector, lm]";
        QTest::newRow("text stage on images")
            << pretrainStage << "kind: text, data: pretrain.json, steps: 60, batch_size: 16, lr: 2.0e-3, train: [lm]"
            << QStringList() << "pretrain.json: holds image samples, but stage pretrain is a text stage";
        QTest::newRow("image stage on text") << "kind: pretrain," << "kind: pretrain, data: text.json," << QStringList()
                                             << "text.json: holds text samples, but stage pretrain (pretrain) trains on images";
        QTest::newRow("scaling in a text stage")
            << "kind: finetune, steps: 150, batch_size: 16, lr: 2.0e-3, warmup_steps: 5,\n     train: [connector, lm], scaling:"
            << "kind: text, steps: 150, batch_size: 16, lr: 2.0e-3, warmup_steps: 5,\n     train: [lm], scaling:"
            << QStringList() << "stages[2].scaling: a text stage has no visual tokens";
        QTest::newRow("mix of a missing file") << finetune << "mix: [{data: gone.json, weight: 0.2}], " + finetune
                                               << QStringList() << "gone.json";
        // LLaVA's first stage trains the projector alone: text mixed into it
        // would have no gradient (LibTorch stopped with a stack trace).
        QTest::newRow("text mixed into a connector-only stage")
            << finetune << "mix: [{data: text.json, weight: 0.2}], train: [connector], scaling:" << QStringList()
            << "stages[2].mix[0].data: " + m_data
                   + "/text.json holds text only, but stage finetune trains no part that sees text (it trains connector)";
        // Fine-tuning's 80 visual tokens and a question take 94: refused before
        // the tower trains, not when a batch first draws the sample.
        QTest::newRow("sequence beyond max_seq_len")
            << "max_seq_len: 256" << "max_seq_len: 90" << QStringList()
            << "model.lm.max_seq_len: 90 is too short: sample train-000000-q0 of " + m_data
                   + "/finetune.json in stage finetune takes 94 tokens with the stage's 80 visual tokens";
    }
    void badInputExitsTwoBeforeTheStoreIsTouched()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QStringList, extra);
        QFETCH(QString, expected);
        QString text = tinyConfig(m_data);
        QVERIFY(text.contains(from));
        text.replace(text.indexOf(from), from.size(), to);
        const QString config = writeConfig("bad.yaml", text);
        const QString db = m_dir.filePath("bad.sqlite");
        const Result r = runBatch(QStringList{"run", config, "--db", db} + extra);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
        if (QFile::exists(db))
            QVERIFY(ExperimentStore(db.toStdString()).runs().empty());
    }

    void corruptImagesAreRefusedOrSkipped()
    {
        // A private copy of the generated data with one image broken.
        const QString copy = m_dir.filePath("corrupt-data");
        QProcess cp;
        cp.start("cp", {"-r", m_data, copy});
        QVERIFY(cp.waitForFinished() && cp.exitCode() == 0);
        const QString broken = copy + "/images/train/000003.png";
        QVERIFY(QFile::exists(broken));
        QVERIFY(test::writeFile(broken, "\x89PNG\r\n\x1a\n truncated"));

        const QString db = m_dir.filePath("corrupt.sqlite");
        QString text = tinyConfig(copy, 30, 30);
        const QString config = writeConfig("corrupt.yaml", text);
        Result r = runBatch({"run", config, "--db", db});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(broken) && r.err.contains("not a readable image"), qPrintable(r.err));
        QVERIFY(ExperimentStore(db.toStdString()).runs().empty());

        // Skipped: each stage that drew the image says how often it was
        // replaced, the vision stage too (a tower trained skipping is a
        // cache entry of its own, so it is trained here).
        r = runBatch({"run", config, "--db", db, "--set", "data.skip_bad_images=true", "--progress", "json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QStringList replacedIn;
        for (const QString &line : r.out.split('\n', Qt::SkipEmptyParts)) {
            if (!line.contains("samples replaced for unreadable images"))
                continue;
            const Json event = parseJson(line.toStdString());
            QCOMPARE(event.at("event").get<std::string>(), std::string("message"));
            replacedIn << QString::fromStdString(event.at("stage_name").get<std::string>());
        }
        QVERIFY2(replacedIn.contains("vision") && replacedIn.contains("pretrain"), qPrintable(replacedIn.join(", ")));

        // An evaluation image is never skipped: refused before anything
        // trains, so no run is scored on part of the set.
        const QString brokenEval = copy + "/images/test/000001.png";
        QVERIFY(QFile::exists(brokenEval));
        QVERIFY(test::writeFile(brokenEval, "not an image"));
        r = runBatch({"run", config, "--db", db, "--set", "data.skip_bad_images=true"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(brokenEval) && r.err.contains("every run is evaluated on the whole evaluation set"),
                 qPrintable(r.err));
        QCOMPARE(ExperimentStore(db.toStdString()).runs().size(), size_t(1));
    }

    void divergenceFailsTheRun()
    {
        const QString config = writeConfig("diverge.yaml", tinyConfig(m_data, 40, 10));
        const QString db = m_dir.filePath("diverge.sqlite");
        const Result r = runBatch({"run", config, "--db", db, "--set", "stages[1].lr=1.0e30", "--set",
                                   "stages[1].grad_clip=0"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("diverged at step"), qPrintable(r.err));
        ExperimentStore store(db.toStdString());
        const RunDetail d = store.run(1);
        QCOMPARE(d.run.status, RunStatus::Failed);
        QVERIFY2(QString::fromStdString(d.run.message).contains("diverged at step"), d.run.message.c_str());

        // Losses read back five steps at a time: the same first bad step named.
        const Result grouped = runBatch({"run", config, "--db", db, "--set", "stages[1].lr=1.0e30", "--set",
                                         "stages[1].grad_clip=0", "--set", "stages[1].log_interval=5"});
        QCOMPARE(grouped.exitCode, 1);
        const QRegularExpression step("diverged at step \\d+ of stage \\w+");
        const QString named = step.match(r.err).captured(), namedGrouped = step.match(grouped.err).captured();
        QVERIFY2(!named.isEmpty(), qPrintable(r.err));
        QCOMPARE(namedGrouped, named);
        QCOMPARE(ExperimentStore(db.toStdString()).run(2).run.status, RunStatus::Failed);
    }

    // The report's arithmetic on known figures: two seeds of four variants,
    // 1,200 questions each.
    void replicaReportOrdersVariantsWithTheirErrors()
    {
        const std::vector<std::tuple<std::string, double, double, double>> figures = {
            // variant, accuracy seed 0, seed 1, pre-training seconds (both seeds)
            {"baseline", 0.45, 0.43, 300}, {"baseline-mlp", 0.61, 0.54, 200},
            {"cos", 0.60, 0.57, 90}, {"cos-noscale", 0.68, 0.65, 90}};
        std::vector<ReplicaResult> results;
        int64_t id = 0;
        for (int seed = 0; seed < 2; ++seed)
            for (const auto &[name, first, second, seconds] : figures) {
                ReplicaResult r;
                r.variant = name;
                r.seed = seed;
                r.runId = ++id;
                r.status = "finished";
                StageRecord pre;
                pre.kind = "pretrain";
                pre.wallSeconds = seconds;
                r.detail.stages.push_back(pre);
                EvaluationRecord e;
                e.accuracy = seed ? second : first;
                e.n = 1200;
                r.detail.finalEvaluation = e;
                results.push_back(r);
            }
        BlindBaselines blind;
        blind.majority = 0.18;
        blind.typePrior = 0.414;
        const Json report = replicaReport(results, blind, Json::object());

        const auto se = [](double a, double b) { return std::sqrt(a * (1 - a) / 1200 + b * (1 - b) / 1200) / 2; };
        const Json &ordering = report.at("ordering");
        QCOMPARE(ordering.size(), size_t(4));
        const std::vector<std::string> order = {"cos-noscale", "cos", "baseline-mlp", "baseline"};
        const std::vector<double> means = {0.665, 0.585, 0.575, 0.44};
        const std::vector<double> ses = {se(0.68, 0.65), se(0.60, 0.57), se(0.61, 0.54), se(0.45, 0.43)};
        for (size_t i = 0; i < order.size(); ++i) {
            const Json &o = ordering[i];
            QCOMPARE(o.at("name").get<std::string>(), order[i]);
            QVERIFY(qAbs(o.at("accuracy_mean").get<double>() - means[i]) < 1e-12);
            QVERIFY(qAbs(o.at("accuracy_mean_se").get<double>() - ses[i]) < 1e-12);
            if (i > 0) {
                QVERIFY(qAbs(o.at("points_below_previous").get<double>() - 100 * (means[i - 1] - means[i])) < 1e-9);
                QVERIFY(qAbs(o.at("points_below_previous_se").get<double>() - 100 * std::hypot(ses[i - 1], ses[i])) < 1e-9);
            }
        }
        // The verdict against the resampler, the reference against the MLP projector.
        const Json &h = report.at("headline");
        QVERIFY(qAbs(h.at("pretrain_time_reduction_percent").get<double>() - 70.0) < 1e-9);
        QVERIFY(qAbs(h.at("accuracy_difference_points").get<double>() - 14.5) < 1e-9);
        QVERIFY(qAbs(h.at("points_above_type_prior").get<double>() - 2.6) < 1e-9);
        QVERIFY(!h.at("accuracy_informative").get<bool>() && !h.at("met").get<bool>());
        const Json &mlp = h.at("against_baseline_mlp");
        QVERIFY(qAbs(mlp.at("pretrain_time_reduction_percent").get<double>() - 55.0) < 1e-9);
        QVERIFY(qAbs(mlp.at("accuracy_difference_points").get<double>() - 1.0) < 1e-9);
        QCOMPARE(mlp.at("weaker").get<std::string>(), std::string("baseline-mlp"));
        QVERIFY(mlp.at("accuracy_informative").get<bool>() && mlp.at("accuracy_target_met").get<bool>());
        QVERIFY(!mlp.at("time_target_met").get<bool>() && !mlp.at("met").get<bool>());

        const QString md = QString::fromStdString(replicaMarkdown(report));
        QVERIFY2(md.contains("| 1 | cos-noscale | 0.6650 ± 0.0096 | — |\n| 2 | cos | 0.5850 ± 0.0101 | 8.0 ± 1.4 |\n"
                             "| 3 | baseline-mlp | 0.5750 ± 0.0101 | 1.0 ± 1.4 |\n| 4 | baseline | 0.4400 ± 0.0101 | 13.5 ± 1.4 |\n"),
                 qPrintable(md));
        QVERIFY(md.contains("- Pre-training time reduction, cos against baseline-mlp: **55.0%** (target ≥ 70%: not met).\n"));
        QVERIFY(md.contains("the weaker model, baseline, is 2.6 points above"));
    }

    void replicaConfigsShareTheVisionTower()
    {
        // The paper comparison is fair only if both sides see one tower:
        // same data, seeds and steps, so the same cache entry.
        const RunConfig cos = RunConfig::load(test::sourcePath("configs/replica/cos.yaml").toStdString());
        const RunConfig base = RunConfig::load(test::sourcePath("configs/replica/baseline.yaml").toStdString());
        QCOMPARE(cos.toJson().at("data").dump(), base.toJson().at("data").dump());
        QCOMPARE(base.model.connector.type, ConnectorType::Resampler);
        const int fineTune = visualTokens(cos.stageModels.back());
        QCOMPARE(cos.stages.size(), base.stages.size());
        for (size_t i = 0; i < cos.stages.size(); ++i) {
            QCOMPARE(cos.stages[i].kind, base.stages[i].kind);
            QCOMPARE(cos.stages[i].steps, base.stages[i].steps);
            QCOMPARE(cos.stages[i].seed, base.stages[i].seed);
            QCOMPARE(cos.stages[i].batchSize, base.stages[i].batchSize);
            QCOMPARE(cos.stages[i].turns, base.stages[i].turns);
            // The language model both start from is one cache entry: the
            // same LM and the same text stages.
            if (cos.stages[i].kind == "text") {
                QCOMPARE(cos.stages[i].toJson().dump(), base.stages[i].toJson().dump());
                QCOMPARE(cos.stageModels[i].toJson().at("lm").dump(), base.stageModels[i].toJson().at("lm").dump());
            }
            if (cos.stages[i].kind == "pretrain")
                QCOMPARE(visualTokens(cos.stageModels[i]), 32);
            if (cos.stages[i].kind == "pretrain" || cos.stages[i].kind == "finetune")
                QCOMPARE(visualTokens(base.stageModels[i]), fineTune);
        }
        // The text stages are the quickstart's too, so its language model is
        // theirs (one cache entry: max_seq_len is no part of the key).
        const RunConfig quick = RunConfig::load(test::sourcePath("configs/quickstart.yaml").toStdString());
        QCOMPARE(quick.toJson().at("data").dump(), cos.toJson().at("data").dump());
        for (size_t i = 0; i < cos.stages.size(); ++i)
            if (cos.stages[i].kind == "text") {
                QCOMPARE(quick.stages[i].toJson().dump(), cos.stages[i].toJson().dump());
                ModelConfig lm = quick.stageModels[i];
                lm.lm.maxSeqLen = cos.stageModels[i].lm.maxSeqLen;
                QCOMPARE(lm.toJson().at("lm").dump(), cos.stageModels[i].toJson().at("lm").dump());
            }
        auto towerDir = [](const RunConfig &run, bool skipBadImages = false) {
            return VisionTowerTrainer(run.stageModels[0], run.stages[0], "cells.json", towerResolutions(run, 0), "data",
                                      skipBadImages)
                .cacheDir();
        };
        QCOMPARE(towerDir(cos), towerDir(base));
        // Anything that changes the tower changes the entry, skipping
        // unreadable images included (it may have seen replacements).
        RunConfig other = cos;
        other.stages[0].steps += 1;
        QVERIFY(towerDir(other) != towerDir(cos));
        QVERIFY(towerDir(cos, true) != towerDir(cos));
    }

    // A vision stage asked for bf16 trains its tower under bf16 autocast, as
    // a cache entry of its own (auto and fp32 share the fp32 one), and the
    // tower still learns the cells.
    void visionStageTrainsInBf16WhenAsked()
    {
        std::string why;
        if (!bf16Supported(torch::kCPU, &why))
            QSKIP(qPrintable(QString::fromStdString("this CPU has no bf16 products: " + why)));
        // The tower's cache entry: fp32 and auto share one, bf16 has its own.
        auto entryOf = [](RunConfig run, const std::string &precision) {
            run.stages[0].precision = precision;
            return VisionTowerTrainer(run.stageModels[0], run.stages[0], "cells.json", towerResolutions(run, 0), "data", false)
                .cacheDir();
        };
        const auto configOf = [&](const QString &precision) {
            QString text = tinyConfig(m_data, 1, 1);
            text.replace("kind: vision, steps:", "kind: vision, precision: " + precision + ", steps:");
            return writeConfig("tower-" + precision + ".yaml", text);
        };
        const RunConfig tiny = RunConfig::load(configOf("fp32").toStdString());
        QCOMPARE(entryOf(tiny, "auto"), entryOf(tiny, "fp32"));
        QVERIFY(entryOf(tiny, "bf16") != entryOf(tiny, "fp32"));

        // Trained both ways (fp32 may come from an earlier run's cache): the
        // run says where its tower is.
        auto train = [&](const QString &precision) {
            const QString db = m_dir.filePath("tower-" + precision + ".sqlite");
            const Result r = runBatch({"run", configOf(precision), "--db", db, "--progress", "lines"});
            const QRegularExpressionMatch m = QRegularExpression("vision tower (?:trained and cached in|from cache) (\\S+);").match(r.out);
            if (r.exitCode != 0 || !m.hasMatch())
                qWarning("%s", qPrintable(r.err + r.out.right(2000)));
            const RunConfig stored = RunConfig::fromJson(parseJson(ExperimentStore(db.toStdString()).run(1).run.config), "stored");
            return std::make_tuple(m.captured(1).toStdString(), stored.stages[0].precision);
        };
        const auto [fp32Dir, fp32Stored] = train("fp32");
        const auto [bf16Dir, bf16Stored] = train("bf16");
        QCOMPARE(fp32Stored, std::string("fp32"));
        QCOMPARE(bf16Stored, std::string("bf16"));
        QVERIFY(!fp32Dir.empty() && !bf16Dir.empty() && fp32Dir != bf16Dir);

        const StateDict a = readSafetensors(fp32Dir + "/vision.safetensors");
        const StateDict b = readSafetensors(bf16Dir + "/vision.safetensors");
        QCOMPARE(a.size(), b.size());
        double largest = 0;
        for (const auto &[name, t] : a)
            largest = std::max(largest, (t - b.at(name)).abs().max().item<double>());
        QVERIFY2(largest > 1e-3, qPrintable(QString("bf16 and fp32 towers differ by %1 at most").arg(largest)));
        // Both learn the cells (11 classes: chance 0.09), and alike.
        auto heldOut = [](const std::string &dir) { // at the stage's own 28 px
            const Json saved = parseJsonFile(dir + "/cell_accuracy.json");
            return saved.at("accuracy").at("28").get<double>();
        };
        const double fp32Accuracy = heldOut(fp32Dir), bf16Accuracy = heldOut(bf16Dir);
        QVERIFY2(fp32Accuracy > 0.5 && bf16Accuracy > 0.5 && std::abs(fp32Accuracy - bf16Accuracy) < 0.1,
                 qPrintable(QString("cell accuracy fp32 %1, bf16 %2").arg(fp32Accuracy).arg(bf16Accuracy)));
    }

    // The vision stage reads its losses and right-cell counts back in
    // groups too: read every 7 steps, it trains the same tower, reports the
    // same steps with the same losses and cell accuracies, and names the
    // same first diverged step as read every step.
    void visionStageReadsBackInGroups()
    {
        const RunConfig run =
            RunConfig::load(writeConfig("tower-groups.yaml", tinyConfig(m_data, 1, 1)).toStdString());
        const PreparedData data = prepareRunData(run, {});
        struct Trained {
            VisionTowerResult result;
            std::vector<TrainingEvent> events;
            QString error;
        };
        int entries = 0;
        auto train = [&](int logInterval, double lr) {
            StageConfig st = run.stages[0];
            st.logInterval = logInterval;
            st.lr = lr;
            st.gradClip = 0;
            // A cache of its own, or the second run would find the first's tower.
            qputenv("COS_CACHE_DIR", m_dir.filePath("tower-groups-" + QString::number(entries++)).toUtf8());
            Trained t;
            std::atomic<bool> stop{false};
            VisionTowerTrainer trainer(run.stageModels[0], st, data.cellsJson, towerResolutions(run, 0), data.identity, false);
            try {
                t.result = trainer.run({}, torch::kCPU, [&](const TrainingEvent &e) { t.events.push_back(e); }, stop);
            } catch (const std::exception &e) {
                t.error = e.what();
            }
            qputenv("COS_CACHE_DIR", m_cache.toUtf8());
            return t;
        };
        const double lr = run.stages[0].lr;
        const Trained every = train(1, lr), grouped = train(7, lr);
        QVERIFY2(every.error.isEmpty() && grouped.error.isEmpty(), qPrintable(every.error + grouped.error));
        QCOMPARE(grouped.result.steps, every.result.steps);
        QCOMPARE(grouped.result.finalLoss, every.result.finalLoss);
        QVERIFY(grouped.result.wallSeconds > 0);
        QCOMPARE(grouped.result.cellAccuracy, every.result.cellAccuracy);
        QCOMPARE(grouped.result.weights.size(), every.result.weights.size());
        for (const auto &[name, t] : every.result.weights)
            QVERIFY2(torch::equal(t, grouped.result.weights.at(name)), name.c_str());
        // Reported every 10 steps, as read every step.
        QCOMPARE(int64_t(every.events.size()), int64_t(run.stages[0].steps / 10));
        QCOMPARE(grouped.events.size(), every.events.size());
        for (size_t i = 0; i < every.events.size(); ++i) {
            const TrainingEvent &a = every.events[i], &b = grouped.events[i];
            QCOMPARE(b.step, int64_t(10 * (i + 1)));
            QCOMPARE(b.step, a.step);
            QCOMPARE(b.loss, a.loss);
            QCOMPARE(b.lr, a.lr);
            QCOMPARE(b.data.at("cell_accuracy").get<double>(), a.data.at("cell_accuracy").get<double>());
            QVERIFY(b.samplesPerSecond > 0);
        }

        const Trained diverged = train(1, 1.0e30), divergedGrouped = train(7, 1.0e30);
        const QRegularExpression step("vision tower training diverged at step \\d+");
        const QString named = step.match(diverged.error).captured();
        QVERIFY2(!named.isEmpty(), qPrintable(diverged.error));
        QCOMPARE(step.match(divergedGrouped.error).captured(), named);
    }

    void badDatasetFilesNameTheSample_data()
    {
        QTest::addColumn<QString>("sample");
        QTest::addColumn<QString>("expected");
        const QString first = "{\"from\": \"human\", \"value\": \"<image>\\nq\"}, {\"from\": \"gpt\", \"value\": \"yes\"}";
        QTest::newRow("no image marker")
            << "{\"id\": \"q1\", \"image\": \"a.png\", \"conversations\": [{\"from\": \"human\", \"value\": \"no image marker\"},"
               " {\"from\": \"gpt\", \"value\": \"yes\"}]}"
            << "sample 0 (id q1): conversations[0].value: no <image> marker";
        QTest::newRow("turns out of order")
            << "{\"id\": \"q2\", \"image\": \"a.png\", \"conversations\": [" + first
                   + ", {\"from\": \"gpt\", \"value\": \"no\"}, {\"from\": \"human\", \"value\": \"q\"}]}"
            << "sample 0 (id q2): conversations[2].from: expected 'human', found 'gpt'";
        QTest::newRow("image twice")
            << "{\"id\": \"q3\", \"image\": \"a.png\", \"conversations\": [" + first
                   + ", {\"from\": \"human\", \"value\": \"<image>\\nq\"}, {\"from\": \"gpt\", \"value\": \"no\"}]}"
            << "sample 0 (id q3): conversations[2].value: <image> may appear only in the first human turn";
    }
    void badDatasetFilesNameTheSample()
    {
        QFETCH(QString, sample);
        QFETCH(QString, expected);
        // A private copy of the data whose fine-tuning set has a broken sample.
        const QString dir = m_dir.filePath("broken-data");
        QVERIFY(QDir().mkpath(dir));
        const QString list = dir + "/finetune.json";
        QFile f(list);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(("[" + sample + "]").toUtf8());
        f.close();
        QString text = tinyConfig(dir);
        text.replace("seed: 3, workers: 1}", "seed: 3, workers: 1, generate: false}");
        text.replace("  - {name: vision, kind: vision, steps: 60, batch_size: 16, lr: 2.0e-3, train: [vision]}\n", "");
        text.replace("  - {name: pretrain, kind: pretrain, steps: 60, batch_size: 16, lr: 2.0e-3, warmup_steps: 5, train: [connector, lm]}\n", "");
        const QString config = writeConfig("broken.yaml", text);
        const Result r = runBatch({"run", config, "--db", m_dir.filePath("broken.sqlite")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(list + ": " + expected), qPrintable(r.err));
    }

    // The tiny configs as a replica's two sides, written to files.
    void writeTinyReplicaConfigs(QString &cos, QString &base)
    {
        QString cosText = tinyConfig(m_data, 6, 6);
        QString baseText = cosText;
        baseText.replace("  connector: {type: chain_of_sight, width: 32, heads: 2, layers: 1, mlp_hidden: 64,\n"
                         "              scales: [{windows: 1, queries: 4}, {windows: 2, queries: 1}]}\n",
                         "  connector: {type: resampler, width: 32, heads: 2, layers: 1, mlp_hidden: 64, queries: 80}\n");
        baseText.replace("warmup_steps: 5, train: [connector, lm]}", "warmup_steps: 5, train: [connector, lm], scaling: {resolution: 2}}");
        baseText.replace("scaling: {resolution: 2, window: [1, 2]}, ", "");
        QVERIFY(baseText.contains("queries: 80") && baseText.count("scaling") == 1);
        // fp32: a continued and a fresh model are compared below at 1e-4.
        for (QString *text : {&cosText, &baseText}) {
            *text = test::trainedStagesInFp32(*text);
            QCOMPARE(text->count("fp32"), 2);
        }
        cos = writeConfig("replica-cos.yaml", cosText);
        base = writeConfig("replica-base.yaml", baseText);
    }

    void benchReplicaWritesAWellFormedReport()
    {
        QString cos, base;
        writeTinyReplicaConfigs(cos, base);
        const QString db = m_dir.filePath("replica.sqlite");
        const QString out = m_dir.filePath("replica-report");

        const Result r = runBatch({"bench", "replica", "--quick", "--baseline", base, "--cos", cos, "--db", db, "--out",
                                   out, "--set", "data.eval_samples=16", "--progress", "lines"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out.right(3000)));

        const Json report = parseJsonFile(QDir(out).filePath("report.json").toStdString());
        QCOMPARE(report.at("mode").get<std::string>(), std::string("quick"));
        // Knowing the question type can only help a blind guesser.
        QVERIFY(report.at("type_prior_accuracy").get<double>() >= report.at("majority_accuracy").get<double>());
        QVERIFY(report.at("type_prior_accuracy").get<double>() <= 1.0);
        const Json &variants = report.at("variants");
        QCOMPARE(variants.size(), size_t(5));
        // name -> visual tokens in pre-training and fine-tuning
        const std::vector<std::tuple<std::string, int, int>> expected = {
            {"baseline", 80, 80}, {"cos", 8, 80}, {"cos-noscale", 8, 8}, {"cos-window", 8, 4 + 16}, {"cos-resolution", 8, 16 + 16}};
        ExperimentStore store(db.toStdString());
        for (size_t i = 0; i < variants.size(); ++i) {
            const Json &v = variants[i];
            const auto &[name, pre, fine] = expected[i];
            QCOMPARE(v.at("name").get<std::string>(), name);
            QCOMPARE(v.at("status").get<std::string>(), std::string("finished"));
            QCOMPARE(findKey(v, "pretrain")->at("visual_tokens").get<int64_t>(), int64_t(pre));
            QCOMPARE(findKey(v, "finetune")->at("visual_tokens").get<int64_t>(), int64_t(fine));
            QCOMPARE(findKey(v, "pretrain")->at("steps").get<int64_t>(), int64_t(2)); // --quick: a third of 6
            QVERIFY(findKey(v, "pretrain")->at("wall_seconds").get<double>() > 0);
            QVERIFY(findKey(v, "finetune")->at("wall_seconds").get<double>() > 0);
            const double accuracy = v.at("accuracy").get<double>();
            QVERIFY(accuracy >= 0 && accuracy <= 1);
            QCOMPARE(v.at("eval_samples").get<int64_t>(), int64_t(16));
            QCOMPARE(v.at("per_type").size(), size_t(4));
            // Every variant is a run in the store, named after it.
            const RunDetail d = store.run(v.at("run_id").get<int64_t>());
            QCOMPARE(d.run.name, "replica-" + name);
            QCOMPARE(d.run.status, RunStatus::Finished);
        }

        // The cos ablations differ from cos only in fine-tuning: they continue
        // its pre-training, and report its cost as theirs.
        const int64_t cosRun = variants[1].at("run_id").get<int64_t>();
        QVERIFY(variants[0].at("pretrain_shared_with_run").is_null());
        QVERIFY(variants[1].at("pretrain_shared_with_run").is_null());
        for (size_t i = 2; i < variants.size(); ++i) {
            QCOMPARE(variants[i].at("pretrain_shared_with_run").get<int64_t>(), cosRun);
            QCOMPARE(findKey(variants[i], "pretrain")->at("wall_seconds").get<double>(),
                     findKey(variants[1], "pretrain")->at("wall_seconds").get<double>());
            const RunDetail d = store.run(variants[i].at("run_id").get<int64_t>());
            QCOMPARE(d.run.message, "stages 0-1 shared with run " + std::to_string(cosRun));
            QCOMPARE(d.stages.size(), size_t(3));
        }
        // ... and fine-tune exactly as a variant that pre-trained itself would.
        // (cos-resolution: its tower, trained at every resolution the run
        // uses, is the one cos has; an ablation at one resolution run alone
        // would train its tower at that one only.)
        const QString alone = m_dir.filePath("replica-alone.sqlite");
        const Result single = runBatch({"bench", "replica", "--quick", "--baseline", base, "--cos", cos, "--db", alone,
                                        "--out", m_dir.filePath("replica-alone"), "--variants", "cos-resolution",
                                        "--set", "data.eval_samples=16", "--progress", "lines"});
        QVERIFY2(single.exitCode == 0, qPrintable(single.err + single.out.right(3000)));
        const RunDetail fresh = ExperimentStore(alone.toStdString()).run(1);
        const RunDetail shared = store.run(variants[4].at("run_id").get<int64_t>());
        QVERIFY(fresh.run.message.empty());
        QCOMPARE(fresh.stages.size(), shared.stages.size());
        const double freshLoss = *fresh.stages.back().finalLoss, sharedLoss = *shared.stages.back().finalLoss;
        QVERIFY2(qAbs(freshLoss - sharedLoss) < 1e-4 * qMax(1.0, qAbs(freshLoss)),
                 qPrintable(QString("%1 vs %2").arg(freshLoss).arg(sharedLoss)));
        QCOMPARE(fresh.finalEvaluation->accuracy, shared.finalEvaluation->accuracy);

        const Json &h = report.at("headline");
        const double baseAcc = variants[0].at("accuracy").get<double>(), cosAcc = variants[1].at("accuracy").get<double>();
        QVERIFY(qAbs(h.at("accuracy_difference_points").get<double>() - 100 * (cosAcc - baseAcc)) < 1e-9);
        const double reduction = h.at("pretrain_time_reduction_percent").get<double>();
        const double basePre = findKey(variants[0], "pretrain")->at("wall_seconds").get<double>();
        const double cosPre = findKey(variants[1], "pretrain")->at("wall_seconds").get<double>();
        QVERIFY(qAbs(reduction - 100 * (1 - cosPre / basePre)) < 1e-9);
        const bool informative = 100 * (qMin(cosAcc, baseAcc) - report.at("type_prior_accuracy").get<double>()) >= 5;
        QCOMPARE(h.at("accuracy_informative").get<bool>(), informative);
        QCOMPARE(h.at("met").get<bool>(), reduction >= 70 && 100 * (cosAcc - baseAcc) >= -2 && informative);

        // The variants by accuracy, each gap to the one above with its
        // standard error from the questions (binomial, 16 questions here).
        const Json &ordering = report.at("ordering");
        QCOMPARE(ordering.size(), variants.size());
        std::map<std::string, double> accuracyOf;
        for (const Json &v : variants)
            accuracyOf[v.at("name").get<std::string>()] = v.at("accuracy").get<double>();
        for (size_t i = 0; i < ordering.size(); ++i) {
            const Json &o = ordering[i];
            const double acc = accuracyOf.at(o.at("name").get<std::string>());
            QCOMPARE(o.at("accuracy_mean").get<double>(), acc);
            QVERIFY(qAbs(o.at("accuracy_mean_se").get<double>() - std::sqrt(acc * (1 - acc) / 16)) < 1e-12);
            if (i == 0) {
                QVERIFY(!findKey(o, "points_below_previous"));
                continue;
            }
            const Json &above = ordering[i - 1];
            QVERIFY(above.at("accuracy_mean").get<double>() >= acc);
            QVERIFY(qAbs(o.at("points_below_previous").get<double>() - 100 * (above.at("accuracy_mean").get<double>() - acc)) < 1e-9);
            QVERIFY(qAbs(o.at("points_below_previous_se").get<double>()
                         - 100 * std::hypot(above.at("accuracy_mean_se").get<double>(), o.at("accuracy_mean_se").get<double>()))
                    < 1e-9);
        }
        const QString md = QString::fromUtf8(test::readFile(QDir(out).filePath("report.md")));
        QVERIFY(md.contains("| variant |"));
        QVERIFY(md.contains("| 5 | " + QString::fromStdString(ordering[4].at("name").get<std::string>()) + " | "));
        // An uninformative verdict names the model that reads too little.
        const QString weaker = cosAcc < baseAcc ? "cos" : "baseline";
        QCOMPARE(QString::fromStdString(h.at("weaker").get<std::string>()), weaker);
        QCOMPARE(md.contains("the weaker model, " + weaker + ", is "), !informative);
        QVERIFY(md.contains("cos-resolution"));
        QVERIFY(md.contains("Pre-training time reduction"));

        // --reuse finds the finished runs of the same configs and trains nothing.
        const Result again = runBatch({"bench", "replica", "--quick", "--reuse", "--baseline", base, "--cos", cos, "--db",
                                       db, "--out", out, "--set", "data.eval_samples=16", "--progress", "lines"});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QVERIFY(!again.out.contains("] step"));
        const Json reused = parseJsonFile(QDir(out).filePath("report.json").toStdString());
        for (size_t i = 0; i < variants.size(); ++i) {
            const Json &kept = findKey(reused, "variants")->at(i);
            QVERIFY(kept.at("reused").get<bool>());
            QCOMPARE(kept.at("run_id").get<int64_t>(), variants[i].at("run_id").get<int64_t>());
            // ... and still says whose pre-training a cos ablation continued.
            QCOMPARE(kept.at("pretrain_shared_with_run"), variants[i].at("pretrain_shared_with_run"));
        }
        QCOMPARE(int64_t(store.runs().size()), int64_t(5));

        // --seeds 2: seed 0 is the runs above (reused); seed 1 trains again
        // with every stage's seed moved on by one; the headline compares the
        // means over seeds.
        const Result seeded = runBatch({"bench", "replica", "--quick", "--reuse", "--seeds", "2", "--variants",
                                        "baseline,cos", "--baseline", base, "--cos", cos, "--db", db, "--out", out,
                                        "--set", "data.eval_samples=16", "--progress", "lines"});
        QVERIFY2(seeded.exitCode == 0, qPrintable(seeded.err + seeded.out.right(3000)));
        const Json two = parseJsonFile(QDir(out).filePath("report.json").toStdString());
        QCOMPARE(two.at("seeds").get<int64_t>(), int64_t(2));
        const Json &runs = two.at("variants");
        QCOMPARE(runs.size(), size_t(4));
        std::map<std::string, std::vector<double>> accuracies, pretrainSeconds;
        for (size_t i = 0; i < runs.size(); ++i) {
            const Json &v = runs[i];
            const std::string name = i % 2 ? "cos" : "baseline";
            QCOMPARE(v.at("name").get<std::string>(), name);
            QCOMPARE(v.at("seed").get<int64_t>(), int64_t(i / 2));
            QCOMPARE(v.at("reused").get<bool>(), i < 2);
            const RunDetail d = store.run(v.at("run_id").get<int64_t>());
            QCOMPARE(d.run.name, "replica-" + name + (i < 2 ? "" : "-seed1"));
            for (const Json &stage : parseJson(d.run.config).at("stages"))
                QCOMPARE(stage.at("seed").get<int64_t>(), int64_t(i / 2));
            accuracies[name].push_back(v.at("accuracy").get<double>());
            pretrainSeconds[name].push_back(findKey(v, "pretrain")->at("wall_seconds").get<double>());
        }
        const auto average = [](const std::vector<double> &x) { return (x[0] + x[1]) / 2; };
        for (const Json &v : two.at("summary")) {
            const std::string name = v.at("name").get<std::string>();
            QCOMPARE(v.at("seeds").get<int64_t>(), int64_t(2));
            QVERIFY(qAbs(v.at("accuracy_mean").get<double>() - average(accuracies[name])) < 1e-12);
            QCOMPARE(v.at("accuracy_min").get<double>(), std::min(accuracies[name][0], accuracies[name][1]));
        }
        // Ordered by the means, each mean's standard error from both seeds' questions.
        const Json &byMean = two.at("ordering");
        QCOMPARE(byMean.size(), size_t(2));
        for (const Json &o : byMean) {
            const std::vector<double> &acc = accuracies[o.at("name").get<std::string>()];
            const double se = std::sqrt(acc[0] * (1 - acc[0]) / 16 + acc[1] * (1 - acc[1]) / 16) / 2;
            QVERIFY(qAbs(o.at("accuracy_mean_se").get<double>() - se) < 1e-12);
        }
        QVERIFY(byMean[0].at("accuracy_mean").get<double>() >= byMean[1].at("accuracy_mean").get<double>());
        const Json &means = two.at("headline");
        QVERIFY(qAbs(means.at("accuracy_difference_points").get<double>()
                     - 100 * (average(accuracies["cos"]) - average(accuracies["baseline"]))) < 1e-9);
        QVERIFY(qAbs(means.at("pretrain_time_reduction_percent").get<double>()
                     - 100 * (1 - average(pretrainSeconds["cos"]) / average(pretrainSeconds["baseline"]))) < 1e-9);
        QVERIFY(QString::fromUtf8(test::readFile(QDir(out).filePath("report.md"))).contains("Over seeds"));
        QCOMPARE(int64_t(store.runs().size()), int64_t(7));

        // baseline-mlp, on request only: the baseline's config with LLaVA's
        // MLP projector in the resampler's place, a token per feature cell;
        // the headline compares cos with it too, beside the verdict.
        const Result unknown = runBatch({"bench", "replica", "--quick", "--variants", "baseline,mlp", "--baseline", base,
                                         "--cos", cos, "--db", db, "--out", out});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains("unknown variant 'mlp'") && unknown.err.contains("baseline-mlp"),
                 qPrintable(unknown.err));
        const Result mlp = runBatch({"bench", "replica", "--quick", "--reuse", "--variants", "baseline,baseline-mlp,cos",
                                     "--baseline", base, "--cos", cos, "--db", db, "--out", out, "--set",
                                     "data.eval_samples=16", "--progress", "lines"});
        QVERIFY2(mlp.exitCode == 0, qPrintable(mlp.err + mlp.out.right(3000)));
        QCOMPARE(int64_t(store.runs().size()), int64_t(8)); // baseline and cos kept
        const Json withMlp = parseJsonFile(QDir(out).filePath("report.json").toStdString());
        const Json &three = withMlp.at("variants");
        QCOMPARE(three.size(), size_t(3));
        QCOMPARE(three[1].at("name").get<std::string>(), std::string("baseline-mlp"));
        QVERIFY(three[0].at("reused").get<bool>() && !three[1].at("reused").get<bool>() && three[2].at("reused").get<bool>());
        // The baseline's 28 px model scaled x2 for pre-training: 8 x 8 feature cells, one token each.
        QCOMPARE(findKey(three[1], "pretrain")->at("visual_tokens").get<int64_t>(), int64_t(64));
        QCOMPARE(findKey(three[1], "finetune")->at("visual_tokens").get<int64_t>(), int64_t(64));
        Json mlpConfig = parseJson(store.run(three[1].at("run_id").get<int64_t>()).run.config);
        Json baseConfig = parseJson(store.run(three[0].at("run_id").get<int64_t>()).run.config);
        const Json &projector = mlpConfig.at("model").at("connector");
        QCOMPARE(projector.at("type").get<std::string>(), std::string("mlp"));
        QCOMPARE(projector.at("mlp_layers").get<int64_t>(), int64_t(2));
        QCOMPARE(projector.at("output_scale"), baseConfig.at("model").at("connector").at("output_scale"));
        for (Json *config : {&mlpConfig, &baseConfig}) {
            config->erase("name");
            config->at("model").erase("connector");
        }
        QCOMPARE(mlpConfig, baseConfig); // nothing else differs
        const Json &againstMlp = withMlp.at("headline").at("against_baseline_mlp");
        const double mlpPre = findKey(three[1], "pretrain")->at("wall_seconds").get<double>();
        QVERIFY(qAbs(againstMlp.at("pretrain_time_reduction_percent").get<double>() - 100 * (1 - cosPre / mlpPre)) < 1e-9);
        const double mlpAcc = three[1].at("accuracy").get<double>();
        QVERIFY(qAbs(againstMlp.at("accuracy_difference_points").get<double>() - 100 * (cosAcc - mlpAcc)) < 1e-9);
        QCOMPARE(againstMlp.at("seeds").at("baseline-mlp").get<int64_t>(), int64_t(1));
        // The verdict itself is still the resampler baseline's.
        QVERIFY(qAbs(withMlp.at("headline").at("accuracy_difference_points").get<double>() - 100 * (cosAcc - baseAcc)) < 1e-9);
        const QString mlpMd = QString::fromUtf8(test::readFile(QDir(out).filePath("report.md")));
        QVERIFY(mlpMd.contains("Pre-training time reduction, cos against baseline: "));
        QVERIFY(mlpMd.contains("### Against LLaVA's MLP projector (baseline-mlp)"));
        QVERIFY(mlpMd.contains("Pre-training time reduction, cos against baseline-mlp: "));
    }

    void benchReplicaRunsOnRanks()
    {
        // --nproc 2: every variant trained by two ranks, rank 0 deciding what
        // is shared and reused; the runs train as one process's do.
        QString cos, base;
        writeTinyReplicaConfigs(cos, base);
        auto bench = [&](const QString &name, const QStringList &extra) {
            const QString db = m_dir.filePath(name + ".sqlite");
            const Result r = runBatch(QStringList{"bench", "replica", "--quick", "--baseline", base, "--cos", cos, "--db",
                                                  db, "--out", m_dir.filePath(name), "--variants", "cos,cos-noscale",
                                                  "--set", "data.eval_samples=16", "--progress", "lines"}
                                      + extra);
            [&] { QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out.right(3000))); }();
            return std::make_pair(r.exitCode == 0
                                      ? parseJsonFile(QDir(m_dir.filePath(name)).filePath("report.json").toStdString())
                                      : Json(),
                                  r);
        };
        const auto [one, oneRun] = bench("replica-one", {});
        const auto [two, twoRun] = bench("replica-ranks", {"--nproc", "2", "--rank-timeout", "120"});
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(two.at("ranks").get<int64_t>(), int64_t(2));
        ExperimentStore oneStore(m_dir.filePath("replica-one.sqlite").toStdString());
        ExperimentStore twoStore(m_dir.filePath("replica-ranks.sqlite").toStdString());
        // Rank 0's store alone holds the runs, and the ablation continues cos's pre-training there.
        QCOMPARE(twoStore.runs().size(), size_t(2));
        const Json &variants = two.at("variants");
        QCOMPARE(variants.size(), size_t(2));
        QCOMPARE(variants[1].at("pretrain_shared_with_run"), variants[0].at("run_id"));
        for (size_t i = 0; i < variants.size(); ++i) {
            const RunDetail a = oneStore.run(one.at("variants")[i].at("run_id").get<int64_t>());
            const RunDetail b = twoStore.run(variants[i].at("run_id").get<int64_t>());
            QCOMPARE(b.run.status, RunStatus::Finished);
            QCOMPARE(b.run.name, a.run.name);
            QCOMPARE(b.stages.size(), a.stages.size());
            const double lossA = *a.stages.back().finalLoss, lossB = *b.stages.back().finalLoss;
            QVERIFY2(qAbs(lossA - lossB) < 1e-4 * qMax(1.0, qAbs(lossA)),
                     qPrintable(QString("%1: %2 vs %3").arg(QString::fromStdString(a.run.name)).arg(lossA).arg(lossB)));
            QVERIFY(b.finalEvaluation && b.finalEvaluation->n == 16);
        }
        // --reuse on ranks: both follow rank 0's finding and train nothing.
        const auto [again, againRun] = bench("replica-ranks", {"--nproc", "2", "--rank-timeout", "120", "--reuse"});
        if (QTest::currentTestFailed())
            return;
        QVERIFY(!againRun.out.contains("] step"));
        for (size_t i = 0; i < variants.size(); ++i) {
            QVERIFY(again.at("variants")[i].at("reused").get<bool>());
            QCOMPARE(again.at("variants")[i].at("run_id"), variants[i].at("run_id"));
        }
        QCOMPARE(twoStore.runs().size(), size_t(2));
    }

    void benchReplicaRefusesBadInput()
    {
        const QString cos = writeConfig("noscale.yaml", QString(tinyConfig(m_data)).replace("scaling: {resolution: 2, window: [1, 2]}, ", ""));
        const QString db = m_dir.filePath("replica-bad.sqlite");
        Result r = runBatch({"bench", "replica", "--cos", cos, "--baseline", cos, "--db", db, "--out", m_dir.filePath("bad-report")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("noscale.yaml") && r.err.contains("scaling"), qPrintable(r.err));
        r = runBatch({"bench", "replica", "--variants", "cos,bogus", "--db", db});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("bogus"), qPrintable(r.err));
        r = runBatch({"bench", "replica", "--seeds", "0", "--db", db});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--seeds 0"), qPrintable(r.err));
        QVERIFY(!QFile::exists(db));
    }

    void benchLoaderReportsEachTextStage()
    {
        const QString config = writeConfig("loader.yaml", tinyConfig(m_data));
        const Result r = runBatch({"bench", "loader", config, "--batches", "3", "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json list = parseJson(r.out.trimmed().toStdString());
        QCOMPARE(list.size(), size_t(2));
        QCOMPARE(list.at(0).at("name").get<std::string>(), std::string("pretrain"));
        QCOMPARE(list.at(0).at("resolution").get<int64_t>(), int64_t(28));
        QCOMPARE(list.at(1).at("resolution").get<int64_t>(), int64_t(56)); // after the finetune stage's scaling
        for (const Json &stage : list)
            QVERIFY(stage.at("samples_per_s").get<double>() > 0);
    }
};

QTEST_GUILESS_MAIN(TestTrain)
#include "tst_train.moc"

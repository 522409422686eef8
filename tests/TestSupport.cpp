#include "TestSupport.h"

#include "base/Json.h"
#include "store/ExperimentStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSettings>

#include <algorithm>

namespace cosw::test {

ModelConfig tinyModelConfig()
{
    ModelConfig c;
    c.vision.imageSize = 32;
    c.vision.patchSize = 4;
    c.vision.width = 16;
    c.vision.layers = 2;
    c.vision.heads = 2;
    c.vision.mlpHidden = 32;
    c.vision.featureLayer = -1;
    c.connector.type = ConnectorType::ChainOfSight;
    c.connector.width = 16;
    c.connector.heads = 2;
    c.connector.layers = 1;
    c.connector.mlpHidden = 32;
    c.connector.scales = {{1, 2, false}, {2, 1, false}};
    c.lm.vocabSize = 64;
    c.lm.width = 32;
    c.lm.layers = 1;
    c.lm.heads = 2;
    c.lm.kvHeads = 2;
    c.lm.mlpHidden = 48;
    c.lm.maxSeqLen = 256;
    return c;
}

QString trainedStagesInFp32(QString config)
{
    return config.replace("train: [connector, lm]", "train: [connector, lm], precision: fp32");
}

QString smallRunConfig(const QString &dataDir, int pretrainSteps)
{
    return QString("name: gui-small\n"
                   "model:\n"
                   "  vision: {image_size: 28, patch_size: 7, width: 16, layers: 2, heads: 2, mlp_hidden: 32}\n"
                   "  connector: {type: chain_of_sight, width: 16, heads: 2, layers: 1, mlp_hidden: 32,\n"
                   "              scales: [{windows: 1, queries: 2}, {windows: 2, queries: 1}]}\n"
                   "  lm: {vocab_size: 128, width: 32, layers: 1, heads: 2, kv_heads: 1, mlp_hidden: 64, max_seq_len: 128}\n"
                   "data: {dir: '%1', train_images: 64, test_images: 16, grid: 2, cell_pixels: 14, seed: 5, workers: 1}\n"
                   "stages:\n"
                   "  - {name: vision, kind: vision, steps: 10, batch_size: 8, lr: 2.0e-3, train: [vision]}\n"
                   "  - {name: pretrain, kind: pretrain, steps: %2, batch_size: 8, lr: 2.0e-3, warmup_steps: 2,\n"
                   "     train: [connector, lm], checkpoint_interval: 10}\n"
                   "  - {name: finetune, kind: finetune, steps: 20, batch_size: 8, lr: 1.0e-3, train: [connector, lm],\n"
                   "     scaling: {resolution: 2, window: [1, 2]}}\n")
        .arg(dataDir)
        .arg(pretrainSteps);
}

ComparisonStore writeComparisonStore(const std::string &file)
{
    ExperimentStore store(file);
    ComparisonStore out;
    struct Spec {
        std::string name, variant, connector;
        std::optional<int64_t> seed;
        int pretrainTokens, finetuneTokens, finetunePx;
        std::optional<double> pretrainSeconds, accuracy;
        double lr;
    };
    const std::vector<Spec> specs = {
        {"baseline/0", "baseline", "resampler", 0, 320, 320, 56, 400, 0.60, 1e-3},
        {"baseline/1", "baseline", "resampler", 1, 320, 320, 56, 410, 0.62, 1e-3},
        {"cos/0", "cos", "chain_of_sight", 0, 32, 80, 56, 100, 0.58, 1e-3},
        {"cos/1", "cos", "chain_of_sight", 1, 32, 80, 56, 104, 0.60, 1e-3},
        {"cos/2", "cos", "chain_of_sight", 2, 32, 80, 56, 100, 0.58, 1e-3},
        {"noscale", "noscale", "chain_of_sight", std::nullopt, 32, 32, 56, 100, 0.50, 1e-3},
        {"window", "window", "chain_of_sight", std::nullopt, 32, 128, 56, 120, 0.60, 1e-3},
        {"resolution", "resolution", "chain_of_sight", std::nullopt, 32, 80, 112, 150, 0.61, 5e-4},
        {"compound", "compound", "chain_of_sight", std::nullopt, 32, 320, 112, 300, 0.59, 1e-3},
        {"broken", "broken", "chain_of_sight", std::nullopt, 32, 80, 56, 50, std::nullopt, 1e-3},
        {"finetune-only", "finetune-only", "mlp", std::nullopt, 0, 64, 56, std::nullopt, 0.90, 1e-3},
    };
    for (const Spec &sp : specs) {
        Json config = Json::object();
        config["name"] = sp.name;
        config["model"] = Json::object();
        config["model"]["connector"] = Json::object();
        config["model"]["connector"]["type"] = sp.connector;
        Json scales = Json::array();
        scales.push_back(Json::object({{"windows", 1}, {"queries", sp.pretrainTokens > 32 ? 320 : 16}}));
        config["model"]["connector"]["scales"] = scales;
        Json stages = Json::array();
        stages.push_back(Json::object({{"name", "pretrain"}, {"lr", 1e-3}}));
        stages.push_back(Json::object({{"name", "finetune"}, {"lr", sp.lr}, {"resolution", sp.finetunePx}}));
        config["stages"] = stages;
        const std::string name = sp.name.substr(0, sp.name.find('/'));
        const int64_t id = store.createRun(name, config.dump(), sp.connector, "cpu", "{}",
                                           {"replica", sp.variant, sp.seed});
        out.ids[sp.name] = id;
        store.startRun(id);
        int index = 0;
        if (sp.pretrainSeconds) {
            StageRecord st;
            st.index = index++;
            st.name = "pretrain";
            st.kind = "pretrain";
            st.visualTokens = sp.pretrainTokens;
            st.tokensPerScale = {sp.pretrainTokens};
            st.resolution = 56;
            st.steps = 100;
            st.wallSeconds = sp.pretrainSeconds;
            st.samplesPerSecond = 1600.0 / *sp.pretrainSeconds;
            store.putStage(id, st);
        }
        StageRecord ft;
        ft.index = index;
        ft.name = "finetune";
        ft.kind = "finetune";
        ft.visualTokens = sp.finetuneTokens;
        ft.tokensPerScale = {sp.finetuneTokens};
        ft.resolution = sp.finetunePx;
        ft.steps = 50;
        ft.wallSeconds = 20;
        store.putStage(id, ft);
        if (!sp.accuracy) {
            store.endRun(id, RunStatus::Failed, "diverged");
            continue;
        }
        EvaluationRecord e;
        e.stage = index;
        e.step = 50;
        e.accuracy = *sp.accuracy;
        e.n = 1200;
        e.perType = {{"count", {*sp.accuracy - 0.05, 300}}, {"existence", {*sp.accuracy + 0.2, 300}},
                     {"position", {*sp.accuracy - 0.25, 300}}, {"relation", {*sp.accuracy + 0.1, 300}}};
        e.typePrior = 0.414;
        e.shuffledAccuracy = 0.35;
        e.typePriorPerType = {{"count", 0.473}, {"existence", 0.47}, {"position", 0.26}, {"relation", 0.453}};
        e.shuffledPerType = {{"count", 0.36}, {"existence", 0.48}, {"position", 0.15}, {"relation", 0.40}};
        e.cellReading = 0.7;
        e.cellReadingCells = 1600;
        e.cellReadingPrior = 0.651;
        store.addEvaluation(id, e);
        store.endRun(id, RunStatus::Finished);
    }
    for (const char *name : {"cos/0", "cos/1", "cos/2", "resolution", "baseline/1"})
        out.front.push_back(out.ids[name]);
    std::sort(out.front.begin(), out.front.end());
    return out;
}

void keepSettingsAndCachesIn(const QTemporaryDir &dir, const char *suite)
{
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.filePath("config"));
    QCoreApplication::setOrganizationName("cos-workbench-test");
    QCoreApplication::setApplicationName(suite);
    qputenv("COS_CACHE_DIR", dir.filePath("cache").toUtf8());
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

QString sourcePath(const QString &relative)
{
    QByteArray root = qgetenv("COS_SOURCE_DIR");
    return QDir(QString::fromLocal8Bit(root)).filePath(relative);
}

QStringList csvFields(const QString &line)
{
    QStringList out;
    QString current;
    bool quoted = false;
    for (int i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (c == '"') {
            if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
                current += '"';
                ++i;
            } else {
                quoted = !quoted;
            }
        } else if (c == ',' && !quoted) {
            out << current;
            current.clear();
        } else {
            current += c;
        }
    }
    out << current;
    return out;
}

} // namespace cosw::test

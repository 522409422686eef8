#include "TestSupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSettings>

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

} // namespace cosw::test

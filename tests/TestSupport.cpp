#include "TestSupport.h"

#include <QDir>
#include <QFile>

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

// cos-batch as a user runs it: exit statuses, --json outputs, checkpoints and
// encodings on disk.

#include "TestSupport.h"

#include "model/Json.h"
#include "model/Safetensors.h"

#include <QFile>
#include <QProcess>

#include <opencv2/imgcodecs.hpp>

using namespace cosw;

namespace {

struct Result {
    int exitCode = -1;
    QString out;
    QString err;
};

Result runBatch(const QStringList &args)
{
    QProcess p;
    p.start(QString::fromLocal8Bit(qgetenv("COS_BATCH")), args);
    p.waitForFinished(300000);
    Result r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString quickstart() { return test::sourcePath("configs/quickstart.yaml"); }

QByteArray readAll(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
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
        const Result r = runBatch({"init", quickstart(), "--out", m_checkpoint, "--seed", "3"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(QFile::exists(m_checkpoint + "/model.safetensors"));
        QVERIFY(QFile::exists(m_checkpoint + "/config.json"));
    }

    void versionAndUsage()
    {
        Result r = runBatch({"--version"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith("cos-batch "), qPrintable(r.out));
        QCOMPARE(runBatch({}).exitCode, 2);
        QCOMPARE(runBatch({"frobnicate"}).exitCode, 2);
        QCOMPARE(runBatch({"inspect"}).exitCode, 2);
        QCOMPARE(runBatch({"inspect", quickstart(), "--bogus"}).exitCode, 2);
    }

    void inspectJsonReportsTokensPerStage()
    {
        const Result r = runBatch({"inspect", quickstart(), "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json j = Json::parse(r.out.toStdString());
        const Json &p = *j.find("parameters");
        QVERIFY(p.find("vision")->asInt() > 0);
        QVERIFY(p.find("connector")->asInt() > 0);
        QVERIFY(p.find("lm")->asInt() > 0);
        QCOMPARE(p.find("total")->asInt(),
                 p.find("vision")->asInt() + p.find("connector")->asInt() + p.find("lm")->asInt());

        const auto &stages = j.find("stages")->asArray();
        QCOMPARE(stages.size(), size_t(2));
        QCOMPARE(stages[0].find("name")->asString(), std::string("pretrain"));
        QCOMPARE(stages[0].find("resolution")->asInt(), 112);
        QCOMPARE(stages[0].find("grid")->asInt(), 8);
        QCOMPARE(stages[0].find("visual_tokens")->asInt(), 32);
        QCOMPARE(stages[1].find("resolution")->asInt(), 224);
        QCOMPARE(stages[1].find("grid")->asInt(), 16);
        QCOMPARE(stages[1].find("visual_tokens")->asInt(), 320);
        const auto &scales = stages[1].find("scales")->asArray();
        QCOMPARE(scales.size(), size_t(2));
        QCOMPARE(scales[0].find("windows")->asInt(), 2);
        QCOMPARE(scales[0].find("queries")->asInt(), 16);
        QCOMPARE(scales[0].find("tokens")->asInt(), 64);
        QCOMPARE(scales[1].find("windows")->asInt(), 16);
        QCOMPARE(scales[1].find("tokens")->asInt(), 256);

        const Result table = runBatch({"inspect", quickstart()});
        QCOMPARE(table.exitCode, 0);
        QVERIFY2(table.out.contains("finetune") && table.out.contains("320"), qPrintable(table.out));
    }

    void inspectBadConfigExitsTwoNamingTheKey()
    {
        QString text = QString::fromUtf8(readAll(quickstart()));
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
        const QByteArray before = readAll(m_checkpoint + "/model.safetensors");
        const Result r = runBatch({"init", quickstart(), "--out", m_checkpoint, "--seed", "4"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("already exists"), qPrintable(r.err));
        QCOMPARE(readAll(m_checkpoint + "/model.safetensors"), before);
    }

    void initIsDeterministicForASeed()
    {
        const QString again = m_dir.filePath("init-again");
        QCOMPARE(runBatch({"init", quickstart(), "--out", again, "--seed", "3"}).exitCode, 0);
        QCOMPARE(readAll(again + "/model.safetensors"), readAll(m_checkpoint + "/model.safetensors"));
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
        const QString out = m_dir.filePath("enc224.safetensors");
        const Result r = runBatch({"encode", "--checkpoint", m_checkpoint, "--image", m_image, "--out", out,
                                   "--resolution", "224"});
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
        const QByteArray weights = readAll(m_checkpoint + "/model.safetensors");
        QFile w(broken + "/model.safetensors");
        QVERIFY(w.open(QIODevice::WriteOnly));
        w.write(weights.left(weights.size() / 2));
        w.close();
        r = runBatch({"encode", "--checkpoint", broken, "--image", m_image, "--out", out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(broken + "/model.safetensors"), qPrintable(r.err));
        QVERIFY(!QFile::exists(out));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"

// The table of bad inputs in docs/RELIABILITY.md, row by row: each input is
// made here, its command run, and the exit status, the exact message and the
// untouched store checked. The table is the specification; a row without a
// setup here, or a setup without a row, fails.

#include "ProcessRun.h"
#include "TestSupport.h"

#include "base/Json.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <functional>
#include <map>

using namespace cosw;

namespace {

struct Row {
    int number = 0;
    QString input, message;
    QStringList args;
};

// The rows of the "Bad inputs" table.
QList<Row> readTable(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        qFatal("cannot read %s", qPrintable(file));
    QList<Row> rows;
    bool inSection = false;
    for (const QString &line : QString::fromUtf8(f.readAll()).split('\n')) {
        if (line.startsWith("## "))
            inSection = line == "## Bad inputs";
        if (!inSection || !line.startsWith("| ") || line.startsWith("| #") || line.startsWith("| ---"))
            continue;
        QStringList cells = line.split(" | ");
        if (cells.size() != 4)
            qFatal("%s: a row needs four cells: %s", qPrintable(file), qPrintable(line));
        Row row;
        row.number = cells[0].mid(2).toInt();
        row.input = cells[1];
        QString command = cells[2].trimmed();
        QString message = cells[3].trimmed();
        if (message.endsWith(" |"))
            message.chop(2);
        if (!command.startsWith("`cos-batch ") || !command.endsWith('`') || !message.startsWith("`` ")
            || !message.endsWith(" ``"))
            qFatal("%s: row %d: command or message is not a code span", qPrintable(file), row.number);
        row.args = command.mid(11, command.size() - 12).split(' ', Qt::SkipEmptyParts);
        row.message = message.mid(3, message.size() - 6);
        rows << row;
    }
    return rows;
}

QString readText(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

bool writeBytes(const QString &file, const QByteArray &bytes)
{
    QFile f(file);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

// `text` with its first `from` replaced by `to`; empty when `from` is not there.
QString replacedOnce(const QString &text, const QString &from, const QString &to)
{
    const qsizetype at = text.indexOf(from);
    return at < 0 ? QString() : QString(text).replace(at, from.size(), to);
}

bool copyTree(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    for (const QFileInfo &entry : QDir(from).entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QString target = QDir(to).filePath(entry.fileName());
        if (entry.isDir() ? !copyTree(entry.filePath(), target) : !QFile::copy(entry.filePath(), target))
            return false;
    }
    return true;
}

} // namespace

class TestBadInputs : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_batch, m_fixtures, m_storeDump;

    QString batch() const { return m_batch; }

    QString storeDump() const
    {
        const test::Finished dump = test::runProcess("sqlite3", {"store.sqlite", ".dump"},
            QProcessEnvironment::systemEnvironment(), m_fixtures);
        return dump.exitCode == 0 ? dump.out : QString("sqlite3 failed: ") + dump.err;
    }

    // Makes row `number`'s input in `dir` (the command's working folder);
    // false when it could not.
    bool setUp(int number, const QString &dir)
    {
        const QString good = readText(m_fixtures + "/good.yaml");
        const auto file = [&dir](const QString &name) { return QDir(dir).filePath(name); };
        const auto write = [&](const QString &name, const QString &text) { return writeBytes(file(name), text.toUtf8()); };
        const QByteArray weights = [&] {
            QFile f(m_fixtures + "/ck/model.safetensors");
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }();
        const QString config = readText(m_fixtures + "/ck/config.json");
        const auto checkpoint = [&](const QString &name, const QByteArray &bytes, const QString &json) {
            return QDir().mkpath(file(name)) && writeBytes(file(name + "/model.safetensors"), bytes)
                   && (json.isEmpty() || write(name + "/config.json", json));
        };
        const quint64 headerLength = qFromLittleEndian<quint64>(weights.constData());
        // The dataset rows: the fixture's dataset with one thing broken in finetune.json.
        const auto dataset = [&](const std::function<void(Json &)> &breakIt) {
            if (!copyTree(m_fixtures + "/ds", file("ds")) || !QFile::copy(m_fixtures + "/ds.yaml", file("ds.yaml")))
                return false;
            if (!breakIt)
                return true;
            Json samples = parseJson(readText(file("ds/finetune.json")).toStdString());
            breakIt(samples);
            return write("ds/finetune.json", QString::fromStdString(samples.dump()));
        };
        const auto firstTurn = [](Json &samples, size_t i) -> Json & { return samples.at(i).at("conversations").at(0); };
        switch (number) {
        case 1: return write("unknown.yaml", "name: x\nmodel:\n  vision: {image_size: 56, patch_size: 7, bogus: 1}\n");
        case 2: return write("type.yaml", replacedOnce(good, "steps: 200", "steps: many"));
        case 3: return write("windows.yaml", replacedOnce(good, "{windows: 4, queries: 1}", "{windows: 3, queries: 1}"));
        case 4: return write("syntax.yaml", "name: x\nmodel: [1, 2\n");
        case 6: return write("empty.yaml", "");
        case 7: return write("negative-lr.yaml", replacedOnce(good, "lr: 1.0e-3", "lr: -1.0e-3"));
        case 18:
            return dataset({}) && write("ds/finetune.json", "[{\"id\": \"a\", \n");
        case 19: return dataset([](Json &s) { s.at(1).erase("conversations"); });
        case 20: return dataset([](Json &s) { std::swap(s.at(2).at("conversations").at(0), s.at(2).at("conversations").at(1)); });
        case 21:
            return dataset([&](Json &s) {
                firstTurn(s, 0)["value"] = QString::fromStdString(firstTurn(s, 0).at("value").get<std::string>())
                                               .remove("<image>\n")
                                               .toStdString();
            });
        case 22:
            return dataset([&](Json &s) { firstTurn(s, 0)["value"] = "<image>\n" + firstTurn(s, 0).at("value").get<std::string>(); });
        case 23: return dataset({}) && QFile::remove(file("ds/images/train/000003.png"));
        case 24: return dataset({}) && write("ds/images/train/000003.png", "not a picture");
        case 25: return write("bad.png", "not a picture");
        case 43: return dataset([](Json &s) { s.at(0)["image"] = "../item.png"; });
        case 27: return checkpoint("noconfig", weights, {});
        case 28: return checkpoint("cut-header", weights.left(5000), config);
        case 29: {
            QByteArray huge = weights;
            qToLittleEndian<quint64>(1000000000000ULL, huge.data());
            return checkpoint("huge-header", huge, config);
        }
        case 30: return checkpoint("cut-data", weights.left(int(8 + headerLength + 100)), config);
        case 31: {
            Json json = parseJson(config.toStdString());
            json["model"]["lm"]["width"] = 128;
            return checkpoint("wrong-shape", weights, QString::fromStdString(json.dump(2)));
        }
        case 33:
        case 34: return QDir().mkpath(file("taken")) && write("taken/kept.txt", "a file that must stay");
        case 35: return QDir().mkpath(file("hf"));
        case 36: return QDir().mkpath(file("hf")) && write("hf/config.json", R"({"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2"})");
        case 37: return QDir().mkpath(file("hf")) && write("hf/config.json", R"({"model_type": "llama"})");
        case 38: return QDir().mkpath(file("hf")) && write("hf/config.json", R"({"model_type": "clip_vision_model", "hidden_size": 64})");
        case 39: return write("notdb.sqlite", "this is not a database\n");
        case 40:
            return test::runProcess("sqlite3", {"future.sqlite", "PRAGMA user_version = 99;"},
                                    QProcessEnvironment::systemEnvironment(), dir)
                       .exitCode
                   == 0;
        case 5: case 8: case 9: case 10: case 11: case 12: case 13: case 14: case 15: case 16: case 17: case 26: case 32:
        case 41: case 42:
            return true; // the command line alone is the bad input
        default:
            return false;
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_batch = qEnvironmentVariable("COS_BATCH");
        QVERIFY2(!m_batch.isEmpty(), "run through ctest: COS_BATCH is not set");
        m_fixtures = m_dir.filePath("fixtures");
        QVERIFY(QDir().mkpath(m_fixtures));
        QVERIFY(QFile::copy(test::sourcePath("tests/data/compound.yaml"), m_fixtures + "/good.yaml"));
        test::Finished r = test::runProcess(batch(), {"init", "good.yaml", "--out", "ck", "--seed", "1"},
            QProcessEnvironment::systemEnvironment(), m_fixtures);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = test::runProcess(batch(), {"data", "fmnist-grid", "--out", "ds", "--train", "8", "--test", "4"},
            QProcessEnvironment::systemEnvironment(), m_fixtures);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(QFile::copy(m_fixtures + "/ds/images/test/000000.png", m_fixtures + "/item.png"));
        // A one-step fine-tuning on that dataset: the store's one finished run.
        const QString good = readText(m_fixtures + "/good.yaml");
        const qsizetype data = good.indexOf("\ndata:");
        QVERIFY(data > 0);
        QVERIFY(writeBytes(m_fixtures + "/ds.yaml",
                           (good.left(data) + "\ndata:\n  dir: ds\n  generate: false\n  eval_samples: 4\n"
                                              "  cell_reading_images: 0\n  feature_cache: false\n\nstages:\n"
                                              "  - {name: finetune, kind: finetune, data: finetune.json, steps: 1, "
                                              "batch_size: 2, lr: 1.0e-3, train: [connector, lm]}\n")
                               .toUtf8()));
        r = test::runProcess(batch(), {"run", "ds.yaml", "--db", "store.sqlite", "--progress", "lines", "--threads", "1"},
            QProcessEnvironment::systemEnvironment(), m_fixtures);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        m_storeDump = storeDump();
        QVERIFY(m_storeDump.contains("INSERT INTO runs"));
    }

    void badInputExitsTwoWithItsMessage_data()
    {
        QTest::addColumn<int>("number");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QList<Row> rows = readTable(test::sourcePath("docs/RELIABILITY.md"));
        QVERIFY(rows.size() >= 30);
        for (int i = 0; i < rows.size(); ++i) {
            QCOMPARE(rows[i].number, i + 1);
            QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(rows[i].number).arg(rows[i].input)))
                << rows[i].number << rows[i].args << rows[i].message;
        }
    }

    void badInputExitsTwoWithItsMessage()
    {
        QFETCH(int, number);
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const QString dir = m_dir.filePath(QStringLiteral("case-%1").arg(number));
        QVERIFY(QDir().mkpath(dir));
        QVERIFY2(setUp(number, dir), "no input made for this row");
        const test::Finished r = test::runProcess(batch(), args, QProcessEnvironment::systemEnvironment(), dir);
        QVERIFY2(r.exitCode == 2, qPrintable(QStringLiteral("exit %1: %2%3").arg(r.exitCode).arg(r.out, r.err)));
        QCOMPARE(r.err.section('\n', 0, 0), message);
        // Nothing already stored changed, and a folder that was there keeps its file.
        QCOMPARE(storeDump(), m_storeDump);
        if (QFileInfo::exists(dir + "/taken"))
            QCOMPARE(readText(dir + "/taken/kept.txt"), QString("a file that must stay"));
    }
};

QTEST_MAIN(TestBadInputs)
#include "tst_bad_inputs.moc"

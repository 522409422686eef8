// The data layer: Fashion-MNIST IDX files, the FMNIST-Grid generator,
// LLaVA-style conversation datasets, the word tokenizer and the batch loader.
// Generation runs on a tiny Fashion-MNIST written here, whose train and test
// items have distinct pixel values, so every PNG can be traced to its split.

#include "TestSupport.h"

#include "data/BatchLoader.h"
#include "data/ConversationDataset.h"
#include "data/MixedBatchLoader.h"
#include "data/FmnistGrid.h"
#include "data/GridCells.h"
#include "data/IdxReader.h"
#include "data/ImagePipeline.h"
#include "data/WordTokenizer.h"
#include "text/Conversation.h"
#include "base/Errors.h"
#include "base/Files.h"
#include "base/Json.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <zlib.h>

#include <map>
#include <set>

using namespace cosw;
using cosw::test::thrownMessage;

namespace {

constexpr int kTrainItems = 30;
constexpr int kTestItems = 20;
// Pixel value of every pixel of fixture item i: train items lie in
// [128, 157], test items in [1, 20], so a cell's value names split and item.
int trainValue(int item) { return 128 + item; }
int testValue(int item) { return 1 + item; }

QByteArray bigEndian(uint32_t v)
{
    QByteArray b(4, '\0');
    for (int i = 0; i < 4; ++i)
        b[i] = char((v >> (24 - 8 * i)) & 0xff);
    return b;
}

QByteArray idx(uint32_t magic, const std::vector<uint32_t> &dims, const QByteArray &payload)
{
    QByteArray out = bigEndian(magic);
    for (uint32_t d : dims)
        out += bigEndian(d);
    return out + payload;
}

void writeGz(const QString &path, const QByteArray &bytes)
{
    gzFile f = gzopen(path.toLocal8Bit().constData(), "wb");
    QVERIFY(f != nullptr);
    QCOMPARE(gzwrite(f, bytes.constData(), unsigned(bytes.size())), int(bytes.size()));
    QCOMPARE(gzclose(f), Z_OK);
}

void writeSplit(const QString &dir, const QString &split, int count, int (*value)(int))
{
    QByteArray pixels, labels;
    for (int i = 0; i < count; ++i) {
        pixels += QByteArray(28 * 28, char(value(i)));
        labels += char(i % 10);
    }
    writeGz(dir + "/" + split + "-images-idx3-ubyte.gz", idx(0x803, {uint32_t(count), 28, 28}, pixels));
    writeGz(dir + "/" + split + "-labels-idx1-ubyte.gz", idx(0x801, {uint32_t(count)}, labels));
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString qs(const std::string &s) { return QString::fromStdString(s); }

// Every file under `dir` with its bytes, keyed by relative path.
std::map<QString, QByteArray> tree(const QString &dir)
{
    std::map<QString, QByteArray> files;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        files[QDir(dir).relativeFilePath(path)] = readAll(path);
    }
    return files;
}

std::string text(const Json &entry, int turn)
{
    return entry.at("conversations").at(size_t(turn)).at("value").get<std::string>();
}

int classOf(const std::string &name)
{
    const auto &names = fmnistClassNames();
    return int(std::find(names.begin(), names.end(), name) - names.begin());
}


std::string itemAt(const std::vector<int> &cells, int side, int row, int col)
{
    if (row < 0 || col < 0 || row >= side || col >= side)
        return "outside";
    const int cls = cells[size_t(row * side + col)];
    return cls < 0 ? "nothing" : fmnistClassNames()[size_t(cls)];
}

// The answer to `question` worked out from the cells alone, or "?" when the
// question has no recognised form or no unique answer.
std::string expectedAnswer(const QString &question, const std::vector<int> &cells, int side)
{
    auto count = [&](int cls) { return int(std::count(cells.begin(), cells.end(), cls)); };
    QRegularExpressionMatch m;
    if ((m = QRegularExpression("^what is at row (\\d+) column (\\d+)\\?$").match(question)).hasMatch())
        return itemAt(cells, side, m.captured(1).toInt() - 1, m.captured(2).toInt() - 1);
    if ((m = QRegularExpression("^how many (\\w+) are there\\?$").match(question)).hasMatch()) {
        const auto &names = fmnistClassNames();
        if (std::find(names.begin(), names.end(), m.captured(1).toStdString()) == names.end())
            return "?";
        return std::to_string(count(classOf(m.captured(1).toStdString())));
    }
    if ((m = QRegularExpression("^is there a (\\w+)\\?$").match(question)).hasMatch())
        return count(classOf(m.captured(1).toStdString())) > 0 ? "yes" : "no";
    if ((m = QRegularExpression("^what is (left of|right of|above|below) the (\\w+)\\?$").match(question)).hasMatch()) {
        const int cls = classOf(m.captured(2).toStdString());
        if (count(cls) != 1)
            return "?";
        const int cell = int(std::find(cells.begin(), cells.end(), cls) - cells.begin());
        const QString d = m.captured(1);
        const int dr = d == "above" ? -1 : d == "below" ? 1 : 0;
        const int dc = d == "left of" ? -1 : d == "right of" ? 1 : 0;
        return itemAt(cells, side, cell / side + dr, cell % side + dc);
    }
    return "?";
}

std::string expectedCaption(const std::vector<int> &cells, int side)
{
    std::string out;
    for (int r = 0; r < side; ++r) {
        out += (r ? " row " : "row ") + std::to_string(r + 1) + ":";
        for (int c = 0; c < side; ++c)
            out += " " + itemAt(cells, side, r, c);
        out += ".";
    }
    return out;
}

std::vector<int> ints(const Json &list)
{
    std::vector<int> out;
    for (const Json &v : list)
        out.push_back(int(v.get<int64_t>()));
    return out;
}

Json sampleJson(const std::string &id, const std::string &image, const std::string &human, const std::string &gpt,
                const std::string &type = "")
{
    Json h = Json::object();
    h["from"] = "human";
    h["value"] = human;
    Json g = Json::object();
    g["from"] = "gpt";
    g["value"] = gpt;
    Json s = Json::object();
    s["id"] = id;
    s["image"] = image;
    s["conversations"] = Json::array({h, g});
    if (!type.empty())
        s["type"] = type;
    return s;
}

bool sameBatch(const TrainingBatch &a, const TrainingBatch &b)
{
    return a.indices == b.indices && a.skipped == b.skipped && torch::equal(a.images, b.images)
           && torch::equal(a.ids, b.ids) && torch::equal(a.labels, b.labels);
}

struct Result {
    int exitCode = -1;
    QString out;
    QString err;
};

Result runBatch(const QStringList &args, const QString &datasetDir)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("COS_FASHION_MNIST_DIR", datasetDir);
    p.setProcessEnvironment(env);
    p.start(QString::fromLocal8Bit(qgetenv("COS_BATCH")), args);
    p.waitForFinished(120000);
    Result r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace

class TestData : public QObject {
    Q_OBJECT
public:
    // Before QTest starts: on a CPU OpenBLAS does not know, with the right kernel.
    static void initMain() { cosw::ensureBlasKernel(); }

    QTemporaryDir m_dir;
    QString m_fmnist; // the tiny Fashion-MNIST

    FmnistGridOptions smallGrid() const
    {
        FmnistGridOptions o;
        o.trainImages = 12;
        o.testImages = 8;
        o.grid = 4;
        o.seed = 7;
        return o;
    }

    // Ten samples with 16 px grey images of distinct brightness, and a tokenizer over their texts.
    QString writeLoaderDataset(const QString &name, const std::set<int> &missing = {}, const std::set<int> &corrupt = {})
    {
        const QString dir = m_dir.filePath(name);
        QDir().mkpath(dir + "/img");
        Json list = Json::array();
        for (int i = 0; i < 10; ++i) {
            const std::string image = "img/" + std::to_string(i) + ".png";
            const std::string path = (dir + "/").toStdString() + image;
            if (corrupt.count(i))
                writeTextFile(path, "not a png");
            else if (!missing.count(i))
                cv::imwrite(path, cv::Mat(16, 16, CV_8UC1, cv::Scalar(20 * (i + 1))));
            std::string prompt = "what is item " + std::to_string(i) + "?";
            for (int w = 0; w < i % 3; ++w)
                prompt += " please";
            list.push_back(sampleJson("s" + std::to_string(i), image, "<image>\n" + prompt,
                                 i % 2 ? "a bag" : "nothing", i % 2 ? "odd" : "even"));
        }
        writeTextFile((dir + "/data.json").toStdString(), list.dump(1));
        return dir + "/data.json";
    }

    static WordTokenizer tokenizerFor(const ConversationDataset &d) { return WordTokenizer::build(d.texts()); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_fmnist = m_dir.filePath("fashion-mnist");
        QVERIFY(QDir().mkpath(m_fmnist));
        writeSplit(m_fmnist, "train", kTrainItems, trainValue);
        writeSplit(m_fmnist, "t10k", kTestItems, testValue);
        qputenv("COS_FASHION_MNIST_DIR", m_fmnist.toLocal8Bit());
    }

    // ------------------------------------------------------------------ IDX

    void idxReadsImagesAndLabels()
    {
        const IdxImages images = readIdxImages((m_fmnist + "/train-images-idx3-ubyte.gz").toStdString());
        QCOMPARE(images.count, kTrainItems);
        QCOMPARE(images.rows, 28);
        QCOMPARE(images.cols, 28);
        QCOMPARE(images.pixels.size(), size_t(kTrainItems * 28 * 28));
        QCOMPARE(int(images.pixels[size_t(5 * 28 * 28 + 100)]), trainValue(5));
        const std::vector<uint8_t> labels = readIdxLabels((m_fmnist + "/t10k-labels-idx1-ubyte.gz").toStdString());
        QCOMPARE(labels.size(), size_t(kTestItems));
        QCOMPARE(int(labels[13]), 3);
        const FashionMnistSplit split = readFashionMnist("t10k");
        QCOMPARE(split.images.count, kTestItems);
        QCOMPARE(int(split.images.pixels.back()), testValue(kTestItems - 1));
    }

    void idxRejectsBadFiles_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<bool>("gzip");
        QTest::addColumn<QString>("expected");
        const QByteArray pixels(2 * 3 * 4, '\x07');
        QTest::newRow("labels magic") << idx(0x801, {2}, "ab") << true << "magic number 0x00000801, expected 0x00000803";
        QTest::newRow("truncated data") << idx(0x803, {2, 3, 4}, pixels.left(20)) << true
                                        << "truncated: the header describes 24 bytes of data, the file holds 20";
        QTest::newRow("truncated header") << idx(0x803, {2}, {}) << true << "truncated IDX header (no rows)";
        QTest::newRow("trailing bytes") << idx(0x803, {2, 3, 4}, pixels + "x") << true << "unexpected bytes after";
        QTest::newRow("zero rows") << idx(0x803, {2, 0, 4}, {}) << true << "bad IDX dimension: rows = 0";
        QTest::newRow("plain text") << QByteArray("hello, not an IDX file") << false << "not an IDX file of unsigned-byte images";
        QTest::newRow("empty") << QByteArray() << true << "truncated IDX header (no magic number)";
    }
    void idxRejectsBadFiles()
    {
        QFETCH(QByteArray, content);
        QFETCH(bool, gzip);
        QFETCH(QString, expected);
        const QString path = m_dir.filePath("bad-" + QString(QTest::currentDataTag()).replace(' ', '-') + ".gz");
        if (gzip) {
            writeGz(path, content);
        } else {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        const QString message = qs(thrownMessage<InputError>([&] { readIdxImages(path.toStdString()); }));
        QVERIFY2(message.startsWith(path + ": ") && message.contains(expected), qPrintable(message));
    }

    void idxRejectsAMissingFileAndMismatchedLabels()
    {
        const QString missing = m_dir.filePath("nothing-here.gz");
        QString message = qs(thrownMessage<InputError>([&] { readIdxLabels(missing.toStdString()); }));
        QVERIFY2(message.startsWith(missing + ": no such file"), qPrintable(message));

        const QString dir = m_dir.filePath("mismatched");
        QDir().mkpath(dir);
        writeSplit(dir, "train", 3, trainValue);
        writeGz(dir + "/train-labels-idx1-ubyte.gz", idx(0x801, {2}, "\x01\x02"));
        qputenv("COS_FASHION_MNIST_DIR", dir.toLocal8Bit());
        message = qs(thrownMessage<InputError>([] { readFashionMnist("train"); }));
        qputenv("COS_FASHION_MNIST_DIR", m_fmnist.toLocal8Bit());
        QVERIFY2(message.contains(dir + "/train-labels-idx1-ubyte.gz: 2 labels for 3 images"), qPrintable(message));
    }

    void missingDatasetNamesThePackage()
    {
        const QString absent = m_dir.filePath("no-such-dataset");
        const QString incomplete = m_dir.filePath("incomplete");
        QDir().mkpath(incomplete);
        writeSplit(incomplete, "train", 3, trainValue);
        const std::string hint = "install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist)";

        qputenv("COS_FASHION_MNIST_DIR", absent.toLocal8Bit());
        const std::string noDir = thrownMessage<InputError>([] { fashionMnistDir(); });
        const std::string noDirGenerate =
            thrownMessage<InputError>([&] { generateFmnistGrid(m_dir.filePath("never").toStdString(), smallGrid()); });
        qputenv("COS_FASHION_MNIST_DIR", incomplete.toLocal8Bit());
        const std::string noTestSplit = thrownMessage<InputError>([] { readFashionMnist("t10k"); });
        qputenv("COS_FASHION_MNIST_DIR", m_fmnist.toLocal8Bit());

        QVERIFY2(qs(noDir).startsWith(absent) && noDir.find(hint) != std::string::npos, noDir.c_str());
        QVERIFY2(noDirGenerate.find(hint) != std::string::npos, noDirGenerate.c_str());
        QVERIFY2(qs(noTestSplit).startsWith(incomplete + "/t10k-images-idx3-ubyte.gz")
                     && noTestSplit.find(hint) != std::string::npos,
                 noTestSplit.c_str());
        // A failed generation leaves nothing behind.
        QVERIFY(!QFile::exists(m_dir.filePath("never")));
        QVERIFY(QDir(m_dir.path()).entryList({"never*"}, QDir::AllEntries | QDir::Hidden).isEmpty());
    }

    // ------------------------------------------------------------ generator

    void generatorIsDeterministic()
    {
        const QString a = m_dir.filePath("grid-a"), b = m_dir.filePath("grid-b"), c = m_dir.filePath("grid-c");
        const FmnistGridSummary sa = generateFmnistGrid(a.toStdString(), smallGrid());
        generateFmnistGrid(b.toStdString(), smallGrid());
        FmnistGridOptions other = smallGrid();
        other.seed = 8;
        generateFmnistGrid(c.toStdString(), other);

        QVERIFY(sa.generated);
        QCOMPARE(sa.trainImages, 12);
        QCOMPARE(sa.testImages, 8);
        QCOMPARE(sa.pretrainSamples, 12);
        QCOMPARE(sa.finetuneSamples, 48);
        QCOMPARE(sa.evalSamples, 32);
        QCOMPARE(qs(sa.evalJson), a + "/eval.json");
        const auto ta = tree(a), tb = tree(b), tc = tree(c);
        QCOMPARE(sa.textSamples, 48);     // one per question, as finetune.json
        QCOMPARE(sa.textShortSamples, 192); // four windows per image, four questions each
        QCOMPARE(sa.textEvalSamples, 32);
        QCOMPARE(ta.size(), size_t(12 + 8 + 9));
        for (const char *f : {"pretrain.json", "finetune.json", "eval.json", "cells.json", "manifest.json", "text.json",
                              "text-short.json", "text-eval.json", "tokenizer.json",
                              "images/train/000000.png", "images/train/000011.png", "images/test/000007.png"})
            QVERIFY2(ta.count(f) && !ta.at(f).isEmpty(), f);
        QVERIFY(ta == tb);
        QCOMPARE(tc.size(), ta.size());
        QVERIFY(tc.at("eval.json") != ta.at("eval.json"));
        QVERIFY(tc.at("cells.json") != ta.at("cells.json"));
        int differentImages = 0;
        for (const auto &kv : ta)
            differentImages += kv.first.endsWith(".png") && tc.at(kv.first) != kv.second ? 1 : 0;
        QVERIFY(differentImages > 10);
    }

    // One vocabulary for the whole set: every word of every conversation file
    // has its id, so a language model trained on the text files reads the
    // image files' words alike.
    void generatorWritesTheSetsTokenizer()
    {
        const QString dir = m_dir.filePath("grid-a");
        const FmnistGridSummary s = generateFmnistGrid(dir.toStdString(), smallGrid());
        QCOMPARE(qs(s.tokenizerJson), dir + "/tokenizer.json");
        const WordTokenizer tokenizer = WordTokenizer::load(s.tokenizerJson);
        std::vector<std::string> all;
        for (const char *file : {"text-short.json", "text.json", "pretrain.json", "finetune.json", "eval.json", "text-eval.json"}) {
            const auto texts = ConversationDataset::load((dir + "/" + file).toStdString(), dir.toStdString()).texts();
            QVERIFY2(!texts.empty(), file);
            for (const std::string &text : texts)
                for (const std::string &word : WordTokenizer::split(text))
                    QVERIFY2(tokenizer.id(word) != WordTokenizer::kUnkId, (std::string(file) + ": " + word).c_str());
            all.insert(all.end(), texts.begin(), texts.end());
        }
        // Exactly those words (and the template's), no others.
        QCOMPARE(tokenizer.toJson().dump(), WordTokenizer::build(all).toJson().dump());
        QVERIFY(tokenizer.id("describe") != WordTokenizer::kUnkId); // pretrain.json's prompt
        QVERIFY(tokenizer.id("row") != WordTokenizer::kUnkId);
    }

    // Every cell of every PNG holds exactly the item cells.json names, from the
    // split the image belongs to.
    void imagesComeFromTheirSplitAsCellsSay()
    {
        const QString dir = m_dir.filePath("grid-a");
        const FmnistGridOptions o = smallGrid();
        const Json cells = parseJsonFile((dir + "/cells.json").toStdString());
        QCOMPARE(cells.size(), size_t(o.trainImages + o.testImages));
        int testCells = 0;
        for (const Json &entry : cells) {
            const std::string image = entry.at("image").get<std::string>();
            const bool test = entry.at("split").get<std::string>() == "test";
            QCOMPARE(qs(image).startsWith(test ? "images/test/" : "images/train/"), true);
            const cv::Mat png = cv::imread((dir + "/").toStdString() + image, cv::IMREAD_UNCHANGED);
            QCOMPARE(png.rows, o.grid * 28);
            QCOMPARE(png.cols, o.grid * 28);
            const std::vector<int> classes = ints(entry.at("cells"));
            const std::vector<int> sources = ints(entry.at("sources"));
            for (int cell = 0; cell < o.grid * o.grid; ++cell) {
                const int source = sources[size_t(cell)];
                QCOMPARE(classes[size_t(cell)], source < 0 ? -1 : source % 10);
                const int value = source < 0 ? 0 : test ? testValue(source) : trainValue(source);
                const cv::Mat region = png(cv::Rect(cell % o.grid * 28, cell / o.grid * 28, 28, 28));
                QVERIFY2(cv::countNonZero(region != value) == 0, image.c_str());
                testCells += test && source >= 0 ? 1 : 0;
            }
        }
        QVERIFY(testCells > 0);
    }

    void answersAndCaptionsFollowTheCells()
    {
        const QString dir = m_dir.filePath("grid-a");
        const int side = smallGrid().grid;
        std::map<std::string, std::vector<int>> cellsOf;
        for (const Json &entry : parseJsonFile((dir + "/cells.json").toStdString()))
            cellsOf[entry.at("image").get<std::string>()] = ints(entry.at("cells"));

        for (const Json &entry : parseJsonFile((dir + "/pretrain.json").toStdString())) {
            QCOMPARE(text(entry, 0), std::string("<image>\ndescribe the image."));
            QCOMPARE(text(entry, 1), expectedCaption(cellsOf.at(entry.at("image").get<std::string>()), side));
        }
        std::map<std::string, int> perType;
        for (const char *file : {"finetune.json", "eval.json"}) {
            for (const Json &entry : parseJsonFile((dir + "/" + file).toStdString())) {
                const std::string image = entry.at("image").get<std::string>();
                QCOMPARE(qs(image).startsWith("images/test/"), std::string(file) == "eval.json");
                const QString question = qs(text(entry, 0)).mid(QString("<image>\n").size());
                QCOMPARE(text(entry, 1), expectedAnswer(question, cellsOf.at(image), side));
                ++perType[entry.at("type").get<std::string>()];
            }
        }
        QCOMPARE(perType.size(), size_t(4));
        QVERIFY(perType["relation"] > 0 && perType["position"] > 0 && perType["count"] > 0 && perType["existence"] > 0);
    }

    // The text samples hold a caption and questions on it, no image: text.json
    // a training image's caption with that image's questions, text-short.json
    // a 2x2 window of it, its questions answered from the window's cells.
    void textSamplesFollowTheirCaptions()
    {
        const QString dir = m_dir.filePath("grid-a");
        const int side = smallGrid().grid;
        std::map<std::string, std::vector<int>> cellsOf; // by sample id prefix, "train-000003"
        for (const Json &entry : parseJsonFile((dir + "/cells.json").toStdString()))
            cellsOf[entry.at("split").get<std::string>() + "-"
                    + QFileInfo(qs(entry.at("image").get<std::string>())).baseName().toStdString()] = ints(entry.at("cells"));
        std::map<std::string, std::string> imageAnswers; // by id, of the image sets
        for (const char *file : {"/finetune.json", "/eval.json"})
            for (const Json &entry : parseJsonFile((dir + file).toStdString()))
                imageAnswers[entry.at("id").get<std::string>()] = text(entry, 1);

        auto contextAndQuestion = [](const Json &entry) {
            const QString first = qs(text(entry, 0));
            const qsizetype cut = first.lastIndexOf('\n');
            return std::make_pair(first.left(cut).toStdString(), first.mid(cut + 1));
        };
        // text.json and text-eval.json: the image's questions after its caption.
        for (const char *file : {"/text.json", "/text-eval.json"}) {
            QVERIFY(!ConversationDataset::load((dir + file).toStdString(), "").hasImages());
            size_t samples = 0;
            for (const Json &entry : parseJsonFile((dir + file).toStdString())) {
                QVERIFY(!findKey(entry, "image"));
                const std::string id = entry.at("id").get<std::string>();
                const std::vector<int> &cells = cellsOf.at(id.substr(0, id.find("-q")));
                const auto [context, question] = contextAndQuestion(entry);
                QCOMPARE(context, expectedCaption(cells, side));
                QCOMPARE(text(entry, 1), expectedAnswer(question, cells, side));
                QCOMPARE(text(entry, 1), imageAnswers.at(id)); // the image's own question
                ++samples;
            }
            QCOMPARE(samples, size_t(std::string(file) == "/text.json" ? 48 : 32));
        }
        std::set<std::string> types;
        for (const Json &entry : parseJsonFile((dir + "/text-short.json").toStdString())) {
            QVERIFY(!findKey(entry, "image"));
            const std::string id = entry.at("id").get<std::string>();
            const std::vector<int> &cells = cellsOf.at(id.substr(0, id.find("-w")));
            const auto [context, question] = contextAndQuestion(entry);
            // Some 2x2 window of the image has this caption...
            std::vector<int> window;
            for (int top = 0; top + 2 <= side && window.empty(); ++top)
                for (int left = 0; left + 2 <= side && window.empty(); ++left) {
                    const std::vector<int> w = {cells[size_t(top * side + left)], cells[size_t(top * side + left + 1)],
                                                cells[size_t((top + 1) * side + left)],
                                                cells[size_t((top + 1) * side + left + 1)]};
                    if (expectedCaption(w, 2) == context)
                        window = w;
                }
            QVERIFY2(!window.empty(), context.c_str());
            // ...and the question is answered from it.
            QCOMPARE(text(entry, 1), expectedAnswer(question, window, 2));
            types.insert(entry.at("type").get<std::string>());
        }
        QCOMPARE(types.size(), size_t(4));
    }

    // text_grids and dense_questions add a file each and change nothing
    // else. text-grids.json: grids never rendered, each caption followed by
    // every one of its cells asked once by row and column, answered from that
    // caption. finetune-dense.json: each training image asked every cell and
    // every relation of its single items. A set without them keeps the
    // options (and so the directory and identity) it had before.
    void denseQuestionsAskEveryCellAndRelation()
    {
        QVERIFY(!findKey(fmnistGridOptionsJson(smallGrid()), "text_grids"));
        QVERIFY(!findKey(fmnistGridOptionsJson(smallGrid()), "dense_questions"));
        FmnistGridOptions o = smallGrid();
        o.textGrids = 6;
        o.denseQuestions = true;
        const QString dir = m_dir.filePath("grid-dense"), plain = m_dir.filePath("grid-b");
        const FmnistGridSummary s = generateFmnistGrid(dir.toStdString(), o);
        QCOMPARE(s.textGridSamples, 6); // 16 cells: one conversation per grid
        QCOMPARE(qs(s.textGridsJson), dir + "/text-grids.json");
        QCOMPARE(qs(s.finetuneDenseJson), dir + "/finetune-dense.json");
        const FmnistGridSummary p = generateFmnistGrid(plain.toStdString(), smallGrid());
        QVERIFY(p.textGridsJson.empty() && p.finetuneDenseJson.empty());

        const auto withDense = tree(dir), without = tree(plain);
        QCOMPARE(withDense.size(), without.size() + 2);
        for (const auto &[file, bytes] : without)
            if (file != "manifest.json")
                QVERIFY2(withDense.at(file) == bytes, qPrintable(file));
        const Json options = parseJsonFile((dir + "/manifest.json").toStdString()).at("options");
        QCOMPARE(options.at("text_grids").get<int64_t>(), 6);
        QCOMPARE(options.at("dense_questions").get<bool>(), true);

        const int side = o.grid;
        // A conversation's questions with their answers.
        auto turnsOf = [&](const Json &entry, const QString &first) {
            std::vector<std::pair<QString, std::string>> out;
            for (size_t t = 0; t < entry.at("conversations").size(); t += 2)
                out.emplace_back(t == 0 ? first : qs(text(entry, int(t))), text(entry, int(t) + 1));
            return out;
        };
        std::set<std::string> captions;
        for (const Json &entry : parseJsonFile(s.textGridsJson)) {
            QVERIFY(!findKey(entry, "image"));
            const QString first = qs(text(entry, 0));
            const std::string caption = first.left(first.indexOf('\n')).toStdString();
            // The cells back from the caption, row by row.
            std::vector<int> cells;
            for (const QString &word : qs(caption).split(' ')) {
                const QString item = QString(word).remove('.');
                if (!item.startsWith("row") && !item.endsWith(':'))
                    cells.push_back(item == "nothing" ? -1 : classOf(item.toStdString()));
            }
            QCOMPARE(int(cells.size()), side * side);
            QCOMPARE(caption, expectedCaption(cells, side));
            captions.insert(caption);
            std::set<QString> asked;
            for (const auto &[question, answer] : turnsOf(entry, first.mid(first.indexOf('\n') + 1))) {
                QVERIFY2(asked.insert(question).second, qPrintable(question));
                QCOMPARE(answer, expectedAnswer(question, cells, side));
            }
            QCOMPARE(int(asked.size()), side * side);
            QVERIFY(asked.count("what is at row 1 column 1?") && asked.count("what is at row 4 column 4?"));
        }
        QVERIFY(captions.size() > 3);

        std::map<std::string, std::vector<int>> cellsOf;
        for (const Json &entry : parseJsonFile((dir + "/cells.json").toStdString()))
            cellsOf[entry.at("image").get<std::string>()] = ints(entry.at("cells"));
        std::map<std::string, int> positions, relations;
        for (const Json &entry : parseJsonFile(s.finetuneDenseJson)) {
            const std::string image = entry.at("image").get<std::string>();
            QVERIFY(qs(image).startsWith("images/train/"));
            const std::vector<int> &cells = cellsOf.at(image);
            const QString first = qs(text(entry, 0));
            QVERIFY(first.startsWith("<image>\n"));
            std::set<QString> asked;
            for (const auto &[question, answer] : turnsOf(entry, first.mid(8))) {
                QVERIFY2(asked.insert(question).second, qPrintable(question));
                QCOMPARE(answer, expectedAnswer(question, cells, side));
            }
            const bool cellsAsked = qs(entry.at("id").get<std::string>()).contains("-cells-");
            (cellsAsked ? positions : relations)[image] += int(asked.size());
        }
        QCOMPARE(int(positions.size()), o.trainImages);
        for (const auto &[image, n] : positions)
            QCOMPARE(n, side * side);
        // Every direction that stays on the grid, from every single item.
        for (const auto &[image, cells] : cellsOf) {
            if (!qs(image).startsWith("images/train/"))
                continue;
            int expected = 0;
            for (int cls = 0; cls < 10; ++cls)
                if (std::count(cells.begin(), cells.end(), cls) == 1) {
                    const int cell = int(std::find(cells.begin(), cells.end(), cls) - cells.begin());
                    const int r = cell / side, c = cell % side;
                    expected += (r > 0) + (r < side - 1) + (c > 0) + (c < side - 1);
                }
            QCOMPARE(relations[image], expected);
        }

        o.textGrids = -1;
        const QString message = qs(thrownMessage<InputError>([&] { generateFmnistGrid(m_dir.filePath("y").toStdString(), o); }));
        QVERIFY2(message.contains("text grids must be in [0, 9999999], got -1"), qPrintable(message));
    }

    void manifestHoldsTheMajorityBaseline()
    {
        const QString dir = m_dir.filePath("grid-a");
        const Json manifest = parseJsonFile((dir + "/manifest.json").toStdString());
        QCOMPARE(findKey(manifest, "options")->at("seed").get<int64_t>(), 7);
        QCOMPARE(manifest.at("classes").at(0).get<std::string>(), std::string("tshirt"));
        QCOMPARE(findKey(manifest, "counts")->at("eval").get<int64_t>(), 32);

        std::map<std::string, std::map<std::string, int>> answers;
        for (const Json &entry : parseJsonFile((dir + "/eval.json").toStdString())) {
            ++answers[entry.at("type").get<std::string>()][text(entry, 1)];
            ++answers[""][text(entry, 1)];
        }
        const Json &baseline = manifest.at("eval_majority_baseline");
        for (const auto &kv : answers) {
            const Json &b = kv.first.empty() ? baseline.at("overall") : baseline.at("per_type").at(kv.first);
            int n = 0, best = 0;
            for (const auto &a : kv.second) {
                n += a.second;
                best = std::max(best, a.second);
            }
            QCOMPARE(kv.second.at(b.at("answer").get<std::string>()), best);
            QCOMPARE(b.at("accuracy").get<double>(), double(best) / n);
            QCOMPARE(int(b.at("questions").get<int64_t>()), n);
        }
    }

    // Several questions of an image in one training conversation, each answer
    // typed; evaluation stays one question per sample; the same questions
    // either way.
    void generatorPutsSeveralTurnsInATrainingSample()
    {
        FmnistGridOptions o = smallGrid();
        o.questionsPerImage = 5;
        o.turnsPerSample = 2;
        const QString multi = m_dir.filePath("grid-multi");
        generateFmnistGrid(multi.toStdString(), o);
        FmnistGridOptions single = o;
        single.turnsPerSample = 1;
        const QString one = m_dir.filePath("grid-single");
        generateFmnistGrid(one.toStdString(), single);

        const ConversationDataset train = ConversationDataset::load((multi + "/finetune.json").toStdString(), "");
        const ConversationDataset reference = ConversationDataset::load((one + "/finetune.json").toStdString(), "");
        QCOMPARE(train.size(), size_t(o.trainImages * 3)); // 2 + 2 + 1 per image
        std::vector<ConversationTurn> flat, flatReference;
        // Evaluation asks every type right after the image; training does too.
        std::map<std::string, int> first;
        for (const ConversationSample &s : train.samples())
            ++first[s.turns.front().type];
        QCOMPARE(first.size(), size_t(4));
        for (const auto &[type, n] : first)
            QVERIFY2(n >= int(train.size()) / 8, type.c_str());
        for (const ConversationSample &s : train.samples()) {
            QVERIFY(s.turns.size() == 2 || s.turns.size() == 1);
            for (const ConversationTurn &t : s.turns) {
                QVERIFY(!t.type.empty());
                flat.push_back(t);
            }
        }
        for (const ConversationSample &s : reference.samples())
            flatReference.push_back(s.turns.front());
        QCOMPARE(flat.size(), flatReference.size());
        for (size_t i = 0; i < flat.size(); ++i) {
            QCOMPARE(flat[i].prompt, flatReference[i].prompt);
            QCOMPARE(flat[i].answer, flatReference[i].answer);
            QCOMPARE(flat[i].type, flatReference[i].type);
        }
        const ConversationDataset eval = ConversationDataset::load((multi + "/eval.json").toStdString(), "");
        QCOMPARE(eval.size(), size_t(o.testImages * o.questionsPerImage));
        eval.requireSingleTurn();
        // The option is part of the set's identity.
        QCOMPARE(parseJsonFile((multi + "/manifest.json").toStdString()).find("options")->find("turns_per_sample")->get<int64_t>(), 2);
    }

    // Cell reading scores a caption cell by cell against cells.json.
    void cellReadingScoresCaptionsCellByCell()
    {
        const std::vector<int> cells = {8, -1, -1, 0}; // bag nothing / nothing tshirt
        QCOMPARE(gridCaption(cells, 2), std::string("row 1: bag nothing. row 2: nothing tshirt."));
        QCOMPARE(gridCaption(cells, 2), expectedCaption(cells, 2));
        QCOMPARE(cellsNamedCorrectly("row 1: bag nothing. row 2: nothing tshirt.", cells, 2), 4);
        QCOMPARE(cellsNamedCorrectly("Row 1: Bag nothing. row 2: boot tshirt", cells, 2), 3);
        // A missing row scores nothing; a repeated one is scored once; words
        // past the row's cells do not count.
        QCOMPARE(cellsNamedCorrectly("row 2: nothing tshirt.", cells, 2), 2);
        QCOMPARE(cellsNamedCorrectly("row 1: bag nothing. row 1: bag nothing.", cells, 2), 2);
        QCOMPARE(cellsNamedCorrectly("row 1: bag bag nothing.", cells, 2), 1);
        QCOMPARE(cellsNamedCorrectly("", cells, 2), 0);
        QCOMPARE(cellsNamedCorrectly("row 3: bag bag. row 0: bag.", cells, 2), 0);

        // The generated set's test cells, and the blind control on them.
        const QString dir = m_dir.filePath("grid-a");
        const auto train = readGridCells((dir + "/cells.json").toStdString(), "train");
        const auto test = readGridCells((dir + "/cells.json").toStdString(), "test");
        QCOMPARE(train.size(), size_t(smallGrid().trainImages));
        QCOMPARE(test.size(), size_t(smallGrid().testImages));
        QCOMPARE(test.front().side, smallGrid().grid);
        QVERIFY(qs(test.front().path).startsWith(dir + "/images/test/"));
        int empty = 0, all = 0;
        for (const auto &image : test)
            for (int c : image.cells) {
                empty += c < 0;
                ++all;
            }
        QCOMPARE(cellReadingPrior(train, test), double(empty) / all); // sparse grids: "nothing" is commonest
        const std::string none = m_dir.filePath("no-test-cells.json").toStdString();
        writeTextFile(none, R"([{"image": "a.png", "split": "train", "cells": [-1]}])");
        QVERIFY(qs(thrownMessage<InputError>([&] { readGridCells(none, "test"); })).contains("no test images"));
        writeTextFile(none, R"([{"image": "a.png", "split": "test", "cells": [-1, 1]}])");
        QVERIFY(qs(thrownMessage<InputError>([&] { readGridCells(none, "test"); }))
                    .contains(qs(none) + ": entry 0: 2 cells do not form a square grid"));
    }

    // On a larger set the answers are not dominated by one value.
    void answersAreBalanced()
    {
        FmnistGridOptions o;
        o.trainImages = 150;
        o.testImages = 1;
        const QString dir = m_dir.filePath("grid-balance");
        generateFmnistGrid(dir.toStdString(), o);
        std::map<std::string, std::map<std::string, int>> answers;
        std::map<std::string, int> perType;
        for (const Json &entry : parseJsonFile((dir + "/finetune.json").toStdString())) {
            ++answers[entry.at("type").get<std::string>()][text(entry, 1)];
            ++perType[entry.at("type").get<std::string>()];
        }
        // Relation questions never fall back to position questions on 8x8 grids.
        QCOMPARE(perType["relation"], o.trainImages);
        const double yes = double(answers["existence"]["yes"]) / perType["existence"];
        QVERIFY2(yes > 0.35 && yes < 0.65, qPrintable(QString::number(yes)));
        for (const char *type : {"position", "count", "relation"})
            for (const auto &a : answers[type])
                QVERIFY2(a.second < perType[type] * 0.5, (std::string(type) + " " + a.first).c_str());
    }

    void generatorIsIdempotentAndRefusesForeignDirectories()
    {
        const QString dir = m_dir.filePath("grid-a");
        const QByteArray manifest = readAll(dir + "/manifest.json");
        QFile::remove(dir + "/images/train/000003.png"); // not regenerated: the manifest says it is done
        const FmnistGridSummary again = generateFmnistGrid((dir + "/").toStdString(), smallGrid());
        QVERIFY(!again.generated);
        QCOMPARE(again.evalSamples, 32);
        QCOMPARE(qs(again.outDir), dir);
        QVERIFY(!QFile::exists(dir + "/images/train/000003.png"));
        QCOMPARE(readAll(dir + "/manifest.json"), manifest);

        FmnistGridOptions other = smallGrid();
        other.trainImages = 13;
        QString message = qs(thrownMessage<InputError>([&] { generateFmnistGrid(dir.toStdString(), other); }));
        QVERIFY2(message.contains(dir + ": holds an FMNIST-Grid set generated with other options (train_images 12 there, 13 asked)"),
                 qPrintable(message));

        const QString foreign = m_dir.filePath("my-notes");
        QDir().mkpath(foreign);
        writeTextFile((foreign + "/notes.txt").toStdString(), "keep me");
        message = qs(thrownMessage<InputError>([&] { generateFmnistGrid(foreign.toStdString(), smallGrid()); }));
        QVERIFY2(message.startsWith(foreign + ": exists, is not empty"), qPrintable(message));
        QCOMPARE(QDir(foreign).entryList(QDir::Files), QStringList{"notes.txt"});

        // An empty directory is filled.
        const QString empty = m_dir.filePath("empty-dir");
        QDir().mkpath(empty);
        QVERIFY(generateFmnistGrid(empty.toStdString(), smallGrid()).generated);
        QVERIFY(tree(empty) == tree(m_dir.filePath("grid-b")));

        FmnistGridOptions bad = smallGrid();
        bad.grid = 0;
        message = qs(thrownMessage<InputError>([&] { generateFmnistGrid(m_dir.filePath("x").toStdString(), bad); }));
        QVERIFY2(message.contains("grid must be in [1, 32], got 0"), qPrintable(message));
    }

    void cliGeneratesAndRefuses()
    {
        const QString out = m_dir.filePath("cli-grid");
        Result r = runBatch({"data", "fmnist-grid", "--out", out, "--train", "3", "--test", "2", "--grid", "3", "--seed", "5"},
                            m_fmnist);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(out + "/eval.json") && r.out.contains(out + "/pretrain.json"), qPrintable(r.out));
        for (const char *f : {"pretrain.json", "finetune.json", "eval.json", "cells.json", "manifest.json",
                              "images/train/000002.png", "images/test/000001.png"})
            QVERIFY2(QFile::exists(out + "/" + f), f);
        QCOMPARE(parseJsonFile((out + "/manifest.json").toStdString()).find("options")->find("grid")->get<int64_t>(), 3);

        r = runBatch({"data", "fmnist-grid", "--out", out, "--train", "3", "--test", "2", "--grid", "3", "--seed", "5"},
                     m_fmnist);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("already present"), qPrintable(r.out));

        // For a program: one JSON object per line, the images as they come, then the set's files.
        const QString jsonOut = m_dir.filePath("cli-grid-json");
        r = runBatch({"data", "fmnist-grid", "--out", jsonOut, "--train", "3", "--test", "2", "--grid", "3", "--seed", "5",
                      "--progress", "json"},
                     m_fmnist);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList lines = r.out.trimmed().split('\n');
        QVERIFY2(lines.size() >= 2, qPrintable(r.out));
        int64_t done = 0;
        for (int i = 0; i + 1 < lines.size(); ++i) {
            const Json event = parseJson(lines[i].toStdString());
            QCOMPARE(event.at("event").get<std::string>(), std::string("data"));
            QVERIFY(event.at("step").get<int64_t>() > done);
            done = event.at("step").get<int64_t>();
            QCOMPARE(event.at("total_steps").get<int64_t>(), int64_t(5));
        }
        QCOMPARE(done, int64_t(5));
        const Json summary = parseJson(lines.last().toStdString());
        QCOMPARE(summary.at("event").get<std::string>(), std::string("generated"));
        QCOMPARE(summary.at("generated").get<bool>(), true);
        QCOMPARE(summary.at("test_images").get<int64_t>(), int64_t(2));
        QCOMPARE(QString::fromStdString(summary.at("files").at("eval").at("file").get<std::string>()), jsonOut + "/eval.json");
        QVERIFY(summary.at("files").at("eval").at("samples").get<int64_t>() > 0);

        const QString foreign = m_dir.filePath("cli-foreign");
        QDir().mkpath(foreign);
        writeTextFile((foreign + "/data.csv").toStdString(), "1,2,3\n");
        r = runBatch({"data", "fmnist-grid", "--out", foreign}, m_fmnist);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(foreign), qPrintable(r.err));

        r = runBatch({"data", "fmnist-grid", "--out", m_dir.filePath("cli-none")}, m_dir.filePath("no-dataset"));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("apt-get install dataset-fashion-mnist"), qPrintable(r.err));
    }

    // ------------------------------------------------------------- datasets

    void datasetLoadsSamples()
    {
        const QString dir = m_dir.filePath("dataset");
        QDir().mkpath(dir);
        Json list = Json::array();
        list.push_back(sampleJson("a", "img/a.png", "<image>\nwhat is at row 1 column 2?", " Bag \n", "position"));
        list.push_back(sampleJson("b", "/abs/b.png", "describe this\n<image>", "row 1: bag.", "caption"));
        list.push_back(sampleJson("c", "c.png", "<image> how many?", "2"));
        const std::string path = (dir + "/data.json").toStdString();
        writeTextFile(path, list.dump(2));

        const ConversationDataset d = ConversationDataset::load(path, "/images/root", ImageLocations::Anywhere);
        QCOMPARE(d.size(), size_t(3));
        QCOMPARE(d.sample(0).prompt(), std::string("what is at row 1 column 2?"));
        QCOMPARE(d.sample(0).answer(), std::string("Bag"));
        QCOMPARE(d.sample(0).type, std::string("position"));
        QCOMPARE(d.imagePath(0), std::string("/images/root/img/a.png"));
        QCOMPARE(d.sample(1).prompt(), std::string("describe this"));
        QCOMPARE(d.imagePath(1), std::string("/abs/b.png"));
        QCOMPARE(d.sample(2).prompt(), std::string("how many?"));
        QCOMPARE(d.sample(2).type, std::string());
        QCOMPARE(d.types(), (std::vector<std::string>{"caption", "position"}));
        QCOMPARE(d.source(), path);
        // Without an image root, paths are relative to the JSON file.
        QCOMPARE(qs(ConversationDataset::load(path, "", ImageLocations::Anywhere).imagePath(2)), dir + "/c.png");
    }

    // A dataset from elsewhere reaches only the files of its image folder:
    // an absolute path, `..` or a symbolic link out is refused unless allowed.
    void datasetImagesStayInTheirFolder()
    {
        const QString dir = m_dir.filePath("untrusted");
        QVERIFY(QDir().mkpath(dir + "/images"));
        // Loading checks paths only; the files need not be pictures.
        writeTextFile((dir + "/images/inside.png").toStdString(), "picture");
        writeTextFile(m_dir.filePath("outside.png").toStdString(), "someone else's file");
        QVERIFY(QFile::link(m_dir.filePath("outside.png"), dir + "/images/link.png"));
        const std::string path = (dir + "/data.json").toStdString();
        // The message of loading a dataset whose second sample names `image`; empty when it loads.
        const auto refused = [&](const std::string &image) {
            Json list = Json::array();
            list.push_back(sampleJson("fine", "images/inside.png", "<image>\nis there a bag?", "yes"));
            list.push_back(sampleJson("sneaky", image, "<image>\nis there a bag?", "yes"));
            writeTextFile(path, list.dump());
            try {
                ConversationDataset::load(path, "");
            } catch (const InputError &e) {
                return QString::fromStdString(e.what());
            }
            return QString();
        };
        for (const std::string image : {m_dir.filePath("outside.png").toStdString(), std::string("../outside.png"),
                                        std::string("images/../../outside.png"), std::string("images/link.png")}) {
            const QString message = refused(image);
            QVERIFY2(message.contains("data.json: sample 1 (id sneaky): image '" + QString::fromStdString(image)
                                      + "' lies outside the image folder"),
                     qPrintable(message));
            QVERIFY2(message.contains("data.allow_outside_images: true"), qPrintable(message));
            // Allowed, the same file loads.
            QCOMPARE(ConversationDataset::load(path, "", ImageLocations::Anywhere).size(), size_t(2));
        }
        // Inside stays fine, also through `..` that comes back in.
        QVERIFY(refused("images/../images/inside.png").isEmpty());
    }

    void datasetLoadsMultiTurnSamples()
    {
        Json turns = Json::array();
        for (const auto &[from, value, type] : std::vector<std::tuple<std::string, std::string, std::string>>{
                 {"human", "<image>\nwhat is at row 1 column 1?", ""}, {"gpt", "bag", "position"},
                 {"human", "how many bag are there?", ""}, {"gpt", " 2 ", "count"},
                 {"human", "is there a boot?", ""}, {"gpt", "no", ""}}) {
            Json t = Json::object();
            t["from"] = from;
            t["value"] = value;
            if (!type.empty())
                t["type"] = type;
            turns.push_back(t);
        }
        Json sample = Json::object();
        sample["id"] = "multi";
        sample["image"] = "a.png";
        sample["type"] = "existence";
        sample["conversations"] = turns;
        const std::string path = m_dir.filePath("multi.json").toStdString();
        writeTextFile(path, Json::array({sample}).dump());
        const ConversationDataset d = ConversationDataset::load(path, "");
        const ConversationSample &s = d.sample(0);
        QCOMPARE(s.turns.size(), size_t(3));
        QCOMPARE(s.prompt(), std::string("what is at row 1 column 1?"));
        QCOMPARE(s.turns[1].prompt, std::string("how many bag are there?"));
        QCOMPARE(s.turns[1].answer, std::string("2"));
        // A turn's own type, else the sample's.
        QCOMPARE(s.turns[0].type, std::string("position"));
        QCOMPARE(s.turns[2].type, std::string("existence"));
        QCOMPARE(d.types(), (std::vector<std::string>{"count", "existence", "position"}));
        // Evaluation asks one question at a time.
        const QString message = qs(thrownMessage<InputError>([&] { d.requireSingleTurn(); }));
        QVERIFY2(message.startsWith(qs(path) + ": sample 0 (id multi) has 3 turns"), qPrintable(message));
    }

    // A text stage's samples: no image, the first prompt kept whole, and no
    // <image> in their tokens.
    void datasetLoadsTextSamples()
    {
        Json list = Json::array();
        for (int i = 0; i < 4; ++i) {
            Json sample = sampleJson("t" + std::to_string(i), "", "row 1: bag nothing.\nis there a bag?", "yes", "existence");
            sample.erase("image");
            list.push_back(sample);
        }
        const std::string path = m_dir.filePath("text.json").toStdString();
        writeTextFile(path, list.dump());
        const ConversationDataset d = ConversationDataset::load(path, "");
        QVERIFY(!d.hasImages());
        QCOMPARE(d.sample(0).image, std::string());
        QCOMPARE(d.sample(0).prompt(), std::string("row 1: bag nothing.\nis there a bag?"));

        const WordTokenizer tok = tokenizerFor(d);
        BatchLoader loader(d, tok, 16, 1, 2, 0, 0, false);
        const TrainingBatch b = loader.next();
        QVERIFY(!b.images.defined());
        QCOMPARE((b.ids == kImageTokenId).sum().item<int64_t>(), int64_t(0));
        const ConversationTokens expected =
            conversationTokens(tok.encoder(), d.sample(b.indices[0]).turns, WordTokenizer::kEosId, false);
        std::vector<int64_t> whole = tok.encode("USER: row 1: bag nothing.\nis there a bag? ASSISTANT: yes");
        whole.push_back(WordTokenizer::kEosId);
        QCOMPARE(expected.ids, whole);
        const torch::Tensor row = b.ids[0].contiguous();
        QCOMPARE(std::vector<int64_t>(row.data_ptr<int64_t>(), row.data_ptr<int64_t>() + expected.ids.size()),
                 expected.ids);
        // The loss sees " yes" and </s> only.
        QCOMPARE((b.labels[0] != kIgnoreLabel).sum().item<int64_t>(), int64_t(tok.encode(" yes").size() + 1));
    }

    // Independent turns: the loader hands the model every token's position
    // and segment as conversationTokens lays them out; a shorter row's
    // padding continues its positions in segment -1, which no real token
    // sees. Conversation batches carry no layout.
    void loaderLaysOutIndependentTurns()
    {
        Json list = Json::array();
        for (int i = 0; i < 2; ++i) {
            Json sample = sampleJson("t" + std::to_string(i), "", "row 1: bag nothing.\nis there a bag?", "yes");
            sample.erase("image");
            if (i == 1) { // a second turn: this row is the longer one
                Json h = Json::object(), g = Json::object();
                h["from"] = "human";
                h["value"] = "what is at row 1 column 2?";
                g["from"] = "gpt";
                g["value"] = "nothing";
                Json turns = sample.at("conversations");
                turns.push_back(h);
                turns.push_back(g);
                sample["conversations"] = turns;
            }
            list.push_back(sample);
        }
        const std::string path = m_dir.filePath("independent.json").toStdString();
        writeTextFile(path, list.dump());
        const ConversationDataset d = ConversationDataset::load(path, "");
        const WordTokenizer tok = tokenizerFor(d);

        QVERIFY(!BatchLoader(d, tok, 16, 1, 2, 0, 0, false).next().layout.defined());
        const TrainingBatch b = BatchLoader(d, tok, 16, 1, 2, 0, 0, false, TurnLayout::Independent).next();
        QVERIFY(b.layout.defined());
        QCOMPARE(b.layout.positions.sizes().vec(), b.ids.sizes().vec());
        QCOMPARE(b.layout.segments.sizes().vec(), b.ids.sizes().vec());
        const int64_t t = b.ids.size(1);
        for (int64_t r = 0; r < 2; ++r) {
            const ConversationTokens expected = conversationTokens(tok.encoder(), d.sample(b.indices[size_t(r)]).turns,
                                                                   WordTokenizer::kEosId, false, TurnLayout::Independent);
            const int64_t n = int64_t(expected.ids.size());
            QCOMPARE(n == t, d.sample(b.indices[size_t(r)]).turns.size() == 2);
            for (int64_t j = 0; j < t; ++j) {
                const bool real = j < n;
                QCOMPARE(b.layout.segments[r][j].item<int64_t>(), real ? expected.segments[size_t(j)] : int64_t(-1));
                QCOMPARE(b.layout.positions[r][j].item<double>(),
                         double(real ? expected.positions[size_t(j)] : expected.positions.back() + (j - n) + 1));
            }
        }
    }

    void datasetErrorsNameFileAndSample_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("expected");
        const QString turns = "\"conversations\": [{\"from\": \"human\", \"value\": \"<image>\\nq\"}, "
                              "{\"from\": \"gpt\", \"value\": \"a\"}]";
        const QString good = "{\"id\": \"ok\", \"image\": \"x.png\", " + turns + "}";
        QTest::newRow("not a list") << "{\"id\": 1}" << ": expected a JSON list of samples, found mapping";
        QTest::newRow("empty list") << "[]" << ": the list holds no samples";
        QTest::newRow("not an object") << "[" + good + ", 3]" << ": sample 1: expected an object, found integer";
        QTest::newRow("missing id") << "[{\"image\": \"x.png\", " + turns + "}]" << ": sample 0: missing field 'id'";
        QTest::newRow("marker without image") << "[" + good + ", {\"id\": \"q7\", " + turns + "}]"
                                              << ": sample 1 (id q7): conversations[0].value: <image> marker, but the "
                                                 "sample has no 'image'";
        QTest::newRow("text among images")
            << "[" + good
                   + ", {\"id\": \"t1\", \"conversations\": [{\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"gpt\", "
                     "\"value\": \"a\"}]}]"
            << ": sample 1 (id t1) has no 'image', unlike sample 0 (id ok); a file holds image samples or text samples";
        QTest::newRow("image not a string") << "[{\"id\": \"q1\", \"image\": 5, " + turns + "}]"
                                            << ": sample 0 (id q1): image: expected a string, found integer";
        QTest::newRow("type not a string") << "[{\"id\": \"q1\", \"image\": \"x\", \"type\": [], " + turns + "}]"
                                           << ": sample 0 (id q1): type: expected a string, found list";
        QTest::newRow("missing conversations") << "[{\"id\": \"q1\", \"image\": \"x\"}]"
                                               << ": sample 0 (id q1): missing field 'conversations'";
        QTest::newRow("one turn") << "[{\"id\": \"q1\", \"image\": \"x\", \"conversations\": [{\"from\": \"human\", "
                                     "\"value\": \"<image>\"}]}]"
                                  << ": sample 0 (id q1): conversations: expected turns in pairs (human, then gpt), found 1 turns";
        const QString pair = "{\"from\": \"human\", \"value\": \"<image>\\nq\"}, {\"from\": \"gpt\", \"value\": \"a\"}";
        QTest::newRow("three turns") << "[{\"id\": \"m1\", \"image\": \"x\", \"conversations\": [" + pair
                                            + ", {\"from\": \"human\", \"value\": \"more?\"}]}]"
                                     << ": sample 0 (id m1): conversations: expected turns in pairs (human, then gpt), found 3 turns";
        QTest::newRow("later turns out of order")
            << "[" + good + ", {\"id\": \"m2\", \"image\": \"x\", \"conversations\": [" + pair
                   + ", {\"from\": \"gpt\", \"value\": \"b\"}, {\"from\": \"human\", \"value\": \"q\"}]}]"
            << ": sample 1 (id m2): conversations[2].from: expected 'human', found 'gpt'";
        QTest::newRow("image in a later turn")
            << "[{\"id\": \"m3\", \"image\": \"x\", \"conversations\": [" + pair
                   + ", {\"from\": \"human\", \"value\": \"<image>\\nq\"}, {\"from\": \"gpt\", \"value\": \"b\"}]}]"
            << ": sample 0 (id m3): conversations[2].value: <image> may appear only in the first human turn";
        QTest::newRow("turn type not a string")
            << "[{\"id\": \"m4\", \"image\": \"x\", \"conversations\": [{\"from\": \"human\", \"value\": \"<image>\"}, "
               "{\"from\": \"gpt\", \"value\": \"a\", \"type\": 3}]}]"
            << ": sample 0 (id m4): conversations[1].type: expected a string, found integer";
        QTest::newRow("wrong order") << "[{\"id\": \"q2\", \"image\": \"x\", \"conversations\": [{\"from\": \"gpt\", "
                                        "\"value\": \"a\"}, {\"from\": \"human\", \"value\": \"<image>\\nq\"}]}]"
                                     << ": sample 0 (id q2): conversations[0].from: expected 'human', found 'gpt'";
        QTest::newRow("value not a string") << "[{\"id\": \"q3\", \"image\": \"x\", \"conversations\": [{\"from\": \"human\", "
                                               "\"value\": \"<image>\\nq\"}, {\"from\": \"gpt\", \"value\": 4}]}]"
                                            << ": sample 0 (id q3): conversations[1].value: expected a string, found integer";
        QTest::newRow("no image marker") << "[{\"id\": \"q4\", \"image\": \"x\", \"conversations\": [{\"from\": \"human\", "
                                            "\"value\": \"q\"}, {\"from\": \"gpt\", \"value\": \"a\"}]}]"
                                         << ": sample 0 (id q4): conversations[0].value: no <image> marker";
        QTest::newRow("two image markers") << "[{\"id\": \"q5\", \"image\": \"x\", \"conversations\": [{\"from\": \"human\", "
                                              "\"value\": \"<image><image>\"}, {\"from\": \"gpt\", \"value\": \"a\"}]}]"
                                           << ": sample 0 (id q5): conversations[0].value: more than one <image> marker";
    }
    void datasetErrorsNameFileAndSample()
    {
        QFETCH(QString, json);
        QFETCH(QString, expected);
        const QString path = m_dir.filePath("bad-dataset.json");
        writeTextFile(path.toStdString(), json.toStdString());
        const QString message = qs(thrownMessage<InputError>([&] { ConversationDataset::load(path.toStdString(), ""); }));
        QVERIFY2(message.startsWith(path + expected), qPrintable(message));
    }

    void normalizeAnswerForExactMatch()
    {
        QCOMPARE(normalizeAnswer("  Bag. "), std::string("bag"));
        QCOMPARE(normalizeAnswer("\"YES!\""), std::string("yes"));
        QCOMPARE(normalizeAnswer("t-shirt"), std::string("t-shirt"));
        QCOMPARE(normalizeAnswer(" Two\n  Bags "), std::string("two bags"));
        QCOMPARE(normalizeAnswer("..."), std::string());
    }

    // ------------------------------------------------------------ tokenizer

    void tokenizerSplitsAndRoundTrips()
    {
        QCOMPARE(WordTokenizer::split("USER: <image>\nWhat's at row 12?"),
                 (std::vector<std::string>{"user", ":", "<", "image", ">", "what", "'", "s", "at", "row", "12", "?"}));
        const WordTokenizer tok = WordTokenizer::build({"row 1: bag shirt.", "is there a Bag?"});
        const WordTokenizer reordered = WordTokenizer::build({"is there a Bag?", "row 1: bag shirt."});
        QCOMPARE(tok.toJson(), reordered.toJson());
        QCOMPARE(tok.token(0), std::string("<pad>"));
        QCOMPARE(tok.token(3), std::string("<unk>"));
        // Specials, then the sorted words (bytewise: punctuation and digits first).
        QCOMPARE(tok.token(4), std::string("."));
        QCOMPARE(tok.vocabSize(), int64_t(4 + 12)); // . 1 : ? a assistant bag is row shirt there user

        const std::vector<int64_t> ids = tok.encode("Row 1:\n bag shirt.");
        QCOMPARE(ids.size(), size_t(6));
        QCOMPARE(tok.decode(ids), std::string("row 1 : bag shirt ."));
        QCOMPARE(tok.encode("a coat"), (std::vector<int64_t>{tok.id("a"), WordTokenizer::kUnkId}));
        QCOMPARE(tok.id("coat"), WordTokenizer::kUnkId);
        QCOMPARE(tok.decode({WordTokenizer::kBosId, tok.id("bag"), WordTokenizer::kEosId, WordTokenizer::kPadId,
                             kImageTokenId, 999}),
                 std::string("bag"));

        // The template's words are always known; the newline after <image> is whitespace.
        const std::vector<int64_t> prompt = promptTokens(tok.encoder(), "is there a bag?");
        QCOMPARE(std::count(prompt.begin(), prompt.end(), WordTokenizer::kUnkId), ptrdiff_t(0));
        QCOMPARE(std::count(prompt.begin(), prompt.end(), kImageTokenId), ptrdiff_t(1));
        QCOMPARE(tok.decode(prompt), std::string("user : is there a bag ? assistant :"));
    }

    void tokenizerSavesAndLoads()
    {
        const WordTokenizer tok = WordTokenizer::build({"how many bags are there?", "3"});
        const std::string path = m_dir.filePath("tokenizer.json").toStdString();
        tok.save(path);
        const WordTokenizer loaded = WordTokenizer::load(path);
        QCOMPARE(loaded.vocabSize(), tok.vocabSize());
        QCOMPARE(loaded.encode("how many bags? 3 4"), tok.encode("how many bags? 3 4"));
        // The encoder keeps its vocabulary after the tokenizer is gone.
        TextEncoder encoder;
        {
            encoder = WordTokenizer::load(path).encoder();
        }
        QCOMPARE(encoder("bags"), tok.encode("bags"));
    }

    void tokenizerRejectsBadFiles_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not an object") << "[]" << "not a word tokenizer";
        QTest::newRow("other type") << "{\"type\": \"sentencepiece\"}" << "not a word tokenizer";
        QTest::newRow("version") << "{\"type\": \"word\", \"version\": 9, \"tokens\": []}" << "unsupported word tokenizer version";
        QTest::newRow("no specials") << "{\"type\": \"word\", \"version\": 1, \"tokens\": [\"a\"]}"
                                     << "tokens[0]: expected the special token <pad>";
        QTest::newRow("duplicate") << "{\"type\": \"word\", \"version\": 1, \"tokens\": [\"<pad>\", \"<s>\", \"</s>\", "
                                      "\"<unk>\", \"a\", \"a\"]}"
                                   << "tokens[5]: 'a' appears twice";
        QTest::newRow("not a string") << "{\"type\": \"word\", \"version\": 1, \"tokens\": [\"<pad>\", 1]}"
                                      << "tokens[1]: expected a non-empty string";
        QTest::newRow("malformed") << "{\"type\": " << "";
    }
    void tokenizerRejectsBadFiles()
    {
        QFETCH(QString, json);
        QFETCH(QString, expected);
        const QString path = m_dir.filePath("bad-tokenizer.json");
        writeTextFile(path.toStdString(), json.toStdString());
        const QString message = qs(thrownMessage<InputError>([&] { WordTokenizer::load(path.toStdString()); }));
        QVERIFY2(message.startsWith(path + ":") && message.contains(expected), qPrintable(message));
        const QString missing = qs(thrownMessage<InputError>([&] { WordTokenizer::load(m_dir.filePath("none.json").toStdString()); }));
        QVERIFY2(missing.startsWith(m_dir.filePath("none.json")), qPrintable(missing));
    }

    // ---------------------------------------------------------- batch loader

    void loaderIsTheSameForEveryWorkerCount()
    {
        const ConversationDataset d = ConversationDataset::load(writeLoaderDataset("loader").toStdString(), "");
        const WordTokenizer tok = tokenizerFor(d);
        // 10 samples in batches of 3: three batches per epoch, one sample dropped.
        auto batches = [&](int workers) {
            BatchLoader loader(d, tok, 16, 1, 3, 11, workers, false);
            std::vector<TrainingBatch> out;
            for (int i = 0; i < 7; ++i)
                out.push_back(loader.next());
            const BatchLoader::Position p = loader.position();
            return std::make_pair(out, p);
        };
        const auto [serial, position] = batches(0);
        QCOMPARE(position.epoch, int64_t(2));
        QCOMPARE(position.offset, int64_t(3));
        for (int workers : {1, 3}) {
            const auto [parallel, p] = batches(workers);
            QCOMPARE(p.epoch, position.epoch);
            QCOMPARE(p.offset, position.offset);
            for (size_t i = 0; i < serial.size(); ++i)
                QVERIFY2(sameBatch(serial[i], parallel[i]), qPrintable(QString("batch %1, %2 workers").arg(i).arg(workers)));
        }
        // Within an epoch no sample repeats; epochs are shuffled differently.
        std::vector<std::vector<size_t>> epochs(3);
        for (size_t i = 0; i < serial.size(); ++i)
            epochs[i / 3].insert(epochs[i / 3].end(), serial[i].indices.begin(), serial[i].indices.end());
        for (int e = 0; e < 2; ++e)
            QCOMPARE(std::set<size_t>(epochs[size_t(e)].begin(), epochs[size_t(e)].end()).size(), size_t(9));
        QVERIFY(epochs[0] != epochs[1]);
        // Another seed, another order.
        BatchLoader reseeded(d, tok, 16, 1, 3, 12, 0, false);
        std::vector<size_t> first;
        for (int i = 0; i < 3; ++i) {
            const TrainingBatch b = reseeded.next();
            first.insert(first.end(), b.indices.begin(), b.indices.end());
        }
        QVERIFY(first != epochs[0]);
        // A loader whose workers are still preparing batches shuts down cleanly.
        BatchLoader busy(d, tok, 16, 1, 3, 11, 3, false);
        QVERIFY(sameBatch(busy.next(), serial[0]));
    }

    void loaderBatchesHoldImagesAndMaskedSequences()
    {
        const ConversationDataset d = ConversationDataset::load(writeLoaderDataset("loader").toStdString(), "");
        const WordTokenizer tok = tokenizerFor(d);
        BatchLoader loader(d, tok, 16, 1, 4, 3, 2, false);
        const TrainingBatch b = loader.next();
        QCOMPARE(b.images.sizes().vec(), (std::vector<int64_t>{4, 1, 16, 16}));
        QCOMPARE(b.ids.dim(), int64_t(2));
        QCOMPARE(b.ids.size(0), int64_t(4));
        QCOMPARE(b.labels.sizes(), b.ids.sizes());
        QCOMPARE(b.ids.scalar_type(), torch::kLong);
        QCOMPARE(b.skipped, 0);
        // Prompts differ in length ("please" repeats), so some rows are padded.
        QVERIFY((b.ids == WordTokenizer::kPadId).any().item<bool>());
        for (int64_t r = 0; r < 4; ++r) {
            const size_t index = b.indices[size_t(r)];
            const ConversationSample &s = d.sample(index);
            QVERIFY(torch::equal(b.images[r], loadImage(d.imagePath(index), 16, 1)));
            const ConversationTokens expected = conversationTokens(tok.encoder(), s.turns, WordTokenizer::kEosId);
            const int64_t length = int64_t(expected.ids.size());
            const torch::Tensor ids = b.ids[r], labels = b.labels[r]; // [T]
            QCOMPARE(std::vector<int64_t>(ids.data_ptr<int64_t>(), ids.data_ptr<int64_t>() + length), expected.ids);
            QCOMPARE((ids == kImageTokenId).sum().item<int64_t>(), int64_t(1));
            QVERIFY((ids.slice(0, length) == WordTokenizer::kPadId).all().item<bool>());
            QVERIFY((labels.slice(0, length) == kIgnoreLabel).all().item<bool>());
            // The loss sees the answer and </s> only.
            std::vector<int64_t> answer = tok.encode(s.answer());
            answer.push_back(WordTokenizer::kEosId);
            const int64_t promptLength = length - int64_t(answer.size());
            QVERIFY((labels.slice(0, 0, promptLength) == kIgnoreLabel).all().item<bool>());
            const torch::Tensor target = labels.slice(0, promptLength, length).contiguous();
            QCOMPARE(std::vector<int64_t>(target.data_ptr<int64_t>(), target.data_ptr<int64_t>() + answer.size()), answer);
        }
    }

    void loaderResumesFromAPosition()
    {
        const ConversationDataset d = ConversationDataset::load(writeLoaderDataset("loader").toStdString(), "");
        const WordTokenizer tok = tokenizerFor(d);
        BatchLoader reference(d, tok, 16, 1, 3, 5, 2, false);
        std::vector<TrainingBatch> batches;
        std::vector<BatchLoader::Position> positions;
        for (int i = 0; i < 6; ++i) {
            positions.push_back(reference.position());
            batches.push_back(reference.next());
        }
        QCOMPARE(positions[3].epoch, int64_t(1));
        QCOMPARE(positions[3].offset, int64_t(0));
        QCOMPARE(positions[4].offset, int64_t(3));

        for (int workers : {0, 3}) {
            BatchLoader resumed(d, tok, 16, 1, 3, 5, workers, false);
            resumed.next(); // workers are busy ahead when the seek comes
            resumed.seek(positions[2]);
            QCOMPARE(resumed.position().offset, positions[2].offset);
            for (int i = 2; i < 6; ++i)
                QVERIFY2(sameBatch(resumed.next(), batches[size_t(i)]), qPrintable(QString("batch %1").arg(i)));
            // An epoch's end reads as the next epoch's start.
            resumed.seek({0, 9});
            QCOMPARE(resumed.position().epoch, int64_t(1));
            QVERIFY(sameBatch(resumed.next(), batches[3]));
        }
        const QString message = qs(thrownMessage<InputError>([&] { reference.seek({0, 11}); }));
        QVERIFY2(message.contains("offset 11") && message.contains(qs(d.source())), qPrintable(message));
    }

    // 70% questions, 30% captions: the shares hold within one batch over any
    // stretch, each source keeps its own epoch order, and a resume from the
    // saved positions draws the same batches as the uninterrupted loader.
    void mixedLoaderHoldsItsSharesAndResumesExactly()
    {
        const ConversationDataset a = ConversationDataset::load(writeLoaderDataset("mix-a").toStdString(), "");
        const ConversationDataset b = ConversationDataset::load(writeLoaderDataset("mix-b").toStdString(), "");
        const WordTokenizer tok = tokenizerFor(a);
        const std::vector<MixedBatchLoader::Source> sources{{&a, 0.7}, {&b, 0.3}};
        MixedBatchLoader reference(sources, tok, 16, 1, 2, 5, 1, false);
        QCOMPARE(reference.batchesPerEpoch(), int64_t(7)); // 5 batches of `a` are 70%

        std::vector<TrainingBatch> batches;
        std::vector<std::vector<BatchLoader::Position>> positions;
        int fromB = 0;
        for (int i = 0; i < 40; ++i) {
            positions.push_back(reference.positions());
            batches.push_back(reference.next());
            fromB += batches.back().source;
            QVERIFY2(std::abs(fromB - 0.3 * (i + 1)) <= 1.0, qPrintable(QString("after %1 batches: %2").arg(i + 1).arg(fromB)));
        }
        QCOMPARE(fromB, 12);
        // Each source's batches are what its own loader would give.
        BatchLoader alone(b, tok, 16, 1, 2, 5 + 7919, 0, false);
        for (const TrainingBatch &batch : batches)
            if (batch.source == 1)
                QVERIFY(sameBatch(batch, alone.next()));

        for (int workers : {0, 2}) {
            MixedBatchLoader resumed(sources, tok, 16, 1, 2, 5, workers, false);
            resumed.next();
            resumed.seek(positions[17]);
            for (int i = 17; i < 40; ++i) {
                const TrainingBatch batch = resumed.next();
                QCOMPARE(batch.source, batches[size_t(i)].source);
                QVERIFY2(sameBatch(batch, batches[size_t(i)]), qPrintable(QString("batch %1").arg(i)));
            }
        }
        MixedBatchLoader other(sources, tok, 16, 1, 2, 5, 0, false);
        const QString message = qs(thrownMessage<InputError>([&] { other.seek({{0, 0}}); }));
        QVERIFY2(message.contains("names 1 datasets, the stage mixes 2"), qPrintable(message));
    }

    // Data-parallel ranks each decode only their rows of every batch: the
    // parts, in rank order, are the whole batch's rows (padded to the
    // part's longest), with or without workers, after a seek, and a part
    // that gets no row is still a batch of images. A mix's parts follow
    // the same sources.
    void loaderShardsHoldTheirRowsOfEveryBatch()
    {
        const ConversationDataset d = ConversationDataset::load(writeLoaderDataset("loader").toStdString(), "");
        const WordTokenizer tok = tokenizerFor(d);
        BatchLoader whole(d, tok, 16, 1, 3, 11, 0, false);
        std::vector<TrainingBatch> reference;
        std::vector<BatchLoader::Position> after;
        for (int i = 0; i < 5; ++i) {
            reference.push_back(whole.next());
            after.push_back(whole.position());
        }
        for (int count : {2, 4}) {
            std::vector<std::unique_ptr<BatchLoader>> parts;
            for (int k = 0; k < count; ++k) {
                parts.push_back(std::make_unique<BatchLoader>(d, tok, 16, 1, 3, 11, k % 2 ? 2 : 0, false));
                parts.back()->setShard({k, count});
                parts.back()->seek(after[0]); // resumes at batch 1
            }
            for (size_t b = 1; b < reference.size(); ++b) {
                const TrainingBatch &ref = reference[b];
                for (int k = 0; k < count; ++k) {
                    const QString where = QString("batch %1, part %2 of %3").arg(b).arg(k).arg(count);
                    const TrainingBatch part = parts[size_t(k)]->next();
                    const auto [begin, end] = BatchShard{k, count}.rowsOf(3);
                    QVERIFY2(part.images.dim() == 4 && part.images.size(0) == end - begin, qPrintable(where));
                    QVERIFY2(part.ids.size(0) == end - begin, qPrintable(where));
                    QCOMPARE(parts[size_t(k)]->position().offset, after[b].offset);
                    QCOMPARE(parts[size_t(k)]->position().epoch, after[b].epoch);
                    for (int64_t r = begin; r < end; ++r) {
                        const int64_t own = r - begin, length = part.ids.size(1);
                        QCOMPARE(part.indices[size_t(own)], ref.indices[size_t(r)]);
                        QVERIFY2(torch::equal(part.images[own], ref.images[r]), qPrintable(where));
                        QVERIFY2(torch::equal(part.ids[own], ref.ids[r].slice(0, 0, length)), qPrintable(where));
                        QVERIFY2(torch::equal(part.labels[own], ref.labels[r].slice(0, 0, length)), qPrintable(where));
                        QVERIFY((ref.ids[r].slice(0, length) == WordTokenizer::kPadId).all().item<bool>());
                        QVERIFY((ref.labels[r].slice(0, length) == kIgnoreLabel).all().item<bool>());
                    }
                }
            }
        }

        const ConversationDataset b = ConversationDataset::load(writeLoaderDataset("mix-b").toStdString(), "");
        const std::vector<MixedBatchLoader::Source> sources{{&d, 0.7}, {&b, 0.3}};
        MixedBatchLoader mixed(sources, tok, 16, 1, 2, 5, 0, false);
        MixedBatchLoader second(sources, tok, 16, 1, 2, 5, 1, false);
        second.setShard({1, 2});
        for (int i = 0; i < 10; ++i) {
            const TrainingBatch all = mixed.next(), part = second.next();
            QCOMPARE(part.source, all.source);
            QCOMPARE(part.indices, std::vector<size_t>{all.indices[1]});
        }

        BatchLoader late(d, tok, 16, 1, 3, 11, 0, false);
        late.next();
        const QString message = qs(thrownMessage<std::logic_error>([&] { late.setShard({1, 2}); }));
        QVERIFY2(message.contains("before the first batch"), qPrintable(message));
    }

    void loaderReportsOrSkipsBadImages()
    {
        const QString json = writeLoaderDataset("loader-bad", {4}, {7});
        const ConversationDataset d = ConversationDataset::load(json.toStdString(), "");
        const WordTokenizer tok = tokenizerFor(d);

        // Batches of 5 cover the whole dataset each epoch, so both files come up.
        std::set<QString> named;
        for (int workers : {0, 2}) {
            BatchLoader strict(d, tok, 16, 1, 5, 1, workers, false);
            for (int i = 0; i < 2; ++i)
                named.insert(qs(thrownMessage<InputError>([&] { strict.next(); })));
        }
        const QString missing = QFileInfo(json).path() + "/img/4.png", corrupt = QFileInfo(json).path() + "/img/7.png";
        QCOMPARE(named.size(), size_t(2));
        QVERIFY2(named.begin()->startsWith(missing) || named.begin()->startsWith(corrupt), qPrintable(*named.begin()));
        QVERIFY2(named.rbegin()->startsWith(missing) || named.rbegin()->startsWith(corrupt), qPrintable(*named.rbegin()));

        auto epochs = [&](int workers) {
            BatchLoader lenient(d, tok, 16, 1, 5, 1, workers, true);
            std::vector<TrainingBatch> out;
            for (int i = 0; i < 4; ++i)
                out.push_back(lenient.next());
            return out;
        };
        const std::vector<TrainingBatch> serial = epochs(0), parallel = epochs(2);
        int skipped = 0;
        for (size_t i = 0; i < serial.size(); ++i) {
            QVERIFY(sameBatch(serial[i], parallel[i]));
            skipped += serial[i].skipped;
            for (size_t index : serial[i].indices)
                QVERIFY(index != 4 && index != 7);
        }
        QCOMPARE(skipped, 4); // two bad samples in each of two epochs
        // A bad sample is replaced by the next good one in dataset order: 4 by 5, 7 by 8.
        for (size_t epoch = 0; epoch < 2; ++epoch) {
            std::vector<size_t> seen = serial[2 * epoch].indices;
            seen.insert(seen.end(), serial[2 * epoch + 1].indices.begin(), serial[2 * epoch + 1].indices.end());
            std::sort(seen.begin(), seen.end());
            QCOMPARE(seen, (std::vector<size_t>{0, 1, 2, 3, 5, 5, 6, 8, 8, 9}));
        }
    }

    void loaderRejectsBadArguments()
    {
        const ConversationDataset d = ConversationDataset::load(writeLoaderDataset("loader").toStdString(), "");
        const WordTokenizer tok = tokenizerFor(d);
        QString message = qs(thrownMessage<InputError>([&] { BatchLoader(d, tok, 16, 1, 11, 0, 0, false); }));
        QVERIFY2(message.contains("10 samples, fewer than one batch of 11"), qPrintable(message));
        message = qs(thrownMessage<InputError>([&] { BatchLoader(d, tok, 16, 2, 4, 0, 0, false); }));
        QVERIFY2(message.contains("1 or 3 channels"), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestData)
#include "tst_data.moc"

// The attention visualizer's engine side: token order and window placement
// as the engine produces them (shared and per-window banks, after window and
// resolution scaling), maps that stay inside their window, the pictures
// drawn from them, and finding a run's checkpoint.

#include "TestSupport.h"

#include "base/Errors.h"
#include "facade/AttentionFigures.h"
#include "facade/AttentionSession.h"
#include "io/Checkpoint.h"
#include "model/Mllm.h"
#include "data/ImagePipeline.h"
#include "data/WordTokenizer.h"
#include "scaling/TokenScaling.h"
#include "store/ExperimentStore.h"

#include <opencv2/imgcodecs.hpp>

#include <QTest>

using namespace cosw;

namespace {

// A tiny Chain-of-Sight model ({g:1,q:2}, {g:2,q:1} on an 8 x 8 grid) saved as a checkpoint.
QString saveTinyCheckpoint(const QTemporaryDir &dir, const QString &name, bool perWindow)
{
    torch::manual_seed(11);
    ModelConfig config = test::tinyModelConfig();
    config.connector.perWindow = perWindow;
    Mllm model(config);
    const QString path = dir.filePath(name);
    saveCheckpoint(path.toStdString(), {config, stateDict(*model)});
    return path;
}

// Compares every map of the session with the engine's own maps for the
// same model and image, and checks each token's map lies in its window.
void checkAgainstEngine(const std::string &checkpointDir, int resolutionPx, const std::vector<int> &window,
                        const std::string &image)
{
    AttentionSession session(checkpointDir, resolutionPx, window);
    const auto maps = session.encode(image);
    const TokenLayout &layout = maps->layout;

    Checkpoint ck = loadCheckpoint(checkpointDir);
    ck = scaleCheckpoint(ck, scalingSpecFor(ck.config, resolutionPx, window));
    Mllm model = instantiate(ck, checkpointDir);
    model->eval();
    torch::NoGradGuard noGrad;
    const auto features = model->features(loadImage(image, ck.config.vision.imageSize, ck.config.vision.channels).unsqueeze(0));
    QCOMPARE(layout.visualTokens, visualTokens(ck.config));
    QCOMPARE(int(layout.scales.size()), int(ck.config.connector.scales.size()));
    const int n = layout.featureGrid;
    for (int layer = 0; layer < maps->layers; ++layer) {
        AttentionRequest request;
        request.enabled = true;
        request.layer = layer;
        const ConnectorOutput mean = model->connector()->forward(features, request);
        request.perHead = true;
        const ConnectorOutput perHead = model->connector()->forward(features, request);
        for (size_t s = 0; s < layout.scales.size(); ++s) {
            const TokenScaleLayout &scale = layout.scales[s];
            QCOMPARE(scale.windows, ck.config.connector.scales[s].windows);
            QCOMPARE(int(mean.attention[s].size(1)), scale.tokens());
            for (int t = 0; t < scale.tokens(); ++t) {
                const float *shown = maps->map(layer, -1, scale.firstToken + t);
                auto engine = mean.attention[s][0][t].contiguous();
                QVERIFY(torch::allclose(torch::from_blob(const_cast<float *>(shown), {n, n}), engine, 1e-5, 1e-6));
                for (int h = 0; h < maps->heads; ++h) {
                    const float *head = maps->map(layer, h, scale.firstToken + t);
                    auto engineHead = perHead.attention[s][0][h][t].contiguous();
                    QVERIFY(torch::allclose(torch::from_blob(const_cast<float *>(head), {n, n}), engineHead, 1e-5, 1e-6));
                }
                // Zero outside the token's window, a distribution inside it.
                const GridRect cells = layout.windowCells(int(s), scale.windowOf(t));
                double inside = 0;
                for (int row = 0; row < n; ++row)
                    for (int column = 0; column < n; ++column) {
                        const float v = shown[row * n + column];
                        if (cells.contains(row, column))
                            inside += v;
                        else
                            QCOMPARE(v, 0.0f);
                    }
                QVERIFY(std::abs(inside - 1.0) < 1e-4);
            }
        }
    }
}

} // namespace

class TestAttention : public QObject {
    Q_OBJECT
public:
    static void initMain() { cosw::ensureBlasKernel(); }

private:
    QTemporaryDir m_dir;
    QString m_shared, m_perWindow, m_image;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_shared = saveTinyCheckpoint(m_dir, "shared", false);
        m_perWindow = saveTinyCheckpoint(m_dir, "per-window", true);
        cv::Mat img(32, 32, CV_8UC3, cv::Scalar(10, 10, 10));
        img(cv::Rect(16, 0, 16, 16)).setTo(cv::Scalar(250, 220, 30));
        m_image = m_dir.filePath("item.png");
        QVERIFY(cv::imwrite(m_image.toStdString(), img));
    }

    void layoutFollowsTheEngineOrder()
    {
        AttentionSession session(m_shared.toStdString());
        const TokenLayout &l = session.layout();
        QCOMPARE(l.featureGrid, 8);
        QCOMPARE(l.visualTokens, 2 + 4);
        QCOMPARE(l.scales[0].firstToken, 0);
        QCOMPARE(l.scales[1].firstToken, 2);
        QCOMPARE(l.scaleOf(1), 0);
        QCOMPARE(l.scaleOf(2), 1);
        // Window 1 of the 2 x 2 scale is the top right: rows 0-3, columns 4-7.
        const GridRect r = l.windowCells(1, 1);
        QCOMPARE(r.top, 0);
        QCOMPARE(r.left, 4);
        QCOMPARE(r.bottom, 4);
        QCOMPARE(r.right, 8);
    }

    void mapsMatchTheEngine_data()
    {
        QTest::addColumn<bool>("perWindow");
        QTest::addColumn<int>("resolution");
        QTest::addColumn<std::vector<int>>("window");
        QTest::newRow("shared bank") << false << 0 << std::vector<int>{};
        QTest::newRow("per-window banks") << true << 0 << std::vector<int>{};
        QTest::newRow("window x2 on the local scale") << true << 0 << std::vector<int>{1, 2};
        QTest::newRow("resolution x2") << false << 64 << std::vector<int>{};
        QTest::newRow("compound") << true << 64 << std::vector<int>{1, 2};
    }

    void mapsMatchTheEngine()
    {
        QFETCH(bool, perWindow);
        QFETCH(int, resolution);
        QFETCH(std::vector<int>, window);
        checkAgainstEngine((perWindow ? m_perWindow : m_shared).toStdString(), resolution, window, m_image.toStdString());
    }

    void scaledWindowsAreChildrenOfTheirParents()
    {
        AttentionSession before(m_perWindow.toStdString());
        AttentionSession after(m_perWindow.toStdString(), 64, {1, 2});
        QCOMPARE(after.layout().scales[1].windows, 8);  // 2 x resolution x window
        QCOMPARE(after.layout().visualTokens, 4 * 2 + 64);
        // Window 1 (top right of 2 x 2) holds the 4 x 4 block of windows at rows 0-3, columns 4-7 of 8 x 8.
        const std::vector<int> children = childWindows(before.layout(), after.layout(), 1, 1);
        QCOMPARE(children, (std::vector<int>{4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31}));
        // Every child lies inside its parent (the feature grid went from 8 to 16 cells).
        const GridRect parent = before.layout().windowCells(1, 1);
        for (int c : children) {
            const GridRect child = after.layout().windowCells(1, c);
            QVERIFY(child.top >= 2 * parent.top && child.bottom <= 2 * parent.bottom);
            QVERIFY(child.left >= 2 * parent.left && child.right <= 2 * parent.right);
        }
        QCOMPARE(childWindows(before.layout(), before.layout(), 1, 3), std::vector<int>{3});
    }

    void encodingIsCachedAndImageIsAsSeen()
    {
        AttentionSession session(m_shared.toStdString());
        const auto first = session.encode(m_image.toStdString());
        QCOMPARE(session.encode(m_image.toStdString()).get(), first.get());
        QCOMPARE(first->image.width, 32);
        // The bright square (top right) comes back un-normalised, in RGB order.
        const uint8_t *p = first->image.at(24, 8);
        QVERIFY2(std::abs(int(p[0]) - 30) <= 2 && std::abs(int(p[1]) - 220) <= 2 && std::abs(int(p[2]) - 250) <= 2,
                 qPrintable(QString("%1 %2 %3").arg(p[0]).arg(p[1]).arg(p[2])));
        QVERIFY(std::abs(int(first->image.at(4, 28)[0]) - 10) <= 2);
    }

    void badInputsNameTheirSource()
    {
        QVERIFY(test::thrownMessage<InputError>([&] { AttentionSession(m_dir.filePath("none").toStdString()); })
                    .find("none") != std::string::npos);
        AttentionSession session(m_shared.toStdString());
        const QString broken = m_dir.filePath("broken.png");
        QVERIFY(test::writeFile(broken, "not an image"));
        QVERIFY(test::thrownMessage<InputError>([&] { session.encode(broken.toStdString()); }).find("broken.png")
                != std::string::npos);
        QVERIFY(test::thrownMessage<InputError>([&] { AttentionSession(m_shared.toStdString(), 40); })
                    .find("--resolution 40") != std::string::npos);
        QVERIFY(test::thrownMessage<InputError>([&] { AttentionSession(m_shared.toStdString(), 0, {1, 2, 2}); })
                    .find("--window") != std::string::npos);
    }

    // A map with one hot cell: in the picture that cell's pixels are the hottest.
    void overlayShowsTheHotCellHottest()
    {
        RgbImage image(64, 64);
        for (size_t i = 0; i < image.pixels.size(); ++i)
            image.pixels[i] = uint8_t((i * 37) % 200);
        std::vector<float> map(64, 0.01f);
        map[2 * 8 + 5] = 0.3f; // row 2, column 5
        map[6 * 8 + 1] = 0.1f;
        const RgbImage overlay = heatOverlay(image, map.data(), 8, 1.0);
        auto brightness = [&](int x, int y) {
            const uint8_t *p = overlay.at(x, y);
            return int(p[0]) + int(p[1]) + int(p[2]);
        };
        int best = -1, bx = 0, by = 0;
        for (int y = 0; y < 64; ++y)
            for (int x = 0; x < 64; ++x)
                if (brightness(x, y) > best) {
                    best = brightness(x, y);
                    bx = x;
                    by = y;
                }
        QCOMPARE(by / 8, 2);
        QCOMPARE(bx / 8, 5);
        QVERIFY(brightness(5 * 8 + 3, 2 * 8 + 3) > brightness(1 * 8 + 3, 6 * 8 + 3));
        QVERIFY(brightness(1 * 8 + 3, 6 * 8 + 3) > brightness(0, 0));
        // The colour scale runs from dark to light.
        const auto low = heatColour(0), high = heatColour(1);
        QVERIFY(low[0] + low[1] + low[2] < 60 && high[0] + high[1] + high[2] > 500);
    }

    void tokenSheetTilesEveryToken()
    {
        AttentionSession session(m_shared.toStdString());
        const auto maps = session.encode(m_image.toStdString());
        // Scale 1: 2 x 2 windows, one query each: the image, then a 2 x 2 block of tiles.
        const RgbImage sheet = tokenSheet(*maps, -1, -1, 1, 0.6, 64);
        QCOMPARE(sheet.width, 4 + 2 * (64 + 4));
        QCOMPARE(sheet.height, 4 + 3 * (64 + 4));
        const QString file = m_dir.filePath("sheet.png");
        writePng(sheet, file.toStdString());
        const cv::Mat read = cv::imread(file.toStdString());
        QCOMPARE(read.cols, sheet.width);
        QVERIFY(test::thrownMessage<InputError>([&] { writePng(sheet, m_dir.filePath("no/such/dir/x.png").toStdString()); })
                    .find("no/such/dir") != std::string::npos);
    }

    // The language model's attention while answering: every layer's row
    // and their mean sum to 1 over the sequence, the visual part is the sum
    // over the visual tokens, and carried to the grid it keeps that mass.
    void answerAttentionKeepsItsMass()
    {
        const QString dir = m_dir.filePath("with-words");
        saveCheckpoint(dir.toStdString(), loadCheckpoint(m_perWindow.toStdString()));
        {
            AttentionSession bare(dir.toStdString());
            QVERIFY(test::thrownMessage<InputError>([&] { bare.answer(m_image.toStdString(), "is there a bag?"); })
                        .find("tokenizer.json") != std::string::npos);
        }
        WordTokenizer::build({"what is at row 1 column 2 ? is there a bag nothing yes no"})
            .save((dir + "/tokenizer.json").toStdString());
        AttentionSession session(dir.toStdString());
        const auto maps = session.encode(m_image.toStdString());
        const AnswerAttribution a = session.answer(m_image.toStdString(), "what is at row 1 column 2?", 4);
        QCOMPARE(a.lmLayers, 1);
        QCOMPARE(a.visualTokens, 6);
        QCOMPARE(a.question, std::string("what is at row 1 column 2?"));
        // "USER: <image>\n what is at row 1 column 2 ? ASSISTANT:" has the image at position 2.
        QCOMPARE(a.visualStart, 2);
        for (int layer : {0, -1}) {
            const float *row = a.sequenceMass(layer);
            double sum = 0;
            for (int i = 0; i < a.sequenceLength; ++i) {
                QVERIFY(row[i] >= 0);
                sum += row[i];
            }
            QVERIFY2(std::abs(sum - 1.0) < 1e-4, qPrintable(QString::number(sum)));
            double visual = 0;
            for (float v : a.visualMass(layer))
                visual += v;
            QVERIFY(std::abs(visual - a.visualShare(layer)) < 1e-5);
            QVERIFY(a.visualShare(layer) > 0 && a.visualShare(layer) < 1);
        }
        const std::vector<float> patch = answerPatchMap(a, -1, *maps);
        QCOMPARE(patch.size(), size_t(64));
        double sum = 0;
        for (float v : patch) {
            QVERIFY(v >= 0);
            sum += v;
        }
        QVERIFY2(std::abs(sum - a.visualShare(-1)) < 1e-5, qPrintable(QString("%1 vs %2").arg(sum).arg(a.visualShare(-1))));
    }

    // A checkpoint is asked as its stage trained: a plain-template stage
    // saw the image and no prompt, so the image opens the sequence.
    void answersInTheTemplateItsStageTrainedWith()
    {
        const QString dir = m_dir.filePath("plain-stage");
        saveCheckpoint(dir.toStdString(), loadCheckpoint(m_perWindow.toStdString()));
        WordTokenizer::build({"what is at row 1 column 2 ? is there a bag nothing yes no"})
            .save((dir + "/tokenizer.json").toStdString());
        QVERIFY(test::writeFile(dir + "/trainer_state.json", R"({"stage": 0, "template": "plain"})"));
        {
            AttentionSession session(dir.toStdString());
            const AnswerAttribution a = session.answer(m_image.toStdString(), "what is at row 1 column 2?", 2);
            QCOMPARE(a.visualStart, 0);
            QVERIFY(a.sequenceLength <= a.visualTokens + 2);
        }
        QVERIFY(test::writeFile(dir + "/trainer_state.json", R"({"stage": 0, "template": "chatml"})"));
        AttentionSession unknown(dir.toStdString());
        const std::string why = test::thrownMessage<InputError>([&] { unknown.answer(m_image.toStdString(), "is there a bag?"); });
        QVERIFY2(why.find("trainer_state.json") != std::string::npos && why.find("chatml") != std::string::npos, why.c_str());
    }

    // The plain resampler has maps (one global window); the MLP projector
    // has none, and its answer attention lands on each token's own cell.
    void baselinesHaveMapsOrSayTheyHaveNone()
    {
        ModelConfig resampler = test::tinyModelConfig();
        resampler.connector.type = ConnectorType::Resampler;
        resampler.connector.scales = {{1, 4, true}};
        ModelConfig mlp = test::tinyModelConfig();
        mlp.connector.type = ConnectorType::Mlp;
        mlp.connector.scales.clear();
        for (const auto &[name, config] : {std::pair{"resampler", resampler}, std::pair{"mlp", mlp}}) {
            Mllm model(config);
            saveCheckpoint(m_dir.filePath(name).toStdString(), {config, stateDict(*model)});
        }
        AttentionSession plain(m_dir.filePath("resampler").toStdString());
        const auto plainMaps = plain.encode(m_image.toStdString());
        QVERIFY(plainMaps->layout.hasAttention);
        QCOMPARE(plainMaps->layout.visualTokens, 4);
        QCOMPARE(plainMaps->layout.windowCells(0, 0).right, 8); // the whole grid
        QCOMPARE(plainMaps->values.size(), size_t(1 * 3 * 4 * 64)); // one layer, 2 heads and their mean

        const std::string mlpDir = m_dir.filePath("mlp").toStdString();
        WordTokenizer::build({"is there a bag ?"}).save(mlpDir + "/tokenizer.json");
        AttentionSession projector(mlpDir);
        const auto mlpMaps = projector.encode(m_image.toStdString());
        QVERIFY(!mlpMaps->layout.hasAttention);
        QCOMPARE(mlpMaps->layout.visualTokens, 64);
        QCOMPARE(mlpMaps->layers, 0);
        QVERIFY(mlpMaps->values.empty());
        const AnswerAttribution a = projector.answer(m_image.toStdString(), "is there a bag?", 2);
        const std::vector<float> patch = answerPatchMap(a, -1, *mlpMaps);
        const std::vector<float> mass = a.visualMass(-1);
        for (size_t c = 0; c < patch.size(); ++c)
            QCOMPARE(patch[c], mass[c]);
    }

    void runCheckpointsAreFoundByStageName()
    {
        ExperimentStore store(m_dir.filePath("runs.sqlite").toStdString());
        const int64_t id = store.createRun("tiny", "{}", "chain_of_sight", "cpu", "{}");
        QVERIFY(test::thrownMessage<InputError>([&] { runStageCheckpoint(store, id, ""); }).find("run 1 (tiny)")
                != std::string::npos);
        for (int i = 0; i < 2; ++i) {
            StageRecord st;
            st.index = i;
            st.name = i == 0 ? "pretrain" : "finetune";
            store.putStage(id, st);
        }
        store.addCheckpoint(id, {0, 0, m_shared.toStdString(), 0});
        store.addCheckpoint(id, {1, 0, m_perWindow.toStdString(), 0});
        store.addCheckpoint(id, {1, 30, m_dir.filePath("mid-stage").toStdString(), 0});
        QCOMPARE(runStageCheckpoint(store, id, "pretrain"), m_shared.toStdString());
        QCOMPARE(runStageCheckpoint(store, id, ""), m_perWindow.toStdString());
        const std::string missing = test::thrownMessage<InputError>([&] { runStageCheckpoint(store, id, "vision"); });
        QVERIFY2(missing.find("'vision'") != std::string::npos && missing.find("pretrain, finetune") != std::string::npos,
                 missing.c_str());
        QVERIFY(test::thrownMessage<InputError>([&] { runStageCheckpoint(store, 99, ""); }).find("no run 99")
                != std::string::npos);
    }
};

QTEST_MAIN(TestAttention)
#include "tst_attention.moc"

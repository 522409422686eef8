// The attention view, offscreen: a run's checkpoints open before and after
// token scaling, windows and tokens are placed as the engine orders them,
// the overlay shows a token's hottest cell hottest, selecting a window on one
// side frames its children on the other, the keyboard steps through tokens
// and scales, exports write their files, and encoding can be cancelled.

#include "AttentionCanvas.h"
#include "AttentionEncoder.h"
#include "AttentionTokenModel.h"
#include "AttentionView.h"

#include "TestSupport.h"

#include "data/WordTokenizer.h"
#include "io/Checkpoint.h"
#include "io/Safetensors.h"
#include "model/Mllm.h"
#include "scaling/TokenScaling.h"
#include "store/ExperimentStore.h"

#include <opencv2/imgcodecs.hpp>
#include <qcustomplot.h>

#include <QApplication>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QMimeData>
#include <QUrl>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QListView>
#include <QPainter>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>

#include <set>

using namespace cosw;

namespace {

QString saveFreshCheckpoint(const QTemporaryDir &dir, const QString &name, const ModelConfig &config)
{
    torch::manual_seed(5);
    Mllm model(config);
    const QString path = dir.filePath(name);
    cosw::saveCheckpoint(path.toStdString(), {config, stateDict(*model)});
    return path;
}

// The brightness (r + g + b) of the centre pixel of every cell of an n x n
// grid over a picture region, row-major.
std::vector<int> cellBrightness(const QImage &picture, const QRectF &region, int n)
{
    std::vector<int> out;
    for (int row = 0; row < n; ++row)
        for (int column = 0; column < n; ++column) {
            const QPointF centre(region.left() + (column + 0.5) * region.width() / n,
                                 region.top() + (row + 0.5) * region.height() / n);
            const QColor c = picture.pixelColor(centre.toPoint());
            out.push_back(c.red() + c.green() + c.blue());
        }
    return out;
}

} // namespace

class TestAttentionView : public QObject {
    Q_OBJECT
public:
    static void initMain() { cosw::ensureBlasKernel(); }

private:
    QTemporaryDir m_dir;
    QString m_before, m_after, m_image, m_db;
    qint64 m_run = 0;

    // The test run (before and after scaling), or one checkpoint, on the
    // test image in a shown view; false when it was not shown in time.
    bool showRun(AttentionView &view)
    {
        view.resize(1100, 700);
        view.show();
        view.setDatabase(m_db);
        QSignalSpy shown(&view, &AttentionView::shown);
        view.openImage(m_image);
        view.setRun(m_run);
        return QTest::qWaitForWindowExposed(&view) && (!shown.isEmpty() || shown.wait(20000));
    }

    bool showCheckpoint(AttentionView &view, const QString &dir)
    {
        view.resize(1100, 700);
        view.show();
        QSignalSpy shown(&view, &AttentionView::shown);
        view.openCheckpoint(dir);
        view.openImage(m_image);
        return QTest::qWaitForWindowExposed(&view) && (!shown.isEmpty() || shown.wait(20000));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        test::keepSettingsAndCachesIn(m_dir, "tst_attention_view");
        // Pre-training {g:1,q:2} + {g:2,q:1} on an 8 x 8 grid; fine-tuning
        // with the local scale's windows doubled (per-window banks copied).
        ModelConfig config = test::tinyModelConfig();
        config.connector.perWindow = true;
        m_before = saveFreshCheckpoint(m_dir, "pretrain-end", config);
        ScalingSpec spec;
        spec.window = {1, 2};
        m_after = m_dir.filePath("finetune-end");
        cosw::saveCheckpoint(m_after.toStdString(), scaleCheckpoint(loadCheckpoint(m_before.toStdString()), spec));
        cv::Mat img(32, 32, CV_8UC3, cv::Scalar(10, 10, 10));
        img(cv::Rect(16, 0, 16, 16)).setTo(cv::Scalar(250, 220, 30));
        m_image = m_dir.filePath("item.png");
        QVERIFY(cv::imwrite(m_image.toStdString(), img));

        m_db = m_dir.filePath("runs.sqlite");
        ExperimentStore store(m_db.toStdString());
        m_run = store.createRun("tiny", "{}", "chain_of_sight", "cpu", "{}");
        for (int i = 0; i < 2; ++i) {
            StageRecord st;
            st.index = i;
            st.name = i == 0 ? "pretrain" : "finetune";
            st.visualTokens = i == 0 ? 6 : 2 + 16;
            store.putStage(m_run, st);
        }
        store.addCheckpoint(m_run, {0, 0, m_before.toStdString(), 0});
        store.addCheckpoint(m_run, {1, 0, m_after.toStdString(), 0});
    }

    // How many cells a token reads: 1 for a token on one cell, its window's
    // cell count for one spread evenly over it, whatever its map sums to;
    // a scale's summary takes the median of its tokens.
    void spreadCountsTheCellsATokenReads()
    {
        AttentionMaps maps;
        maps.layout.featureGrid = 4;
        maps.layout.visualTokens = 4;
        maps.layout.hasAttention = true;
        maps.layout.scales = {TokenScaleLayout{2, 1, 0}}; // 2 x 2 windows of 2 x 2 cells, one query each
        maps.layers = 1;
        maps.heads = 1;
        maps.values.assign(size_t(2 * 4 * 16), 0.0f); // [layer][head 0, mean][token][cell]
        auto cell = [&](int token, int row, int column) -> float & {
            return maps.values[size_t(4 * 16 + token * 16 + row * 4 + column)]; // the mean over heads
        };
        cell(0, 1, 1) = 1.0f;                                                 // one cell
        for (auto [r, c] : {std::pair{0, 2}, {0, 3}, {1, 2}, {1, 3}})
            cell(1, r, c) = 0.25f;                                            // its whole window, evenly
        cell(2, 2, 0) = cell(2, 3, 1) = 0.5f;                                 // two cells
        for (auto [r, c] : {std::pair{2, 2}, {2, 3}, {3, 2}, {3, 3}})
            cell(3, r, c) = 0.5f;                                             // evenly, summing to 2
        const std::vector<float> expected{1.0f, 4.0f, 2.0f, 4.0f};
        for (int t = 0; t < 4; ++t)
            QVERIFY2(std::abs(maps.spread(0, -1, t) - expected[size_t(t)]) < 1e-5,
                     qPrintable(QString("token %1: %2").arg(t).arg(maps.spread(0, -1, t))));
        const ScaleSpread spread = scaleSpread(maps, 0, -1, 0);
        QCOMPARE(spread.windowCells, 4);
        QVERIFY(std::abs(spread.median - 3.0f) < 1e-5); // between 2 and 4
        QVERIFY(std::abs(spread.least - 1.0f) < 1e-5);
        QVERIFY(std::abs(spread.greatest - 4.0f) < 1e-5);
    }

    // A run opens before (left) and after (right) token scaling; the strip
    // lists the left tokens in the engine's order.
    void runOpensBeforeAndAfterScaling()
    {
        AttentionView view;
        QVERIFY(showRun(view));
        QVERIFY(view.isComparing());
        QCOMPARE(view.maps(AttentionView::Left)->layout.visualTokens, 6);
        QCOMPARE(view.maps(AttentionView::Right)->layout.visualTokens, 18);

        const AttentionTokenModel *tokens = view.tokenModel();
        QCOMPARE(tokens->rowCount(), 6);
        const int expected[6][3] = {{0, 0, 0}, {0, 0, 1}, {1, 0, 0}, {1, 1, 0}, {1, 2, 0}, {1, 3, 0}}; // scale, window, query
        for (int t = 0; t < 6; ++t) {
            const QModelIndex i = tokens->index(t);
            QCOMPARE(i.data(AttentionTokenModel::ScaleRole).toInt(), expected[t][0]);
            QCOMPARE(i.data(AttentionTokenModel::WindowRole).toInt(), expected[t][1]);
            QCOMPARE(i.data(AttentionTokenModel::QueryRole).toInt(), expected[t][2]);
            QVERIFY(!i.data(Qt::DecorationRole).value<QPixmap>().isNull());
        }
        // The tooltip says how many of its window's cells a token reads, in
        // the user's locale: a global token's window is the whole 8 x 8 grid,
        // a local one's a quarter of it.
        const QLocale before;
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        const std::shared_ptr<const AttentionMaps> left = view.maps(AttentionView::Left);
        const QString global = tokens->index(0).data(Qt::ToolTipRole).toString();
        const QString local = tokens->index(3).data(Qt::ToolTipRole).toString();
        QLocale::setDefault(before);
        QVERIFY2(global.contains(QString("reads %1 of the window's 64 cells")
                                     .arg(QLocale(QLocale::German).toString(double(left->spread(-1, -1, 0)), 'f', 1))),
                 qPrintable(global));
        QVERIFY2(global.contains(','), qPrintable(global)); // a decimal comma
        QVERIFY2(local.contains("of the window's 16 cells"), qPrintable(local));
        // The line under the strip says the same of the shown token, with its scale's median.
        QString line;
        for (const QLabel *label : view.findChildren<QLabel *>())
            if (label->text().startsWith("Token 1 of 6"))
                line = label->text();
        QVERIFY2(line.contains(QString("reads %1 of its window's 64 cells")
                                   .arg(QLocale().toString(double(left->spread(-1, -1, 0)), 'f', 1))),
                 qPrintable(line));
        QVERIFY2(line.contains(QString("the scale's median: %1)")
                                   .arg(QLocale().toString(double(scaleSpread(*left, -1, -1, 0).median), 'f', 1))),
                 qPrintable(line));
    }

    // Clicking a window selects its token; the right side frames the
    // window's children and shows the first; clicking a child there selects
    // its parent on the left.
    void windowsSelectTheirTokensAndChildren()
    {
        AttentionView view;
        QVERIFY(showRun(view));
        view.setScale(1);

        AttentionCanvas *left = view.canvas(AttentionView::Left);
        const QRectF picture = left->imageRect();
        // The centre of the bottom-left quarter is window 2 of the 2 x 2 scale.
        const QPointF bottomLeft(picture.left() + picture.width() / 4, picture.top() + picture.height() * 3 / 4);
        QCOMPARE(left->windowAt(bottomLeft), 2);
        // Hovering it lights up its token in the strip.
        QTest::mouseMove(left, bottomLeft.toPoint());
        QTRY_VERIFY(view.tokenModel()->isHighlighted(2 + 2));
        QVERIFY(!view.tokenModel()->isHighlighted(2 + 1));
        QTest::mouseClick(left, Qt::LeftButton, {}, bottomLeft.toPoint());
        QCOMPARE(view.shownToken(AttentionView::Left), 2 + 2);
        // Its children in the 4 x 4 grid: rows 2-3, columns 0-1.
        QCOMPARE(view.shownToken(AttentionView::Right), 2 + 8);
        AttentionCanvas *right = view.canvas(AttentionView::Right);
        const QRectF rightPicture = right->imageRect();
        // Window 13 (row 3, column 1) on the right has window 2 as its parent.
        const QPointF child(rightPicture.left() + rightPicture.width() * 1.5 / 4,
                            rightPicture.top() + rightPicture.height() * 3.5 / 4);
        QCOMPARE(right->windowAt(child), 13);
        view.selectWindow(AttentionView::Left, 0);
        QTest::mouseClick(right, Qt::LeftButton, {}, child.toPoint());
        QCOMPARE(view.shownToken(AttentionView::Left), 2 + 2);
        QCOMPARE(view.shownToken(AttentionView::Right), 2 + 13);
    }

    // Token-scaled in the view (window x2 on the local scale) gives the
    // same layout as the fine-tuned checkpoint.
    void scaledComparisonMatchesTheEngine()
    {
        AttentionView view;
        QVERIFY(showCheckpoint(view, m_before));
        QSignalSpy shown(&view, &AttentionView::shown);
        view.compareWithScaled(64, {1, 2});
        QVERIFY(shown.wait(20000));
        const TokenLayout &right = view.maps(AttentionView::Right)->layout;
        QCOMPARE(right.resolution, 64);
        QCOMPARE(right.scales[0].windows, 2);
        QCOMPARE(right.scales[1].windows, 8);
        QCOMPARE(right.visualTokens, 4 * 2 + 64);
        const std::shared_ptr<const AttentionMaps> encoded = view.maps(AttentionView::Right);
        view.clearComparison();
        QVERIFY(!view.isComparing());
        // Coming back to the same checkpoint and scaling finds the image encoded.
        view.compareWithScaled(64, {1, 2});
        QVERIFY(shown.wait(20000));
        QCOMPARE(view.maps(AttentionView::Right), encoded);
    }

    // The hottest cell of the shown token's map is the hottest in the picture.
    void overlayShowsTheHottestCell()
    {
        AttentionView view;
        QVERIFY(showCheckpoint(view, m_before));
        view.findChild<QSlider *>("opacity")->setValue(100);
        const auto maps = view.maps(AttentionView::Left);
        for (int token : {0, 1, 3, 5}) {
            view.selectToken(token);
            const float *map = maps->map(-1, -1, token);
            const int n = maps->layout.featureGrid;
            const int hot = int(std::max_element(map, map + n * n) - map);
            AttentionCanvas *canvas = view.canvas(AttentionView::Left);
            QImage picture(canvas->size(), QImage::Format_RGB32);
            QPainter painter(&picture);
            canvas->render(painter, canvas->size());
            painter.end();
            // Colours resolve 1/255 of the peak, so near-equal cells may tie with it.
            const std::vector<int> brightness = cellBrightness(picture, canvas->imageRect(), n);
            QCOMPARE(brightness[size_t(hot)], *std::max_element(brightness.begin(), brightness.end()));
            const int cold = int(std::min_element(map, map + n * n) - map);
            if (map[cold] < 0.5f * map[hot])
                QVERIFY(brightness[size_t(cold)] < brightness[size_t(hot)]);
        }
    }

    // Arrows step through the strip's tokens, PgDown/PgUp through scales.
    void keyboardStepsTokensAndScales()
    {
        AttentionView view;
        QVERIFY(showCheckpoint(view, m_before));
        QListView *strip = view.tokenStrip();
        strip->setFocus();
        QCOMPARE(view.shownToken(AttentionView::Left), 0);
        QTest::keyClick(strip, Qt::Key_Right);
        QCOMPARE(view.shownToken(AttentionView::Left), 1);
        QTest::keyClick(strip, Qt::Key_PageDown);
        QCOMPARE(view.scale(), 1);
        QCOMPARE(view.shownToken(AttentionView::Left), 2);
        QTest::keyClick(strip, Qt::Key_PageUp);
        QCOMPARE(view.scale(), 0);
    }

    // An image file dropped on the view is encoded.
    void droppedImageIsEncoded()
    {
        AttentionView view;
        QVERIFY(showCheckpoint(view, m_before));
        const QString other = m_dir.filePath("dropped.png");
        cv::Mat img(32, 32, CV_8UC3, cv::Scalar(200, 10, 10));
        QVERIFY(cv::imwrite(other.toStdString(), img));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(other)});
        QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&view, &enter);
        QVERIFY(enter.isAccepted());
        QSignalSpy shown(&view, &AttentionView::shown);
        QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&view, &drop);
        QVERIFY(shown.wait(20000));
        // The dropped image is blue (BGR 200, 10, 10): so is what the model saw.
        const uint8_t *p = view.maps(AttentionView::Left)->image.at(5, 5);
        QVERIFY(p[2] > 190 && p[0] < 20);
    }

    void exportsWriteTheirFiles()
    {
        AttentionView view;
        QVERIFY(showRun(view));
        const QString png = m_dir.filePath("view.png"), svg = m_dir.filePath("view.svg");
        QVERIFY(view.exportView(png));
        QVERIFY(view.exportView(svg));
        const QImage written(png);
        QVERIFY(written.width() > written.height()); // both sides
        QVERIFY(test::readFile(svg).contains("<svg"));
        const QString sheet = m_dir.filePath("sheet.png");
        view.setScale(1);
        QVERIFY(view.exportTokenSheet(sheet));
        QVERIFY(!QImage(sheet).isNull());
        const QString raw = m_dir.filePath("maps.safetensors");
        QVERIFY(view.exportRawMaps(raw));
        QCOMPARE(readSafetensors(raw.toStdString()).at("attention_mean.1").sizes().vec(),
                 (std::vector<int64_t>{1, 4, 8, 8}));
        QVERIFY(!view.exportView(m_dir.filePath("no/such/dir/view.png")));

        // Each file made from the run's checkpoint is the run's artifact.
        const auto recorded = [&] {
            std::set<std::string> paths;
            for (const ArtifactRecord &a : ExperimentStore(m_db.toStdString()).run(m_run).artifacts)
                if (a.kind == "attention-map")
                    paths.insert(a.path);
            return paths;
        };
        QTRY_COMPARE(recorded(), (std::set<std::string>{png.toStdString(), svg.toStdString(), sheet.toStdString(),
                                                         raw.toStdString()}));
        // Not one made from a checkpoint the run does not have.
        ModelConfig config = test::tinyModelConfig();
        config.connector.perWindow = true;
        const QString other = saveFreshCheckpoint(m_dir, "other-checkpoint", config);
        QSignalSpy shown(&view, &AttentionView::shown);
        view.openCheckpoint(other);
        QVERIFY(shown.wait(20000));
        QSignalSpy recordedSpy(&view, &AttentionView::artifactRecorded);
        QVERIFY(view.exportView(m_dir.filePath("foreign.png")));
        QVERIFY(!recordedSpy.wait(1000));
        QCOMPARE(recorded().size(), size_t(4));
    }

    // Asking shows the answer, the attention mass per visual token by scale
    // and, on the left picture, where the answer looked; picking a token
    // goes back to that token's map.
    void askingShowsWhereTheAnswerLooked()
    {
        const QString dir = m_dir.filePath("with-words");
        if (!QFileInfo::exists(dir)) {
            cosw::saveCheckpoint(dir.toStdString(), loadCheckpoint(m_before.toStdString()));
            WordTokenizer::build({"is there a bag ? yes no"}).save((dir + "/tokenizer.json").toStdString());
        }
        AttentionView view;
        QVERIFY(showCheckpoint(view, dir));
        QSignalSpy shown(&view, &AttentionView::shown), answered(&view, &AttentionView::answered);
        view.ask("is there a bag?");
        QVERIFY(answered.wait(20000));
        QVERIFY(view.answer());
        QVERIFY(view.canvas(AttentionView::Left)->showsCustomMap());
        QCOMPARE(view.findChild<QCustomPlot *>("answerMass")->plottableCount(), 2); // one bar series per scale
        QVERIFY(!view.answer(AttentionView::Right));
        QCOMPARE(view.findChild<QComboBox *>("lmLayer")->count(), 1 + 1); // the mean, and the tiny LM's one layer
        view.selectToken(3);
        QVERIFY(!view.canvas(AttentionView::Left)->showsCustomMap());
        // Compared with its token-scaled self, both sides answer.
        view.compareWithScaled(0, {1, 2});
        QVERIFY(shown.wait(20000));
        view.ask();
        QVERIFY(answered.wait(20000));
        QVERIFY(view.answer(AttentionView::Left) && view.answer(AttentionView::Right));
        QCOMPARE(view.answer(AttentionView::Right)->visualTokens, 2 + 16);
        QVERIFY(view.canvas(AttentionView::Right)->showsCustomMap());
        QCOMPARE(view.findChild<QCustomPlot *>("answerMass")->plottableCount(), 4);
        // A new image drops the answers.
        view.openImage(m_image);
        QVERIFY(!view.answer(AttentionView::Left) && !view.answer(AttentionView::Right));
    }

    void badInputsAreReportedAndCancelStops()
    {
        AttentionView view;
        QSignalSpy failed(&view, &AttentionView::failed);
        view.openCheckpoint(m_dir.filePath("missing"));
        QVERIFY(failed.wait(20000));
        QVERIFY2(failed.front().front().toString().contains("missing"), qPrintable(failed.front().front().toString()));

        QSignalSpy shown(&view, &AttentionView::shown);
        view.openCheckpoint(m_before);
        view.openImage(m_dir.filePath("no-image.png"));
        QVERIFY(failed.wait(20000));
        QVERIFY(failed.back().front().toString().contains("no-image.png"));

        view.openImage(m_image);
        QVERIFY(view.isBusy());
        for (AttentionEncoder *encoder : view.findChildren<AttentionEncoder *>())
            encoder->cancel();
        QVERIFY(!view.isBusy());
        QVERIFY(!shown.wait(1500)); // the cancelled encoding never shows
    }
};

QTEST_MAIN(TestAttentionView)
#include "tst_attention_view.moc"

// How long the attention view takes to switch what it shows, on an encoded
// image: another token, layer, head or scale, each redrawn at once (both
// pictures and the token strip). The target is under 16 ms per switch.
//
//   build/release/benchmarks/bench_attention_view [--config configs/quickstart.yaml] [--switches 200]
//
// The model is the config's, freshly initialised (`cos-batch init`), shown
// beside itself token-scaled by window x2 on its last scale, as the
// quickstart's fine-tuning does. Offscreen unless QT_QPA_PLATFORM says
// otherwise.

#include "AttentionCanvas.h"
#include "AttentionView.h"
#include "facade/BlasKernel.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QImage>
#include <QListView>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace cosw;

namespace {

struct Timing {
    double median = 0, worst = 0;
};

// Runs `step(i)` `count` times, each followed by a synchronous repaint of
// the pictures and the strip, and returns the times per switch in ms.
Timing timeSwitches(AttentionView &view, int count, const std::function<void(int)> &step)
{
    std::vector<double> ms;
    QElapsedTimer clock;
    for (int i = 0; i < count; ++i) {
        clock.start();
        step(i);
        view.canvas(AttentionView::Left)->repaint();
        view.canvas(AttentionView::Right)->repaint();
        view.tokenStrip()->viewport()->repaint();
        ms.push_back(double(clock.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms.back()};
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    cosw::ensureBlasKernel();
    QApplication app(argc, argv);
    QCommandLineParser args;
    args.setApplicationDescription("Attention view: time per switch of token, layer, head and scale");
    args.addHelpOption();
    args.addOption({"config", "Run config whose model is shown.", "FILE", COS_SOURCE_DIR "/configs/quickstart.yaml"});
    args.addOption({"switches", "Switches timed per kind.", "N", "200"});
    args.process(app);
    const int switches = std::max(1, args.value("switches").toInt());

    QTemporaryDir dir;
    const QString checkpoint = dir.filePath("model");
    QProcess init;
    init.start(COS_BATCH_PROGRAM, {"init", args.value("config"), "--out", checkpoint});
    if (!init.waitForFinished(-1) || init.exitCode() != 0) {
        std::fprintf(stderr, "bench_attention_view: cos-batch init failed: %s\n", init.readAllStandardError().constData());
        return 1;
    }
    QImage image(256, 256, QImage::Format_RGB888);
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            image.setPixelColor(x, y, QColor((x * 7) % 256, (y * 5) % 256, ((x ^ y) * 3) % 256));
    const QString imageFile = dir.filePath("image.png");
    image.save(imageFile);

    AttentionView view;
    view.resize(1400, 800);
    view.show();
    QSignalSpy shown(&view, &AttentionView::shown);
    QSignalSpy failed(&view, &AttentionView::failed);
    QElapsedTimer encoding;
    encoding.start();
    view.openCheckpoint(checkpoint);
    view.openImage(imageFile);
    if (!shown.wait(120000)) {
        std::fprintf(stderr, "bench_attention_view: the image was not shown%s\n",
                     failed.isEmpty() ? "" : qPrintable(": " + failed.front().front().toString()));
        return 1;
    }
    const double encodeLeft = double(encoding.nsecsElapsed()) / 1e6;
    const auto maps = view.maps(AttentionView::Left);
    const int scales = int(maps->layout.scales.size());
    QList<int> window(scales, 1);
    window.back() = 2;
    encoding.restart();
    view.compareWithScaled(0, window);
    if (!shown.wait(120000)) {
        std::fprintf(stderr, "bench_attention_view: the scaled side was not shown\n");
        return 1;
    }
    const double encodeRight = double(encoding.nsecsElapsed()) / 1e6;
    const int tokens = maps->layout.visualTokens, layers = maps->layers, heads = maps->heads;
    view.setScale(scales - 1);

    std::printf("attention view, %s: %d + %d visual tokens, %d resampler layers, %d heads\n",
                qPrintable(args.value("config")), tokens, view.maps(AttentionView::Right)->layout.visualTokens, layers,
                heads);
    std::printf("open and encode (worker thread, then shown): left %.0f ms, right (token-scaled) %.0f ms\n",
                encodeLeft, encodeRight);
    const auto report = [](const char *kind, Timing t) {
        std::printf("  %-6s switch: median %6.2f ms, worst %6.2f ms\n", kind, t.median, t.worst);
    };
    std::printf("per switch, both pictures and the strip redrawn (%d switches each):\n", switches);
    report("token", timeSwitches(view, switches, [&](int i) { view.selectToken(i % tokens); }));
    report("layer", timeSwitches(view, switches, [&](int i) { view.setLayer(i % layers); }));
    report("head", timeSwitches(view, switches, [&](int i) { view.setHead(i % (heads + 1) - 1); }));
    report("scale", timeSwitches(view, switches, [&](int i) { view.setScale(i % scales); }));
    return 0;
}

// How long the desktop's UI thread stalls while runs stream metrics.
//
//   build/release/benchmarks/bench_ui_stall [--seconds 10] [--points 100000]
//
// Two small runs train (cos-batch children) and write metrics into the store
// while the monitor plots both beside a finished run of `--points` points. A
// 5 ms timer on the UI thread measures the gaps between its ticks, first with
// the charts hidden (the machine's load alone) and then with the monitor
// plotting; it prints the longest gap, the 99th percentile and the median of
// each, and the time of one replot of the monitor's charts. Offscreen unless
// QT_QPA_PLATFORM says otherwise. Exit status 0 when measured, 1 when the
// runs did not start training within three minutes.

#include "MainWindow.h"
#include "MonitorView.h"
#include "RunQueue.h"
#include "WorkbenchSettings.h"

#include "facade/BlasKernel.h"
#include "TestSupport.h"
#include "WorkbenchDriver.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace cosw;

namespace {

// Gaps between the ticks of a 5 ms timer on the UI thread, in ms, sorted.
std::vector<double> probeGaps(int durationMs)
{
    QElapsedTimer clock;
    std::vector<double> gaps;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(5);
    qint64 last = 0;
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        gaps.push_back(double(now - last) / 1e6);
        last = now;
    });
    clock.start();
    probe.start();
    QTest::qWait(durationMs);
    gaps.erase(gaps.begin()); // the first tick measures from the start
    std::sort(gaps.begin(), gaps.end());
    return gaps;
}

QString describeGaps(const std::vector<double> &gaps)
{
    return QString("longest gap %1 ms, 99th percentile %2 ms, median %3 ms over %4 ticks")
        .arg(gaps.back(), 0, 'f', 1)
        .arg(gaps[size_t(double(gaps.size()) * 0.99)], 0, 'f', 1)
        .arg(gaps[gaps.size() / 2], 0, 'f', 1)
        .arg(gaps.size());
}

// Processes events until `done` holds or the deadline passes.
bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(50);
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("COS_BATCH"))
        qputenv("COS_BATCH", COS_BATCH_PROGRAM);
    cosw::ensureBlasKernel();
    QApplication app(argc, argv);

    QCommandLineParser args;
    args.setApplicationDescription("UI thread stalls while two runs stream metrics into the monitor");
    args.addHelpOption();
    args.addOption({"seconds", "Length of each probe.", "S", "10"});
    args.addOption({"points", "Points of the finished run plotted beside the live ones.", "N", "100000"});
    args.process(app);
    const int probeMs = args.value("seconds").toInt() * 1000;
    const QString points = args.value("points");
    if (probeMs <= 0 || points.toInt() <= 0) {
        std::fprintf(stderr, "bench_ui_stall: --seconds and --points take positive whole numbers\n");
        return 2;
    }

    QTemporaryDir dir;
    test::keepSettingsAndCachesIn(dir, "bench_ui_stall");
    WorkbenchSettings settings;
    settings.databasePath = dir.filePath("stall.sqlite");
    settings.dataDirectory = dir.filePath("data");
    settings.threads = 1;
    settings.runsPerDevice = 2;
    QProcess writer;
    writer.setStandardOutputFile(QProcess::nullDevice());
    writer.start(COS_STORE_WRITER_PROGRAM, {settings.databasePath, "metrics", "finished", points, "5000"});
    if (!writer.waitForFinished(-1) || writer.exitStatus() != QProcess::NormalExit || writer.exitCode() != 0) {
        std::fprintf(stderr, "bench_ui_stall: writing the finished run failed\n");
        return 1;
    }

    MainWindow window(settings);
    test::StopRunsAtExit stop{window.queue()};
    test::StepWatch watch;
    watch.connect(window.queue());
    window.show();
    window.showView(MainWindow::View::Monitor);
    // One after the other: the first generates the dataset the second reads.
    const QString config = test::smallRunConfig(dir.filePath("fmnist"), 100000);
    window.launch(config, "stream-a");
    const bool started = waitFor([&] { return watch.training.size() == 1; }, 180000) &&
                         (window.launch(config, "stream-b"), waitFor([&] { return watch.training.size() == 2; }, 180000)) &&
                         waitFor([&] { return test::runNamed(window, "finished").has_value(); }, 10000);
    if (!started) {
        std::fprintf(stderr, "bench_ui_stall: the two runs did not start training within three minutes\n");
        return 1;
    }
    QList<qint64> shown(watch.training.begin(), watch.training.end());
    shown.append(test::runNamed(window, "finished")->id);

    const std::vector<double> hidden = probeGaps(probeMs);
    window.selectRuns(shown);
    const std::vector<double> plotting = probeGaps(probeMs);

    double replotMs = 0;
    for (QCustomPlot *plot : window.monitor()->findChildren<QCustomPlot *>())
        replotMs += plot->replotTime(true);
    std::printf("UI thread, %d s of a 5 ms timer, two runs training:\n"
                "  charts hidden: %s\n"
                "  monitor plotting both and a %s-point run: %s\n"
                "One replot of the monitor's %d charts: %.1f ms (points drawn of the finished run: %d)\n",
                probeMs / 1000, qPrintable(describeGaps(hidden)), qPrintable(points), qPrintable(describeGaps(plotting)),
                int(window.monitor()->findChildren<QCustomPlot *>().size()), replotMs,
                window.monitor()->pointCount(shown.last(), "loss"));
    window.cancelSelected();
    return 0;
}

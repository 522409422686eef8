// The desktop workbench, offscreen: the run list follows the store written by
// other processes, a run launched from the launcher finishes and is plotted
// (its noisy curves smoothed stage by stage over the points as logged),
// cancel interrupts a run with a checkpoint, a run left running when the
// window closes is followed by the next window, runs waiting for a slot are
// queued in the store and wait again in the next window, settings round-trip, the
// screenshot command writes a PNG. How long the UI thread stalls while runs
// stream metrics is a figure, measured by benchmarks/bench_ui_stall.

#include "MainWindow.h"
#include "MonitorView.h"
#include "RunFilterModel.h"
#include "RunQueue.h"
#include "RunTableModel.h"
#include "SettingsDialog.h"
#include "SeriesSmoothing.h"
#include "StoreReaderThread.h"
#include "SweepDialog.h"
#include "WorkbenchSettings.h"

#include "LauncherView.h"
#include "store/ExperimentStore.h"
#include "TestSupport.h"
#include "WorkbenchDriver.h"

#include <set>
#include <qcustomplot.h>

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QLabel>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

using namespace cosw;
using namespace cosw::test;

namespace {

QString storeWriter() { return qEnvironmentVariable("COS_STORE_WRITER"); }

} // namespace

class TestWorkbench : public QObject {
    Q_OBJECT
public:
    // Before QTest starts: on a CPU OpenBLAS does not know, with the right kernel.
    static void initMain() { cosw::ensureBlasKernel(); }

private:
    QTemporaryDir m_dir;
    qint64 m_finishedRun = 0;

    WorkbenchSettings settingsFor(const QString &db) const
    {
        WorkbenchSettings s;
        s.databasePath = m_dir.filePath(db);
        s.dataDirectory = m_dir.filePath("data");
        s.threads = 1;
        s.runsPerDevice = 2;
        return s;
    }
    QString dataDir() const { return m_dir.filePath("fmnist"); }

    // Closes the window, answering "Leave running" when it asks (it must), and deletes it.
    static bool closeLeavingRunsRunning(MainWindow *window)
    {
        bool asked = false;
        QTimer::singleShot(200, [&] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box)
                return;
            for (QAbstractButton *button : box->buttons())
                if (box->buttonRole(button) == QMessageBox::AcceptRole) {
                    asked = true;
                    button->click();
                }
        });
        const bool closed = window->close();
        delete window;
        return closed && asked;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(!qEnvironmentVariableIsEmpty("COS_BATCH"), "run through ctest: COS_BATCH is not set");
        test::keepSettingsAndCachesIn(m_dir, "tst_workbench");
    }

    void settingsRoundTrip()
    {
        WorkbenchSettings s = settingsFor("settings.sqlite");
        s.defaultDevice = "cuda:1";
        s.threads = 3;
        s.runsPerDevice = 4;
        {
            QSettings stored;
            s.save(stored);
        }
        QSettings stored;
        QCOMPARE(WorkbenchSettings::load(stored), s);
        QVERIFY(WorkbenchSettings::load(stored) != WorkbenchSettings::defaults());

        // $COS_DB names the store for the session, over the saved one, as for
        // cos-batch; accepting the settings dialog (a new language) saves the
        // rest and leaves the saved store as it was.
        const QString envStore = m_dir.filePath("from-env.sqlite");
        qputenv("COS_DB", envStore.toLocal8Bit());
        const WorkbenchSettings session = WorkbenchSettings::load(stored);
        QCOMPARE(session.databasePath, envStore);
        {
            SettingsDialog dialog(session, {"cpu"});
            WorkbenchSettings chosen = dialog.settings();
            QCOMPARE(chosen.databasePath, envStore);
            chosen.language = "de";
            chosen.save(stored);
        }
        qunsetenv("COS_DB");
        QCOMPARE(WorkbenchSettings::load(stored).databasePath, s.databasePath);
        QCOMPARE(WorkbenchSettings::load(stored).language, QString("de"));
        // A store chosen in the dialog during such a session is saved.
        {
            WorkbenchSettings chosen = SettingsDialog(session, {"cpu"}).settings();
            chosen.databasePath = m_dir.filePath("chosen.sqlite");
            chosen.save(stored);
        }
        QCOMPARE(WorkbenchSettings::load(stored).databasePath, m_dir.filePath("chosen.sqlite"));
        s.save(stored);

        // The window's size and docks come back in the next session.
        {
            MainWindow window(s);
            window.show();
            window.resize(1111, 777);
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QVERIFY(window.close());
        }
        MainWindow again(s);
        QCOMPARE(again.size(), QSize(1111, 777));
    }

    // The status bar lists the devices; its tooltip names the BLAS kernel
    // the CPU's products run on, so a slow fallback is visible.
    void statusBarNamesTheBlas()
    {
        MainWindow window(settingsFor("blas.sqlite"));
        const auto *devices = window.findChild<QLabel *>("devices");
        QVERIFY(devices);
        QVERIFY2(devices->text().contains("CPU"), qPrintable(devices->text()));
        QCOMPARE(devices->toolTip(), QStringLiteral("CPU matrix products: %1")
                                         .arg(QString::fromStdString(blasSummary(blasInfo()))));
    }

    void runListFollowsOtherProcesses()
    {
        QVERIFY2(!storeWriter().isEmpty(), "run through ctest: COS_STORE_WRITER is not set");
        MainWindow window(settingsFor("others.sqlite"));
        window.show();
        QTRY_VERIFY(window.runModel()->rowCount() == 0 && !window.settings().databasePath.isEmpty());

        QProcess loop;
        loop.start(storeWriter(), {window.settings().databasePath, "loop", "alpha-live", "20"});
        QVERIFY(loop.waitForStarted());
        QCOMPARE(QProcess::execute(storeWriter(), {window.settings().databasePath, "metrics", "beta-done", "300", "50"}),
                 0);
        QTRY_VERIFY_WITH_TIMEOUT(runNamed(window, "beta-done").has_value(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(runNamed(window, "alpha-live").has_value(), 10000);
        QCOMPARE(runNamed(window, "beta-done")->status, RunStatus::Finished);
        QCOMPARE(runNamed(window, "alpha-live")->status, RunStatus::Running);

        // Filters: by a piece of the name, and by status.
        RunFilterModel *filter = window.runFilter();
        filter->setNameFilter("ALPHA");
        QCOMPARE(filter->rowCount(), 1);
        filter->setNameFilter(QString());
        filter->setStatusFilter(RunStatus::Finished);
        QCOMPARE(filter->rowCount(), 1);
        QCOMPARE(filter->index(0, RunTableModel::NameColumn).data().toString(), QString("beta-done"));
        filter->setStatusFilter(std::nullopt);
        QCOMPARE(filter->rowCount(), 2);

        // The live run's end shows without any action in the window: killed,
        // it is `interrupted` once the store is next opened.
        loop.kill();
        loop.waitForFinished();
        ExperimentStore(window.settings().databasePath.toStdString());
        QTRY_COMPARE_WITH_TIMEOUT(runNamed(window, "alpha-live")->status, RunStatus::Interrupted, 10000);
    }

    // Eight runs write at once while the window reads the store on its
    // reader thread and `cos-batch list` reads it in a loop: no row is lost
    // and no "database is locked" reaches anyone (the writers, the list
    // commands, the window). The longest gap of a 5 ms timer on the UI
    // thread meanwhile is printed as a figure, not asserted.
    void eightWritersWindowAndListLoop()
    {
        QVERIFY2(!storeWriter().isEmpty(), "run through ctest: COS_STORE_WRITER is not set");
        constexpr int kWriters = 8, kPoints = 200000, kBatch = 100;
        MainWindow window(settingsFor("crowd.sqlite"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QString db = window.settings().databasePath;
        auto *readerThread = window.findChild<StoreReaderThread *>();
        QVERIFY(readerThread);
        QStringList failures;
        connect(readerThread->reader(), &StoreReader::failed, &window,
                [&](const QString &message) { failures << "window: " + message; });

        std::vector<std::unique_ptr<QProcess>> writers;
        for (int i = 0; i < kWriters; ++i) {
            writers.push_back(std::make_unique<QProcess>());
            writers.back()->start(storeWriter(), {db, "metrics", QString("crowd %1").arg(i), QString::number(kPoints),
                                                  QString::number(kBatch)});
            QVERIFY2(writers.back()->waitForStarted(), qPrintable(writers.back()->errorString()));
        }
        auto writing = [&] {
            return std::any_of(writers.begin(), writers.end(),
                               [](const auto &w) { return w->state() != QProcess::NotRunning; });
        };

        int lists = 0;
        QProcess list;
        connect(&list, &QProcess::finished, &window, [&](int code, QProcess::ExitStatus status) {
            ++lists;
            const QString err = QString::fromUtf8(list.readAllStandardError());
            list.readAllStandardOutput();
            if (status != QProcess::NormalExit || code != 0 || !err.isEmpty())
                failures << QString("cos-batch list (exit %1): %2").arg(code).arg(err);
            if (writing())
                list.start(qEnvironmentVariable("COS_BATCH"), {"list", "--db", db});
        });
        list.start(qEnvironmentVariable("COS_BATCH"), {"list", "--db", db});

        QElapsedTimer clock;
        double longestGapMs = 0;
        qint64 lastTick = 0;
        QTimer probe;
        probe.setTimerType(Qt::PreciseTimer);
        probe.setInterval(5);
        connect(&probe, &QTimer::timeout, &window, [&] {
            const qint64 now = clock.nsecsElapsed();
            if (lastTick)
                longestGapMs = std::max(longestGapMs, double(now - lastTick) / 1e6);
            lastTick = now;
        });
        clock.start();
        probe.start();
        QTRY_VERIFY_WITH_TIMEOUT(!writing(), 240000);
        probe.stop();
        QTRY_VERIFY_WITH_TIMEOUT(list.state() == QProcess::NotRunning, 30000);

        for (auto &w : writers) {
            const QString err = QString::fromUtf8(w->readAllStandardError());
            QCOMPARE(w->exitStatus(), QProcess::NormalExit);
            QVERIFY2(w->exitCode() == 0 && err.isEmpty(), qPrintable(err));
            QVERIFY(w->readAllStandardOutput().contains("done " + QByteArray::number(kPoints)));
        }
        QVERIFY(lists > 0);
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join('\n')));

        // Every row is there, and the window shows every run finished.
        ExperimentStore store(db.toStdString());
        const auto runs = store.runs();
        QCOMPARE(runs.size(), size_t(kWriters));
        for (const RunRecord &r : runs)
            QCOMPARE(store.metricCount(r.id, "loss"), int64_t(kPoints));
        QTRY_VERIFY_WITH_TIMEOUT(window.runModel()->rowCount() == kWriters, 10000);
        for (int i = 0; i < kWriters; ++i) {
            const std::string name = "crowd " + std::to_string(i);
            QTRY_VERIFY_WITH_TIMEOUT(runNamed(window, name) && runNamed(window, name)->status == RunStatus::Finished, 10000);
        }
        qInfo("%d writers x %d points; %d cos-batch list runs meanwhile; longest gap of the UI thread's 5 ms timer: "
              "%.0f ms",
              kWriters, kPoints, lists, longestGapMs);
    }

    void launchedRunFinishesAndIsPlotted()
    {
        MainWindow window(settingsFor("launch.sqlite"));
        StopRunsAtExit stop{window.queue()};
        window.show();
        QString error;
        QVERIFY2(window.launcher()->setConfigText(test::smallRunConfig(dataDir(), 30), "test", &error), qPrintable(error));
        QVERIFY2(window.launcher()->isLaunchEnabled(), qPrintable(window.launcher()->validationMessage()));
        auto *launch = window.launcher()->findChild<QPushButton *>("launch");
        QVERIFY(launch);
        launch->click();
        QCOMPARE(window.queue()->jobs().size(), 1);

        QTRY_VERIFY_WITH_TIMEOUT(runNamed(window, "gui-small").has_value(), 120000);
        const qint64 id = runNamed(window, "gui-small")->id;
        QTRY_COMPARE_WITH_TIMEOUT(runWithId(window, id)->status, RunStatus::Finished, 240000);
        QTRY_VERIFY(window.queue()->jobs().isEmpty());

        // Steps restart in every stage; the store reads a series one stage at a time.
        ExperimentStore store(window.settings().databasePath.toStdString());
        QCOMPARE(store.metricSeries(id, "loss", 2000, std::nullopt, 1).size(), size_t(30));
        const auto finetune = store.metricSeries(id, "loss", 2000, 10, 2);
        QCOMPARE(finetune.size(), size_t(10));
        QVERIFY(std::all_of(finetune.begin(), finetune.end(), [](const SeriesPoint &p) { return p.stage == 2; }));

        window.selectRuns({id});
        QCOMPARE(window.monitor()->runs(), QList<qint64>{id});
        QTRY_COMPARE_WITH_TIMEOUT(window.monitor()->pointCount(id, "loss"), 30 + 20, 10000);
        QCOMPARE(window.monitor()->pointCount(id, "lr"), 30 + 20);
        QVERIFY(window.monitor()->pointCount(id, "eval_accuracy") > 0);
        // Loss and samples/s are drawn smoothed, each stage from its own
        // start, over the points as logged; the learning rate as logged.
        MonitorView *monitor = window.monitor();
        QCOMPARE(monitor->smoothing(), 0.9);
        auto logged = [&](const std::string &metric, double weight) {
            std::vector<double> all;
            for (const StageRecord &stage : store.run(id).stages) {
                std::vector<double> values;
                for (const SeriesPoint &p : store.metricSeries(id, metric, 2000, std::nullopt, stage.index))
                    values.push_back(p.value);
                values = smoothedSeries(values, weight);
                all.insert(all.end(), values.begin(), values.end());
            }
            return all;
        };
        QCOMPARE(monitor->drawnValues(id, "loss", true), logged("loss", 0));
        QCOMPARE(monitor->drawnValues(id, "loss"), logged("loss", 0.9));
        QVERIFY(logged("loss", 0.9) != logged("loss", 0));
        // Smoothed per stage, not across: fine-tuning's first point is its own loss.
        QCOMPARE(monitor->drawnValues(id, "loss")[30], logged("loss", 0)[30]);
        QCOMPARE(monitor->drawnValues(id, "samples_per_s"), logged("samples_per_s", 0.9));
        QCOMPARE(monitor->drawnValues(id, "lr"), logged("lr", 0));
        QVERIFY(monitor->drawnValues(id, "lr", true).empty());
        monitor->setSmoothing(0);
        QCOMPARE(monitor->drawnValues(id, "loss"), logged("loss", 0));
        QVERIFY(monitor->drawnValues(id, "loss", true).empty());
        // The next window shows the curves as this one was left.
        monitor->setSmoothing(0.5);
        monitor->setLogLossAxis(true);
        {
            MonitorView next;
            QCOMPARE(next.smoothing(), 0.5);
            QVERIFY(next.logLossAxis());
        }
        monitor->setSmoothing(0.9);
        monitor->setLogLossAxis(false);

        monitor->setXAxis(MonitorView::XAxis::Time);
        QCOMPARE(monitor->pointCount(id, "loss"), 30 + 20);

        // A click on a legend entry hides the run in every chart, a second shows it again.
        auto *lossPlot = window.monitor()->findChildren<QCustomPlot *>().front();
        QCPAbstractLegendItem *entry = lossPlot->legend->item(0);
        QVERIFY(entry);
        lossPlot->replot();
        QTest::mouseClick(lossPlot, Qt::LeftButton, {}, entry->rect().center());
        for (QCustomPlot *plot : window.monitor()->findChildren<QCustomPlot *>())
            QVERIFY(!plot->graph(0)->visible());
        QTest::mouseClick(lossPlot, Qt::LeftButton, {}, entry->rect().center());
        QVERIFY(lossPlot->graph(0)->visible());

        // Duplicate with changes: the stored config goes back into the launcher.
        window.duplicateSelected();
        QCOMPARE(window.launcher()->runName(), QString("gui-small"));
        QVERIFY(window.launcher()->isLaunchEnabled());

        for (const QString suffix : {"png", "pdf", "svg"}) {
            const QString file = m_dir.filePath("charts." + suffix);
            QVERIFY2(window.monitor()->exportTo(file), qPrintable(file));
            QVERIFY2(QFileInfo(file).size() > 1000, qPrintable(file));
        }
        m_finishedRun = id;
    }

    void runListShowsWhereARunIs()
    {
        RunRecord r;
        r.id = 7;
        r.status = RunStatus::Running;
        QCOMPARE(RunTableModel::statusWithProgress(r), QString("running")); // before its first step
        // Stage 3 of 0-4, step 120 of 450, 80 s left as written at t = 1000.
        const RunProgress p{3, 5, "pretrain", false, 120, 450, 80.0, 1000};
        r.progress = p;
        QCOMPARE(RunTableModel::statusWithProgress(r), QString("running · pretrain 120/450"));
        // The stage's time left counts down from when it was written.
        QCOMPARE(RunTableModel::progressDetail(r, 1010),
                 QString("Stage pretrain (4 of 5): step 120 of 450, about 70 s left in the stage"));
        r.progress->evaluating = true;
        r.progress->step = 300;
        r.progress->totalSteps = 1200;
        r.progress->etaSeconds.reset();
        QCOMPARE(RunTableModel::statusWithProgress(r), QString("running · evaluating 300/1200"));
        QCOMPARE(RunTableModel::progressDetail(r, 1010), QString("Evaluating stage pretrain (4 of 5): 300 of 1200 answers"));
        // A run stopped midway says where; no time is left to count.
        r.progress = p;
        r.status = RunStatus::Interrupted;
        QCOMPARE(RunTableModel::statusWithProgress(r), QString("interrupted · pretrain 120/450"));
        QCOMPARE(RunTableModel::progressDetail(r, 1010), QString("Stage pretrain (4 of 5): step 120 of 450"));
        r.status = RunStatus::Finished;
        QCOMPARE(RunTableModel::statusWithProgress(r), QString("finished"));
        QVERIFY(RunTableModel::progressDetail(r, 1010).isEmpty());

        // In the table: a new step repaints the row; its tooltip has the detail.
        r.status = RunStatus::Running;
        RunTableModel model;
        model.setRuns({r});
        QSignalSpy repainted(&model, &QAbstractItemModel::dataChanged);
        model.setRuns({r});
        QCOMPARE(repainted.count(), 0);
        r.progress->step = 121;
        r.progress->time = 1002;
        model.setRuns({r});
        QCOMPARE(repainted.count(), 1);
        const QModelIndex status = model.index(0, RunTableModel::StatusColumn);
        QCOMPARE(status.data().toString(), QString("running · pretrain 121/450"));
        QVERIFY2(status.data(Qt::ToolTipRole).toString().startsWith("Stage pretrain (4 of 5): step 121 of 450, about "),
                 qPrintable(status.data(Qt::ToolTipRole).toString()));
    }

    void smoothingKeepsTheLevelAndSkipsNonFinitePoints()
    {
        auto near = [](const std::vector<double> &got, const std::vector<double> &want) {
            if (got.size() != want.size())
                return false;
            for (size_t i = 0; i < got.size(); ++i)
                if (std::isnan(want[i]) ? !std::isnan(got[i]) : std::abs(got[i] - want[i]) > 1e-12)
                    return false;
            return true;
        };
        // A constant curve stays at its level from the first point on.
        QVERIFY(near(smoothedSeries({2, 2, 2, 2}, 0.9), {2, 2, 2, 2}));
        // Weight 0.5: the second point is (0.25 * 1 + 0.5 * 3) / 0.75.
        QVERIFY(near(smoothedSeries({1, 3}, 0.5), {1, 7.0 / 3}));
        // A diverged point is drawn as it is and does not enter the average.
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        QVERIFY(near(smoothedSeries({1, nan, inf, 3}, 0.5), {1, nan, inf, 7.0 / 3}));
        // Nothing to average with: the points as they are.
        QVERIFY(near(smoothedSeries({1, 3}, 0), {1, 3}));
        QVERIFY(near(smoothedSeries({1, 3}, 1), {1, 3}));
        QVERIFY(smoothedSeries({}, 0.9).empty());
    }

    // A stage logged past what the charts hold comes down-sampled to each
    // bucket's extremes; the smoothed curve still averages every point as
    // logged, so it keeps the data's level, not the level of its extremes.
    void smoothingWeighsADownSampledSeriesAsLogged()
    {
        const WorkbenchSettings settings = settingsFor("long.sqlite");
        qint64 id = 0;
        std::vector<double> logged;
        {
            ExperimentStore store(settings.databasePath.toStdString());
            id = store.createRun("long", "{}", "chain_of_sight", "cpu", "{}");
            store.startRun(id);
            StageRecord stage;
            stage.name = stage.kind = "pretrain";
            stage.steps = 10000;
            store.putStage(id, stage);
            std::vector<MetricPoint> points;
            for (int64_t step = 1; step <= stage.steps; ++step) {
                // A loss of 1 with a spike of 21 every 50 steps: a level of 1.4, extremes far from it.
                logged.push_back(step % 50 == 0 ? 21.0 : 1.0);
                points.push_back({0, step, "loss", logged.back(), 1.7e9 + double(step)});
            }
            store.addMetrics(id, points);
            store.endRun(id, RunStatus::Finished);
        }
        MainWindow window(settings);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(runWithId(window, id).has_value(), 10000);
        window.selectRuns({id});
        MonitorView *monitor = window.monitor();
        QTRY_VERIFY_WITH_TIMEOUT(monitor->pointCount(id, "loss") > 0, 10000);
        QVERIFY(monitor->pointCount(id, "loss") <= 2000);
        const auto mean = [](const std::vector<double> &v) {
            return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
        };
        const double level = mean(smoothedSeries(logged, monitor->smoothing()));
        const double drawn = mean(monitor->drawnValues(id, "loss"));
        QVERIFY2(std::abs(drawn - level) < 0.2 * level, qPrintable(QString("%1 against %2").arg(drawn).arg(level)));
        // The extremes alone, averaged as points, would draw it three times as high.
        const double extremes = mean(smoothedSeries(monitor->drawnValues(id, "loss", true), monitor->smoothing()));
        QVERIFY2(extremes > 2 * level, qPrintable(QString::number(extremes)));
    }

    void cancelInterruptsWithCheckpoint()
    {
        MainWindow window(settingsFor("launch.sqlite"));
        StopRunsAtExit stop{window.queue()};
        StepWatch watch;
        watch.connect(window.queue());
        window.show();
        // Two data-parallel processes: cancelling stops both at one step.
        window.launch(test::smallRunConfig(dataDir(), 100000), "long", 2);
        QTRY_VERIFY_WITH_TIMEOUT(!watch.training.empty(), 120000);
        const qint64 id = *watch.training.begin();
        const QString queue = window.findChild<QLabel *>("queue")->text();
        QVERIFY2(queue.contains("1 running (2 process"), qPrintable(queue)); // the English plural comes with the app
        // The run list may first show the run as queued (read between its
        // creation and its start); the list refreshes every second.
        QTRY_VERIFY(runWithId(window, id).has_value());
        QTRY_COMPARE(runWithId(window, id)->status, RunStatus::Running);

        window.selectRuns({id});
        window.cancelSelected();
        QTRY_COMPARE_WITH_TIMEOUT(runWithId(window, id)->status, RunStatus::Interrupted, 60000);
        ExperimentStore store(window.settings().databasePath.toStdString());
        QVERIFY(!store.run(id).checkpoints.empty());

        // Resume continues it from that checkpoint; cancel stops it again.
        QTRY_VERIFY(window.queue()->jobs().isEmpty());
        window.resumeSelected();
        QTRY_COMPARE_WITH_TIMEOUT(runWithId(window, id)->status, RunStatus::Running, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(window.queue()->job(id) != nullptr, 10000);
        window.cancelSelected();
        QTRY_COMPARE_WITH_TIMEOUT(runWithId(window, id)->status, RunStatus::Interrupted, 60000);
    }

    // Closing with a run in progress asks; "Leave running" keeps the run
    // going without the window, and the next window follows it again and
    // can stop it.
    void runsLeftRunningAreFollowedByTheNextWindow()
    {
        const WorkbenchSettings settings = settingsFor("leave.sqlite");
        qint64 id = 0;
        {
            auto *window = new MainWindow(settings);
            StepWatch watch;
            watch.connect(window->queue());
            window->show();
            window->launch(test::smallRunConfig(dataDir(), 100000), "left-running");
            QTRY_VERIFY_WITH_TIMEOUT(!watch.training.empty(), 120000);
            id = *watch.training.begin();

            QVERIFY(closeLeavingRunsRunning(window));
        }
        // Nobody follows it now, and it keeps training.
        ExperimentStore store(settings.databasePath.toStdString());
        const int64_t before = store.metricCount(id, "loss");
        QTRY_VERIFY_WITH_TIMEOUT(store.metricCount(id, "loss") > before, 60000);
        QCOMPARE(store.run(id).run.status, RunStatus::Running);

        MainWindow next(settings);
        StopRunsAtExit stop{next.queue()};
        QTRY_VERIFY_WITH_TIMEOUT(next.queue()->job(id) != nullptr, 30000);
        next.selectRuns({id});
        next.cancelSelected();
        QTRY_COMPARE_WITH_TIMEOUT(runWithId(next, id)->status, RunStatus::Interrupted, 60000);
    }

    // Launches beyond the free slots wait in the store as queued runs, so
    // cos-batch lists them; a waiting run taken off the queue is marked
    // interrupted (resume starts it), and one left waiting when the window
    // closes waits again in the next window and starts when the slot frees.
    void waitingRunsAreQueuedInTheStore()
    {
        WorkbenchSettings settings = settingsFor("queue.sqlite");
        settings.runsPerDevice = 1;
        qint64 first = 0, second = 0, third = 0;
        {
            auto *window = new MainWindow(settings);
            StepWatch watch;
            watch.connect(window->queue());
            window->show();
            window->launch(test::smallRunConfig(dataDir(), 100000), "first");
            window->launch(test::smallRunConfig(dataDir(), 4), "second");
            window->launch(test::smallRunConfig(dataDir(), 4), "third");
            QTRY_VERIFY_WITH_TIMEOUT(!watch.training.empty(), 120000);
            first = *watch.training.begin();
            QTRY_VERIFY_WITH_TIMEOUT(runNamed(*window, "second") && runNamed(*window, "third"), 60000);
            QCOMPARE(runNamed(*window, "first")->id, first); // in launch order, however fast each was recorded
            second = runNamed(*window, "second")->id;
            third = runNamed(*window, "third")->id;
            QCOMPARE(runNamed(*window, "second")->status, RunStatus::Queued);
            QTRY_VERIFY(window->queue()->job(second) && window->queue()->job(third));
            QCOMPARE(window->queue()->job(second)->state(), RunJob::State::Waiting);
            QCOMPARE(window->queue()->waitingCount(), 2);

            QProcess list;
            list.start(qEnvironmentVariable("COS_BATCH"), {"list", "--db", settings.databasePath});
            QVERIFY(list.waitForFinished(60000));
            const QString listed = QString::fromUtf8(list.readAllStandardOutput());
            QVERIFY2(listed.contains(QRegularExpression(QString(" %1 +second +queued ").arg(second))), qPrintable(listed));

            QVERIFY(window->queue()->cancel(third));
            QTRY_COMPARE(runWithId(*window, third)->status, RunStatus::Interrupted);
            QVERIFY(!window->queue()->job(third));
            QVERIFY(closeLeavingRunsRunning(window));
        }
        {
            ExperimentStore store(settings.databasePath.toStdString());
            QCOMPARE(store.run(second).run.status, RunStatus::Queued);
            QCOMPARE(store.run(first).run.status, RunStatus::Running);
            QVERIFY(store.run(third).run.message.find("queue") != std::string::npos);
        }

        MainWindow next(settings);
        StopRunsAtExit stop{next.queue()};
        QTRY_VERIFY_WITH_TIMEOUT(next.queue()->job(second) && next.queue()->job(first), 30000);
        QCOMPARE(next.queue()->job(second)->state(), RunJob::State::Waiting);
        QVERIFY(!next.queue()->job(third)); // taken off the queue: it waits for nobody
        next.selectRuns({first});
        next.cancelSelected();
        QTRY_COMPARE_WITH_TIMEOUT(runWithId(next, second)->status, RunStatus::Finished, 240000);
        QCOMPARE(runWithId(next, first)->status, RunStatus::Interrupted);
    }

    void sweepDialogPlansAndQueuesVariants()
    {
        MainWindow window(settingsFor("sweep.sqlite"));
        StopRunsAtExit stop{window.queue()};
        const QString yaml = test::smallRunConfig(dataDir(), 4);
        SweepDialog dialog(window.queue()->program(), window.settings().databasePath, yaml, "gui-small");
        QSignalSpy previewed(&dialog, &SweepDialog::previewed);

        // A key the engine does not know: no plan, the key named.
        dialog.setVary("stages[2].lrr=0.1,0.2");
        dialog.preview();
        QVERIFY(previewed.wait(120000));
        QCOMPARE(previewed.takeFirst().at(0).toBool(), false);
        QVERIFY2(dialog.message().contains("stages[2].lrr"), qPrintable(dialog.message()));
        QVERIFY(dialog.launches().isEmpty());

        dialog.setVary("stages[2].lr=0.002,0.001");
        dialog.preview();
        QVERIFY(previewed.wait(120000));
        QCOMPARE(previewed.takeFirst().at(0).toBool(), true);
        QCOMPARE(dialog.planTable()->rowCount(), 2);
        const QList<SweepDialog::Launch> launches = dialog.launches();
        QCOMPARE(launches.size(), 2);
        QCOMPARE(launches[0].runName, QString("gui-small-sweep: stages[2].lr=0.002"));
        QCOMPARE(launches[0].arguments, (QStringList{"--set", "stages[2].lr=0.002", "--sweep", "gui-small-sweep",
                                                     "--sweep-variant", "stages[2].lr=0.002"}));
        for (const SweepDialog::Launch &l : launches)
            QVERIFY(window.queue()->launch(yaml, l.runName, "cpu", {}, l.arguments));
        QTRY_VERIFY_WITH_TIMEOUT(window.queue()->jobs().isEmpty(), 240000);
        const auto runs = ExperimentStore(window.settings().databasePath.toStdString()).runs();
        QCOMPARE(runs.size(), size_t(2));
        // Both processes start together, so which one the store numbers first is not fixed.
        std::set<std::string> variants;
        for (const RunRecord &run : runs) {
            QCOMPARE(run.status, RunStatus::Finished);
            QCOMPARE(run.sweep.sweep, std::string("gui-small-sweep"));
            variants.insert(run.sweep.variant);
        }
        QCOMPARE(variants, (std::set<std::string>{"stages[2].lr=0.002", "stages[2].lr=0.001"}));

        // The same sweep again: both variants are finished, nothing to start.
        dialog.preview();
        QVERIFY(previewed.wait(120000));
        QCOMPARE(previewed.takeFirst().at(0).toBool(), true);
        QVERIFY(dialog.launches().isEmpty());
        QCOMPARE(dialog.planTable()->item(0, 3)->text(), QString("finished, skipped"));
    }

    void screenshotCommand()
    {
        QVERIFY(m_finishedRun > 0);
        const QString program = qEnvironmentVariable("COS_WORKBENCH");
        QVERIFY2(!program.isEmpty(), "run through ctest: COS_WORKBENCH is not set");
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        env.insert("XDG_CONFIG_HOME", m_dir.filePath("config"));
        const QString db = settingsFor("launch.sqlite").databasePath;
        for (const QString view : {"launcher", "monitor", "attention", "compare"}) {
            const QString file = m_dir.filePath(view + ".png");
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(program, {"--db", db, "--view", view, "--run", QString::number(m_finishedRun), "--screenshot", file});
            QVERIFY(p.waitForFinished(60000));
            QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
            const QImage image(file);
            QVERIFY2(!image.isNull() && image.width() > 800, qPrintable(file));
        }
        QProcess bad;
        bad.setProcessEnvironment(env);
        bad.start(program, {"--view", "sideways", "--screenshot", m_dir.filePath("x.png")});
        QVERIFY(bad.waitForFinished(30000));
        QCOMPARE(bad.exitCode(), 2);
        QVERIFY(bad.readAllStandardError().contains("sideways"));

        // The attention view with an image it cannot read: exit 2 naming it.
        QProcess unreadable;
        unreadable.setProcessEnvironment(env);
        unreadable.start(program, {"--db", db, "--view", "attention", "--run", QString::number(m_finishedRun), "--image",
                                   m_dir.filePath("no-such-image.png"), "--screenshot", m_dir.filePath("y.png")});
        QVERIFY(unreadable.waitForFinished(60000));
        QCOMPARE(unreadable.exitCode(), 2);
        QVERIFY(unreadable.readAllStandardError().contains("no-such-image.png"));
    }
};

QTEST_MAIN(TestWorkbench)
#include "tst_workbench.moc"

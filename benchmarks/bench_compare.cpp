// How long the comparison dashboard takes to show a store of many runs: the
// store query (on the reader's thread in the GUI), building the table, and
// the table and trade-off scatter drawn on screen. The target is under
// 200 ms to render 1,000 runs (table and scatter).
//
//   build/release/benchmarks/bench_compare [--runs 1000] [--repeats 10] [--db FILE] [--plots FILE.png]
//
// The store is made in a temporary directory: runs of 50 variants with
// pre-training and fine-tuning stages and an evaluation of four question
// types with its controls. Offscreen unless QT_QPA_PLATFORM says otherwise.

#include "CompareView.h"
#include "TradeoffPlot.h"
#include "base/Json.h"
#include "compare/ComparisonTable.h"
#include "store/ExperimentStore.h"
#include "StoreReaderThread.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <random>
#include <vector>

using namespace cosw;

namespace {

struct Timing {
    double median = 0, worst = 0;
};

Timing timeRepeats(int repeats, const std::function<void(int)> &step)
{
    std::vector<double> ms;
    QElapsedTimer clock;
    for (int i = 0; i < repeats; ++i) {
        clock.start();
        step(i);
        ms.push_back(double(clock.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms.back()};
}

void fillStore(const std::string &file, int runs)
{
    ExperimentStore store(file);
    std::mt19937 random(7);
    std::normal_distribution<double> noise(0, 0.01);
    for (int i = 0; i < runs; ++i) {
        const int variant = i % 50, seed = i / 50;
        const int pretrain = variant % 2 ? 32 : 320, finetune = 80 * (1 + variant % 5);
        Json config = Json::object();
        config["name"] = "variant " + std::to_string(variant);
        config["stages"] = Json::array({Json::object({{"lr", 1e-3 * (1 + variant % 3)}, {"steps", 600}}),
                                        Json::object({{"lr", 1e-3}, {"steps", 300}})});
        const int64_t id = store.createRun("variant " + std::to_string(variant), config.dump(), "chain_of_sight", "cpu",
                                           "{}", {"bench", "v" + std::to_string(variant), seed});
        store.startRun(id);
        const double seconds = (pretrain == 320 ? 700 : 60) * (1 + noise(random));
        StageRecord pre{0, "pretrain", "pretrain", pretrain, {pretrain}, 56, 600, seconds, 16.0, {}, {}, 0.5, true};
        StageRecord fine{1, "finetune", "finetune", finetune, {finetune}, 56, 300, 70.0, 8.0, {}, {}, 0.5, true};
        store.putStage(id, pre);
        store.putStage(id, fine);
        EvaluationRecord e;
        e.stage = 1;
        e.step = 300;
        e.accuracy = 0.5 + 0.02 * (variant % 5) + noise(random);
        e.n = 1200;
        for (const char *type : {"count", "existence", "position", "relation"})
            e.perType[type] = {e.accuracy + noise(random), 300};
        e.typePrior = 0.414;
        e.shuffledAccuracy = 0.35;
        e.cellReading = 0.7;
        e.cellReadingPrior = 0.651;
        store.addEvaluation(id, e);
        store.endRun(id, RunStatus::Finished);
    }
}

void print(const char *what, const Timing &t)
{
    std::printf("%-52s median %8.2f ms   worst %8.2f ms\n", what, t.median, t.worst);
}

} // namespace

int main(int argc, char **argv)
{
    if (qgetenv("QT_QPA_PLATFORM").isEmpty())
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption runsOption("runs", "Runs in the store.", "N", "1000");
    const QCommandLineOption repeatsOption("repeats", "Timed repeats of each case.", "N", "10");
    const QCommandLineOption dbOption("db", "Time an existing store instead of writing one.", "FILE");
    const QCommandLineOption plotsOption("plots", "Also write the view's three plots, grouped by variant, to FILE (png, pdf or svg).", "FILE");
    parser.addOptions({runsOption, repeatsOption, dbOption, plotsOption});
    parser.process(app);
    const int runs = std::max(2, parser.value(runsOption).toInt());
    const int repeats = std::max(1, parser.value(repeatsOption).toInt());

    QTemporaryDir dir;
    std::string db = parser.value(dbOption).toStdString();
    if (db.empty()) {
        db = dir.filePath("runs.sqlite").toStdString();
        QElapsedTimer clock;
        clock.start();
        fillStore(db, runs);
        std::printf("store of %d runs written in %.1f s\n", runs, double(clock.elapsed()) / 1000);
    }

    ExperimentStore store(db);
    std::vector<ComparisonRow> rows;
    std::printf("%zu runs in %s\n", store.runs().size(), db.c_str());
    print("store query (reader thread)", timeRepeats(repeats, [&](int) { rows = store.comparison(); }));
    print("table built", timeRepeats(repeats, [&](int) { ComparisonTable table(rows, {}); }));
    ComparisonOptions grouped;
    grouped.groupBy = {"variant"};
    print("table built, grouped by variant (50 groups)", timeRepeats(repeats, [&](int) { ComparisonTable table(rows, grouped); }));

    StoreReaderThread reader(QString::fromStdString(db));
    CompareView view;
    view.setReader(reader.reader());
    QObject::connect(reader.reader(), &StoreReader::failed, [](const QString &message) {
        std::fprintf(stderr, "bench_compare: %s\n", qPrintable(message));
    });
    view.resize(1500, 950);
    view.show();
    QList<qint64> all, allButOne;
    for (const ComparisonRow &r : rows)
        all.append(r.runId);
    allButOne = all.mid(1);
    view.setRunChoice({}, all);
    QSignalSpy updated(&view, &CompareView::updated);
    view.refresh();
    if (!updated.wait(60000)) {
        std::fprintf(stderr, "bench_compare: the store did not answer\n");
        return 1;
    }
    // What a change of the compared runs costs on the UI thread: the table
    // rebuilt, the model reset, every plot redrawn, the table and scatter painted.
    auto render = [&](int i) {
        view.setRunChoice({}, i % 2 ? all : allButOne);
        view.tableView()->viewport()->repaint();
        view.tradeoffPlot()->replot(QCustomPlot::rpImmediateRefresh);
        view.tradeoffPlot()->repaint();
    };
    print("view: table and scatter rendered (every run)", timeRepeats(repeats, render));
    view.setGroupBy({"variant"});
    print("view: table and scatter rendered (grouped by variant)", timeRepeats(repeats, render));
    view.setGroupBy({});
    print("scatter alone: drawn and painted", timeRepeats(repeats, [&](int) {
              view.tradeoffPlot()->showTable(*view.table(), false, false);
              view.tradeoffPlot()->repaint();
          }));
    if (parser.isSet(plotsOption)) {
        view.setGroupBy({"variant"});
        if (!view.exportPlots(parser.value(plotsOption)))
            std::fprintf(stderr, "bench_compare: cannot write %s\n", qPrintable(parser.value(plotsOption)));
        view.setGroupBy({});
    }
    print("table alone: sorted by accuracy and painted", timeRepeats(repeats, [&](int i) {
              view.tableView()->sortByColumn(view.table()->columnIndex("accuracy"), i % 2 ? Qt::AscendingOrder : Qt::DescendingOrder);
              view.tableView()->viewport()->repaint();
          }));
    return 0;
}

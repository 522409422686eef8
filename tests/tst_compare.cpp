// The comparison dashboard: the Pareto front, groups of seeds, config diffs
// and exports as a researcher reads them, and the view rendering them.

#include "TestSupport.h"

#include "CompareTableModel.h"
#include "CompareView.h"
#include "PerTypePlot.h"
#include "PlotStyle.h"
#include "TokenScalingPlot.h"
#include "TradeoffPlot.h"
#include "base/Errors.h"
#include "base/Numbers.h"
#include "compare/ConfigDiffExport.h"
#include "compare/ConfigPaths.h"
#include "compare/ParetoFront.h"
#include "compare/TableExport.h"
#include "store/ExperimentStore.h"
#include "train/SweepPlan.h"
#include "StoreReaderThread.h"

#include <QApplication>
#include <QImage>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTableWidget>

#include <cmath>

using namespace cosw;

namespace {

std::vector<int64_t> frontIds(const ComparisonTable &table)
{
    std::vector<int64_t> ids;
    for (size_t r = 0; r < table.rowCount(); ++r)
        if (table.onFront(r))
            for (size_t m : table.groups()[r].members)
                ids.push_back(table.runs()[m].runId);
    std::sort(ids.begin(), ids.end());
    return ids;
}

size_t rowNamed(const ComparisonTable &table, const std::string &label)
{
    for (size_t r = 0; r < table.rowCount(); ++r)
        if (table.groups()[r].label == label)
            return r;
    return size_t(-1);
}


} // namespace

class TestCompare : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_db;
    test::ComparisonStore m_store;

    std::vector<ComparisonRow> rows() { return ExperimentStore(m_db).comparison(); }

private slots:
    void initTestCase()
    {
        test::keepSettingsAndCachesIn(m_dir, "tst_compare");
        m_db = m_dir.filePath("runs.sqlite").toStdString();
        m_store = test::writeComparisonStore(m_db);
    }

    void storeRowsCarryWhatTheDashboardShows()
    {
        const auto all = rows();
        QCOMPARE(all.size(), size_t(11));
        const ComparisonRow &cos = all[size_t(m_store.ids.at("cos/1") - 1)];
        QCOMPARE(cos.runId, m_store.ids.at("cos/1"));
        QCOMPARE(cos.pretrainTokens, std::optional<int>(32));
        QCOMPARE(cos.finetuneTokens, std::optional<int>(80));
        QCOMPARE(cos.finetuneResolution, std::optional<int>(56));
        QCOMPARE(cos.pretrainSeconds, std::optional<double>(104));
        QCOMPARE(cos.accuracy, std::optional<double>(0.60));
        QCOMPARE(cos.sweep.variant, std::string("cos"));
        QCOMPARE(cos.sweep.seed, std::optional<int64_t>(1));
        QCOMPARE(cos.perTypeAccuracy.size(), size_t(4));
        QCOMPARE(cos.typePriorPerType.at("position"), 0.26);
        QCOMPARE(cos.shuffledPerType.at("count"), 0.36);
        // A failed run has no evaluation; a run without pre-training no pre-training time.
        QVERIFY(!all[size_t(m_store.ids.at("broken") - 1)].accuracy);
        QVERIFY(!all[size_t(m_store.ids.at("finetune-only") - 1)].pretrainSeconds);
        // The sweep filter.
        RunFilter filter;
        filter.sweep = "replica";
        QCOMPARE(ExperimentStore(m_db).comparison(filter).size(), size_t(11));
        filter.sweep = "other";
        QVERIFY(ExperimentStore(m_db).comparison(filter).empty());
    }

    // Times compare only with their like: a stage that read cached tower
    // features leaves the tower out, and the BLAS kernel sets a CPU's speed.
    void timingColumnsSayHowTheTimeWasTaken()
    {
        ComparisonRow cached;
        cached.featureCacheStages = {"pretrain", "finetune"};
        cached.blas = "OpenBLAS 0.3.21 Haswell";
        const ComparisonRow plain;
        const std::vector<ComparisonColumn> columns = comparisonColumns({cached, plain});
        const auto text = [&](const std::string &key, const ComparisonRow &row) {
            const auto it = std::find_if(columns.begin(), columns.end(), [&](const ComparisonColumn &c) { return c.key == key; });
            return it == columns.end() ? std::string("(no column)") : it->text(row);
        };
        QCOMPARE(text("feature_cache", cached), std::string("pretrain, finetune"));
        QCOMPARE(text("feature_cache", plain), std::string());
        QCOMPARE(text("blas", cached), std::string("OpenBLAS 0.3.21 Haswell"));
        QCOMPARE(text("blas", plain), std::string());
    }

    void paretoFrontOfKnownPoints()
    {
        // Ties (cos/0 and cos/2 share time and accuracy), dominated points
        // (noscale: same time, less accuracy; window: slower, no better),
        // a run missing its accuracy and one missing its time.
        const auto all = rows();
        std::vector<int64_t> fromStore;
        for (size_t i : paretoFront(all))
            fromStore.push_back(all[i].runId);
        QCOMPARE(fromStore, m_store.front);
        const ComparisonTable table(all, {});
        QCOMPARE(frontIds(table), m_store.front);
        // Points without time or accuracy are on no front, also alone.
        QVERIFY(paretoFront(std::vector<TradeoffPoint>{{std::nullopt, 0.9}, {1.0, std::nullopt}}).empty());
        QCOMPARE(paretoFront(std::vector<TradeoffPoint>{{2.0, 0.5}, {2.0, 0.5}}), (std::vector<size_t>{0, 1}));
    }

    void groupsOfSeedsGiveMeanAndSpread()
    {
        ComparisonOptions options;
        options.groupBy = {"variant"};
        const ComparisonTable table(rows(), options);
        QCOMPARE(table.rowCount(), size_t(8)); // 11 runs, cos's 3 and baseline's 2 seeds merged
        const size_t cos = rowNamed(table, "variant=cos (replica)");
        QVERIFY(cos < table.rowCount());
        QCOMPARE(table.groups()[cos].members.size(), size_t(3));
        const std::vector<double> accuracy = {0.58, 0.60, 0.58}, seconds = {100, 104, 100};
        auto meanOf = [](const std::vector<double> &v) { return (v[0] + v[1] + v[2]) / 3; };
        auto sdOf = [&](const std::vector<double> &v) {
            const double m = meanOf(v);
            return std::sqrt(((v[0] - m) * (v[0] - m) + (v[1] - m) * (v[1] - m) + (v[2] - m) * (v[2] - m)) / 2);
        };
        const Summary acc = table.summary(cos, "accuracy");
        QCOMPARE(acc.count, 3);
        QVERIFY(std::abs(*acc.mean - meanOf(accuracy)) < 1e-12);
        QVERIFY(std::abs(*acc.sd - sdOf(accuracy)) < 1e-12);
        const Summary time = table.summary(cos, "pretrain_seconds");
        QVERIFY(std::abs(*time.mean - meanOf(seconds)) < 1e-12);
        QVERIFY(std::abs(*time.sd - sdOf(seconds)) < 1e-12);
        // The cell shows the mean and spread with the column's digits.
        const int column = table.columnIndex("accuracy");
        QCOMPARE(table.cell(cos, size_t(column)).text, formatRealFixed(meanOf(accuracy), 3) + " ± "
                                                            + formatRealFixed(sdOf(accuracy), 3));
        // A group of one run shows no spread.
        const size_t noscale = rowNamed(table, "variant=noscale (replica)");
        QVERIFY(!table.cell(noscale, size_t(column)).spread);
        QCOMPARE(table.cell(noscale, size_t(column)).text, std::string("0.500"));
        QVERIFY(!table.summary(noscale, "accuracy").sd);
        // The front over groups: noscale (100 s) is fastest, the cos group
        // (101.3 s, 0.587) next; compound (300 s, 0.59) is beaten by window (120 s, 0.60).
        QVERIFY(table.onFront(cos));
        QVERIFY(table.onFront(noscale));
        QVERIFY(table.onFront(rowNamed(table, "variant=window (replica)")));
        QVERIFY(!table.onFront(rowNamed(table, "variant=compound (replica)")));
    }

    void groupingByConfigKeysAndUnknownKeys()
    {
        ComparisonOptions options;
        options.groupBy = {"stages[1].lr"};
        const ComparisonTable table(rows(), options);
        QCOMPARE(table.rowCount(), size_t(2)); // 0.001 and 0.0005 (resolution)
        QCOMPARE(table.groups()[1].members.size(), size_t(1));
        QCOMPARE(table.groups()[1].label, std::string("stages[1].lr=0.0005"));
        options.groupBy = {"stages[9].lr"};
        const std::string message = test::thrownMessage<InputError>([&] { ComparisonTable(rows(), options); });
        QVERIFY2(message.find("unknown group key 'stages[9].lr'") != std::string::npos, message.c_str());
        options.groupBy = {};
        options.referenceRun = m_store.ids.at("finetune-only");
        const std::string noTime = test::thrownMessage<InputError>([&] { ComparisonTable(rows(), options); });
        QVERIFY2(noTime.find("no pre-training time") != std::string::npos, noTime.c_str());
        options.referenceRun = std::nullopt;
        options.columns = {"name", "speed"};
        const std::string column = test::thrownMessage<InputError>([&] { ComparisonTable(rows(), options); });
        QVERIFY2(column.find("unknown column 'speed'") != std::string::npos, column.c_str());
    }

    void relativeTimeAndBestMarks()
    {
        ComparisonOptions options;
        options.referenceRun = m_store.ids.at("baseline/0");
        options.columns = {"name", "pretrain_seconds", "pretrain_relative", "accuracy", "type_prior"};
        const ComparisonTable table(rows(), options);
        const size_t cos = size_t(m_store.ids.at("cos/0") - 1);
        QCOMPARE(table.cell(cos, 2).text, std::string("0.25")); // 100 s of 400 s
        QCOMPARE(table.cell(size_t(m_store.ids.at("baseline/0") - 1), 2).text, std::string("1.00"));
        // Accuracy: finetune-only's 0.900 best, baseline/1's 0.620 second;
        // time: lower is better; controls are not ranked.
        QCOMPARE(table.cell(size_t(m_store.ids.at("finetune-only") - 1), 3).rank, 1);
        QCOMPARE(table.cell(size_t(m_store.ids.at("baseline/1") - 1), 3).rank, 2);
        QCOMPARE(table.cell(cos, 3).rank, 0);
        QCOMPARE(table.cell(size_t(m_store.ids.at("broken") - 1), 1).rank, 1); // 50 s
        QCOMPARE(table.cell(cos, 1).rank, 2);                                   // 100 s, tied with cos/2 and noscale
        QCOMPARE(table.cell(size_t(m_store.ids.at("cos/2") - 1), 1).rank, 2);
        QCOMPARE(table.cell(cos, 4).rank, 0);
    }

    void configDiffShowsExactlyTheDifferingKeys()
    {
        const Json a = parseJson(R"({"name":"a","model":{"scales":[{"windows":1,"queries":16},{"windows":4,"queries":1}]},
                                     "stages":[{"lr":0.001,"train":["connector","lm"]}],"seed":0})");
        const Json b = parseJson(R"({"name":"b","model":{"scales":[{"windows":1,"queries":16},{"windows":4,"queries":2}]},
                                     "stages":[{"lr":0.001,"train":["connector"]}],"seed":0})");
        const Json c = parseJson(R"({"name":"a","model":{"scales":[{"windows":1,"queries":16},{"windows":4,"queries":1},
                                     {"windows":8,"queries":1}]},"stages":[{"lr":0.001,"train":["connector","lm"]}],"seed":0})");
        const ConfigDiff ab = diffConfigs({flattenConfig(a), flattenConfig(b)});
        QCOMPARE(ab.keys, (std::vector<std::string>{"name", "model.scales[1].queries", "stages[0].train[1]"}));
        QCOMPARE(ab.values[1][0], std::optional<std::string>("1"));
        QCOMPARE(ab.values[1][1], std::optional<std::string>("2"));
        QCOMPARE(ab.values[2][1], std::optional<std::string>()); // absent from b
        const ConfigDiff ac = diffConfigs({flattenConfig(a), flattenConfig(c)});
        QCOMPARE(ac.keys, (std::vector<std::string>{"model.scales[2].windows", "model.scales[2].queries"}));
        QVERIFY(diffConfigs({flattenConfig(a), flattenConfig(a)}).keys.empty());
        QCOMPARE(diffConfigs({flattenConfig(a), flattenConfig(a)}, true).keys.size(), flattenConfig(a).size());

        // Written out, a key absent from a run's config says so in each format.
        const std::vector<std::string> runs = {"a (#1)", "b|c (#2)"};
        QCOMPARE(formatConfigDiff(ab, runs, "md"), std::string("| key | a (#1) | b\\|c (#2) |\n|---|---|---|\n"
                                                               "| `name` | a | b |\n"
                                                               "| `model.scales[1].queries` | 1 | 2 |\n"
                                                               "| `stages[0].train[1]` | lm | (absent) |\n"));
        QCOMPARE(formatConfigDiff(ab, runs, "csv"), std::string("key,a (#1),b|c (#2)\nname,a,b\n"
                                                                "model.scales[1].queries,1,2\nstages[0].train[1],lm,\n"));
        const std::string latex = formatConfigDiff(ab, runs, "latex");
        QVERIFY2(latex.find("\\texttt{stages[0].train[1]} & lm & -- \\\\\n") != std::string::npos, latex.c_str());
        const Json json = parseJson(formatConfigDiff(ab, runs, "json"));
        QCOMPARE(json.at("runs").at(1).get<std::string>(), runs[1]);
        QCOMPARE(json.at("keys").at(2).at("key").get<std::string>(), std::string("stages[0].train[1]"));
        QVERIFY(json.at("keys").at(2).at("values").at(1).is_null());
        // A stored config that is not JSON compares as one with no keys.
        QVERIFY(flattenStoredConfig("{not json").empty() && flattenStoredConfig("").empty());
        QCOMPARE(flattenStoredConfig(a.dump()), flattenConfig(a));
    }

    void exportsRoundTripTheShownNumbers()
    {
        ComparisonOptions options;
        options.groupBy = {"variant"};
        options.columns = {"name", "tokens", "pretrain_seconds", "accuracy", "type_prior", "shuffled"};
        const ComparisonTable table(rows(), options);

        // CSV: every number as the table shows it, the spread beside it.
        const QStringList lines = QString::fromStdString(tableCsv(table)).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), int(table.rowCount()) + 1);
        const QStringList header = test::csvFields(lines[0]);
        QCOMPARE(header, (QStringList{"name", "tokens", "pretrain_seconds", "pretrain_seconds_sd", "accuracy",
                                      "accuracy_sd", "type_prior", "type_prior_sd", "shuffled", "shuffled_sd", "runs",
                                      "pareto"}));
        for (size_t r = 0; r < table.rowCount(); ++r) {
            const QStringList f = test::csvFields(lines[int(r) + 1]);
            QCOMPARE(f.size(), header.size());
            QCOMPARE(f[0].toStdString(), table.cell(r, 0).text);
            const TableCell &accuracy = table.cell(r, 3);
            if (accuracy.value) {
                QCOMPARE(parseReal(f[4].toStdString()), accuracy.value);
                QCOMPARE(f[4].toStdString(), formatRealFixed(*accuracy.value, 3));
            } else {
                QVERIFY(f[4].isEmpty());
            }
            QCOMPARE(f[5].isEmpty(), !accuracy.spread);
            QCOMPARE(f[10].toInt(), int(table.groups()[r].members.size()));
            QCOMPARE(f[11] == "true", table.onFront(r));
        }
        QCOMPARE(test::csvFields(lines[int(rowNamed(table, "variant=cos (replica)")) + 1])[0], QString("variant=cos (replica)"));

        // Markdown: the shown texts, best bold, second underlined.
        const std::string md = tableMarkdown(table);
        const size_t cos = rowNamed(table, "variant=cos (replica)");
        QVERIFY(md.find("| " + table.cell(cos, 3).text) != std::string::npos);
        QVERIFY(md.find("**0.900**") != std::string::npos); // finetune-only's accuracy, best
        QVERIFY(md.find("<u>0.610 ± 0.014</u>") != std::string::npos); // baseline's mean, second

        // LaTeX: booktabs rules, balanced braces, escaped specials, the same numbers.
        ComparisonOptions special = options;
        special.groupBy = {};
        std::vector<ComparisonRow> named = rows();
        named[0].name = "lr_1e-3 50% & more #1";
        const std::string tex = tableLatex(ComparisonTable(named, special));
        for (const char *rule : {"\\toprule", "\\midrule", "\\bottomrule", "\\begin{tabular}", "\\end{tabular}"})
            QVERIFY2(tex.find(rule) != std::string::npos, rule);
        QVERIFY(tex.find("lr\\_1e-3 50\\% \\& more \\#1") != std::string::npos);
        int depth = 0;
        for (size_t i = 0; i < tex.size(); ++i) {
            if (tex[i] == '\\' && i + 1 < tex.size() && std::string("{}%&_#$").find(tex[i + 1]) != std::string::npos) {
                ++i; // an escaped character
                continue;
            }
            depth += tex[i] == '{' ? 1 : tex[i] == '}' ? -1 : 0;
            QVERIFY(depth >= 0);
        }
        QCOMPARE(depth, 0);
        QVERIFY(tex.find("\\textbf{0.900}") != std::string::npos);
        QVERIFY(tex.find("\\underline{0.620}") != std::string::npos);
        QVERIFY(tex.find("0.580 $\\pm$ 0.012") == std::string::npos); // ungrouped: no spread
        const std::string groupedTex = tableLatex(table);
        QVERIFY(groupedTex.find(latexEscape(table.cell(cos, 3).text)) != std::string::npos);

        // JSON: the same values, the run ids of each row.
        const Json json = parseJson(tableJson(table));
        QCOMPARE(json.size(), table.rowCount());
        QCOMPARE(json[cos]["run_ids"].size(), size_t(3));
        QCOMPARE(json[cos]["columns"]["accuracy"]["mean"].get<double>(), *table.cell(cos, 3).value);
        QCOMPARE(json[cos]["columns"]["accuracy"]["n"].get<int>(), 3);
        QCOMPARE(formatTable(table, "tex"), groupedTex);
        QCOMPARE(tableFormatOfFile("/x/table.md"), std::string("md"));
        QCOMPARE(tableFormatOfFile("/x/table.txt"), std::string());
    }

    void sweepGridsAndNamedVariants()
    {
        const auto grid = expandSweepGrid({parseSweepAxis("stages[1].lr=1e-3, 3e-4"),
                                           parseSweepAxis("stages[2].scaling.window=[1,2],[2,2],[4,4]")},
                                          2);
        QCOMPARE(grid.size(), size_t(2 * 3 * 2));
        QCOMPARE(grid[0].label, std::string("stages[1].lr=1e-3 stages[2].scaling.window=[1,2]"));
        QCOMPARE(grid[0].overrides, (std::vector<std::string>{"stages[1].lr=1e-3", "stages[2].scaling.window=[1,2]"}));
        QCOMPARE(grid[0].seed, std::optional<int64_t>(0));
        QCOMPARE(grid[1].seed, std::optional<int64_t>(1));
        QCOMPARE(grid[1].label, grid[0].label);
        QCOMPARE(grid[11].label, std::string("stages[1].lr=3e-4 stages[2].scaling.window=[4,4]"));
        QVERIFY(!expandSweepGrid({parseSweepAxis("a=1,2")}, 0)[1].seed);
        for (const char *bad : {"no-equals", "=1,2", "a=1,,2"})
            QVERIFY2(!test::thrownMessage<InputError>([&] { parseSweepAxis(bad); }).empty(), bad);

        const QString file = m_dir.filePath("variants.yaml");
        QVERIFY(test::writeFile(file, "- name: small-lr\n  set:\n    stages[1].lr: 3.0e-4\n    data.seed: 2\n"
                                      "- name: wide\n  set: {model.connector.width: 64}\n"));
        const auto named = loadSweepVariants(file.toStdString(), 0);
        QCOMPARE(named.size(), size_t(2));
        QCOMPARE(named[0].label, std::string("small-lr"));
        QCOMPARE(named[0].overrides, (std::vector<std::string>{"stages[1].lr=0.0003", "data.seed=2"}));
        QCOMPARE(named[1].overrides, (std::vector<std::string>{"model.connector.width=64"}));
        QCOMPARE(loadSweepVariants(file.toStdString(), 3).size(), size_t(6));
        const std::vector<std::pair<QByteArray, std::string>> bad = {
            {"- set: {a: 1}\n", "variant 1: needs a name"},
            {"- name: a\n", "needs set:"},
            {"- name: a\n  set: {x: 1}\n- name: a\n  set: {x: 2}\n", "'a' is used twice"},
            {"- name: a\n  set: {x: 1}\n  seeds: 3\n", "unknown key 'seeds'"},
            {"name: a\n", "expected a list of variants"},
        };
        for (const auto &[text, message] : bad) {
            QVERIFY(test::writeFile(file, text));
            const std::string got = test::thrownMessage<InputError>([&] { loadSweepVariants(file.toStdString(), 0); });
            QVERIFY2(got.find(message) != std::string::npos && got.find(file.toStdString()) != std::string::npos, got.c_str());
        }
    }

    void viewRendersEveryPanelOfTheReplicaShapedStore()
    {
        StoreReaderThread reader(QString::fromStdString(m_db));
        CompareView view;
        view.setReader(reader.reader());
        view.resize(1200, 900);
        view.show();
        QList<qint64> all;
        for (const auto &[name, id] : m_store.ids)
            all.append(id);
        std::sort(all.begin(), all.end());
        view.setRunChoice({}, all);
        QSignalSpy updated(&view, &CompareView::updated);
        view.refresh();
        QVERIFY(updated.wait(20000));
        const ComparisonTable *table = view.table();
        QVERIFY(table);
        QCOMPARE(table->rowCount(), size_t(11));
        QCOMPARE(view.tableView()->model()->rowCount(), 11);
        // The marked points are the front; every run with time and accuracy is drawn.
        QList<int> front = view.tradeoffPlot()->frontRows();
        std::vector<int64_t> marked;
        for (int row : front)
            marked.push_back(table->runs()[size_t(row)].runId);
        std::sort(marked.begin(), marked.end());
        QCOMPARE(marked, m_store.front);
        QCOMPARE(view.tradeoffPlot()->drawnRows().size(), 9);
        QVERIFY(std::abs(view.tradeoffPlot()->priorLine().value_or(0) - 0.414) < 1e-12); // the control beside the points
        QVERIFY(view.tokenScalingPlot()->lineCount() >= 2); // resampler 320 and cos 32
        QVERIFY(view.perTypePlot()->barCount() > 0);

        // Grouping by seed variant, then a reference run: relative time on the plot.
        view.setGroupBy({"variant"});
        QCOMPARE(view.table()->rowCount(), size_t(8));
        const size_t cos = rowNamed(*view.table(), "variant=cos (replica)");
        {
            const QAbstractItemModel *shown = view.tableView()->model();
            auto *source = qobject_cast<CompareTableModel *>(qobject_cast<const QSortFilterProxyModel *>(shown)->sourceModel());
            QCOMPARE(source->index(int(cos), source->runsColumn()).data().toInt(), 3); // the group's count
            QCOMPARE(source->headerData(source->runsColumn(), Qt::Horizontal).toString(), QString("runs"));
        }
        view.setReference(m_store.ids.at("baseline/0"));
        view.setRelativeTime(true);
        const QPointF point = view.tradeoffPlot()->pointOf(int(cos));
        QVERIFY(std::abs(point.x() - (304.0 / 3) / 400.0) < 1e-9);
        QVERIFY(std::abs(point.y() - (0.58 + 0.60 + 0.58) / 3) < 1e-9);

        // Selecting two rows fills the config diff with the keys they differ in.
        view.setGroupBy({});
        view.selectRows({int(m_store.ids.at("cos/0") - 1), int(m_store.ids.at("resolution") - 1)});
        QTableWidget *diff = view.configDiff();
        QStringList keys;
        for (int r = 0; r < diff->rowCount(); ++r)
            keys << diff->verticalHeaderItem(r)->text();
        QCOMPARE(keys, (QStringList{"name", "stages[1].lr", "stages[1].resolution"}));

        // An unknown group key is shown, and the table stays as it was.
        view.setGroupBy({"no.such.key"});
        QVERIFY(view.errorText().contains("no.such.key"));
        QCOMPARE(view.table()->rowCount(), size_t(11));

        // A click on a point selects its row and offers its runs to the run list.
        QSignalSpy activated(&view, &CompareView::runsActivated);
        view.setGroupBy({});
        const int row = int(m_store.ids.at("resolution") - 1);
        const QPointF at = view.tradeoffPlot()->pointOf(row);
        const QPoint pixel(int(view.tradeoffPlot()->xAxis->coordToPixel(at.x())),
                           int(view.tradeoffPlot()->yAxis->coordToPixel(at.y())));
        QCOMPARE(view.tradeoffPlot()->rowAt(pixel), row);
        emit view.tradeoffPlot()->rowClicked(row);
        QCOMPARE(view.selectedRows(), QList<int>{row});
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated[0][0].value<QList<qint64>>(), QList<qint64>{m_store.ids.at("resolution")});

        // Exports: the table in each format, the plots as PNG, PDF and SVG.
        for (const char *name : {"t.csv", "t.md", "t.tex", "t.json"}) {
            QVERIFY2(view.exportTable(m_dir.filePath(name)), name);
            QVERIFY(!test::readFile(m_dir.filePath(name)).isEmpty());
        }
        QVERIFY(!view.exportTable(m_dir.filePath("t.txt")));
        for (const char *name : {"p.png", "p.pdf", "p.svg"}) {
            QVERIFY2(view.exportPlots(m_dir.filePath(name)), name);
            QVERIFY(test::readFile(m_dir.filePath(name)).size() > 1000);
        }
        QVERIFY(QImage(m_dir.filePath("p.png")).width() >= 3 * 320);
        QVERIFY(view.exportShownPlot(m_dir.filePath("one.svg")));
        QVERIFY(test::readFile(m_dir.filePath("one.svg")).contains("<svg"));

        // Numbers in the user's locale on screen, the C notation in files.
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        auto *model = qobject_cast<CompareTableModel *>(
            qobject_cast<QSortFilterProxyModel *>(view.tableView()->model())->sourceModel());
        QVERIFY(model);
        const int accuracyColumn = view.table()->columnIndex("accuracy");
        QCOMPARE(model->index(int(m_store.ids.at("cos/0") - 1), accuracyColumn).data().toString(), QString("0,580"));
        QVERIFY(view.exportTable(m_dir.filePath("de.csv")));
        QVERIFY(test::readFile(m_dir.filePath("de.csv")).contains(",0.580,"));
        QLocale::setDefault(QLocale::c());
        QCOMPARE(model->index(int(m_store.ids.at("cos/0") - 1), accuracyColumn).data().toString(), QString("0.580"));
    }

    void legendMovesOffThePointsItNames()
    {
        QCustomPlot plot;
        plot.resize(600, 400);
        plot.show();
        plot.legend->setVisible(true);
        placeLegendClearOfData(&plot, Qt::AlignBottom | Qt::AlignRight);
        plot.xAxis->setRange(0, 1);
        plot.yAxis->setRange(0, 1);
        QCPGraph *graph = plot.addGraph();
        graph->setName("runs");
        graph->setLineStyle(QCPGraph::lsNone);
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 9));
        const auto alignment = [&] { return plot.axisRect()->insetLayout()->insetAlignment(0); };
        const auto hidden = [&] {
            // The entries move with the legend's frame.
            const QRect frame = plot.legend->outerRect();
            if (!frame.contains(plot.legend->item(0)->outerRect()))
                return -1;
            int n = 0;
            for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
                n += plot.legend->outerRect().contains(graph->coordsToPixels(it->key, it->value).toPoint());
            return n;
        };

        plot.replot();
        QCOMPARE(alignment(), Qt::AlignBottom | Qt::AlignRight); // nothing to hide: where it was asked
        // The slowest, least accurate runs sit where the legend was asked to go.
        for (double x : {0.9, 0.95, 0.98})
            for (double y : {0.02, 0.05, 0.08})
                graph->addData(x, y);
        plot.replot();
        QVERIFY(alignment() != (Qt::AlignBottom | Qt::AlignRight));
        QCOMPARE(hidden(), 0);
        // Points in three corners: the fourth takes the legend.
        for (const auto &[x, y] : {std::pair{0.02, 0.95}, {0.97, 0.97}})
            graph->addData(x, y);
        plot.replot();
        QCOMPARE(alignment(), Qt::AlignBottom | Qt::AlignLeft);
        QCOMPARE(hidden(), 0);
        // Once the points leave, it goes back where it was asked to be.
        graph->data()->clear();
        plot.replot();
        QCOMPARE(alignment(), Qt::AlignBottom | Qt::AlignRight);
    }

    void viewFollowsTheStoreKeepingSelection()
    {
        const std::string db = m_dir.filePath("live.sqlite").toStdString();
        test::writeComparisonStore(db);
        StoreReaderThread reader(QString::fromStdString(db));
        CompareView view;
        view.setReader(reader.reader());
        QSignalSpy updated(&view, &CompareView::updated);
        QList<qint64> ids;
        for (qint64 id = 1; id <= 11; ++id)
            ids.append(id);
        view.setRunChoice({}, ids);
        view.noteRuns(ExperimentStore(db).runs());
        QVERIFY(updated.wait(20000));
        view.selectRows({2});
        // A run finishes elsewhere: the run list notices, the view asks again.
        {
            ExperimentStore store(db);
            const int64_t id = store.createRun("late", "{}", "mlp", "cpu", "{}");
            store.startRun(id);
            StageRecord st;
            st.name = "pretrain";
            st.kind = "pretrain";
            st.visualTokens = 64;
            st.resolution = 56;
            st.wallSeconds = 10;
            store.putStage(id, st);
            EvaluationRecord e;
            e.accuracy = 0.99;
            e.n = 100;
            store.addEvaluation(id, e);
            store.endRun(id, RunStatus::Finished);
            ids.append(id);
        }
        view.setRunChoice({}, ids);
        view.noteRuns(ExperimentStore(db).runs());
        QVERIFY(updated.wait(20000));
        QCOMPARE(view.table()->rowCount(), size_t(12));
        QCOMPARE(view.selectedRows(), QList<int>{2});
        // The new run is fastest and best: the front is it alone now.
        QCOMPARE(view.tradeoffPlot()->frontRows(), QList<int>{11});
    }
};

QTEST_MAIN(TestCompare)
#include "tst_compare.moc"

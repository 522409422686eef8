// cos-batch compare: the comparison dashboard's table (and trade-off plot),
// headless (DESIGN §5a).

#include "Commands.h"

#include "PlotExport.h"
#include "TradeoffPlot.h"
#include "base/Errors.h"
#include "base/Messages.h"
#include "compare/ConfigDiffExport.h"
#include "compare/TableExport.h"
#include "store/ExperimentStore.h"

#include <QApplication>
#include <QFileInfo>

#include <algorithm>
#include <clocale>
#include <iostream>
#include <memory>
#include <set>

namespace cosw::batch {

namespace {

struct CompareOptions {
    RunFilterOptions filter;
    std::string db, columns, metric = "accuracy", format = "md", out, plot;
    std::vector<int64_t> runIds;
    std::vector<std::string> groupBy;
    std::optional<int64_t> reference;
    bool logTime = false, absoluteTime = false, configDiff = false, allKeys = false;
};

std::vector<std::string> splitList(const std::string &text)
{
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t comma = std::min(text.find(',', start), text.size());
        std::string part = text.substr(start, comma - start);
        part.erase(0, part.find_first_not_of(' '));
        part.erase(part.find_last_not_of(' ') + 1);
        if (!part.empty())
            out.push_back(part);
        start = comma + 1;
    }
    return out;
}

// The trade-off scatter drawn offscreen into `file` (.png, .pdf or .svg).
void renderPlot(const ComparisonTable &table, const CompareOptions &o)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    int argc = 1;
    char name[] = "cos-batch";
    char *argv[] = {name, nullptr};
    QApplication app(argc, argv);
    std::setlocale(LC_ALL, "C"); // QApplication took the environment's; files stay in the C notation
    TradeoffPlot plot;
    plot.setLocale(QLocale::c());
    const QSize size(820, 560);
    plot.resize(size);
    plot.showTable(table, !o.absoluteTime, o.logTime);
    if (!exportPlots({&plot}, 1, size, QString::fromStdString(o.plot), QStringLiteral("Run comparison")))
        throw std::runtime_error(fill(msg("cannot write %1"), {o.plot}));
}

// A comparison column's header (ComparisonColumns.cpp) in the user's
// language, for the table printed on the terminal; the exports keep the
// English ones. Question types are data: no header matches one, so they stay
// as they are.
std::string terminalHeader(const std::string &english)
{
    if (english == "name")
        return msg("name");
    if (english == "run")
        // TRANSLATORS: column heading: the run's id.
        return msg("run");
    if (english == "status")
        return msg("status");
    if (english == "connector")
        return msg("connector");
    if (english == "sweep")
        return msg("sweep");
    if (english == "tokens")
        // TRANSLATORS: column heading: visual tokens, pre-training → fine-tuning.
        return msg("tokens");
    if (english == "pre-train tokens")
        return msg("pre-train tokens");
    if (english == "fine-tune tokens")
        return msg("fine-tune tokens");
    if (english == "pre-train px")
        return msg("pre-train px");
    if (english == "fine-tune px")
        return msg("fine-tune px");
    if (english == "pre-train s")
        // TRANSLATORS: column heading: pre-training time in seconds.
        return msg("pre-train s");
    if (english == "pre-train ×")
        // TRANSLATORS: column heading: pre-training time as a multiple of the reference run's.
        return msg("pre-train ×");
    if (english == "fine-tune s")
        // TRANSLATORS: column heading: fine-tuning time in seconds.
        return msg("fine-tune s");
    if (english == "pre-train samples/s")
        return msg("pre-train samples/s");
    if (english == "fine-tune samples/s")
        return msg("fine-tune samples/s");
    if (english == "feature cache")
        // TRANSLATORS: column heading: the stages that read the frozen vision tower's features from the cache.
        return msg("feature cache");
    if (english == "accuracy")
        return msg("accuracy");
    if (english == "± se")
        // TRANSLATORS: column heading: the accuracy's standard error.
        return msg("± se");
    if (english == "type prior")
        return msg("type prior");
    if (english == "shuffled")
        // TRANSLATORS: column heading: accuracy with the images shuffled.
        return msg("shuffled");
    if (english == "over prior")
        // TRANSLATORS: column heading: accuracy minus the type prior.
        return msg("over prior");
    if (english == "cell reading")
        return msg("cell reading");
    if (english == "cell reading prior")
        return msg("cell reading prior");
    if (english == "questions")
        // TRANSLATORS: column heading: how many questions were evaluated.
        return msg("questions");
    if (english == "parameters")
        return msg("parameters");
    if (english == "device")
        return msg("device");
    if (english == "BLAS")
        return msg("BLAS");
    if (english == "date")
        return msg("date");
    if (english == "runs")
        // TRANSLATORS: column heading: how many runs a grouped row merges.
        return msg("runs");
    if (english == "Pareto")
        return msg("Pareto");
    // The per-type controls: "<question type> type prior", "<question type> shuffled".
    auto endsWith = [&](const std::string &suffix) {
        return english.size() > suffix.size() && english.compare(english.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (endsWith(" type prior"))
        return fill(msg("%1 type prior"), {english.substr(0, english.size() - std::string(" type prior").size())});
    if (endsWith(" shuffled"))
        return fill(msg("%1 shuffled"), {english.substr(0, english.size() - std::string(" shuffled").size())});
    return english;
}

} // namespace

void addCompareCommand(CLI::App &app, Action &action)
{
    auto o = std::make_shared<CompareOptions>();
    CLI::App *cmd = app.add_subcommand(
        "compare", msg("Compare runs: tokens, time, accuracy with controls, Pareto front; grouped seeds as mean ± sd"));
    cmd->add_option("RUN_ID", o->runIds, msg("runs to compare (default: every run the filters keep)"));
    addDbOption(*cmd, o->db);
    addRunFilterOptions(*cmd, o->filter);
    cmd->add_option("--group-by", o->groupBy,
                    msg("merge runs with equal values into mean ± sd (repeatable): connector, pretrain_tokens, "
                    "finetune_tokens, pretrain_resolution, finetune_resolution, sweep, variant, device, status or a "
                    "config key such as stages[3].lr"));
    cmd->add_option("--reference", o->reference, msg("run whose pre-training time is 1.00x"));
    cmd->add_option("--columns", o->columns, msg("columns to show, comma-separated keys (default: the dashboard's)"));
    cmd->add_option("--metric", o->metric, msg("accuracy column for the Pareto front and the plot"))->capture_default_str();
    cmd->add_option("--format", o->format, msg("md, csv, latex or json"))
        ->check(CLI::IsMember({"md", "csv", "latex", "json"}))
        ->capture_default_str();
    cmd->add_option("--out", o->out, msg("write the table to this file (default: standard output)"));
    cmd->add_option("--plot", o->plot, msg("also draw the time/accuracy trade-off into FILE.png, .pdf or .svg"));
    cmd->add_flag("--log-time", o->logTime, msg("plot pre-training time on a log scale"));
    cmd->add_flag("--absolute-time", o->absoluteTime, msg("plot seconds even with --reference"));
    CLI::Option *diff = cmd->add_flag(
        "--config-diff", o->configDiff,
        msg("instead of the table, the config keys whose values differ between the runs, a column per run"));
    cmd->add_flag("--all-keys", o->allKeys, msg("with --config-diff: every key, equal ones too"))->needs(diff);
    for (const char *tableOnly : {"--columns", "--group-by", "--reference", "--plot", "--metric"})
        diff->excludes(cmd->get_option(tableOnly));
    cmd->callback([o, &action] {
        action = [o] {
            if (!o->plot.empty()) {
                const std::string suffix = QFileInfo(QString::fromStdString(o->plot)).suffix().toLower().toStdString();
                if (suffix != "png" && suffix != "pdf" && suffix != "svg")
                    throw InputError(fill(msg("--plot %1: expected a .png, .pdf or .svg file"), {o->plot}));
            }
            ExperimentStore store(dbPath(o->db));
            std::vector<ComparisonRow> rows = store.comparison(o->filter.filter());
            if (!o->runIds.empty()) {
                std::set<int64_t> present;
                for (const ComparisonRow &r : rows)
                    present.insert(r.runId);
                for (int64_t id : o->runIds)
                    if (!present.count(id)) {
                        store.run(id); // throws "no run N in FILE" when it does not exist at all
                        throw InputError(fill(msg("run %1 does not match the filters given"), {std::to_string(id)}));
                    }
                const std::set<int64_t> wanted(o->runIds.begin(), o->runIds.end());
                rows.erase(std::remove_if(rows.begin(), rows.end(),
                                          [&](const ComparisonRow &r) { return !wanted.count(r.runId); }),
                           rows.end());
            }
            if (o->configDiff) {
                if (rows.size() < 2 && !o->allKeys)
                    throw InputError(fill(msg("--config-diff compares two or more runs; %1 matched"),
                                          {std::to_string(rows.size())}));
                std::vector<FlatConfig> configs;
                std::vector<std::string> runs;
                for (const ComparisonRow &r : rows) {
                    configs.push_back(flattenStoredConfig(r.config));
                    runs.push_back(r.name + " (#" + std::to_string(r.runId) + ")");
                }
                const ConfigDiff diff = diffConfigs(configs, o->allKeys);
                const std::string text = formatConfigDiff(diff, runs, o->format);
                if (!o->out.empty())
                    writeAtomically(o->out, text);
                else if (diff.keys.empty() && o->format == "md")
                    std::cout << msg("no config key differs between these runs") << "\n";
                else
                    std::cout << text << std::flush;
                return 0;
            }
            if (o->reference && std::none_of(rows.begin(), rows.end(),
                                             [&](const ComparisonRow &r) { return r.runId == *o->reference; }))
                store.run(*o->reference); // a run that does not exist is named as such
            ComparisonOptions options;
            options.columns = splitList(o->columns);
            options.groupBy = o->groupBy;
            options.referenceRun = o->reference;
            options.metric = o->metric;
            const ComparisonTable table(std::move(rows), options);
            // On the terminal a Markdown table speaks the user's language;
            // files and the other formats are read by programs too.
            if (!o->out.empty())
                writeAtomically(o->out, formatTable(table, o->format));
            else if (o->format == "md" || o->format == "markdown")
                std::cout << tableMarkdown(table, terminalHeader) << std::flush;
            else
                std::cout << formatTable(table, o->format) << std::flush;
            if (!o->plot.empty())
                renderPlot(table, *o);
            return 0;
        };
    });
}

} // namespace cosw::batch

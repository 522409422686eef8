// cos-batch list / show / export: reading the experiment store.

#include "Commands.h"
#include "ProgressPrinter.h"

#include "base/Errors.h"
#include "base/Files.h"
#include "base/Numbers.h"
#include "base/Utf8.h"
#include "store/ExperimentStore.h"
#include "store/MetricTable.h"
#include "store/StoreCsv.h"
#include "store/StoreJson.h"
#include "train/StageKind.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

namespace cosw::batch {

void addDbOption(CLI::App &command, std::string &db)
{
    command.add_option("--db", db, msg("experiment database (default: $COS_DB or the per-user data directory)"));
}

std::string dbPath(const std::string &option)
{
    return option.empty() ? ExperimentStore::defaultPath() : option;
}

namespace {

// A number right-aligned in `width` columns, for the tables of `show`.
std::string padded(int64_t value, int width)
{
    const std::string text = std::to_string(value);
    return std::string(std::max(0, width - int(text.size())), ' ') + text;
}


std::string figureOrDash(const std::optional<double> &v)
{
    return v ? formatRealFixed(*v, 4) : std::string("-");
}

// An evaluation's accuracy with its standard error and image-blind controls,
// and its cell reading, each line indented, the first after `prefix`.
void printEvaluation(const EvaluationRecord &e, const std::string &indent, const std::string &prefix)
{
    std::cout << indent << prefix
              << fill(msg("accuracy %1 ± %2 on %3 samples; image-blind controls: type prior %4, shuffled images %5"),
                      {formatRealFixed(e.accuracy, 4), formatRealFixed(standardError(e.accuracy, e.n), 4),
                       std::to_string(e.n), figureOrDash(e.typePrior), figureOrDash(e.shuffledAccuracy)})
              << "\n";
    if (e.cellReading)
        std::cout << indent
                  << fill(msg("cell reading %1 of %2 cells; image-blind control %3"),
                          {formatRealFixed(*e.cellReading, 4), std::to_string(e.cellReadingCells.value_or(0)),
                           figureOrDash(e.cellReadingPrior)})
                  << "\n";
}

// Where a running run is, or where a failed or interrupted one stopped, as
// its trainer last recorded it; empty for any other run.
std::string progressLine(const RunRecord &r)
{
    const RunProgress *shown = progressShown(r);
    if (!shown)
        return {};
    const RunProgress &p = *shown;
    const auto where = [&](const char *pattern) {
        return fill(pattern, {std::to_string(p.stage), p.stageName, std::to_string(p.stage + 1), std::to_string(p.stages),
                              std::to_string(p.step), std::to_string(p.totalSteps)});
    };
    std::string line = p.evaluating ? where(msg("evaluating stage %1 %2 (%3 of %4): %5 of %6 answers"))
                                    : where(msg("stage %1 %2 (%3 of %4): step %5 of %6"));
    if (r.status != RunStatus::Running)
        // TRANSLATORS: %1 is where a failed or interrupted run was, e.g. "stage 3 pretrain (4 of 5): step 120 of 450".
        return fill(msg("stopped: %1"), {line});
    if (const auto left = stageSecondsLeft(r, unixNow()))
        line += fill(msg(", about %1 left in the stage"), {formatDuration(*left)});
    // TRANSLATORS: %1 is where a running run is, e.g. "stage 3 pretrain (4 of 5): step 120 of 450".
    return fill(msg("now: %1"), {line});
}

} // namespace

void writeAtomically(const std::string &path, const std::string &text)
{
    const std::string tmp = path + ".partial";
    writeTextFile(tmp, text);
    std::filesystem::rename(tmp, path);
}

RunFilter RunFilterOptions::filter() const
{
    RunFilter f;
    if (!status.empty())
        f.status = runStatusFromName(status);
    f.namePattern = name;
    f.connector = connector;
    f.minTokens = minTokens;
    f.maxTokens = maxTokens;
    f.sweep = sweep;
    return f;
}

void addRunFilterOptions(CLI::App &cmd, RunFilterOptions &o)
{
    cmd.add_option("--status", o.status, msg("queued, running, finished, failed or interrupted"));
    cmd.add_option("--name", o.name, msg("name pattern (* and ? are wildcards)"));
    cmd.add_option("--connector", o.connector, msg("chain_of_sight, resampler or mlp"));
    cmd.add_option("--min-tokens", o.minTokens, msg("runs with a stage of at least this many visual tokens"));
    cmd.add_option("--max-tokens", o.maxTokens, msg("runs with a stage of at most this many visual tokens"));
    cmd.add_option("--sweep", o.sweep, msg("runs of this sweep"));
}

void addListCommand(CLI::App &app, Action &action)
{
    struct Options {
        std::string db;
        RunFilterOptions filter;
        bool json = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App *cmd = app.add_subcommand("list", msg("Runs in the experiment store"));
    addDbOption(*cmd, o->db);
    cmd->add_flag("--json", o->json, msg("print a JSON array"));
    addRunFilterOptions(*cmd, o->filter);
    cmd->callback([o, &action] {
        action = [o] {
            ExperimentStore store(dbPath(o->db));
            const std::vector<RunRecord> runs = store.runs(o->filter.filter());
            if (o->json) {
                Json out = Json::array();
                for (const auto &r : runs)
                    out.push_back(runJson(r));
                std::cout << out.dump() << std::endl;
                return 0;
            }
            if (runs.empty()) {
                std::cout << fill(msg("no runs in %1"), {store.file()}) << "\n";
                return 0;
            }
            // The status column says where a running run is, or where a stopped one stopped.
            std::vector<std::string> statuses;
            std::size_t statusWidth = 11;
            for (const auto &r : runs) {
                std::string status = runStatusName(r.status);
                if (const RunProgress *p = progressShown(r)) {
                    const std::string counted = std::to_string(p->step) + "/" + std::to_string(p->totalSteps);
                    if (p->evaluating)
                        // TRANSLATORS: a run's status, then its evaluation's answers so far: "running · evaluating 300/1200".
                        status = fill(msg("%1 · evaluating %2"), {status, counted});
                    else
                        // TRANSLATORS: a run's status, then its stage and step: "running · pretrain 120/450".
                        status = fill(msg("%1 · %2 %3"), {status, p->stageName, counted});
                }
                statusWidth = std::max(statusWidth, displayWidth(status));
                statuses.push_back(std::move(status));
            }
            // Columns by display width: headers and run names may be CJK.
            const auto row = [statusWidth](const std::string &id, const std::string &name, const std::string &status,
                                           const std::string &connector, const std::string &tokens,
                                           const std::string &created) {
                std::cout << padToWidth(id, 5, true) << "  " << padToWidth(name, 28) << " "
                          << padToWidth(status, statusWidth) << " " << padToWidth(connector, 15) << " "
                          << padToWidth(tokens, 11) << " " << created << "\n";
            };
            row(msg("id"), msg("name"), msg("status"), msg("connector"), msg("tokens"), msg("created"));
            for (std::size_t i = 0; i < runs.size(); ++i) {
                const RunRecord &r = runs[i];
                const std::string tokens = r.minVisualTokens == r.maxVisualTokens
                                               ? std::to_string(r.minVisualTokens)
                                               : std::to_string(r.minVisualTokens) + "-" + std::to_string(r.maxVisualTokens);
                row(std::to_string(r.id), r.name, statuses[i], r.connector, tokens, localTimeText(r.createdAt));
            }
            return 0;
        };
    });
}

void addShowCommand(CLI::App &app, Action &action)
{
    struct Options {
        std::string db;
        int64_t id = 0;
        bool json = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App *cmd = app.add_subcommand("show", msg("One run in full: config, stages, evaluation, checkpoints"));
    cmd->add_option("RUN_ID", o->id, msg("run id"))->required();
    addDbOption(*cmd, o->db);
    cmd->add_flag("--json", o->json, msg("print one JSON object"));
    cmd->callback([o, &action] {
        action = [o] {
            ExperimentStore store(dbPath(o->db));
            const RunDetail d = store.run(o->id);
            if (o->json) {
                std::cout << runDetailJson(d).dump() << std::endl;
                return 0;
            }
            const RunRecord &r = d.run;
            std::cout << fill(msg("run %1 %2 [%3]"), {std::to_string(r.id), r.name, runStatusName(r.status)}) << "\n  "
                      << fill(msg("connector %1, device %2, host %3"), {r.connector, r.device, r.host}) << "\n  "
                      << fill(msg("created %1"), {localTimeText(r.createdAt)}) << "\n";
            if (const std::string blas = recordedBlas(r.versions); !blas.empty())
                std::cout << "  " << fill(msg("BLAS %1"), {blas}) << "\n";
            if (!r.message.empty())
                std::cout << "  " << r.message << "\n";
            if (const std::string where = progressLine(r); !where.empty())
                std::cout << "  " << where << "\n";
            for (const auto &st : d.stages) {
                char name[64];
                std::snprintf(name, sizeof name, "%d %-12s %-9s", st.index, st.name.c_str(), st.kind.c_str());
                auto shown = [&](bool shown, int64_t value) { return shown ? padded(value, 5) : std::string("    -"); };
                const std::string tokens = shown(stageHasVisualTokens(st.kind), st.visualTokens),
                                  resolution = shown(stageSeesImage(st.kind), st.resolution);
                std::cout << "  "
                          << (st.fromCache
                                  // TRANSLATORS: a stage whose tower or language model an earlier run trained.
                                  ? fill(msg("stage %1 %2 tokens %3 px  from the stage cache, nothing trained"),
                                         {name, tokens, resolution})
                                  : fill(msg("stage %1 %2 tokens %3 px %4 steps  %5 s  loss %6"),
                                         {name, tokens, resolution, padded(st.steps, 7),
                                          st.wallSeconds ? formatRealFixed(*st.wallSeconds, 1) : "-",
                                          st.finalLoss ? formatRealFixed(*st.finalLoss, 4) : "-"}));
                if (!st.fromCache && st.samplesPerSecond)
                    std::cout << "  " << fill(msg("%1 samples/s"), {formatRealFixed(*st.samplesPerSecond, 1)});
                if (st.featureCache)
                    // TRANSLATORS: the stage read the frozen vision tower's features from the feature cache, so its time leaves the tower out.
                    std::cout << "  " << msg("tower features cached");
                std::cout << "\n";
                for (const EvaluationRecord &e : d.earlierEvaluations) {
                    if (e.stage != st.index)
                        continue;
                    if (const auto cells = towerCellAccuracy(e); !cells.empty())
                        std::cout << "    "
                                  << fill(msg("held-out cells %1 (%2 cells each)"),
                                          {towerCellAccuracyText(cells), std::to_string(e.n)})
                                  << "\n";
                    else
                        // TRANSLATORS: before an evaluation's accuracy and controls: the step it was taken at.
                        printEvaluation(e, "    ", fill(msg("step %1:"), {std::to_string(e.step)}) + " ");
                }
            }
            if (d.finalEvaluation) {
                const EvaluationRecord &e = *d.finalEvaluation;
                printEvaluation(e, "  ", {});
                for (const auto &[type, v] : e.perType) {
                    char figures[96];
                    std::snprintf(figures, sizeof figures, "%-16s %.4f ± %.4f (%lld)", type.c_str(), v.first,
                                  standardError(v.first, v.second), static_cast<long long>(v.second));
                    std::cout << "    "
                              << fill(msg("%1  type prior %2  shuffled %3"),
                                      {figures, figureOrDash(figureFor(e.typePriorPerType, type)),
                                       figureOrDash(figureFor(e.shuffledPerType, type))})
                              << "\n";
                }
            }
            for (const auto &c : d.checkpoints)
                std::cout << "  " << fill(msg("checkpoint %1"), {c.path}) << "\n";
            for (const auto &a : d.artifacts) {
                if (a.description.empty())
                    // TRANSLATORS: %1 is the artifact's kind (attention-map, plot, ...), %2 its file.
                    std::cout << "  " << fill(msg("artifact %1: %2"), {a.kind, a.path}) << "\n";
                else
                    // TRANSLATORS: %1 is the artifact's kind (attention-map, plot, ...), %2 its file, %3 what it shows.
                    std::cout << "  " << fill(msg("artifact %1: %2 (%3)"), {a.kind, a.path, a.description}) << "\n";
            }
            return 0;
        };
    });
}

void addExportCommand(CLI::App &app, Action &action)
{
    struct Options {
        std::string db, format, out;
    };
    auto o = std::make_shared<Options>();
    CLI::App *cmd = app.add_subcommand("export", msg("The comparison table: tokens, pre-training and fine-tuning time, accuracy"));
    addDbOption(*cmd, o->db);
    cmd->add_option("--format", o->format, msg("csv or json"))->required()->check(CLI::IsMember({"csv", "json"}));
    cmd->add_option("--out", o->out, msg("output file (default: standard output)"));
    cmd->callback([o, &action] {
        action = [o] {
            ExperimentStore store(dbPath(o->db));
            const std::vector<ComparisonRow> rows = store.comparison();
            const std::string text = o->format == "csv" ? comparisonCsv(rows) : comparisonJson(rows).dump(2) + "\n";
            if (o->out.empty())
                std::cout << text;
            else
                writeAtomically(o->out, text);
            return 0;
        };
    });
}

void addMetricsCommand(CLI::App &app, Action &action)
{
    struct Options {
        std::string db, format = "csv", out;
        int64_t id = 0;
        std::vector<std::string> names;
    };
    auto o = std::make_shared<Options>();
    CLI::App *cmd = app.add_subcommand(
        "metrics", msg("A run's metric series, every point as logged: a row per stage and step, a column per metric"));
    cmd->add_option("RUN_ID", o->id, msg("run id"))->required();
    addDbOption(*cmd, o->db);
    cmd->add_option("--name", o->names, msg("a metric to include, in this order (repeatable; default: all of the run's)"));
    cmd->add_option("--format", o->format, msg("csv or json"))->check(CLI::IsMember({"csv", "json"}));
    cmd->add_option("--out", o->out, msg("output file (default: standard output)"));
    cmd->callback([o, &action] {
        action = [o] {
            ExperimentStore store(dbPath(o->db));
            const RunDetail detail = store.run(o->id);
            const std::vector<std::string> logged = store.metricNames(o->id);
            for (const std::string &name : o->names)
                if (std::find(logged.begin(), logged.end(), name) == logged.end()) {
                    std::string known;
                    for (const std::string &n : logged)
                        known += (known.empty() ? "" : ", ") + n;
                    throw InputError(fill(msg("run %1 in %2 logged no metric %3 (it logged: %4)"),
                                          {std::to_string(o->id), store.file(), name, known.empty() ? "-" : known}));
                }
            // Finished stages are recorded by name; the one a run is in is named by its progress.
            std::map<int, std::string> stageNames;
            for (const StageRecord &st : detail.stages)
                stageNames[st.index] = st.name;
            if (detail.run.progress)
                stageNames.emplace(detail.run.progress->stage, detail.run.progress->stageName);
            const MetricTable table = metricTable(store.metricPoints(o->id), o->names, stageNames);
            const std::string text =
                o->format == "csv" ? metricTableCsv(table) : metricTableJson(table).dump(2) + "\n";
            if (o->out.empty())
                std::cout << text;
            else
                writeAtomically(o->out, text);
            return 0;
        };
    });
}

} // namespace cosw::batch

// cos-batch list / show / export: reading the experiment store.

#include "Commands.h"

#include "base/Errors.h"
#include "base/Files.h"
#include "base/Numbers.h"
#include "store/ExperimentStore.h"
#include "store/StoreCsv.h"
#include "store/StoreJson.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

namespace cosw::batch {

void addDbOption(CLI::App &command, std::string &db)
{
    command.add_option("--db", db, "experiment database (default: $COS_DB or the per-user data directory)");
}

std::string dbPath(const std::string &option)
{
    return option.empty() ? ExperimentStore::defaultPath() : option;
}

namespace {

// The BLAS a run recorded with its versions; empty for runs from before it
// was recorded, or versions that are not JSON.
std::string recordedBlas(const std::string &versions)
{
    try {
        const Json parsed = parseJson(versions, "versions");
        const Json *blas = findKey(parsed, "blas");
        return blas && blas->is_string() ? blas->get<std::string>() : std::string();
    } catch (const std::exception &) {
        return {};
    }
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
    cmd.add_option("--status", o.status, "queued, running, finished, failed or interrupted");
    cmd.add_option("--name", o.name, "name pattern (* and ? are wildcards)");
    cmd.add_option("--connector", o.connector, "chain_of_sight, resampler or mlp");
    cmd.add_option("--min-tokens", o.minTokens, "runs with a stage of at least this many visual tokens");
    cmd.add_option("--max-tokens", o.maxTokens, "runs with a stage of at most this many visual tokens");
    cmd.add_option("--sweep", o.sweep, "runs of this sweep");
}

void addListCommand(CLI::App &app, Action &action)
{
    struct Options {
        std::string db;
        RunFilterOptions filter;
        bool json = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App *cmd = app.add_subcommand("list", "Runs in the experiment store");
    addDbOption(*cmd, o->db);
    cmd->add_flag("--json", o->json, "print a JSON array");
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
                std::cout << "no runs in " << store.file() << "\n";
                return 0;
            }
            std::printf("%5s  %-28s %-11s %-15s %-11s %s\n", "id", "name", "status", "connector", "tokens", "created");
            for (const auto &r : runs) {
                const std::string tokens = r.minVisualTokens == r.maxVisualTokens
                                               ? std::to_string(r.minVisualTokens)
                                               : std::to_string(r.minVisualTokens) + "-" + std::to_string(r.maxVisualTokens);
                std::printf("%5lld  %-28s %-11s %-15s %-11s %s\n", static_cast<long long>(r.id), r.name.c_str(),
                            runStatusName(r.status), r.connector.c_str(), tokens.c_str(), localTimeText(r.createdAt).c_str());
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
    CLI::App *cmd = app.add_subcommand("show", "One run in full: config, stages, evaluation, checkpoints");
    cmd->add_option("RUN_ID", o->id, "run id")->required();
    addDbOption(*cmd, o->db);
    cmd->add_flag("--json", o->json, "print one JSON object");
    cmd->callback([o, &action] {
        action = [o] {
            ExperimentStore store(dbPath(o->db));
            const RunDetail d = store.run(o->id);
            if (o->json) {
                std::cout << runDetailJson(d).dump() << std::endl;
                return 0;
            }
            const RunRecord &r = d.run;
            std::cout << "run " << r.id << " " << r.name << " [" << runStatusName(r.status) << "]\n"
                      << "  connector " << r.connector << ", device " << r.device << ", host " << r.host << "\n"
                      << "  created " << localTimeText(r.createdAt) << "\n";
            if (const std::string blas = recordedBlas(r.versions); !blas.empty())
                std::cout << "  BLAS " << blas << "\n";
            if (!r.message.empty())
                std::cout << "  " << r.message << "\n";
            for (const auto &st : d.stages) {
                std::printf("  stage %d %-12s %-9s %5d tokens %5d px %7lld steps  %s s  loss %s\n", st.index,
                            st.name.c_str(), st.kind.c_str(), st.visualTokens, st.resolution,
                            static_cast<long long>(st.steps),
                            st.wallSeconds ? formatRealFixed(*st.wallSeconds, 1).c_str() : "-",
                            st.finalLoss ? formatRealFixed(*st.finalLoss, 4).c_str() : "-");
            }
            if (d.finalEvaluation) {
                const EvaluationRecord &e = *d.finalEvaluation;
                auto control = [](const std::optional<double> &v) { return v ? formatRealFixed(*v, 4) : std::string("-"); };
                std::printf("  accuracy %.4f ± %.4f on %lld samples; image-blind controls: type prior %s, shuffled images %s\n",
                            e.accuracy, standardError(e.accuracy, e.n), static_cast<long long>(e.n),
                            control(e.typePrior).c_str(), control(e.shuffledAccuracy).c_str());
                if (e.cellReading)
                    std::printf("  cell reading %.4f of %lld cells; image-blind control %s\n", *e.cellReading,
                                static_cast<long long>(e.cellReadingCells.value_or(0)), control(e.cellReadingPrior).c_str());
                for (const auto &[type, v] : e.perType)
                    std::printf("    %-16s %.4f ± %.4f (%lld)  type prior %s  shuffled %s\n", type.c_str(), v.first,
                                standardError(v.first, v.second), static_cast<long long>(v.second),
                                control(figureFor(e.typePriorPerType, type)).c_str(),
                                control(figureFor(e.shuffledPerType, type)).c_str());
            }
            for (const auto &c : d.checkpoints)
                std::cout << "  checkpoint " << c.path << "\n";
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
    CLI::App *cmd = app.add_subcommand("export", "The comparison table: tokens, pre-training and fine-tuning time, accuracy");
    addDbOption(*cmd, o->db);
    cmd->add_option("--format", o->format, "csv or json")->required()->check(CLI::IsMember({"csv", "json"}));
    cmd->add_option("--out", o->out, "output file (default: standard output)");
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

} // namespace cosw::batch

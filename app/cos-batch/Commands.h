#pragma once
// cos-batch subcommands. Each registers its options on the CLI and sets the
// action main() runs after parsing; actions return the exit status and let
// InputError (exit 2) and other exceptions (exit 1) reach main().

#include <CLI/CLI.hpp>

#include "base/Messages.h"
#include "store/StoreRecords.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cosw::batch {

using Action = std::function<int()>;

void addInspectCommand(CLI::App &app, Action &action);
void addInitCommand(CLI::App &app, Action &action);
void addImportCommand(CLI::App &app, Action &action);
void addMergeLoraCommand(CLI::App &app, Action &action);
void addEncodeCommand(CLI::App &app, Action &action);
void addScaleCommand(CLI::App &app, Action &action);
void addAttentionCommand(CLI::App &app, Action &action);
void addDataCommand(CLI::App &app, Action &action);
void addListCommand(CLI::App &app, Action &action);
void addShowCommand(CLI::App &app, Action &action);
void addExportCommand(CLI::App &app, Action &action);
void addMetricsCommand(CLI::App &app, Action &action);
void addCompareCommand(CLI::App &app, Action &action);
void addRunCommand(CLI::App &app, Action &action);
void addResumeCommand(CLI::App &app, Action &action);
void addSweepCommand(CLI::App &app, Action &action);
void addBenchCommand(CLI::App &app, Action &action);
// `bench replica`, registered by addBenchCommand.
void addBenchReplicaCommand(CLI::App &bench, Action &action);

// Adds --db to a command; the path defaults to the store's default location
// (COS_DB, then $XDG_DATA_HOME/cos-workbench/experiments.sqlite).
void addDbOption(CLI::App &command, std::string &db);
// Copies a checkpoint's tokenizer (tokenizer.json or tokenizer.model) into
// `dir`: a checkpoint made from it reads the same words.
void copyTokenizer(const std::string &checkpoint, const std::string &dir);
std::string dbPath(const std::string &option);

// Which runs a store command reads: --status, --name, --connector,
// --min-tokens, --max-tokens, --sweep.
struct RunFilterOptions {
    std::string status, name, connector, sweep;
    std::optional<int> minTokens, maxTokens;
    // Throws InputError for an unknown status.
    RunFilter filter() const;
};
void addRunFilterOptions(CLI::App &command, RunFilterOptions &options);

// Writes `text` next to `path` and renames it there, so a reader never sees half a file.
void writeAtomically(const std::string &path, const std::string &text);

// --resolution PX and --window K|K1,K2,...: token scaling of a checkpoint
// (scale, encode, attention), read by scalingSpecFor.
void addTokenScalingOptions(CLI::App &command, int &resolution, std::vector<int> &window);

// What every command that trains takes: --db, --device, --threads, --progress.
struct TrainingOptions {
    std::string db, device, progress = "auto";
    int threads = 0;
};
void addTrainingOptions(CLI::App &command, TrainingOptions &options);
// --progress auto|bar|lines|json: how long work reports (ProgressPrinter).
void addProgressOption(CLI::App &command, std::string &mode);

// --nproc and --rank-timeout: data-parallel ranks on this machine.
struct ParallelOptions {
    int nproc = 1;
    int rankTimeout = 1800;
};
void addParallelOptions(CLI::App &command, ParallelOptions &options);

} // namespace cosw::batch

// cos-batch run / resume: training runs, headless (DESIGN §4, §7).

#include "Commands.h"
#include "ProgressPrinter.h"
#include "RunToEnd.h"
#include "StopOnSignal.h"

#include "base/Errors.h"
#include "base/Json.h"
#include "store/ExperimentStore.h"
#include "train/Trainer.h"

#include <cstdio>
#include <iostream>
#include <memory>

namespace cosw::batch {

namespace {

struct RunOptions {
    TrainingOptions training;
    std::string name;
    std::vector<std::string> overrides;
    SweepLabel sweep;
};

} // namespace

int runToEnd(Trainer &trainer, ExperimentStore &store, ProgressPrinter &printer, int64_t runId,
             const std::string &resumeFrom, RunOutcome *outcomeOut)
{
    const RunOutcome outcome = [&] {
        StopOnSignal stopOnSignal;
        return trainer.run(runId, resumeFrom);
    }();
    if (outcomeOut)
        *outcomeOut = outcome;
    printer.endLine();
    if (printer.json())
        return outcome == RunOutcome::Finished ? 0 : 1;

    if (outcome == RunOutcome::Finished) {
        std::cout << "run " << runId << " finished";
        if (!printer.evalSummary().empty())
            std::cout << ": " << printer.evalSummary();
        std::cout << "\nresults: cos-batch show " << runId << " --db " << store.file() << "\n";
        return 0;
    }
    std::cerr << "cos-batch: run " << runId << " " << (outcome == RunOutcome::Failed ? "failed" : "was interrupted")
              << ": " << trainer.failure() << "\n";
    if (outcome == RunOutcome::Interrupted)
        std::cerr << "continue it with: cos-batch resume " << runId << " --db " << store.file() << "\n";
    return 1;
}

void addTrainingOptions(CLI::App &cmd, TrainingOptions &o)
{
    addDbOption(cmd, o.db);
    cmd.add_option("--device", o.device, "cpu, cuda or cuda:N (overrides the stages' devices)");
    cmd.add_option("--threads", o.threads, "CPU threads for LibTorch and the BLAS (default: one per CPU)");
    cmd.add_option("--progress", o.progress, "auto, bar, lines or json")
        ->check(CLI::IsMember({"auto", "bar", "lines", "json"}))
        ->capture_default_str();
}

void addRunCommand(CLI::App &app, Action &action)
{
    auto o = std::make_shared<RunOptions>();
    auto config = std::make_shared<std::string>();
    CLI::App *cmd = app.add_subcommand("run", "Train a run config: every stage, evaluation, checkpoints, store records");
    cmd->add_option("CONFIG", *config, "run config (YAML)")->required();
    cmd->add_option("--name", o->name, "run name (default: the config's name)");
    cmd->add_option("--set", o->overrides, "override a config value: key.path=value (repeatable)");
    // What the GUI's sweep dialog launches each variant with.
    cmd->add_option("--sweep", o->sweep.sweep, "tag the run as part of this sweep");
    cmd->add_option("--sweep-variant", o->sweep.variant, "the sweep variant the run is (its overrides, seed aside)");
    cmd->add_option("--sweep-seed", o->sweep.seed, "the sweep seed index the run is");
    addTrainingOptions(*cmd, o->training);
    cmd->callback([o, config, &action] {
        action = [o, config] {
            const RunConfig run = RunConfig::load(*config, o->overrides);
            ExperimentStore store(dbPath(o->training.db));
            ProgressPrinter printer(o->training.progress);
            Trainer trainer(run, store, {o->training.device, o->training.threads, {}}, std::ref(printer));
            if (o->sweep.sweep.empty() && (!o->sweep.variant.empty() || o->sweep.seed))
                throw InputError("--sweep-variant and --sweep-seed need --sweep");
            const int64_t id = trainer.createRun(o->name, o->sweep);
            if (printer.json())
                std::cout << "{\"event\":\"run\",\"run_id\":" << id << ",\"db\":" << Json(store.file()).dump() << "}"
                          << std::endl;
            else
                std::cout << "run " << id << " in " << store.file() << "\n" << std::flush;
            return runToEnd(trainer, store, printer, id, {});
        };
    });
}

void addResumeCommand(CLI::App &app, Action &action)
{
    auto o = std::make_shared<RunOptions>();
    auto id = std::make_shared<int64_t>(0);
    CLI::App *cmd = app.add_subcommand("resume", "Continue an interrupted or failed run from its last checkpoint");
    cmd->add_option("RUN_ID", *id, "run id")->required();
    addTrainingOptions(*cmd, o->training);
    cmd->callback([o, id, &action] {
        action = [o, id] {
            ExperimentStore store(dbPath(o->training.db));
            const RunDetail detail = store.run(*id);
            if (detail.run.status == RunStatus::Finished)
                throw InputError("run " + std::to_string(*id) + " in " + store.file() + " has already finished");
            if (detail.run.status == RunStatus::Running)
                throw InputError("run " + std::to_string(*id) + " in " + store.file()
                                 + " is running (pid " + std::to_string(detail.run.pid.value_or(0)) + ")");
            const std::string source = store.file() + " run " + std::to_string(*id);
            const RunConfig run = RunConfig::fromJson(parseJson(detail.run.config, source), source);
            ProgressPrinter printer(o->training.progress);
            Trainer trainer(run, store, {o->training.device, o->training.threads, {}}, std::ref(printer));
            const std::string from = detail.checkpoints.empty() ? std::string() : detail.checkpoints.back().path;
            if (printer.json())
                std::cout << "{\"event\":\"run\",\"run_id\":" << *id << ",\"db\":" << Json(store.file()).dump() << "}"
                          << std::endl;
            else
                std::cout << "run " << *id << " in " << store.file()
                          << (from.empty() ? ": no checkpoint, starting over\n" : ": resuming from " + from + "\n")
                          << std::flush;
            return runToEnd(trainer, store, printer, *id, from);
        };
    });
}

} // namespace cosw::batch

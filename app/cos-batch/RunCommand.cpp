// cos-batch run / resume: training runs, headless (DESIGN §4, §7).

#include "Commands.h"
#include "ProgressPrinter.h"
#include "RankLauncher.h"
#include "RunToEnd.h"
#include "ScratchStore.h"
#include "StopOnSignal.h"

#include "base/Errors.h"
#include "base/Json.h"
#include "base/Messages.h"
#include "store/ExperimentStore.h"
#include "train/DataParallel.h"
#include "train/Trainer.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

namespace cosw::batch {

namespace {

struct RunOptions {
    TrainingOptions training;
    ParallelOptions parallel;
    std::string name;
    std::vector<std::string> overrides;
    SweepLabel sweep;
    bool queue = false;
};

// The run goes into the store as `queued`, its config checked as a run
// would check it (data included), so a start later does not fail on input.
// Ranks are chosen when it starts.
int queueRun(const RunConfig &run, const RunOptions &o)
{
    if (o.parallel.nproc > 1)
        throw InputError(msg("--queue records a run without starting it: give --nproc to cos-batch resume when you "
                             "start it"));
    ExperimentStore store(dbPath(o.training.db));
    ProgressPrinter printer(o.training.progress);
    Trainer trainer(run, store, trainerOptions(o.training, std::nullopt, nullptr), std::ref(printer));
    const int64_t id = trainer.createRun(o.name, o.sweep);
    printer.endLine();
    const std::string start = "cos-batch resume " + std::to_string(id) + " --db " + store.file();
    if (printer.json()) {
        Json event = Json::object();
        event["event"] = "run";
        event["run_id"] = id;
        event["db"] = store.file();
        event["queued"] = true;
        std::cout << event.dump() << std::endl;
    } else {
        std::cout << fill(msg("run %1 queued in %2"), {std::to_string(id), store.file()}) << "\n"
                  << fill(msg("start it with: %1"), {start}) << "\n";
    }
    return 0;
}

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
        const std::string id = std::to_string(runId);
        std::cout << (printer.evalSummary().empty() ? fill(msg("run %1 finished"), {id})
                                                    : fill(msg("run %1 finished: %2"), {id, printer.evalSummary()}))
                  << "\n" << fill(msg("results: %1"), {"cos-batch show " + id + " --db " + store.file()}) << "\n";
        return 0;
    }
    const std::string id = std::to_string(runId);
    std::cerr << "cos-batch: "
              << fill(outcome == RunOutcome::Failed ? msg("run %1 failed: %2") : msg("run %1 was interrupted: %2"),
                      {id, trainer.failure()})
              << "\n";
    if (outcome == RunOutcome::Interrupted)
        std::cerr << fill(msg("continue it with: %1"), {"cos-batch resume " + id + " --db " + store.file()}) << "\n";
    return 1;
}

void addTrainingOptions(CLI::App &cmd, TrainingOptions &o)
{
    addDbOption(cmd, o.db);
    cmd.add_option("--device", o.device, msg("cpu, cuda or cuda:N (overrides the stages' devices)"));
    cmd.add_option("--threads", o.threads, msg("CPU threads for LibTorch and the BLAS (default: one per CPU)"));
    addProgressOption(cmd, o.progress);
}

void addProgressOption(CLI::App &cmd, std::string &mode)
{
    cmd.add_option("--progress", mode, msg("auto, bar, lines or json"))
        ->check(CLI::IsMember({"auto", "bar", "lines", "json"}))
        ->capture_default_str();
}

void addParallelOptions(CLI::App &cmd, ParallelOptions &o)
{
    cmd.add_option("--nproc", o.nproc,
                   msg("data-parallel ranks on this machine: each takes its share of every batch, the CPUs are shared "
                   "out (ranks started by torchrun, srun or mpirun set RANK, WORLD_SIZE, MASTER_ADDR and "
                   "MASTER_PORT instead)"))
        ->check(CLI::Range(1, 256));
    cmd.add_option("--rank-timeout", o.rankTimeout,
                   msg("seconds a rank waits for the others (at a step, or while rank 0 trains the vision tower) before the run fails"))
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
}

void addRunCommand(CLI::App &app, Action &action)
{
    auto o = std::make_shared<RunOptions>();
    auto config = std::make_shared<std::string>();
    CLI::App *cmd = app.add_subcommand("run", msg("Train a run config: every stage, evaluation, checkpoints, store records"));
    cmd->add_option("CONFIG", *config, msg("run config (YAML)"))->required();
    cmd->add_option("--name", o->name, msg("run name (default: the config's name)"));
    cmd->add_option("--set", o->overrides, msg("override a config value: key.path=value (repeatable)"));
    // What the GUI's sweep dialog launches each variant with.
    cmd->add_option("--sweep", o->sweep.sweep, msg("tag the run as part of this sweep"));
    cmd->add_option("--sweep-variant", o->sweep.variant, msg("the sweep variant the run is (its overrides, seed aside)"));
    cmd->add_option("--sweep-seed", o->sweep.seed, msg("the sweep seed index the run is"));
    cmd->add_flag("--queue", o->queue,
                  msg("check the config and its data, record the run as queued and stop; start it later with "
                      "cos-batch resume RUN_ID (the workbench queues its launches this way)"));
    addTrainingOptions(*cmd, o->training);
    addParallelOptions(*cmd, o->parallel);
    cmd->callback([o, config, &action] {
        action = [o, config] {
            const RunConfig run = RunConfig::load(*config, o->overrides);
            if (o->sweep.sweep.empty() && (!o->sweep.variant.empty() || o->sweep.seed))
                throw InputError(msg("--sweep-variant and --sweep-seed need --sweep"));
            if (o->queue)
                return queueRun(run, *o);
            if (const std::optional<int> status = launchedRanks(o->parallel, o->training))
                return *status;
            const std::unique_ptr<DataParallel> group = joinGroup(o->parallel);
            std::optional<ScratchStore> scratch;
            if (group && group->rank() != 0)
                scratch.emplace(*group);
            std::optional<ExperimentStore> own;
            ExperimentStore &store = scratch ? scratch->store() : own.emplace(dbPath(o->training.db));
            ProgressPrinter printer(o->training.progress);
            Trainer trainer(run, store, trainerOptions(o->training, scratch, group.get()), std::ref(printer));
            const int64_t id = trainer.createRun(o->name, o->sweep);
            if (printer.json())
                std::cout << "{\"event\":\"run\",\"run_id\":" << id << ",\"db\":" << Json(store.file()).dump() << "}"
                          << std::endl;
            else
                std::cout << fill(msg("run %1 in %2"), {std::to_string(id), store.file()}) << "\n" << std::flush;
            return runToEnd(trainer, store, printer, id, {});
        };
    });
}

void addResumeCommand(CLI::App &app, Action &action)
{
    auto o = std::make_shared<RunOptions>();
    auto id = std::make_shared<int64_t>(0);
    CLI::App *cmd = app.add_subcommand("resume", msg("Continue an interrupted or failed run from its last checkpoint, or start a queued one"));
    cmd->add_option("RUN_ID", *id, msg("run id"))->required();
    addTrainingOptions(*cmd, o->training);
    addParallelOptions(*cmd, o->parallel);
    cmd->callback([o, id, &action] {
        action = [o, id] {
            // Every rank reads the run before any of them starts it (they
            // start together, after joining).
            std::optional<ExperimentStore> own(std::in_place, dbPath(o->training.db));
            const RunDetail detail = own->run(*id);
            if (detail.run.status == RunStatus::Finished)
                throw InputError(fill(msg("run %1 in %2 has already finished"), {std::to_string(*id), own->file()}));
            if (detail.run.status == RunStatus::Running)
                throw InputError(fill(msg("run %1 in %2 is running (pid %3)"),
                                      {std::to_string(*id), own->file(), std::to_string(detail.run.pid.value_or(0))}));
            // TRANSLATORS: where a stored run's config comes from, as errors name it: the store's file, the run's id.
            const std::string source = fill(msg("%1 run %2"), {own->file(), std::to_string(*id)});
            const RunConfig run = RunConfig::fromJson(parseJson(detail.run.config, source), source);
            if (const std::optional<int> status = launchedRanks(o->parallel, o->training))
                return *status;
            const std::unique_ptr<DataParallel> group = joinGroup(o->parallel);
            std::optional<ScratchStore> scratch;
            if (group && group->rank() != 0) {
                scratch.emplace(*group);
                own.reset();
            }
            ExperimentStore &store = scratch ? scratch->store() : *own;
            ProgressPrinter printer(o->training.progress);
            Trainer trainer(run, store, trainerOptions(o->training, scratch, group.get()), std::ref(printer));
            // A rank other than 0 trains a stand-in run of its scratch store.
            const int64_t runId = scratch ? trainer.createRun(detail.run.name) : *id;
            const std::string from = detail.checkpoints.empty() ? std::string() : detail.checkpoints.back().path;
            if (printer.json())
                std::cout << "{\"event\":\"run\",\"run_id\":" << runId << ",\"db\":" << Json(store.file()).dump() << "}"
                          << std::endl;
            else
                std::cout << (!from.empty() ? fill(msg("run %1 in %2: resuming from %3"),
                                                   {std::to_string(runId), store.file(), from})
                              : detail.run.status == RunStatus::Queued
                                  ? fill(msg("run %1 in %2: starting the queued run"), {std::to_string(runId), store.file()})
                                  : fill(msg("run %1 in %2: no checkpoint, starting over"),
                                         {std::to_string(runId), store.file()}))
                          << "\n" << std::flush;
            return runToEnd(trainer, store, printer, runId, from);
        };
    });
}

} // namespace cosw::batch

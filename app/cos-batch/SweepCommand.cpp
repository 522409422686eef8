// cos-batch sweep: a grid of config variants (or a list of named ones),
// optionally over seeds, run one after another and tagged so the comparison
// dashboard groups them; an interrupted sweep continues where it stopped.

#include "Commands.h"

#include "facade/Devices.h"
#include "train/MemoryEstimate.h"
#include "ProgressPrinter.h"
#include "RunToEnd.h"

#include "base/Device.h"
#include "base/Errors.h"
#include "base/Json.h"
#include "base/Messages.h"
#include "base/Numbers.h"
#include "base/Utf8.h"
#include "bench/StepBenchmark.h"
#include "facade/BlasKernel.h"
#include "compare/ComparisonColumns.h"
#include "store/ExperimentStore.h"
#include "train/SweepPlan.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

namespace cosw::batch {

namespace {

// One line of the plan's table, columns by display width (headers may be CJK).
void sweepRow(const std::string &index, const std::string &variant, const std::string &tokens, const std::string &estimate,
              const std::string &state)
{
    std::cout << padToWidth(index, 3, true) << "  " << padToWidth(variant, 44) << " " << padToWidth(tokens, 12) << " "
              << padToWidth(estimate, 10, true) << "  " << state << "\n";
}

struct SweepOptions {
    TrainingOptions training;
    std::string config, tag, variantsFile;
    std::vector<std::string> vary, overrides;
    int seeds = 0;
    bool dryRun = false, json = false;
};

struct PlannedRun {
    SweepVariant variant;
    RunConfig config;
    std::optional<double> flops;
    std::optional<RunRecord> existing; // the variant's run from an earlier start of the sweep
};

std::string tokensOf(const RunConfig &c)
{
    std::optional<int> pre, fine;
    for (size_t i = 0; i < c.stages.size() && i < c.stageModels.size(); ++i) {
        if (c.stages[i].kind == "pretrain")
            pre = visualTokens(c.stageModels[i]);
        else if (c.stages[i].kind == "finetune")
            fine = visualTokens(c.stageModels[i]);
    }
    ComparisonRow row;
    row.pretrainTokens = pre;
    row.finetuneTokens = fine;
    return tokenScalingText(row);
}

struct FlopRate {
    double flopsPerSecond = 0;
    std::string source;     // how it was measured, for the plan's footnote: as it is for --json
    std::string sourceText; // the same in the user's language, for the printed plan
};

// A FlopRate whose footnote is `english` with `args` filled in, and
// `translated` (msg() of the same literal) with them for people.
FlopRate flopRate(double flopsPerSecond, const char *english, const char *translated,
                  std::initializer_list<std::string> args)
{
    return {flopsPerSecond, fill(english, args), fill(translated, args)};
}

// Training FLOP/s this machine reached. Best: finished runs in the store on
// the same device, their stages' FLOPs (counted as for the estimate, so the
// count's simplifications cancel) over their training seconds. Else two
// timed steps of the sweep's first stage that trains a connector, at its
// batch size; synthetic steps run slower than a run's, so that estimate is high.
FlopRate measuredFlopRate(ExperimentStore &store, const RunConfig &c, const std::string &device)
{
    double flops = 0, seconds = 0;
    int runs = 0;
    RunFilter finished;
    finished.status = RunStatus::Finished;
    for (const RunRecord &r : store.runs(finished)) {
        if (r.device != device)
            continue;
        try {
            const std::string source = store.file() + " run " + std::to_string(r.id);
            const RunConfig config = RunConfig::fromJson(parseJson(r.config, source), source);
            const auto stageFlops = estimateStageFlops(config);
            bool counted = false;
            for (const StageRecord &st : store.run(r.id).stages)
                if (st.index >= 0 && size_t(st.index) < stageFlops.size() && stageFlops[size_t(st.index)]
                    && st.wallSeconds && *st.wallSeconds > 1.0) { // a cached stage takes no time to count
                    flops += *stageFlops[size_t(st.index)];
                    seconds += *st.wallSeconds;
                    counted = true;
                }
            runs += counted ? 1 : 0;
        } catch (const std::exception &) {
            continue; // a run from an older config format says nothing here
        }
    }
    if (seconds > 0)
        return flopRate(flops / seconds, "the rate of %1 finished run(s) on %2 in the store",
                        msg("the rate of %1 finished run(s) on %2 in the store"), {std::to_string(runs), device});

    size_t stage = 0;
    while (stage + 1 < c.stages.size() && c.stages[stage].kind != "pretrain" && c.stages[stage].kind != "finetune")
        ++stage;
    // A model this device cannot hold is not built to be timed.
    const int64_t needed = estimateStageMemory(c, stage).total();
    for (const DeviceInfo &d : availableDevices())
        if ((d.id == device || (device == "cuda" && d.id == "cuda:0")) && d.memoryBytes > 0 && needed > d.memoryBytes)
            return flopRate(0,
                            "no estimate: no finished run to learn from, and stage %1 needs about %2, more than %3's %4 "
                            "for timed steps",
                            msg("no estimate: no finished run to learn from, and stage %1 needs about %2, more than %3's %4 "
                                "for timed steps"),
                            {c.stages[stage].name, formatBytes(needed), d.id, formatBytes(d.memoryBytes)});
    StepBenchmarkOptions options;
    options.steps = 2;
    options.warmup = 1;
    options.batch = std::max(1, c.stages[stage].batchSize); // small batches run at a fraction of the rate
    options.textTokens = 48;
    const StepBenchmarkResult r =
        runStepBenchmark(stage < c.stageModels.size() ? c.stageModels[stage] : c.model, parseDevice(device), options);
    return flopRate(r.achievedFlops, "two timed steps on %1, no finished run to learn from: likely high",
                    msg("two timed steps on %1, no finished run to learn from: likely high"), {device});
}

// What the sweep does with a variant: as it is for --json, in the user's
// language for the printed plan.
std::string stateOf(const PlannedRun &p, bool forPeople)
{
    if (!p.existing)
        // TRANSLATORS: a sweep variant's state in the plan: no run of it in the store yet.
        return forPeople ? msg("new") : "new";
    switch (p.existing->status) {
    case RunStatus::Finished: return forPeople ? msg("finished, skipped") : "finished, skipped";
    case RunStatus::Running: return forPeople ? msg("running elsewhere, skipped") : "running elsewhere, skipped";
    case RunStatus::Queued: return forPeople ? msg("queued, started") : "queued, started";
    default:
        if (forPeople)
            // TRANSLATORS: a sweep variant's state in the plan; %1 is its run's status as the store names it
            // (failed, interrupted).
            return fill(msg("%1, resumed"), {runStatusName(p.existing->status)});
        return std::string(runStatusName(p.existing->status)) + ", resumed";
    }
}

bool needsWork(const PlannedRun &p)
{
    return !p.existing || (p.existing->status != RunStatus::Finished && p.existing->status != RunStatus::Running);
}

} // namespace

void addSweepCommand(CLI::App &app, Action &action)
{
    auto o = std::make_shared<SweepOptions>();
    CLI::App *cmd = app.add_subcommand("sweep", msg("Run a grid of config variants (and seeds), tagged for comparison; "
                                                "run it again to continue an interrupted sweep"));
    cmd->add_option("CONFIG", o->config, msg("base run config (YAML)"))->required();
    cmd->add_option("--vary", o->vary, msg("key.path=v1,v2,... (repeatable; the grid is every combination)"));
    cmd->add_option("--variants", o->variantsFile, msg("YAML list of named variants: [{name: ..., set: {key.path: value}}]"));
    cmd->add_option("--seeds", o->seeds, msg("repeat every variant with this many seeds (0: once, as configured)"))
        ->check(CLI::Range(0, 1000));
    cmd->add_option("--name", o->tag, msg("the sweep's tag and run-name prefix (default: CONFIG's name + \"-sweep\")"));
    cmd->add_option("--set", o->overrides, msg("override a config value in every variant: key.path=value (repeatable)"));
    cmd->add_flag("--dry-run", o->dryRun, msg("show the variants, token budgets and time estimates; run nothing"));
    cmd->add_flag("--json", o->json, msg("print the plan as JSON (with --dry-run)"));
    addTrainingOptions(*cmd, o->training);
    cmd->callback([o, &action] {
        action = [o] {
            if (o->vary.empty() && o->variantsFile.empty())
                throw InputError(msg("sweep: give --vary key.path=v1,v2,... or --variants FILE"));
            if (!o->vary.empty() && !o->variantsFile.empty())
                throw InputError(msg("sweep: --vary and --variants do not combine; use one of them"));
            std::vector<SweepVariant> variants;
            if (o->variantsFile.empty()) {
                std::vector<SweepAxis> axes;
                for (const std::string &spec : o->vary)
                    axes.push_back(parseSweepAxis(spec));
                variants = expandSweepGrid(axes, o->seeds);
            } else {
                variants = loadSweepVariants(o->variantsFile, o->seeds);
            }

            // Every variant is loaded and validated before anything runs.
            std::vector<PlannedRun> plan;
            for (const SweepVariant &v : variants) {
                std::vector<std::string> overrides = o->overrides;
                overrides.insert(overrides.end(), v.overrides.begin(), v.overrides.end());
                try {
                    RunConfig config = RunConfig::load(o->config, overrides);
                    if (v.seed) {
                        const auto seeds = seedOverrides(config, *v.seed);
                        overrides.insert(overrides.end(), seeds.begin(), seeds.end());
                        config = RunConfig::load(o->config, overrides);
                    }
                    SweepVariant withSeed = v;
                    withSeed.overrides = overrides;
                    plan.push_back({withSeed, config, estimateRunFlops(config), std::nullopt});
                } catch (const InputError &e) {
                    throw InputError(fill(msg("sweep variant '%1': %2"), {v.label, e.what()}));
                }
            }
            const std::string tag = o->tag.empty() ? plan.front().config.name + "-sweep" : o->tag;

            ExperimentStore store(dbPath(o->training.db));
            RunFilter mine;
            mine.sweep = tag;
            for (const RunRecord &r : store.runs(mine))
                for (PlannedRun &p : plan)
                    if (r.sweep.variant == p.variant.label && r.sweep.seed == p.variant.seed)
                        p.existing = r; // runs come in id order: the latest wins

            if (o->training.threads > 0)
                setCpuThreads(o->training.threads);
            const std::string device = o->training.device.empty() ? "cpu" : o->training.device;
            const FlopRate measured = measuredFlopRate(store, plan.front().config, device);
            const double rate = measured.flopsPerSecond;
            double total = 0;
            Json jsonPlan = Json::array();
            if (!o->json) {
                std::cout << fill(msgn("sweep %1: %2 variant of %3 in %4", "sweep %1: %2 variants of %3 in %4", plan.size()),
                                  {tag, std::to_string(plan.size()), o->config, store.file()})
                          << "\n";
                sweepRow("#", msg("variant"), msg("tokens"), msg("estimate"), msg("state"));
            }
            for (size_t i = 0; i < plan.size(); ++i) {
                const PlannedRun &p = plan[i];
                const std::optional<double> seconds =
                    p.flops && rate > 0 ? std::optional<double>(*p.flops / rate) : std::nullopt;
                if (seconds && needsWork(p))
                    total += *seconds;
                const std::string label =
                    p.variant.seed
                        // TRANSLATORS: a sweep variant's label and its seed index, in the plan's table.
                        ? fill(msg("%1 seed %2"), {p.variant.label, std::to_string(*p.variant.seed)})
                        : p.variant.label;
                if (o->json) {
                    Json j = Json::object();
                    j["label"] = p.variant.label;
                    j["seed"] = p.variant.seed ? Json(*p.variant.seed) : Json();
                    j["run_name"] = sweepRunName(tag, p.variant);
                    Json overrides = Json::array();
                    for (const std::string &s : p.variant.overrides)
                        overrides.push_back(s);
                    j["overrides"] = overrides;
                    j["tokens"] = tokensOf(p.config);
                    j["estimate_seconds"] = seconds ? Json(*seconds) : Json();
                    Json stages = Json::array();
                    for (const auto &flops : estimateStageFlops(p.config))
                        stages.push_back(flops && rate > 0 ? Json(*flops / rate) : Json());
                    j["stage_estimate_seconds"] = stages;
                    j["run_id"] = p.existing ? Json(p.existing->id) : Json();
                    j["status"] = p.existing ? Json(runStatusName(p.existing->status)) : Json();
                    j["state"] = stateOf(p, false);
                    jsonPlan.push_back(j);
                } else {
                    sweepRow(std::to_string(i + 1), label, tokensOf(p.config), seconds ? formatDuration(*seconds) : "?",
                             stateOf(p, true));
                }
            }
            if (o->json) {
                Json out = Json::object();
                out["sweep"] = tag;
                out["db"] = store.file();
                out["flops_per_second"] = rate;
                out["rate_source"] = measured.source;
                out["estimate_seconds"] = total;
                out["variants"] = jsonPlan;
                std::cout << out.dump() << std::endl;
            } else {
                std::cout << fill(msg("estimate for what is left: %1 (training FLOPs at %2 GFLOP/s, %3; cached stages "
                                      "take less)"),
                                  {formatDuration(total), formatRealFixed(rate / 1e9, 1), measured.sourceText})
                          << "\n";
            }
            if (o->dryRun)
                return 0;

            int failed = 0;
            for (PlannedRun &p : plan) {
                if (!needsWork(p))
                    continue;
                ProgressPrinter printer(o->training.progress);
                Trainer trainer(p.config, store, {o->training.device, o->training.threads, {}}, std::ref(printer));
                int64_t id = 0;
                std::string from;
                if (p.existing && p.existing->status != RunStatus::Queued) {
                    id = p.existing->id;
                    const RunDetail detail = store.run(id);
                    from = detail.checkpoints.empty() ? std::string() : detail.checkpoints.back().path;
                } else if (p.existing) {
                    id = p.existing->id;
                } else {
                    id = trainer.createRun(sweepRunName(tag, p.variant), {tag, p.variant.label, p.variant.seed});
                }
                if (!printer.json())
                    std::cout << "\n"
                              << (from.empty() ? fill(msg("%1: run %2"), {sweepRunName(tag, p.variant), std::to_string(id)})
                                               : fill(msg("%1: run %2, resuming from %3"),
                                                      {sweepRunName(tag, p.variant), std::to_string(id), from}))
                              << "\n" << std::flush;
                RunOutcome outcome = RunOutcome::Failed;
                runToEnd(trainer, store, printer, id, from, &outcome);
                if (outcome == RunOutcome::Interrupted) {
                    std::cerr << "cos-batch: " << fill(msg("sweep %1 stopped; run the same command again to continue it"), {tag})
                              << "\n";
                    return 1;
                }
                failed += outcome == RunOutcome::Failed ? 1 : 0;
            }
            if (failed > 0) {
                std::cerr << "cos-batch: "
                          << fill(msgn("sweep %1: %2 run failed; run the same command again to retry it",
                                       "sweep %1: %2 runs failed; run the same command again to retry them",
                                       static_cast<unsigned long>(failed)),
                                  {tag, std::to_string(failed)})
                          << "\n";
                return 1;
            }
            std::cout << fill(msg("sweep %1 finished: %2"),
                              {tag, "cos-batch compare --sweep '" + tag + "' --group-by variant --db " + store.file()})
                      << "\n";
            return 0;
        };
    });
}

} // namespace cosw::batch

// cos-batch run / resume: training runs, headless (DESIGN §4, §7).

#include "Commands.h"

#include "model/Errors.h"
#include "model/Json.h"
#include "store/ExperimentStore.h"
#include "train/Trainer.h"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <unistd.h>

namespace cosw::batch {

namespace {

struct RunOptions {
    std::string db, device, name, progress = "auto";
    int threads = 0;
    std::vector<std::string> overrides;
};

void onSignal(int)
{
    Trainer::stopRequested() = true; // an atomic store: safe in a handler
}

std::string duration(double s)
{
    if (!(s >= 0) || s > 1e7)
        return "?";
    char buf[32];
    const int total = static_cast<int>(s + 0.5);
    if (total >= 3600)
        std::snprintf(buf, sizeof buf, "%dh%02dm", total / 3600, total / 60 % 60);
    else
        std::snprintf(buf, sizeof buf, "%dm%02ds", total / 60, total % 60);
    return buf;
}

// Turns training events into a progress bar (terminal), plain lines (pipe)
// or JSON lines (--progress json, for the GUI).
class ProgressPrinter {
public:
    explicit ProgressPrinter(const std::string &mode)
        : m_json(mode == "json"), m_bar(mode == "bar" || (mode == "auto" && isatty(STDOUT_FILENO)))
    {
    }

    void operator()(const TrainingEvent &e)
    {
        if (m_json) {
            std::cout << e.toJson().dump() << std::endl;
            return;
        }
        if (e.kind == "step" || e.kind == "data" || e.kind == "eval_progress") {
            char line[200];
            if (e.kind == "step")
                std::snprintf(line, sizeof line, "[%s] step %lld/%lld  loss %.4f  %.1f samples/s  ETA %s",
                              e.stageName.c_str(), static_cast<long long>(e.step),
                              static_cast<long long>(e.totalSteps), e.loss, e.samplesPerSecond,
                              duration(e.etaSeconds).c_str());
            else
                std::snprintf(line, sizeof line, "[%s] %s %lld/%lld", e.kind == "data" ? "data" : e.stageName.c_str(),
                              e.kind == "data" ? "generating images" : "evaluating",
                              static_cast<long long>(e.step), static_cast<long long>(e.totalSteps));
            if (m_bar) {
                std::cout << "\r" << line << "\033[K" << std::flush;
                m_open = true;
            } else if (e.step == e.totalSteps || e.step % std::max<int64_t>(1, e.totalSteps / 10) == 0) {
                std::cout << line << std::endl;
            }
            return;
        }
        endLine();
        if (e.kind == "eval") {
            const Json &d = e.data;
            std::printf("[%s] eval accuracy %.4f on %lld samples (majority answer '%s': %.4f)\n", e.stageName.c_str(),
                        d.find("accuracy")->asDouble(), static_cast<long long>(d.find("n")->asInt()),
                        d.find("majority_answer")->asString().c_str(), d.find("majority_accuracy")->asDouble());
            for (const auto &[type, acc] : d.find("per_type")->asObject())
                std::printf("    %-12s %.4f\n", type.c_str(), acc.asDouble());
            m_lastAccuracy = d.find("accuracy")->asDouble();
            m_majority = d.find("majority_accuracy")->asDouble();
            m_hasEval = true;
        } else if (e.kind == "stage_start") {
            std::printf("stage %d %s (%s): %lld visual tokens at %lld px\n", e.stage, e.stageName.c_str(),
                        e.data.find("kind")->asString().c_str(),
                        static_cast<long long>(e.data.find("visual_tokens")->asInt()),
                        static_cast<long long>(e.data.find("resolution")->asInt()));
        } else if (e.kind == "stage_end" && e.data.isObject()) {
            std::printf("stage %d %s done: %.1f s training, final loss %.4f\n", e.stage, e.stageName.c_str(),
                        e.data.find("wall_seconds")->asDouble(), e.data.find("final_loss")->asDouble());
        } else if (!e.text.empty() && e.kind != "checkpoint") {
            std::printf("%s\n", e.text.c_str());
        }
        std::fflush(stdout);
    }

    void endLine()
    {
        if (m_open)
            std::cout << "\n";
        m_open = false;
    }

    bool json() const { return m_json; }
    bool hasEval() const { return m_hasEval; }
    double lastAccuracy() const { return m_lastAccuracy; }
    double majority() const { return m_majority; }

private:
    bool m_json, m_bar, m_open = false, m_hasEval = false;
    double m_lastAccuracy = 0, m_majority = 0;
};

int execute(Trainer &trainer, ExperimentStore &store, ProgressPrinter &printer, int64_t runId,
            const std::string &resumeFrom)
{
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    const RunOutcome outcome = trainer.run(runId, resumeFrom);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    printer.endLine();
    if (printer.json())
        return outcome == RunOutcome::Finished ? 0 : 1;

    if (outcome == RunOutcome::Finished) {
        std::cout << "run " << runId << " finished";
        if (printer.hasEval())
            std::printf(": accuracy %.4f, majority-answer baseline %.4f", printer.lastAccuracy(), printer.majority());
        std::cout << "\nresults: cos-batch show " << runId << " --db " << store.file() << "\n";
        return 0;
    }
    std::cerr << "cos-batch: run " << runId << " " << (outcome == RunOutcome::Failed ? "failed" : "was interrupted")
              << ": " << trainer.failure() << "\n";
    if (outcome == RunOutcome::Interrupted)
        std::cerr << "continue it with: cos-batch resume " << runId << " --db " << store.file() << "\n";
    return 1;
}

void addCommonOptions(CLI::App &cmd, RunOptions &o)
{
    addDbOption(cmd, o.db);
    cmd.add_option("--device", o.device, "cpu, cuda or cuda:N (overrides the stages' devices)");
    cmd.add_option("--threads", o.threads, "intra-op threads (default: LibTorch's)");
    cmd.add_option("--progress", o.progress, "auto, bar, lines or json")
        ->check(CLI::IsMember({"auto", "bar", "lines", "json"}))
        ->capture_default_str();
}

} // namespace

void addRunCommand(CLI::App &app, Action &action)
{
    auto o = std::make_shared<RunOptions>();
    auto config = std::make_shared<std::string>();
    CLI::App *cmd = app.add_subcommand("run", "Train a run config: every stage, evaluation, checkpoints, store records");
    cmd->add_option("CONFIG", *config, "run config (YAML)")->required();
    cmd->add_option("--name", o->name, "run name (default: the config's name)");
    cmd->add_option("--set", o->overrides, "override a config value: key.path=value (repeatable)");
    addCommonOptions(*cmd, *o);
    cmd->callback([o, config, &action] {
        action = [o, config] {
            const RunConfig run = RunConfig::load(*config, o->overrides);
            ExperimentStore store(dbPath(o->db));
            ProgressPrinter printer(o->progress);
            Trainer trainer(run, store, {o->device, o->threads, {}}, std::ref(printer));
            const int64_t id = trainer.createRun(o->name);
            if (printer.json())
                std::cout << "{\"event\":\"run\",\"run_id\":" << id << ",\"db\":" << Json(store.file()).dump() << "}"
                          << std::endl;
            else
                std::cout << "run " << id << " in " << store.file() << "\n" << std::flush;
            return execute(trainer, store, printer, id, {});
        };
    });
}

void addResumeCommand(CLI::App &app, Action &action)
{
    auto o = std::make_shared<RunOptions>();
    auto id = std::make_shared<int64_t>(0);
    CLI::App *cmd = app.add_subcommand("resume", "Continue an interrupted or failed run from its last checkpoint");
    cmd->add_option("RUN_ID", *id, "run id")->required();
    addCommonOptions(*cmd, *o);
    cmd->callback([o, id, &action] {
        action = [o, id] {
            ExperimentStore store(dbPath(o->db));
            const RunDetail detail = store.run(*id);
            if (detail.run.status == RunStatus::Finished)
                throw InputError("run " + std::to_string(*id) + " in " + store.file() + " has already finished");
            if (detail.run.status == RunStatus::Running)
                throw InputError("run " + std::to_string(*id) + " in " + store.file()
                                 + " is running (pid " + std::to_string(detail.run.pid.value_or(0)) + ")");
            const std::string source = store.file() + " run " + std::to_string(*id);
            const RunConfig run = RunConfig::fromJson(Json::parse(detail.run.config, source), source);
            ProgressPrinter printer(o->progress);
            Trainer trainer(run, store, {o->device, o->threads, {}}, std::ref(printer));
            const std::string from = detail.checkpoints.empty() ? std::string() : detail.checkpoints.back().path;
            if (printer.json())
                std::cout << "{\"event\":\"run\",\"run_id\":" << *id << ",\"db\":" << Json(store.file()).dump() << "}"
                          << std::endl;
            else
                std::cout << "run " << *id << " in " << store.file()
                          << (from.empty() ? ": no checkpoint, starting over\n" : ": resuming from " + from + "\n")
                          << std::flush;
            return execute(trainer, store, printer, *id, from);
        };
    });
}

} // namespace cosw::batch

// cos-batch bench replica: the paper's pre-training time / accuracy claim as
// one command (DESIGN §8). Writes every run to the store and report.md /
// report.json to --out.

#include "Commands.h"
#include "ProgressPrinter.h"
#include "RankLauncher.h"
#include "ScratchStore.h"
#include "StopOnSignal.h"

#include "base/Errors.h"
#include "base/Files.h"
#include "base/Messages.h"
#include "store/ExperimentStore.h"
#include "train/DataParallel.h"
#include "train/ReplicaBenchmark.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace cosw::batch {

namespace {

struct ReplicaCommandOptions {
    ReplicaOptions replica;
    TrainingOptions training;
    ParallelOptions parallel;
    std::string out = "replica-report";
    bool reuse = false;
};

// "host: CPU model, N cores", for the report's reader to know what ran it.
std::string machineDescription()
{
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    std::string cpu = "unknown CPU";
    std::ifstream info("/proc/cpuinfo");
    for (std::string line; std::getline(info, line);)
        if (line.rfind("model name", 0) == 0 && line.find(':') != std::string::npos) {
            cpu = line.substr(line.find(':') + 2);
            break;
        }
    return std::string(host) + ": " + cpu + ", " + std::to_string(std::thread::hardware_concurrency()) + " cores";
}

std::string utcNow()
{
    const std::time_t now = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
    return buf;
}

} // namespace

void addBenchReplicaCommand(CLI::App &bench, Action &action)
{
    auto o = std::make_shared<ReplicaCommandOptions>();
    CLI::App *cmd = bench.add_subcommand(
        "replica", msg("Baseline resampler vs Chain-of-Sight and its scaling ablations: pre-training time and accuracy"));
    cmd->add_flag("--quick", o->replica.quick, msg("a third of the pre-training and fine-tuning steps, 200 evaluation questions"));
    addTrainingOptions(*cmd, o->training);
    addParallelOptions(*cmd, o->parallel);
    cmd->add_option("--out", o->out, msg("directory for report.md and report.json"))->capture_default_str();
    cmd->add_option("--baseline", o->replica.baselineConfig, msg("baseline run config"))->capture_default_str();
    cmd->add_option("--cos", o->replica.cosConfig, msg("Chain-of-Sight run config"))->capture_default_str();
    cmd->add_option("--set", o->replica.overrides, msg("override a value in both configs: key.path=value (repeatable)"));
    cmd->add_option("--variants", o->replica.variants,
                    msg("variants to run (default: the first five): baseline, cos, cos-noscale, cos-window, cos-resolution, "
                        "baseline-mlp (LLaVA-1.5's MLP projector in the baseline's place, on request)"))
        ->delimiter(',');
    cmd->add_option("--seeds", o->replica.seeds,
                    msg("train every variant this many times, seed s moving every stage's seed on by s; the headline "
                        "compares the means"))
        ->capture_default_str();
    cmd->add_flag("--reuse", o->reuse,
                  msg("use finished runs of the same configs already in the store (continues an interrupted benchmark)"));
    cmd->callback([o, &action] {
        action = [o] {
            const std::vector<ReplicaVariant> variants = replicaVariants(o->replica);
            std::error_code ec;
            fs::create_directories(o->out, ec);
            if (ec || !fs::is_directory(o->out))
                throw InputError(fill(msg("--out %1: cannot create the directory (%2)"), {o->out, ec.message()}));
            if (const std::optional<int> status = launchedRanks(o->parallel, o->training))
                return *status;

            // Every rank opens the store: rank 0 writes it, the others read
            // rank 0's runs back from it and train into a scratch store.
            ExperimentStore store(dbPath(o->training.db));
            const std::unique_ptr<DataParallel> group = joinGroup(o->parallel);
            std::optional<ScratchStore> scratch;
            if (group && group->rank() != 0)
                scratch.emplace(*group);
            ProgressPrinter printer(o->training.progress);
            BlindBaselines blind;
            std::vector<ReplicaResult> results;
            {
                StopOnSignal stopOnSignal;
                results = runReplicaBenchmark(
                    variants, scratch ? scratch->store() : store, trainerOptions(o->training, scratch, group.get()),
                    o->reuse, std::ref(printer),
                    [&](const ReplicaVariant &v, size_t i) {
                        printer.endLine();
                        if (!printer.json())
                            std::printf("%s\n", fill(msg("== variant %1/%2: %3 (%4)"),
                                                     {std::to_string(i + 1), std::to_string(variants.size()),
                                                      v.seed ? fill(msg("%1, seed %2"), {v.name, std::to_string(v.seed)})
                                                             : v.name,
                                                      v.description})
                                                    .c_str());
                        std::fflush(stdout);
                    },
                    blind, &store);
            }
            printer.endLine();
            // The benchmark stops at the first variant that does not finish.
            const auto unfinished = std::find_if(results.begin(), results.end(),
                                                 [](const ReplicaResult &r) { return r.status != "finished"; });
            if (scratch) // rank 0 reports
                return unfinished == results.end() ? 0 : 1;

            Json context = Json::object();
            context["benchmark"] = "replica";
            context["mode"] = o->replica.quick ? "quick" : "full";
            context["date"] = utcNow();
            context["machine"] = machineDescription();
            context["libtorch"] = TORCH_VERSION;
            context["device"] = o->training.device.empty() ? std::string("as configured") : o->training.device;
            context["threads"] = static_cast<int64_t>(torch::get_num_threads());
            context["ranks"] = group ? group->worldSize() : 1;
            context["db"] = store.file();
            Json configs = Json::object();
            configs["baseline"] = o->replica.baselineConfig;
            configs["cos"] = o->replica.cosConfig;
            context["configs"] = configs;

            const Json report = replicaReport(results, blind, context);
            const std::string md = replicaMarkdown(report);
            writeTextFile((fs::path(o->out) / "report.json").string(), report.dump(2) + "\n");
            writeTextFile((fs::path(o->out) / "report.md").string(), md);
            if (!printer.json())
                std::cout << "\n"
                          << md << "\n"
                          << fill(msg("report: %1"), {(fs::path(o->out) / "report.md").string()}) << "\n";

            if (unfinished != results.end()) {
                std::cerr << "cos-batch: "
                          // TRANSLATORS: %3 is the run's status as the store names it (failed, interrupted).
                          << fill(msg("variant %1 (run %2) %3: %4"),
                                  {unfinished->variant, std::to_string(unfinished->runId), unfinished->status,
                                   unfinished->message})
                          << "\n";
                return 1;
            }
            return 0;
        };
    });
}

} // namespace cosw::batch

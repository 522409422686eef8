// cos-batch bench ...: benchmarks of the engine (DESIGN §8). Figures, not
// tests: nothing here asserts a speed.

#include "Commands.h"

#include "facade/BlasKernel.h"
#include "bench/ConnectorBenchmark.h"
#include "bench/StepBenchmark.h"
#include "model/ModelConfig.h"
#include "base/Device.h"
#include "base/Json.h"
#include "base/Messages.h"
#include "train/LoaderBenchmark.h"
#include "train/LookupProbe.h"
#include "train/RunConfig.h"
#include "train/RunData.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <vector>

namespace cosw::batch {

namespace {

// One figure as printf writes it (width, decimals), for the tables below:
// the words around the figures go through msg().
template <typename T>
std::string printed(const char *format, T value)
{
    std::vector<char> buf(size_t(std::max(0, std::snprintf(nullptr, 0, format, value))) + 1);
    std::snprintf(buf.data(), buf.size(), format, value);
    return buf.data();
}

} // namespace

void addBenchCommand(CLI::App &app, Action &action)
{
    CLI::App *bench = app.add_subcommand("bench", msg("Benchmarks"));
    bench->require_subcommand(1);

    struct ConnectorOptions {
        bool json = false, quick = false;
        std::string device = "cpu";
        int repeats = 5;
    };
    auto o = std::make_shared<ConnectorOptions>();
    CLI::App *connector = bench->add_subcommand(
        "connector", msg("Chain-of-Sight windows: batched vs per-window loop vs one global cross-attention"));
    connector->add_flag("--json", o->json, msg("print a JSON list"));
    connector->add_flag("--quick", o->quick, msg("one tiny setting (checks the benchmark runs)"));
    connector->add_option("--device", o->device, msg("cpu, cuda or cuda:N"))->capture_default_str();
    connector->add_option("--repeats", o->repeats, msg("timed repeats per path (median reported)"))
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    connector->callback([o, &action] {
        action = [o] {
            const torch::Device device = parseDevice(o->device);
            ConnectorBenchOptions options;
            options.repeats = o->repeats;
            std::vector<ConnectorBenchCase> cases = defaultConnectorBenchCases();
            if (o->quick) {
                options.width = options.featureWidth = 16;
                options.heads = 2;
                options.layers = 1;
                options.repeats = 1;
                cases = {{8, 4, 1, 2}};
            }
            Json results = Json::array();
            if (!o->json)
                std::printf("%5s %8s %8s %6s %11s %9s %10s %8s %9s\n", "grid", "windows", "queries", "batch",
                            "batched_ms", "loop_ms", "global_ms", "loop/b", "b/global");
            for (const auto &c : cases) {
                const ConnectorBenchResult r = runConnectorBench(c, options, device);
                results.push_back(r.toJson());
                if (!o->json)
                    std::printf("%5d %5dx%-2d %8d %6d %11.2f %9.2f %10.2f %7.1fx %8.2fx\n", c.grid, c.windows,
                                c.windows, c.queries, c.batch, r.batchedMs, r.loopMs, r.globalMs,
                                r.loopMs / r.batchedMs, r.batchedMs / r.globalMs);
            }
            if (o->json)
                std::cout << results.dump() << std::endl;
            return 0;
        };
    });

    struct StepOptions {
        bool json = false;
        std::string device = "cpu";
        std::vector<std::string> configs;
        int steps = 5, batch = 4;
    };
    auto s = std::make_shared<StepOptions>();
    CLI::App *step = bench->add_subcommand(
        "step", msg("Training-step throughput of MLLM configs against the GEMM peak measured in the same process"));
    step->add_option("CONFIGS", s->configs, msg("model configs (JSON)"))->required();
    step->add_flag("--json", s->json, msg("print a JSON list"));
    step->add_option("--device", s->device, msg("cpu, cuda or cuda:N"))->capture_default_str();
    step->add_option("--steps", s->steps, msg("timed steps"))->check(CLI::PositiveNumber)->capture_default_str();
    step->add_option("--batch", s->batch, msg("batch size"))->check(CLI::PositiveNumber)->capture_default_str();
    step->callback([s, &action] {
        action = [s] {
            const torch::Device device = parseDevice(s->device);
            const double peak = measureGemmPeak(device);
            if (!s->json)
                std::printf("%s\n", fill(msg("BLAS: %1"), {blasSummary(blasInfo())}).c_str());
            Json results = Json::array();
            for (const auto &path : s->configs) {
                const Json json = parseJsonFile(path);
                const Json *model = findKey(json, "model");
                const ModelConfig config = ModelConfig::fromJson(model ? *model : json, path, model ? "model" : "");
                StepBenchmarkOptions options;
                options.steps = s->steps;
                options.batch = s->batch;
                const StepBenchmarkResult r = runStepBenchmark(config, device, options);
                Json row = r.toJson();
                row["config"] = path;
                row["batch"] = s->batch;
                row["gemm_peak_flops_per_s"] = peak;
                row["fraction_of_peak"] = r.achievedFlops / peak;
                row["blas"] = blasSummary(blasInfo());
                results.push_back(row);
                if (!s->json)
                    std::printf("%s\n",
                                // TRANSLATORS: %1 is a model config file, %2 its median training-step time in seconds.
                                fill(msg("%1 step %2 s  %3 samples/s  %4 GFLOP/s  %5% of GEMM peak (%6 GFLOP/s)"),
                                     {printed("%-32s", path.c_str()), printed("%8.3f", r.medianStepSeconds),
                                      printed("%8.1f", r.samplesPerSecond), printed("%7.1f", r.achievedFlops / 1e9),
                                      printed("%5.1f", 100.0 * r.achievedFlops / peak), printed("%.1f", peak / 1e9)})
                                    .c_str());
            }
            if (s->json)
                std::cout << results.dump() << std::endl;
            return 0;
        };
    });

    struct LoaderOptions {
        bool json = false;
        std::string config;
        std::vector<std::string> overrides;
        int batches = 50;
    };
    auto l = std::make_shared<LoaderOptions>();
    CLI::App *loader = bench->add_subcommand(
        "loader", msg("Samples/s of a run config's batch loader alone, per text stage (compare with training's samples/s)"));
    loader->add_option("CONFIG", l->config, msg("run config (YAML)"))->required();
    loader->add_option("--set", l->overrides, msg("override a config value: key.path=value (repeatable)"));
    loader->add_option("--batches", l->batches, msg("timed batches per stage"))->check(CLI::PositiveNumber)->capture_default_str();
    loader->add_flag("--json", l->json, msg("print a JSON list"));
    loader->callback([l, &action] {
        action = [l] {
            const RunConfig config = RunConfig::load(l->config, l->overrides);
            const PreparedData data = prepareRunData(config, {});
            Json results = Json::array();
            for (const LoaderBenchResult &r : runLoaderBenchmark(config, data, l->batches)) {
                results.push_back(r.toJson());
                if (!l->json)
                    std::printf("%s\n", fill(msg("stage %1 %2 %3 px  batch %4  %5 workers  %6 samples/s"),
                                             {std::to_string(r.stage), printed("%-10s", r.name.c_str()),
                                              printed("%4d", r.resolution), printed("%3d", r.batchSize),
                                              std::to_string(r.workers), printed("%8.1f", r.samplesPerSecond)})
                                            .c_str());
            }
            if (l->json)
                std::cout << results.dump() << std::endl;
            return 0;
        };
    });

    struct LookupOptions {
        LookupProbeOptions probe;
        bool json = false;
    };
    auto p = std::make_shared<LookupOptions>();
    // The quickstart's language model (configs/quickstart.yaml).
    p->probe.lm.kvHeads = 2;
    CLI::App *lookup = bench->add_subcommand(
        "lookup", msg("Can a fresh language model learn to look a cell up in text? Accuracy over steps (no image)"));
    lookup->add_option("--task", p->probe.task, msg("existence (is X among the cells?) or position (what is cell P?)"))
        ->check(CLI::IsMember({"existence", "position"}))
        ->capture_default_str();
    lookup->add_option("--cells", p->probe.cells, msg("cells per grid"))->check(CLI::Range(1, 256))->capture_default_str();
    lookup->add_option("--short-steps", p->probe.shortSteps, msg("first steps on short grids (a length curriculum)"))
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    lookup->add_option("--short-cells", p->probe.shortCells, msg("cells per grid in the first steps"))
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    lookup->add_flag("--caption-format", p->probe.captionFormat,
                     msg("write cells and question in the benchmark's words (row markers, \"is there a X ?\")"));
    lookup->add_flag("--cell-labels", p->probe.cellLabels,
                     msg("the benchmark's words, each cell written after its name (\"row 1 column 2 X\")"));
    lookup->add_flag("--cell-words", p->probe.cellWords,
                     msg("the benchmark's words, a cell named by one word of its own (\"what is at P ?\")"));
    lookup->add_option("--distractors", p->probe.distractors,
                       msg("filler words per sequence, a random share of them between the cells and the question"))
        ->check(CLI::Range(0, 256))
        ->capture_default_str();
    lookup->add_option("--steps", p->probe.steps, msg("training steps"))->check(CLI::PositiveNumber)->capture_default_str();
    lookup->add_option("--batch", p->probe.batchSize, msg("batch size"))->check(CLI::PositiveNumber)->capture_default_str();
    lookup->add_option("--lr", p->probe.lr, msg("peak learning rate (AdamW, warm-up then cosine)"))
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    lookup->add_option("--layers", p->probe.lm.layers, msg("decoder layers"))->check(CLI::PositiveNumber)->capture_default_str();
    lookup->add_option("--eval-every", p->probe.evalEvery, msg("steps between evaluations"))
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    lookup->add_option("--seed", p->probe.seed, msg("random seed"))->capture_default_str();
    lookup->add_flag("--json", p->json, msg("print a JSON list"));
    lookup->callback([p, &action] {
        action = [p] {
            Json points = Json::array();
            runLookupProbe(p->probe, [&](const LookupProbePoint &point) {
                if (p->json) {
                    Json j = Json::object();
                    j["step"] = point.step;
                    j["loss"] = point.loss;
                    j["accuracy"] = point.accuracy;
                    j["majority"] = point.majority;
                    points.push_back(j);
                    return;
                }
                std::printf("%s\n", fill(msg("step %1  loss %2  accuracy %3  (commonest answer %4)"),
                                         {printed("%5d", point.step), printed("%.4f", point.loss),
                                          printed("%.3f", point.accuracy), printed("%.3f", point.majority)})
                                        .c_str());
                std::fflush(stdout);
            });
            if (p->json)
                std::cout << points.dump() << std::endl;
            return 0;
        };
    });

    addBenchReplicaCommand(*bench, action);
}

} // namespace cosw::batch

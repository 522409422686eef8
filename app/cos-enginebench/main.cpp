// cos-enginebench: training-step throughput of the MLLM on synthetic inputs.
// Builds against the engine alone (LibTorch and header-only libraries) so it
// runs on any machine with a LibTorch.
//
//   cos-enginebench --config MODEL.json [--device cpu|cuda[:N]] [--steps N]
//                   [--dtype auto|fp32|bf16] [--batch B] [--text-tokens T]
//                   [--warmup W] [--threads N] [--seed S]
//   cos-enginebench --devices
//
// Prints one JSON object. Exit status: 0 success, 2 bad usage or input,
// 1 failure while running.

#include "base/Device.h"
#include "base/Errors.h"
#include "base/Json.h"
#include "bench/Precision.h"
#include "bench/StepBenchmark.h"
#include "base/MemoryReuse.h"
#include "facade/BlasKernel.h"
#include "facade/Devices.h"
#include "model/ModelConfig.h"

#include <torch/torch.h>

#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

namespace {

cosw::Json deviceList()
{
    cosw::Json list = cosw::Json::array();
    for (const cosw::DeviceInfo &d : cosw::availableDevices())
        list.push_back(cosw::Json{{"id", d.id}, {"name", d.name}, {"memory_bytes", d.memoryBytes}});
    return list;
}

struct Arguments {
    std::string config;
    std::string device = "cpu";
    std::string dtype = "auto"; // as a training stage's precision defaults to
    int threads = 0;
    bool devices = false;
    cosw::StepBenchmarkOptions step;
};

int benchmark(Arguments a)
{
    cosw::Json json = cosw::parseJsonFile(a.config);
    const cosw::Json *model = cosw::findKey(json, "model");
    const cosw::ModelConfig config = cosw::ModelConfig::fromJson(model ? *model : json, a.config, model ? "model" : "");

    const torch::Device device = cosw::parseDevice(a.device);
    if (a.dtype == "auto")
        a.dtype = cosw::automaticPrecision(device).precision;
    std::string why;
    if (a.dtype == "bf16" && !cosw::bf16Supported(device, &why))
        throw cosw::InputError("--dtype bf16: " + why);
    a.step.bf16 = a.dtype == "bf16";
    if (a.threads > 0)
        cosw::setCpuThreads(a.threads);

    // bf16 autocast runs the matrix products in bf16, so that is the peak to compare with.
    const double peak = cosw::measureGemmPeak(device, a.step.bf16 ? torch::kBFloat16 : torch::kFloat32);
    const cosw::StepBenchmarkResult r = cosw::runStepBenchmark(config, device, a.step);
    cosw::Json out = cosw::Json::object();
    out["config"] = a.config;
    out["device"] = device.str();
    out["dtype"] = a.dtype;
    out["batch"] = a.step.batch;
    out["text_tokens"] = a.step.textTokens;
    out["visual_tokens"] = cosw::visualTokens(config);
    out["threads"] = static_cast<int64_t>(torch::get_num_threads());
    out["steps"] = a.step.steps;
    out.update(r.toJson());
    out["gemm_peak_flops_per_s"] = peak;
    out["fraction_of_peak"] = r.achievedFlops / peak;
    std::cout << out.dump() << std::endl;
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    cosw::ensureBlasKernel();
    cosw::keepFreedMemoryForReuse();
    CLI::App app{"Training-step throughput of the MLLM on synthetic inputs; prints one JSON object.\n"
                 "MODEL.json holds a model section ({\"vision\":..., \"connector\":..., \"lm\":...}),\n"
                 "at the top level or under \"model\" (a checkpoint's config.json works).",
                 "cos-enginebench"};
    app.set_version_flag("--version", std::string("cos-enginebench ") + COS_VERSION + " (LibTorch " + TORCH_VERSION
                                          + ")\nBLAS: " + cosw::blasSummary(cosw::blasInfo()));
    Arguments a;
    app.add_flag("--devices", a.devices, "list the devices LibTorch reports, as JSON, and exit");
    app.add_option("--config", a.config, "model config (JSON)")->check(CLI::ExistingFile);
    app.add_option("--device", a.device, "cpu, cuda or cuda:N")->capture_default_str();
    app.add_option("--dtype", a.dtype, "what the step computes in; auto: bf16 where it is faster")
        ->check(CLI::IsMember({"auto", "fp32", "bf16"}))
        ->capture_default_str();
    app.add_option("--steps", a.step.steps, "timed steps")->check(CLI::PositiveNumber)->capture_default_str();
    app.add_option("--warmup", a.step.warmup, "untimed steps first")->check(CLI::NonNegativeNumber)->capture_default_str();
    app.add_option("--batch", a.step.batch, "samples per step")->check(CLI::PositiveNumber)->capture_default_str();
    app.add_option("--text-tokens", a.step.textTokens, "text tokens per sample, <image> included")
        ->check(CLI::Range(3, 1 << 20))
        ->capture_default_str();
    app.add_option("--threads", a.threads, "CPU threads (0: LibTorch's default)")->check(CLI::NonNegativeNumber);
    app.add_option("--seed", a.step.seed, "weights and inputs")->capture_default_str();

    try {
        app.parse(argc, argv);
        if (!a.devices && a.config.empty())
            throw CLI::RequiredError("--config");
    } catch (const CLI::Success &e) {
        return app.exit(e); // --help, --version
    } catch (const CLI::ParseError &e) {
        app.exit(e);
        return 2;
    }

    try {
        if (a.devices) {
            std::cout << deviceList().dump() << std::endl;
            return 0;
        }
        return benchmark(a);
    } catch (const cosw::InputError &e) {
        std::cerr << "cos-enginebench: " << e.what() << "\n";
        return 2;
    } catch (const std::exception &e) {
        std::cerr << "cos-enginebench: " << e.what() << "\n";
        return 1;
    }
}

// cos-enginebench: training-step throughput of the MLLM on synthetic inputs.
// Builds against LibTorch alone so it runs on any machine with a LibTorch.
//
//   cos-enginebench --config MODEL.json --device cpu|cuda[:N] --steps N
//                   [--dtype auto|fp32|bf16] [--batch B] [--text-tokens T]
//                   [--warmup W] [--threads N] [--seed S]
//   cos-enginebench --devices
//
// Prints one JSON object. Exit status: 0 success, 2 bad usage or input,
// 1 failure while running.

#include "facade/BlasKernel.h"
#include "facade/Devices.h"
#include "base/Device.h"
#include "bench/Precision.h"
#include "base/Errors.h"
#include "base/Json.h"
#include "model/ModelConfig.h"
#include "bench/StepBenchmark.h"

#include <torch/torch.h>

#include <cstdio>
#include <iostream>
#include <map>
#include <string>

namespace {

const char *kUsage =
    "usage: cos-enginebench --config MODEL.json [--device cpu|cuda[:N]] [--steps N]\n"
    "                       [--dtype auto|fp32|bf16] [--batch B] [--text-tokens T]\n"
    "                       [--warmup W] [--threads N] [--seed S]\n"
    "       cos-enginebench --devices   (the devices LibTorch reports, as JSON)\n"
    "MODEL.json holds a model section ({\"vision\":..., \"connector\":..., \"lm\":...}),\n"
    "either at the top level or under \"model\" (a checkpoint's config.json works).\n";

int positiveInt(const std::map<std::string, std::string> &args, const std::string &key, int fallback)
{
    auto it = args.find(key);
    if (it == args.end())
        return fallback;
    try {
        size_t used = 0;
        int v = std::stoi(it->second, &used);
        if (used == it->second.size() && v >= 0)
            return v;
    } catch (const std::exception &) {
    }
    throw cosw::InputError("--" + key + ": expected a non-negative integer, got '" + it->second + "'");
}

} // namespace

int main(int argc, char **argv)
{
    cosw::ensureBlasKernel();
    try {
        std::map<std::string, std::string> args;
        for (int i = 1; i < argc; ++i) {
            std::string a = argv[i];
            if (a == "--help" || a == "-h") {
                std::cout << kUsage;
                return 0;
            }
            if (a == "--devices") {
                cosw::Json list = cosw::Json::array();
                for (const cosw::DeviceInfo &d : cosw::availableDevices()) {
                    cosw::Json device = cosw::Json::object();
                    device["id"] = d.id;
                    device["name"] = d.name;
                    device["memory_bytes"] = d.memoryBytes;
                    list.push_back(device);
                }
                std::cout << list.dump() << std::endl;
                return 0;
            }
            if (a == "--version") {
                std::cout << "cos-enginebench " << COS_VERSION << " (LibTorch " << TORCH_VERSION << ")\nBLAS: "
                          << cosw::blasSummary(cosw::blasInfo()) << "\n";
                return 0;
            }
            if (a.rfind("--", 0) != 0 || i + 1 >= argc)
                throw cosw::InputError("unexpected argument '" + a + "'\n" + kUsage);
            args[a.substr(2)] = argv[++i];
        }
        static const char *known[] = {"config", "device", "steps", "dtype", "batch", "text-tokens",
                                      "warmup", "threads", "seed"};
        for (const auto &kv : args)
            if (std::find(std::begin(known), std::end(known), kv.first) == std::end(known))
                throw cosw::InputError("unknown option --" + kv.first + "\n" + kUsage);
        if (!args.count("config"))
            throw cosw::InputError(std::string("--config is required\n") + kUsage);

        const std::string path = args["config"];
        cosw::Json json = cosw::parseJsonFile(path);
        const cosw::Json *model = cosw::findKey(json, "model");
        cosw::ModelConfig config = cosw::ModelConfig::fromJson(model ? *model : json, path, model ? "model" : "");

        const torch::Device device = cosw::parseDevice(args.count("device") ? args["device"] : "cpu");
        // auto, as a training stage's precision defaults to: what this device trains in.
        std::string dtype = args.count("dtype") ? args["dtype"] : "auto";
        if (dtype != "auto" && dtype != "fp32" && dtype != "bf16")
            throw cosw::InputError("--dtype: expected auto, fp32 or bf16, got '" + dtype + "'");
        if (dtype == "auto")
            dtype = cosw::automaticPrecision(device).precision;
        std::string why;
        if (dtype == "bf16" && !cosw::bf16Supported(device, &why))
            throw cosw::InputError("--dtype bf16: " + why);

        cosw::StepBenchmarkOptions options;
        options.steps = positiveInt(args, "steps", options.steps);
        options.warmup = positiveInt(args, "warmup", options.warmup);
        options.batch = positiveInt(args, "batch", options.batch);
        options.textTokens = positiveInt(args, "text-tokens", options.textTokens);
        options.seed = static_cast<uint64_t>(positiveInt(args, "seed", 0));
        options.bf16 = dtype == "bf16";
        if (options.steps < 1 || options.batch < 1 || options.textTokens < 3)
            throw cosw::InputError("--steps and --batch must be at least 1, --text-tokens at least 3");
        if (int threads = positiveInt(args, "threads", 0); threads > 0)
            cosw::setCpuThreads(threads);

        // bf16 autocast runs the matrix products in bf16, so that is the peak to compare with.
        const double peak = cosw::measureGemmPeak(device, options.bf16 ? torch::kBFloat16 : torch::kFloat32);
        cosw::StepBenchmarkResult r = cosw::runStepBenchmark(config, device, options);
        cosw::Json out = cosw::Json::object();
        out["config"] = path;
        out["device"] = device.str();
        out["dtype"] = dtype;
        out["batch"] = options.batch;
        out["text_tokens"] = options.textTokens;
        out["visual_tokens"] = cosw::visualTokens(config);
        out["threads"] = static_cast<int64_t>(torch::get_num_threads());
        out["steps"] = options.steps;
        const cosw::Json result = r.toJson();
        out.update(result);
        out["gemm_peak_flops_per_s"] = peak;
        out["fraction_of_peak"] = r.achievedFlops / peak;
        std::cout << out.dump() << std::endl;
        return 0;
    } catch (const cosw::InputError &e) {
        std::cerr << "cos-enginebench: " << e.what() << "\n";
        return 2;
    } catch (const std::exception &e) {
        std::cerr << "cos-enginebench: " << e.what() << "\n";
        return 1;
    }
}

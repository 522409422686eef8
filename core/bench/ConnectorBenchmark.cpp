#include "ConnectorBenchmark.h"

#include "base/Device.h"
#include "model/ResamplerStack.h"

#include <chrono>
#include <functional>

namespace cosw {

Json ConnectorBenchResult::toJson() const
{
    Json j = Json::object();
    j["grid"] = setting.grid;
    j["windows"] = setting.windows;
    j["queries"] = setting.queries;
    j["batch"] = setting.batch;
    j["batched_ms"] = batchedMs;
    j["loop_ms"] = loopMs;
    j["global_ms"] = globalMs;
    return j;
}

std::vector<ConnectorBenchCase> defaultConnectorBenchCases()
{
    return {
        {16, 4, 1, 1}, {16, 4, 4, 4}, {16, 8, 1, 1}, {16, 8, 1, 4}, {16, 8, 4, 4}, {32, 8, 1, 4}, {32, 16, 1, 4},
    };
}

static double medianMs(const std::function<void()> &work, const ConnectorBenchOptions &o, const torch::Device &device)
{
    for (int i = 0; i < o.warmup; ++i)
        work();
    synchronize(device);
    std::vector<double> times;
    for (int i = 0; i < o.repeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        work();
        synchronize(device);
        times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

ConnectorBenchResult runConnectorBench(const ConnectorBenchCase &s, const ConnectorBenchOptions &o,
                                       const torch::Device &device)
{
    ConnectorConfig connector;
    connector.width = o.width;
    connector.heads = o.heads;
    connector.layers = o.layers;
    connector.mlpHidden = 4 * o.width;
    ResamplerStack windowed(ScaleConfig{s.windows, s.queries, false}, connector, o.featureWidth);
    // The same number of queries, each attending to the whole grid.
    ResamplerStack global(ScaleConfig{1, s.windows * s.windows * s.queries, false}, connector, o.featureWidth);
    windowed->to(device);
    global->to(device);
    auto features = torch::randn({s.batch, s.grid, s.grid, o.featureWidth}, torch::TensorOptions().device(device));

    auto pass = [](ResamplerStack &stack, const std::function<torch::Tensor()> &forward) {
        stack->zero_grad();
        forward().sum().backward();
    };
    ConnectorBenchResult r;
    r.setting = s;
    r.batchedMs = medianMs([&] { pass(windowed, [&] { return windowed->forward(features); }); }, o, device);
    r.loopMs = medianMs([&] { pass(windowed, [&] { return windowed->forwardPerWindowLoop(features); }); }, o, device);
    r.globalMs = medianMs([&] { pass(global, [&] { return global->forward(features); }); }, o, device);
    return r;
}

} // namespace cosw

// The AdamW update of a small model's parameters (the `small` engine
// config's language model: 3.2 M fp32 parameters in 38 tensors), by
// LibTorch's AdamW and by the one-pass FusedAdamW every stage trains with.
//
//   build/release/benchmarks/bench_optimizer

#include "optim/FusedAdamW.h"

#include <benchmark/benchmark.h>
#include <torch/torch.h>

namespace {

std::vector<torch::Tensor> smallModelParameters()
{
    torch::manual_seed(0);
    std::vector<torch::Tensor> p{torch::randn({1024, 256})}; // embedding, tied head
    for (int layer = 0; layer < 4; ++layer) {
        for (const auto &shape : std::vector<std::vector<int64_t>>{
                 {256, 256}, {128, 256}, {128, 256}, {256, 256}, // q, k, v, o
                 {688, 256}, {688, 256}, {256, 688},             // gate, up, down
                 {256}, {256}})                                  // the two norms
            p.push_back(torch::randn(shape));
    }
    p.push_back(torch::randn({256}));
    for (auto &t : p) {
        t.requires_grad_();
        t.mutable_grad() = torch::randn_like(t);
    }
    return p;
}

template <typename Optimizer>
void adamwStep(benchmark::State &state)
{
    std::vector<torch::Tensor> params = smallModelParameters();
    Optimizer optimizer(params, torch::optim::AdamWOptions(1e-3).weight_decay(0.01));
    optimizer.step(); // the moments exist from here on
    for (auto _ : state)
        optimizer.step();
    int64_t count = 0;
    for (const auto &t : params)
        count += t.numel();
    state.counters["parameters"] = double(count);
    // weight, gradient and two moments read, three written: the least any update moves
    state.SetBytesProcessed(int64_t(state.iterations()) * count * 7 * int64_t(sizeof(float)));
}

} // namespace

BENCHMARK_TEMPLATE(adamwStep, torch::optim::AdamW)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(adamwStep, cosw::FusedAdamW)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();

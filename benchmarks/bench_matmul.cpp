// Attention's batched products, forward and backward, as LibTorch's matmul
// and as batchedMatmul runs them: the `small` engine config's language model
// (batch 8, 4 heads of 64, 63 positions) and vision tower (4 heads of 32,
// 65 positions), in fp32 on the CPU.
//
//   build/release/benchmarks/bench_matmul

#include "model/BatchedMatmul.h"

#include <benchmark/benchmark.h>
#include <torch/torch.h>

namespace {

template <bool Blas>
void attentionProducts(benchmark::State &state)
{
    torch::manual_seed(0);
    const int64_t t = state.range(0), d = state.range(1);
    auto q = torch::randn({8, 4, t, d}, torch::requires_grad());
    auto k = torch::randn({8, 4, t, d}, torch::requires_grad());
    auto v = torch::randn({8, 4, t, d}, torch::requires_grad());
    auto mm = [](const torch::Tensor &a, const torch::Tensor &b) {
        return Blas ? cosw::batchedMatmul(a, b) : torch::matmul(a, b);
    };
    for (auto _ : state) {
        auto scores = mm(q, k.transpose(-2, -1)); // [8, 4, T, T]
        auto out = mm(torch::softmax(scores, -1), v); // [8, 4, T, d]
        out.sum().backward();
    }
    // two products forward, four backward
    state.counters["GFLOP/s"] = benchmark::Counter(double(6 * 2 * 32 * t * t * d) * double(state.iterations()) / 1e9,
                                                   benchmark::Counter::kIsRate);
}

} // namespace

BENCHMARK_TEMPLATE(attentionProducts, false)->Args({63, 64})->Args({65, 32})->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(attentionProducts, true)->Args({63, 64})->Args({65, 32})->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();

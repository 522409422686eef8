// Reading JSON: a dataset-shaped document (the LLaVA layout the workbench
// reads, 20,000 samples of three turns) through parseJson, with and without
// the lines a config reader asks for, against the library's plain parse.
//
//   build/release/benchmarks/bench_json

#include "base/Json.h"

#include <benchmark/benchmark.h>

#include <string>

namespace {

const std::string &datasetText()
{
    static const std::string text = [] {
        cosw::Json samples = cosw::Json::array();
        for (int i = 0; i < 20000; ++i) {
            cosw::Json turns = cosw::Json::array();
            for (int t = 0; t < 3; ++t) {
                turns.push_back({{"from", "human"}, {"value", "<image>\nrow 1: tshirt nothing bag nothing.\nis there a bag?"}});
                turns.push_back({{"from", "gpt"}, {"value", "yes"}});
            }
            samples.push_back({{"id", "s" + std::to_string(i)},
                               {"image", "images/train/" + std::to_string(i) + ".png"},
                               {"conversations", turns},
                               {"type", "existence"}});
        }
        return samples.dump(1);
    }();
    return text;
}

void parseJson(benchmark::State &state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(cosw::parseJson(datasetText(), "dataset.json"));
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(datasetText().size()));
}
BENCHMARK(parseJson)->Unit(benchmark::kMillisecond);

void parseJsonWithLines(benchmark::State &state)
{
    for (auto _ : state) {
        cosw::JsonLines lines;
        benchmark::DoNotOptimize(cosw::parseJson(datasetText(), "dataset.json", &lines));
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(datasetText().size()));
}
BENCHMARK(parseJsonWithLines)->Unit(benchmark::kMillisecond);

void libraryParse(benchmark::State &state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(cosw::Json::parse(datasetText()));
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(datasetText().size()));
}
BENCHMARK(libraryParse)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();

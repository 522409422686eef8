// Experiment store throughput (DESIGN §6). The target is 100,000 metric points
// per second sustained while a run writes its metrics in batches.
//
//   bench_store                          # everything
//   bench_store --benchmark_filter=Write # writes only
//
// Files go to $COS_BENCH_DIR, else the system temporary directory (use a
// directory on the disk the real store lives on for meaningful numbers).

#include "store/ExperimentStore.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using namespace cosw;

namespace {

// A directory that is removed with everything in it.
class ScratchDir {
public:
    ScratchDir()
    {
        const char *base = std::getenv("COS_BENCH_DIR");
        fs::path root = base && *base ? fs::path(base) : fs::temp_directory_path();
        m_path = root / ("cos-bench-store-" + std::to_string(getpid()) + "-" + std::to_string(s_counter++));
        fs::remove_all(m_path);
        fs::create_directories(m_path);
    }
    ~ScratchDir()
    {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    std::string file(const std::string &name) const { return (m_path / name).string(); }

private:
    static inline int s_counter = 0;
    fs::path m_path;
};

// What a training loop logs: a handful of series per optimizer step.
const std::vector<std::string> kNames = {"loss", "lr", "grad_norm", "tokens_per_s", "loss/lm", "loss/aux",
                                         "throughput/samples", "memory_gb"};

// Fills `batch` with the next points: every step logs each of `names` series.
void nextBatch(std::vector<MetricPoint> &batch, size_t size, size_t names, int64_t &step, double t0)
{
    batch.resize(size);
    for (size_t i = 0; i < size;) {
        for (size_t n = 0; n < names && i < size; ++n, ++i) {
            MetricPoint &p = batch[i];
            p.stage = static_cast<int>(step / 100000);
            p.step = step;
            if (p.name != kNames[n])
                p.name = kNames[n];
            p.value = 2.0 / std::sqrt(1.0 + static_cast<double>(step)) + 0.01 * static_cast<double>(n);
            p.time = t0 + 0.35 * static_cast<double>(step);
        }
        ++step;
    }
}

// addMetrics in batches of range(0) points, range(1) series, into a fresh
// file; the file grows over the whole measurement.
void BM_WriteMetrics(benchmark::State &state)
{
    const size_t batchSize = static_cast<size_t>(state.range(0));
    const size_t names = static_cast<size_t>(state.range(1));
    ScratchDir dir;
    ExperimentStore store(dir.file("experiments.sqlite"));
    const int64_t run = store.createRun("bench", "{}", "chain_of_sight", "cpu", "{}");
    store.startRun(run);
    std::vector<MetricPoint> batch;
    int64_t step = 0;
    for (auto _ : state) {
        // Filling the batch is part of the loop (well under 1% of it).
        nextBatch(batch, batchSize, names, step, 1.7e9);
        store.addMetrics(run, batch);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batchSize));
    state.counters["points"] = static_cast<double>(store.metricCount(run));
}
BENCHMARK(BM_WriteMetrics)
    ->ArgNames({"batch", "series"})
    ->Args({100, 4})
    ->Args({1000, 4})
    ->Args({1000, 8})
    ->Args({10000, 4})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);

// The same, sustained: 1,000 batches of 1,000 points (one million points)
// into one file, as one long run would.
BENCHMARK(BM_WriteMetrics)
    ->Name("BM_WriteMetricsSustained")
    ->ArgNames({"batch", "series"})
    ->Args({1000, 4})
    ->Iterations(1000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// A store with one run holding a 1,000,000-point "loss" series (and three
// other series of 1,000,000 points beside it), built once.
struct SeriesFixture {
    ScratchDir dir;
    std::unique_ptr<ExperimentStore> store;
    int64_t run = 0;
    static constexpr int64_t kSteps = 1000000;

    SeriesFixture()
    {
        store = std::make_unique<ExperimentStore>(dir.file("series.sqlite"));
        run = store->createRun("series", "{}", "chain_of_sight", "cpu", "{}");
        std::vector<MetricPoint> batch;
        int64_t step = 0;
        while (step < kSteps) {
            nextBatch(batch, 20000, 4, step, 1.7e9);
            store->addMetrics(run, batch);
        }
    }
    static SeriesFixture &get()
    {
        static SeriesFixture f;
        return f;
    }
};

// metricSeries(maxPoints = range(0)) over the whole 1,000,000-point series.
void BM_SeriesDownSample(benchmark::State &state)
{
    SeriesFixture &f = SeriesFixture::get();
    const int maxPoints = static_cast<int>(state.range(0));
    size_t returned = 0;
    for (auto _ : state) {
        auto series = f.store->metricSeries(f.run, "loss", maxPoints);
        returned = series.size();
        benchmark::DoNotOptimize(series.data());
    }
    state.SetItemsProcessed(state.iterations() * SeriesFixture::kSteps);
    state.counters["returned"] = static_cast<double>(returned);
}
BENCHMARK(BM_SeriesDownSample)->ArgName("maxPoints")->Arg(200)->Arg(2000)->Unit(benchmark::kMillisecond);

// A live view polling the newest 1,000 steps (returned whole).
void BM_SeriesTail(benchmark::State &state)
{
    SeriesFixture &f = SeriesFixture::get();
    for (auto _ : state) {
        auto series = f.store->metricSeries(f.run, "loss", 2000, SeriesFixture::kSteps - 1001);
        benchmark::DoNotOptimize(series.data());
    }
}
BENCHMARK(BM_SeriesTail)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();

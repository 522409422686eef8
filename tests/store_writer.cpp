// A writer process for tst_store: it opens the experiment store the way a
// training run does and writes into it, so the test can run several writers
// at once, kill one mid-transaction or leave a run behind without ending it.
//
//   store-writer DB metrics NAME POINTS BATCH
//       creates and starts run NAME, writes POINTS points of the series "loss"
//       (steps 0..POINTS-1) in addMetrics calls of BATCH points, ends the run
//       `finished`; prints "run ID" first and "done TOTAL" last.
//   store-writer DB loop NAME BATCH
//       creates and starts run NAME, then commits batches of BATCH points
//       until it is killed (at most 100,000 batches); prints "run ID", then
//       "committed TOTAL" after every commit, flushing stdout each time.
//   store-writer DB start-and-exit NAME
//       creates and starts run NAME and exits without ending it; prints
//       "run ID".
//
// Exit status: 0 done, 2 bad usage or InputError, 1 any other error.

#include "base/Errors.h"
#include "store/ExperimentStore.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

using namespace cosw;

namespace {

double now()
{
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

int usage()
{
    std::fprintf(stderr, "usage: store-writer DB metrics NAME POINTS BATCH | DB loop NAME BATCH | "
                         "DB start-and-exit NAME\n");
    return 2;
}

int64_t startRun(ExperimentStore &store, const std::string &name)
{
    const int64_t id = store.createRun(name, "{\"writer\":true}", "chain_of_sight", "cpu", "{}");
    store.startRun(id);
    std::printf("run %lld\n", static_cast<long long>(id));
    std::fflush(stdout);
    return id;
}

std::vector<MetricPoint> batch(int64_t firstStep, int64_t size)
{
    std::vector<MetricPoint> points;
    points.reserve(static_cast<size_t>(size));
    const double t = now();
    for (int64_t i = 0; i < size; ++i) {
        const int64_t step = firstStep + i;
        points.push_back({1, step, "loss", 10.0 / static_cast<double>(step + 1), t});
    }
    return points;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 4)
        return usage();
    const std::string file = argv[1], mode = argv[2], name = argv[3];
    try {
        ExperimentStore store(file);
        if (mode == "metrics" && argc == 6) {
            const int64_t points = std::atoll(argv[4]), size = std::atoll(argv[5]);
            if (points < 0 || size <= 0)
                return usage();
            const int64_t id = startRun(store, name);
            int64_t written = 0;
            while (written < points) {
                const int64_t n = std::min(size, points - written);
                store.addMetrics(id, batch(written, n));
                written += n;
            }
            store.endRun(id, RunStatus::Finished);
            std::printf("done %lld\n", static_cast<long long>(written));
            return 0;
        }
        if (mode == "loop" && argc == 5) {
            const int64_t size = std::atoll(argv[4]);
            if (size <= 0)
                return usage();
            const int64_t id = startRun(store, name);
            int64_t written = 0;
            for (int i = 0; i < 100000; ++i) {
                store.addMetrics(id, batch(written, size));
                written += size;
                std::printf("committed %lld\n", static_cast<long long>(written));
                std::fflush(stdout);
            }
            return 0;
        }
        if (mode == "start-and-exit" && argc == 4) {
            startRun(store, name);
            return 0;
        }
        return usage();
    } catch (const InputError &e) {
        std::fprintf(stderr, "store-writer: %s\n", e.what());
        return 2;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "store-writer: %s\n", e.what());
        return 1;
    }
}

#include "LoaderBenchmark.h"

#include "data/BatchLoader.h"

#include <chrono>

namespace cosw {

Json LoaderBenchResult::toJson() const
{
    Json j = Json::object();
    j["stage"] = stage;
    j["name"] = name;
    j["resolution"] = resolution;
    j["batch_size"] = batchSize;
    j["workers"] = workers;
    j["batches"] = batches;
    j["samples_per_s"] = samplesPerSecond;
    return j;
}

std::vector<LoaderBenchResult> runLoaderBenchmark(const RunConfig &config, const PreparedData &data, int batches)
{
    std::vector<LoaderBenchResult> results;
    for (size_t i = 0; i < config.stages.size(); ++i) {
        const StageConfig &st = config.stages[i];
        if (st.kind == "vision")
            continue; // stage 0 reads per-cell crops, not conversation batches
        const ModelConfig &mc = config.stageModels[i];
        BatchLoader loader(*data.datasets.at(st.data), data.tokenizer, mc.vision.imageSize, mc.vision.channels,
                           st.batchSize, st.seed, config.data.workers, config.data.skipBadImages);
        loader.next(); // the workers start and fill their queue
        const auto start = std::chrono::steady_clock::now();
        int64_t samples = 0;
        for (int b = 0; b < batches; ++b)
            samples += loader.next().ids.size(0);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

        LoaderBenchResult r;
        r.stage = static_cast<int>(i);
        r.name = st.name;
        r.resolution = mc.vision.imageSize;
        r.batchSize = st.batchSize;
        r.workers = config.data.workers;
        r.batches = batches;
        r.samplesPerSecond = s > 0 ? samples / s : 0;
        results.push_back(r);
    }
    return results;
}

} // namespace cosw

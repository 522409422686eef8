#pragma once
// Stage 0 (DESIGN §4): with no pretrained CLIP on these machines, the vision
// tower learns the benchmark images by classifying every grid cell (item or
// empty), at every resolution the later stages use, and is then frozen as
// CLIP is in the paper. The result is cached by content hash, so every run of
// a comparison shares one tower.

#include "RunConfig.h"
#include "TrainingEvents.h"
#include "io/Safetensors.h"

#include <torch/torch.h>

#include <atomic>
#include <map>
#include <string>

namespace cosw {

struct VisionTowerResult {
    StateDict weights;        // vision.* tensors
    bool cached = false;
    std::string cacheDir;
    int64_t steps = 0;
    double wallSeconds = 0;   // training only
    int64_t replacedImages = 0; // picks of an unreadable image replaced by a readable one (skip_bad_images)
    double finalLoss = 0;
    // Cells classified correctly on the evaluation images (held out: the
    // tower never trains on them), per input resolution it serves.
    std::map<int, double> cellAccuracy;
    int64_t cellsEvaluated = 0; // per resolution
};

class VisionTowerTrainer {
public:
    // `cellsJson` is the benchmark's cells.json; `resolutions` the input
    // resolutions the tower must serve. With `skipBadImages` a training image
    // that does not load is replaced by the next one that does; otherwise it
    // fails the stage naming the file.
    VisionTowerTrainer(const ModelConfig &model, const StageConfig &stage, const std::string &cellsJson,
                       std::vector<int> resolutions, const std::string &dataIdentity, bool skipBadImages);

    // Directory of the cached tower for these inputs.
    std::string cacheDir() const;
    // Loads the cached tower or trains one (and caches it). `stop` ends
    // training early without caching.
    VisionTowerResult run(const StateDict &initial, const torch::Device &device, const TrainingEventSink &events,
                          const std::atomic<bool> &stop);

private:
    ModelConfig m_model;
    StageConfig m_stage;
    std::string m_cellsJson;
    std::vector<int> m_resolutions;
    bool m_skipBadImages;
    std::string m_key;
};

// The input resolutions a vision stage trains the tower at: its own and those
// of every later stage, so the frozen tower serves them all.
std::vector<int> towerResolutions(const RunConfig &run, size_t visionStage);

} // namespace cosw

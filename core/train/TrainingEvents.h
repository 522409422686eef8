#pragma once
// What a training run reports while it works. The CLI turns these into a
// progress bar or JSON lines; the GUI reads the JSON lines of its child
// processes.

#include "base/Json.h"

#include <functional>
#include <string>

namespace cosw {

struct TrainingEvent {
    std::string kind;       // run_start, data, stage_start, step, eval, checkpoint, stage_end, run_end, message
    int64_t runId = 0;
    int stage = -1;
    std::string stageName;
    int64_t step = 0;       // optimizer steps done in the stage
    int64_t totalSteps = 0;
    double loss = 0;
    double lr = 0;
    double samplesPerSecond = 0;
    double etaSeconds = 0;
    std::string text;       // human-readable detail
    Json data;              // kind-specific fields

    Json toJson() const;
};

using TrainingEventSink = std::function<void(const TrainingEvent &)>;

// `done` of `total` images of the FMNIST-Grid benchmark generated in `dir`.
TrainingEvent dataProgressEvent(const std::string &dir, int done, int total);

} // namespace cosw

#include "TrainingEvents.h"

#include "base/Messages.h"

namespace cosw {

Json TrainingEvent::toJson() const
{
    Json j = Json::object();
    j["event"] = kind;
    j["run_id"] = runId;
    if (stage >= 0) {
        j["stage"] = stage;
        j["stage_name"] = stageName;
    }
    // How far a long phase is: training steps, images generated, questions answered.
    if (kind == "step" || kind == "data" || kind == "eval_progress") {
        j["step"] = step;
        j["total_steps"] = totalSteps;
    }
    if (kind == "step") {
        j["loss"] = loss;
        j["lr"] = lr;
        j["samples_per_s"] = samplesPerSecond;
        j["eta_s"] = etaSeconds;
    }
    if (!text.empty())
        j["message"] = text;
    if (data.is_object())
        j.update(data);
    return j;
}

TrainingEvent dataProgressEvent(const std::string &dir, int done, int total)
{
    TrainingEvent e;
    e.kind = "data";
    e.step = done;
    e.totalSteps = total;
    e.text = fill(msg("generating FMNIST-Grid in %1"), {dir});
    return e;
}

} // namespace cosw

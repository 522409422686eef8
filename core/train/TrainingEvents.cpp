#include "TrainingEvents.h"

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
    if (kind == "step") {
        j["step"] = step;
        j["total_steps"] = totalSteps;
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

} // namespace cosw

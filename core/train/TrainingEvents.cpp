#include "TrainingEvents.h"

namespace cosw {

Json TrainingEvent::toJson() const
{
    Json j = Json::object();
    j.set("event", kind);
    j.set("run_id", runId);
    if (stage >= 0) {
        j.set("stage", stage);
        j.set("stage_name", stageName);
    }
    if (kind == "step") {
        j.set("step", step);
        j.set("total_steps", totalSteps);
        j.set("loss", loss);
        j.set("lr", lr);
        j.set("samples_per_s", samplesPerSecond);
        j.set("eta_s", etaSeconds);
    }
    if (!text.empty())
        j.set("message", text);
    if (data.isObject())
        for (const auto &kv : data.asObject())
            j.set(kv.first, kv.second);
    return j;
}

} // namespace cosw

#include "StepMetrics.h"

#include "store/ExperimentStore.h"

namespace cosw {

void StepMetrics::add(int64_t step, double loss, double lr, double samplesPerSecond, double stepSeconds)
{
    const double now = unixNow();
    m_pending.push_back({m_stage, step, "loss", loss, now});
    m_pending.push_back({m_stage, step, "lr", lr, now});
    m_pending.push_back({m_stage, step, "samples_per_s", samplesPerSecond, now});
    m_pending.push_back({m_stage, step, "step_seconds", stepSeconds, now});
    if (m_pending.size() >= 100)
        flush();
    if (std::chrono::steady_clock::now() - m_lastBeat > std::chrono::seconds(30)) {
        m_store.heartbeat(m_runId);
        m_lastBeat = std::chrono::steady_clock::now();
    }
}

void StepMetrics::flush()
{
    m_store.addMetrics(m_runId, m_pending);
    m_pending.clear();
}

} // namespace cosw

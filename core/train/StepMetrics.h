#pragma once
// A stage's per-step figures on their way to the store: buffered and written
// a hundred rows at a time, with the run's heartbeat every half minute, so a
// step costs no transaction of its own.

#include "store/StoreRecords.h"

#include <chrono>
#include <cstdint>
#include <vector>

namespace cosw {

class ExperimentStore;

class StepMetrics {
public:
    StepMetrics(ExperimentStore &store, int64_t runId, int stage) : m_store(store), m_runId(runId), m_stage(stage) {}

    // Loss, learning rate, samples/s and step time after optimizer step `step`.
    void add(int64_t step, double loss, double lr, double samplesPerSecond, double stepSeconds);
    // Writes what is buffered (before an evaluation, a checkpoint or the end).
    void flush();

private:
    ExperimentStore &m_store;
    int64_t m_runId;
    int m_stage;
    std::vector<MetricPoint> m_pending;
    std::chrono::steady_clock::time_point m_lastBeat = std::chrono::steady_clock::now();
};

} // namespace cosw

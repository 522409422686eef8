#pragma once
// Driving the desktop window from a program: finding runs in its run list,
// noticing when launched runs train, stopping what is left running. Shared by
// tst_workbench and the UI stall benchmark.

#include "MainWindow.h"
#include "store/ExperimentStore.h"

#include <QtGlobal>

#include <optional>
#include <set>
#include <string>

namespace cosw::test {

std::optional<RunRecord> runNamed(const MainWindow &window, const std::string &name);
std::optional<RunRecord> runWithId(const MainWindow &window, qint64 id);

// Collects, per run, whether it has reported a training step of a language stage.
struct StepWatch {
    std::set<qint64> training;
    void connect(RunQueue *queue);
};

// Runs launched from a window are detached and would outlive a failed test
// or benchmark: whatever is still running when this goes out of scope is stopped.
struct StopRunsAtExit {
    RunQueue *queue;
    ~StopRunsAtExit();
};

} // namespace cosw::test

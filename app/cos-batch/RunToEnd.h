#pragma once
// What `run`, `resume` and `sweep` share: a run trained to its end with
// Ctrl-C/SIGTERM stopping it at a checkpoint, and its outcome printed.

#include "train/Trainer.h"

#include <string>

namespace cosw {
class ExperimentStore;
}

namespace cosw::batch {

class ProgressPrinter;

// Runs (or, from `resumeFrom`, resumes) run `runId`; returns the exit
// status (0 finished, 1 failed or interrupted) and, when asked, the outcome.
int runToEnd(Trainer &trainer, ExperimentStore &store, ProgressPrinter &printer, int64_t runId,
             const std::string &resumeFrom, RunOutcome *outcome = nullptr);

} // namespace cosw::batch

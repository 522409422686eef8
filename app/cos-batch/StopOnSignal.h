#pragma once
// While in scope, SIGINT and SIGTERM ask the trainer to finish its step,
// write a checkpoint and stop, instead of killing the process.

#include "train/Trainer.h"

#include <csignal>

namespace cosw::batch {

class StopOnSignal {
public:
    StopOnSignal()
    {
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
    ~StopOnSignal()
    {
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
    }
    StopOnSignal(const StopOnSignal &) = delete;
    StopOnSignal &operator=(const StopOnSignal &) = delete;

private:
    static void onSignal(int) { Trainer::stopRequested() = true; } // an atomic store: safe in a handler
};

} // namespace cosw::batch

#pragma once
// `run` and `resume` with --nproc N: this command started again as N ranks
// of one data-parallel run on this machine (torchrun's variables RANK,
// WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT; a free loopback port).
// Rank 0 shares this terminal; the others log to files. SIGINT and SIGTERM
// are passed on (the ranks checkpoint and stop together). When a rank dies,
// the others are stopped (then killed after a grace period) and the exit
// status says the run failed, naming the rank; rank 0 records that in the
// store, or, when rank 0 is the one killed, this process does.

#include "Commands.h"

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cosw {
class DataParallel;
}

namespace cosw::batch {

// What main() was started with, for starting it again.
void setCommandLine(int argc, char **argv);

struct RankLaunch {
    int ranks = 2;
    int threadsPerRank = 0;  // 0: the CPUs shared out evenly
    std::string logDir;      // where ranks 1.. write their output
    std::string db;          // the store rank 0 writes
};

// Starts the ranks and waits for all of them; returns the exit status.
// A rank that is killed cannot remove its scratch directory: this does.
int launchRanks(const RankLaunch &launch);

// Where rank `rank` (process `pid`, not rank 0) keeps the stand-in store it
// trains against, removed when it ends.
std::filesystem::path rankScratchDirectory(int rank, pid_t pid);

// With --nproc N in a process that is not a rank yet: starts the ranks of
// this command instead (ranks 1.. log under the store's runs directory) and
// returns their exit status; nothing in a rank or with one process.
std::optional<int> launchedRanks(const ParallelOptions &parallel, const TrainingOptions &training);

// This process's place in a data-parallel run (torchrun's variables),
// joined; nullptr for a run of one process.
std::unique_ptr<DataParallel> joinGroup(const ParallelOptions &parallel);

} // namespace cosw::batch

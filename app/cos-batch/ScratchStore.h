#pragma once
// Ranks other than 0 keep their records in a store of their own, removed
// when they finish: rank 0 alone writes the run's store and checkpoints.

#include "Commands.h"

#include "store/ExperimentStore.h"
#include "train/Trainer.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace cosw {
class DataParallel;
}

namespace cosw::batch {

class ScratchStore {
public:
    explicit ScratchStore(const DataParallel &group);
    ~ScratchStore();
    ScratchStore(const ScratchStore &) = delete;
    ScratchStore &operator=(const ScratchStore &) = delete;

    ExperimentStore &store() { return *m_store; }
    std::string runsDir() const { return (m_dir / "runs").string(); }

private:
    std::filesystem::path m_dir;
    std::unique_ptr<ExperimentStore> m_store;
};

// What the trainer of this process takes: the command's options, and for a
// rank other than 0 its scratch store's runs directory.
TrainerOptions trainerOptions(const TrainingOptions &o, const std::optional<ScratchStore> &scratch, DataParallel *group);

} // namespace cosw::batch

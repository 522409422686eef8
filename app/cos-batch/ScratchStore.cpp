#include "ScratchStore.h"

#include "RankLauncher.h"

#include "train/DataParallel.h"

#include <unistd.h>

namespace fs = std::filesystem;

namespace cosw::batch {

ScratchStore::ScratchStore(const DataParallel &group)
    : m_dir(rankScratchDirectory(group.rank(), ::getpid()))
{
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
    m_store = std::make_unique<ExperimentStore>((m_dir / "store.sqlite").string());
}

ScratchStore::~ScratchStore()
{
    m_store.reset();
    std::error_code ignored;
    fs::remove_all(m_dir, ignored);
}

TrainerOptions trainerOptions(const TrainingOptions &o, const std::optional<ScratchStore> &scratch, DataParallel *group)
{
    return {o.device, o.threads, scratch ? scratch->runsDir() : std::string(), group};
}

} // namespace cosw::batch

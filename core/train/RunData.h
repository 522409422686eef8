#pragma once
// A run's data, loaded and checked before anything is stored: FMNIST-Grid
// generated on first use, every dataset the stages read, the evaluation set
// and the tokenizer built from their text.

#include "RunConfig.h"
#include "TrainingEvents.h"
#include "data/ConversationDataset.h"
#include "data/GridCells.h"
#include "data/Tokenizer.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cosw {

struct PreparedData {
    std::string dir;
    std::string identity;         // what the data is, for cache keys
    std::map<std::string, std::shared_ptr<ConversationDataset>> datasets; // by file name
    std::shared_ptr<ConversationDataset> eval;
    std::shared_ptr<ConversationDataset> textEval; // when a text stage evaluates
    std::string cellsJson;
    // The evaluation images whose captions cell reading scores (the first
    // data.cell_reading_images of them); empty without an eval set or cells.json.
    std::vector<GridCellImage> evalCells;
    double cellReadingPrior = 0; // its image-blind control
    Tokenizer tokenizer = WordTokenizer::build({});

    // The datasets stage `st` trains on, in StageConfig::dataFiles() order.
    std::vector<const ConversationDataset *> stageData(const StageConfig &st) const;
};

// Throws InputError/ConfigError naming the file when the data is missing,
// malformed or does not fit the model (vocabulary). `events` hears the
// generation progress.
PreparedData prepareRunData(const RunConfig &config, const TrainingEventSink &events);

// Where generated data and caches live by default: $XDG_DATA_HOME/cos-workbench.
std::string dataHome();

} // namespace cosw

#pragma once
// Exact-match evaluation (DESIGN §5): greedy answers to the eval set's
// questions, normalised, compared with the references, overall and per
// question type, next to two image-blind controls on the same questions: the
// type prior (each question type's commonest training answer) and the same
// model answering about another eval image (shuffled-image control).

#include "data/ConversationDataset.h"
#include "data/GridCells.h"
#include "data/Tokenizer.h"
#include "model/Mllm.h"
#include "store/StoreRecords.h"

#include <functional>
#include <map>

namespace cosw {

// Evaluation split among data-parallel ranks: this process answers every
// `count`-th batch (of questions, or of images to caption) from `index` on,
// and `gather` sums a vector across the ranks, each contributing zeros
// outside its part, so that every rank ends with the whole result. The
// batches are those one process forms, so the answers are the same to the bit.
struct EvaluationShard {
    int index = 0;
    int count = 1;
    std::function<void(std::vector<double> &)> gather; // unset: one process answers everything
    bool answers(size_t batch) const { return count <= 1 || int(batch % size_t(count)) == index; }
};

struct EvaluationOptions {
    int batchSize = 16;
    int maxNewTokens = 8;
    int limit = 0;             // first N samples; 0: all
    bool shuffledImages = true; // also run the shuffled-image control
    ConversationTemplate form;  // the template the questions are asked in
    EvaluationShard shard;
};

struct EvaluationResult {
    EvaluationRecord record;         // accuracy, n, per type, controls
    std::string majorityAnswer;      // the most common reference answer
    double majorityAccuracy = 0;     // accuracy of always giving it
};

// Question type -> the commonest normalised answer of that type in the
// `training` sets together (every turn of every set counts; ties go to the
// alphabetically first answer): a stage's prior is that of everything it
// trains on, so a pre-training stage that mixes in questions has one.
using TypePrior = std::map<std::string, std::string>;
TypePrior typePriorOf(const std::vector<const ConversationDataset *> &training);

// The accuracy of always answering the most common normalised answer.
std::pair<std::string, double> majorityBaseline(const ConversationDataset &dataset, int limit = 0);
// The accuracy of answering every question with its type's commonest answer
// in `prior`: what a model that reads the question type but not the image
// can reach, so the bar that shows a model uses the image. Overall and per type.
std::pair<double, std::map<std::string, double>> typePriorAccuracy(const ConversationDataset &dataset,
                                                                   const TypePrior &prior, int limit = 0);

// For each evaluated question, the index of the question whose image it is
// shown in the shuffled-image control: a fixed permutation that never keeps
// a question's own image (when the set has two images or more).
std::vector<size_t> shuffledImageOrder(const ConversationDataset &dataset, size_t n);

// Cell reading (DESIGN §5): the model captions each image ("describe the
// image.") and the fraction of grid cells it names correctly is returned,
// with the number of cells scored. It measures the connector directly.
std::pair<double, int64_t> cellReadingAccuracy(Mllm &model, const std::vector<GridCellImage> &images,
                                               const Tokenizer &tokenizer, const torch::Device &device,
                                               int batchSize, const ConversationTemplate &form = {},
                                               const EvaluationShard &shard = {});

// `prior` is the training set's type prior; the dataset must be single-turn.
// A set of text samples is answered from their text alone, with no
// shuffled-image control.
EvaluationResult evaluate(Mllm &model, const ConversationDataset &dataset, const TypePrior &prior,
                          const Tokenizer &tokenizer, const torch::Device &device,
                          const EvaluationOptions &options,
                          const std::function<void(int done, int total)> &progress = {});

} // namespace cosw

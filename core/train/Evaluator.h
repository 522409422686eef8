#pragma once
// Exact-match evaluation (DESIGN §5): greedy answers to the eval set's
// questions, normalised, compared with the references, overall and per
// question type.

#include "data/ConversationDataset.h"
#include "data/WordTokenizer.h"
#include "model/Mllm.h"
#include "store/ExperimentStore.h"

#include <functional>

namespace cosw {

struct EvaluationOptions {
    int batchSize = 16;
    int maxNewTokens = 8;
    int limit = 0; // first N samples; 0: all
};

struct EvaluationResult {
    EvaluationRecord record;         // accuracy, n, per type
    std::string majorityAnswer;      // the most common reference answer
    double majorityAccuracy = 0;     // accuracy of always giving it
};

// The accuracy of always answering the most common normalised answer.
std::pair<std::string, double> majorityBaseline(const ConversationDataset &dataset, int limit = 0);
// The accuracy of answering every question with its type's most common
// answer: what a model that reads the question type but not the image can
// reach, so the bar that shows a model uses the image.
double typePriorBaseline(const ConversationDataset &dataset, int limit = 0);

EvaluationResult evaluate(Mllm &model, const ConversationDataset &dataset, const WordTokenizer &tokenizer,
                          const torch::Device &device, const EvaluationOptions &options,
                          const std::function<void(int done, int total)> &progress = {});

} // namespace cosw

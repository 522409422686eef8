#pragma once
// A text-only learnability probe for the language model (issue: fine-tuned
// models answer the benchmark's questions by type alone). A sequence is a
// grid's cells as item words, then a question; the loss is on the answer:
//   <s> c1 .. cN <sep> <query> X <sep> -> yes | no          (existence: is X among the cells?)
//   <s> c1 .. cN <sep> <query> P <sep> -> the cell at P     (position: P is one of N position words)
// With `captionFormat` the cells and the question are written in the
// benchmark's words: "row 1 : c1 c2 . row 2 : ... is there a X ? assistant :"
// and "what is at row R column C ?" (square grids only). With `cellLabels`
// every cell is written after its row and column, in the caption's words
// ("row R column C X ... ."), so a question finds its cell by the words
// that name it rather than by counting along a row. With `cellWords` a cell
// is named by one word of its own ("what is at P ?"; labelled: "P X"), in
// the benchmark's words. With `distractors` > 0 that many filler words (the
// benchmark's question and answer words) are split at random between
// before the cells and between the cells and the question, so the question
// stands at a varying distance from the cells, as in a conversation.
// Items are drawn as FMNIST-Grid draws them (3 to 9 of 10 classes per grid,
// 35% of cells filled, classes shuffled per grid), so no class is a prior.
// With `shortSteps` > 0 the first steps train on grids of `shortCells`
// cells (a length curriculum); evaluation always uses `cells`.

#include "model/ModelConfig.h"

#include <cstdint>
#include <functional>
#include <string>

namespace cosw {

struct LookupProbeOptions {
    std::string task = "existence"; // existence, position
    int cells = 16;
    int shortCells = 4;
    int shortSteps = 0;
    bool captionFormat = false;
    bool cellLabels = false; // caption words, each cell after its name
    bool cellWords = false;  // caption words, a cell named by one word rather than its row and column
    int distractors = 0;     // filler words per sequence, a random share of them between the cells and the question
    int steps = 1000;
    int batchSize = 16;
    double lr = 3e-4;
    int warmupSteps = 30;
    double weightDecay = 0.05;
    int evalEvery = 50;
    int evalSamples = 256;
    uint64_t seed = 0;
    LmConfig lm; // vocabSize and maxSeqLen are set by the probe
};

struct LookupProbePoint {
    int step = 0;
    double loss = 0;     // training loss of the step's batch (answer and </s>)
    double accuracy = 0; // greedy answers on fresh grids of `cells` cells
    double majority = 0; // the commonest answer's share of those grids: a model blind to the cells scores this
};

// Trains a fresh language model of `options.lm`'s shape on the task and
// reports a point every `evalEvery` steps (and at the end). Throws
// InputError on options out of range.
void runLookupProbe(const LookupProbeOptions &options, const std::function<void(const LookupProbePoint &)> &report);

} // namespace cosw

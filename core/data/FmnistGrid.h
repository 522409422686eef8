#pragma once
// The FMNIST-Grid benchmark (DESIGN §5): images made of a grid of cells, each
// empty or one Fashion-MNIST item, with captions for pre-training and
// questions that need local detail (position, relation) or the whole image
// (count, existence) for fine-tuning and evaluation.
//
// Layout of a generated directory:
//   images/train/NNNNNN.png  images/test/NNNNNN.png   grayscale PNG
//   text-short.json text samples: captions of 2x2 windows of the train
//                   images, each with questions on it  (no image)
//   text.json       text samples: each train image's caption with its
//                   questions                          (no image)
//   pretrain.json   one caption per train image    (LLaVA-style list)
//   finetune.json   questions on the train images  (with "type")
//   eval.json       questions on the test images   (with "type")
//   text-eval.json  the same questions, each after its image's caption
//                   as text                          (no image)
//   text-grids.json text samples, only with text_grids: captions of grids
//                   drawn as the training images are but never rendered,
//                   each followed by every cell asked by its row and column
//                                                      (no image)
//   finetune-dense.json  only with dense_questions: every training image
//                   asked every cell by row and column, and every relation
//                   of its single items, in conversations of up to 16
//   cells.json      per image: {image, split, cells, sources}
//   tokenizer.json  the word tokenizer of every file above: runs on the set
//                   number its words alike, whichever files they load
//   manifest.json   options, counts, classes, majority-answer baseline
// Training images use only Fashion-MNIST's train split, evaluation images
// only its test split (t10k).

#include "base/Json.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cosw {

struct FmnistGridOptions {
    int trainImages = 2000;
    int testImages = 300;
    uint64_t seed = 0;
    int grid = 8;          // cells per side
    int cellPixels = 28;   // px per cell; items are resized from 28 px
    double fill = 0.35;    // probability that a cell holds an item
    int questionsPerImage = 4;
    int turnsPerSample = 1; // training questions of an image per conversation (eval: always 1)
    // Grids for text-grids.json (0: no such file). The training images'
    // captions hold one position question each, a few thousand in all, which
    // a language model memorises before it learns to find a cell by its row
    // and column; fresh grids, every cell asked, teach the lookup.
    int textGrids = 0;
    // finetune-dense.json: an image's own questions ask one of its cells by
    // row and column; asked about every cell, the language model gets enough
    // of them to learn to find a visual token that way.
    bool denseQuestions = false;
};

struct FmnistGridSummary {
    std::string outDir;
    std::string pretrainJson;
    std::string textJson;
    std::string textShortJson;
    std::string textEvalJson;
    std::string textGridsJson;     // empty without text grids
    std::string finetuneDenseJson; // empty without dense questions
    std::string finetuneJson;
    std::string evalJson;
    std::string cellsJson;
    std::string manifestJson;
    std::string tokenizerJson;
    int trainImages = 0;
    int testImages = 0;
    int pretrainSamples = 0;
    int textSamples = 0;
    int textShortSamples = 0;
    int textEvalSamples = 0;
    int textGridSamples = 0;
    int finetuneDenseSamples = 0;
    int finetuneSamples = 0;
    int evalSamples = 0;
    bool generated = false; // false when outDir already held this set
};

// The options as the manifest records them (with the generator's version):
// two sets are the same exactly when these are.
Json fmnistGridOptionsJson(const FmnistGridOptions &options);

// The word the texts use for a cell: its class name, "nothing" when empty (-1).
std::string fmnistItemWord(int cls);

// Item classes 0..9 as the single lower-case words the texts use
// ("tshirt", "trouser", ..., "boot").
const std::vector<std::string> &fmnistClassNames();

// Generates the benchmark into outDir; the same options give byte-identical
// files. Idempotent: when outDir already holds a set with identical options,
// returns its summary without regenerating. An outDir that exists and is
// not empty otherwise, or invalid options, throw InputError; so does a
// missing Fashion-MNIST (naming the package to install). Files are written
// to a sibling directory first and renamed, so outDir never holds half a set.
// `progress` is called with (images done, images in total).
FmnistGridSummary generateFmnistGrid(const std::string &outDir, const FmnistGridOptions &options,
                                     const std::function<void(int done, int total)> &progress = {});

} // namespace cosw

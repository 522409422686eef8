#include "RunData.h"

#include "StageCache.h"
#include "data/FmnistGrid.h"
#include "data/ImagePipeline.h"
#include "base/Errors.h"
#include "base/Files.h"
#include "base/Messages.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <set>

namespace fs = std::filesystem;

namespace cosw {

std::string dataHome()
{
    if (const char *xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return (fs::path(xdg) / "cos-workbench").string();
    const char *home = std::getenv("HOME");
    return (fs::path(home && *home ? home : ".") / ".local" / "share" / "cos-workbench").string();
}

// The data set's own tokenizer (DIR/tokenizer.json, which FMNIST-Grid
// writes) when it has one, so every run on the set numbers its words alike
// whichever of its files it loads; otherwise the vocabulary of `texts`.
static WordTokenizer datasetTokenizer(const std::string &dir, const std::vector<std::string> &texts)
{
    const fs::path file = fs::path(dir) / "tokenizer.json";
    if (!fs::exists(file))
        return WordTokenizer::build(texts);
    WordTokenizer tokenizer = WordTokenizer::load(file.string());
    for (const std::string &text : texts)
        for (const std::string &word : WordTokenizer::split(text))
            if (tokenizer.id(word) == WordTokenizer::kUnkId)
                throw InputError(fill(msg("%1: lacks the word '%2' of the run's data (\"%3\"); regenerate the set, "
                                          "or delete the file to build the vocabulary from the data"),
                                      {file.string(), word, text}));
    return tokenizer;
}

PreparedData prepareRunData(const RunConfig &config, const TrainingEventSink &events)
{
    auto report = [&](const TrainingEvent &e) {
        if (events)
            events(e);
    };
    PreparedData data;
    const DataConfig &d = config.data;
    FmnistGridOptions options;
    options.trainImages = d.trainImages;
    options.testImages = d.testImages;
    options.seed = d.seed;
    options.grid = d.grid;
    options.cellPixels = d.cellPixels;
    options.fill = d.fill;
    options.questionsPerImage = d.questionsPerImage;
    options.turnsPerSample = d.turnsPerSample;
    options.textGrids = d.textGrids;
    options.denseQuestions = d.denseQuestions;
    std::string dir = d.dir;
    if (dir.empty()) {
        // Readable, and unique per set: the hash covers every option and the
        // generator's version, so a changed generator never meets an old set.
        char name[128];
        std::snprintf(name, sizeof name, "fmnist-grid-%dx%d-%dpx-train%d-test%d-seed%llu-%s", d.grid, d.grid,
                      d.cellPixels, d.trainImages, d.testImages, static_cast<unsigned long long>(d.seed),
                      contentHash(fmnistGridOptionsJson(options).dump()).substr(0, 8).c_str());
        dir = (fs::path(dataHome()) / "data" / name).string();
    }
    data.dir = dir;
    if (d.generate) {
        const FmnistGridSummary summary =
            generateFmnistGrid(dir, options, [&](int done, int total) { report(dataProgressEvent(dir, done, total)); });
        if (summary.generated) {
            TrainingEvent e;
            e.kind = "message";
            e.text = fill(msg("generated FMNIST-Grid in %1"), {dir});
            report(e);
        }
    } else if (!fs::is_directory(dir)) {
        throw ConfigError(config.file, "data.dir",
                          fill(msg("'%1' does not exist (set data.generate: true to create it)"), {dir}));
    }
    const fs::path manifest = fs::path(dir) / "manifest.json";
    data.identity = fs::exists(manifest) ? contentHash(readTextFile(manifest.string())) : dir;

    std::vector<std::string> texts;
    // Every image is checked once before anything trains. A run may skip
    // unreadable training images (data.skip_bad_images: the loaders replace
    // each by the next readable one), never one it is evaluated on, so the
    // runs of a comparison are all scored on the same whole set.
    std::set<std::string> checked;
    // `where` names the file (and sample) listing the image, built only for an error.
    const auto check = [&](const std::string &image, bool evaluated, const std::function<std::string()> &where) {
        if ((d.skipBadImages && !evaluated) || !checked.insert(fs::path(image).lexically_normal().string()).second)
            return;
        try {
            checkImage(image);
        } catch (const InputError &e) {
            if (d.skipBadImages)
                // TRANSLATORS: %1 names the file (and sample) that lists the image, %2 says what is wrong with it.
                throw InputError(fill(msg("%1: %2 (data.skip_bad_images replaces training images only; every run is "
                                          "evaluated on the whole evaluation set)"),
                                      {where(), e.what()}));
            throw InputError(fill(msg("%1: %2"), {where(), e.what()}));
        }
    };
    const auto checkCells = [&](const std::vector<GridCellImage> &cells, bool evaluated, const std::string &cellsJson) {
        for (const GridCellImage &c : cells)
            check(c.path, evaluated, [&] { return cellsJson; });
    };
    auto load = [&](const std::string &file, bool evaluated) {
        auto &slot = data.datasets[file];
        if (!slot) {
            slot = std::make_shared<ConversationDataset>(
                ConversationDataset::load((fs::path(dir) / file).string(), dir,
                                          d.allowOutsideImages ? ImageLocations::Anywhere : ImageLocations::InsideRoot));
            const auto words = slot->texts();
            texts.insert(texts.end(), words.begin(), words.end());
        }
        for (const auto &s : slot->samples())
            if (!s.image.empty())
                check(s.image, evaluated, [&] { return fill(msg("%1: sample %2"), {slot->source(), s.id}); });
        return slot;
    };
    bool evaluates = false, textEvaluates = false;
    for (const auto &st : config.stages) {
        if (st.kind == "vision") {
            data.cellsJson = (fs::path(dir) / st.data).string();
            if (!fs::is_regular_file(data.cellsJson))
                throw InputError(fill(msg("%1: missing (the vision stage trains on per-cell labels)"), {data.cellsJson}));
            checkCells(readGridCells(data.cellsJson, "train"), false, data.cellsJson);
            // The tower's held-out cells.
            checkCells(readGridCells(data.cellsJson, "test"), true, data.cellsJson);
        } else {
            // A text stage reads text alone; the others read images, and
            // may mix text in (to keep what a text stage taught).
            for (const std::string &file : st.dataFiles()) {
                const bool images = load(file, false)->hasImages();
                if (st.kind == "text" && images)
                    throw InputError(fill(msg("%1: holds image samples, but stage %2 is a text stage; give it a file "
                                              "of text samples"),
                                          {(fs::path(dir) / file).string(), st.name}));
                if (st.kind != "text" && file == st.data && !images)
                    throw InputError(fill(msg("%1: holds text samples, but stage %2 (%3) trains on images; make it "
                                              "kind: text, or mix the file in"),
                                          {(fs::path(dir) / file).string(), st.name, st.kind}));
            }
        }
        (st.kind == "text" ? textEvaluates : evaluates) |= st.evaluate;
    }
    if (textEvaluates) {
        data.textEval = load(d.textEval, true);
        data.textEval->requireSingleTurn();
        if (data.textEval->hasImages())
            throw InputError(fill(msg("%1: holds image samples; text stages are evaluated on text (data.text_eval)"),
                                  {data.textEval->source()}));
    }
    if (evaluates) {
        data.eval = load(d.eval, true);
        data.eval->requireSingleTurn();
        if (!data.eval->hasImages())
            throw InputError(fill(msg("%1: the evaluation set holds text samples; it asks about images"),
                                  {data.eval->source()}));
        const fs::path cells = fs::path(dir) / "cells.json";
        if (d.cellReadingImages > 0 && fs::is_regular_file(cells)) {
            data.evalCells = readGridCells(cells.string(), "test");
            if (data.evalCells.size() > size_t(d.cellReadingImages))
                data.evalCells.resize(size_t(d.cellReadingImages));
            checkCells(data.evalCells, true, cells.string());
            data.cellReadingPrior = cellReadingPrior(readGridCells(cells.string(), "train"), data.evalCells);
        }
    }

    const LmConfig &lm = config.model.lm;
    if (d.tokenizer == "words") {
        data.tokenizer = datasetTokenizer(dir, texts);
        if (data.tokenizer.vocabSize() > lm.vocabSize)
            throw ConfigError(config.file, "model.lm.vocab_size",
                              fill(msg("%1 is smaller than the %2 words of the data in %3"),
                                   {std::to_string(lm.vocabSize), std::to_string(data.tokenizer.vocabSize()), dir}));
    } else {
        // A pretrained LM's own pieces: every id must have a row in its
        // embedding, and the </s> it learned to end with must be the one
        // answers are trained and cut at.
        const SentencePieceModel pieces = SentencePieceModel::load(d.tokenizer);
        data.tokenizer = pieces;
        data.identity += "+" + contentHash(pieces.bytes());
        if (pieces.size() > lm.vocabSize)
            throw ConfigError(config.file, "model.lm.vocab_size",
                              fill(msg("%1 is smaller than the %2 pieces of %3"),
                                   {std::to_string(lm.vocabSize), std::to_string(pieces.size()), d.tokenizer}));
        if (pieces.eosId() < 0)
            throw InputError(fill(msg("%1: has no </s> piece, so answers could not end"), {d.tokenizer}));
        if (pieces.eosId() != lm.eosId)
            throw ConfigError(config.file, "model.lm.eos_id",
                              fill(msg("%1 differs from </s> = %2 in %3"),
                                   {std::to_string(lm.eosId), std::to_string(pieces.eosId()), d.tokenizer}));
    }
    return data;
}

std::vector<const ConversationDataset *> PreparedData::stageData(const StageConfig &st) const
{
    std::vector<const ConversationDataset *> data;
    for (const std::string &file : st.dataFiles())
        data.push_back(datasets.at(file).get());
    return data;
}

} // namespace cosw

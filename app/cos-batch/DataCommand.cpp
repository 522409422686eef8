// cos-batch data: generating the bundled benchmark's data.

#include "Commands.h"

#include "ProgressPrinter.h"

#include "base/Json.h"
#include "data/FmnistGrid.h"
#include "train/TrainingEvents.h"

#include <iostream>
#include <memory>

namespace cosw::batch {

namespace {

// The set's files and counts as one JSON object, for --progress json.
Json summaryJson(const FmnistGridSummary &s)
{
    Json j = Json::object();
    j["event"] = "generated";
    j["dir"] = s.outDir;
    j["generated"] = s.generated;
    j["train_images"] = s.trainImages;
    j["test_images"] = s.testImages;
    Json files = Json::object();
    const auto add = [&files](const char *key, const std::string &file, int samples) {
        if (!file.empty())
            files[key] = Json{{"file", file}, {"samples", samples}};
    };
    add("pretrain", s.pretrainJson, s.pretrainSamples);
    add("text", s.textJson, s.textSamples);
    add("text_short", s.textShortJson, s.textShortSamples);
    add("text_eval", s.textEvalJson, s.textEvalSamples);
    add("text_grids", s.textGridsJson, s.textGridSamples);
    add("finetune", s.finetuneJson, s.finetuneSamples);
    add("finetune_dense", s.finetuneDenseJson, s.finetuneDenseSamples);
    add("eval", s.evalJson, s.evalSamples);
    j["files"] = files;
    j["cells"] = s.cellsJson;
    j["tokenizer"] = s.tokenizerJson;
    j["manifest"] = s.manifestJson;
    return j;
}

int generate(const std::string &out, const FmnistGridOptions &options, const std::string &progressMode)
{
    ProgressPrinter printer(progressMode);
    const FmnistGridSummary s =
        generateFmnistGrid(out, options, [&](int done, int total) { printer(dataProgressEvent(out, done, total)); });
    printer.endLine();
    if (printer.json()) {
        std::cout << summaryJson(s).dump() << std::endl;
        return 0;
    }

    const auto n = [](auto count) { return std::to_string(count); };
    std::cout << fill(s.generated ? msg("generated FMNIST-Grid in %1") : msg("FMNIST-Grid already present (same options) in %1"),
                      {s.outDir})
              << "\n  "
              << fill(msg("images:   %1 (%2 train, %3 test)"), {s.outDir + "/images/{train,test}/", n(s.trainImages), n(s.testImages)})
              << "\n  "
              << fill(msg("text:     %1 (%2 samples on 2x2 windows), %3 (%4 samples; captions with questions, no image), "
                          "%5 (%6 eval questions after their caption)"),
                      {s.textShortJson, n(s.textShortSamples), s.textJson, n(s.textSamples), s.textEvalJson,
                       n(s.textEvalSamples)})
              << (s.textGridsJson.empty() ? std::string()
                                          : "\n  " + fill(msg("text:     %1 (%2 samples; grids never rendered, every cell asked)"),
                                                          {s.textGridsJson, n(s.textGridSamples)}))
              << "\n  " << fill(msg("pretrain: %1 (%2 captions)"), {s.pretrainJson, n(s.pretrainSamples)})
              << "\n  " << fill(msg("finetune: %1 (%2 questions)"), {s.finetuneJson, n(s.finetuneSamples)})
              << (s.finetuneDenseJson.empty()
                      ? std::string()
                      : "\n  " + fill(msg("finetune: %1 (%2 samples; every cell and relation asked)"),
                                      {s.finetuneDenseJson, n(s.finetuneDenseSamples)}))
              << "\n  " << fill(msg("eval:     %1 (%2 questions)"), {s.evalJson, n(s.evalSamples)})
              << "\n  " << fill(msg("cells:    %1"), {s.cellsJson})
              << "\n  " << fill(msg("words:    %1 (the tokenizer of every file above)"), {s.tokenizerJson})
              << "\n  " << fill(msg("manifest: %1 (options, majority-answer baseline)"), {s.manifestJson}) << "\n";
    return 0;
}

} // namespace

void addDataCommand(CLI::App &app, Action &action)
{
    CLI::App *data = app.add_subcommand("data", msg("Generate datasets"));
    data->require_subcommand(1);

    struct Options {
        std::string out;
        std::string progress = "auto";
        FmnistGridOptions grid;
    };
    auto o = std::make_shared<Options>();
    CLI::App *cmd = data->add_subcommand(
        "fmnist-grid", msg("Generate the FMNIST-Grid benchmark from Fashion-MNIST (Debian package dataset-fashion-mnist; "
                       "COS_FASHION_MNIST_DIR overrides its directory)"));
    cmd->add_option("--out", o->out, msg("output directory (new or empty; an identical set there is reused)"))->required();
    cmd->add_option("--train", o->grid.trainImages, msg("training images (Fashion-MNIST train split)"))->capture_default_str();
    cmd->add_option("--test", o->grid.testImages, msg("evaluation images (Fashion-MNIST test split)"))->capture_default_str();
    cmd->add_option("--seed", o->grid.seed, msg("random seed"))->capture_default_str();
    cmd->add_option("--grid", o->grid.grid, msg("cells per side"))->capture_default_str();
    cmd->add_option("--cell", o->grid.cellPixels, msg("pixels per cell"))->capture_default_str();
    cmd->add_option("--fill", o->grid.fill, msg("probability that a cell holds an item"))->capture_default_str();
    cmd->add_option("--questions", o->grid.questionsPerImage, msg("questions per image"))->capture_default_str();
    cmd->add_option("--turns", o->grid.turnsPerSample, msg("training questions per conversation (multi-turn samples)"))
        ->capture_default_str();
    cmd->add_option("--text-grids", o->grid.textGrids, msg("grids written only as text, every cell asked (text-grids.json)"))
        ->capture_default_str();
    cmd->add_flag("--dense-questions", o->grid.denseQuestions,
                  msg("ask every training image every cell and every relation (finetune-dense.json)"));
    addProgressOption(*cmd, o->progress);
    cmd->callback([o, &action] { action = [o] { return generate(o->out, o->grid, o->progress); }; });
}

} // namespace cosw::batch

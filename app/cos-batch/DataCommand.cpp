// cos-batch data: generating the bundled benchmark's data.

#include "Commands.h"

#include "data/FmnistGrid.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

namespace cosw::batch {

namespace {

int generate(const std::string &out, const FmnistGridOptions &options)
{
    // A \r-rewritten line only makes sense on a terminal; logs get none.
    const bool terminal = isatty(fileno(stderr));
    int lastPercent = -1;
    auto progress = [&](int done, int total) {
        const int percent = done * 100 / total;
        if (!terminal || percent == lastPercent)
            return;
        lastPercent = percent;
        std::fprintf(stderr, "\r%s",
                     fill(msg("generating FMNIST-Grid: %1/%2 images (%3%)"),
                          {std::to_string(done), std::to_string(total), std::to_string(percent)})
                         .c_str());
        if (done == total)
            std::fputc('\n', stderr);
    };
    const FmnistGridSummary s = generateFmnistGrid(out, options, progress);

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
    cmd->callback([o, &action] { action = [o] { return generate(o->out, o->grid); }; });
}

} // namespace cosw::batch

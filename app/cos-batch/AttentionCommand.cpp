#include "Commands.h"

#include "base/Errors.h"
#include "base/Files.h"
#include "base/Json.h"
#include "base/Messages.h"
#include "base/Numbers.h"
#include "facade/AttentionFigures.h"
#include "facade/AttentionSession.h"
#include "store/ExperimentStore.h"

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

namespace fs = std::filesystem;

namespace cosw::batch {

namespace {

struct Options {
    std::optional<int64_t> run;
    std::string db, stage, checkpoint, image, out, question;
    int layer = -1, head = -1, resolution = 0;
    std::vector<int> window;
    double alpha = 0.6;
};

int attention(const Options &o)
{
    if (o.run.has_value() == !o.checkpoint.empty())
        throw InputError(msg("give either --run ID or --checkpoint DIR"));
    if (!o.stage.empty() && !o.run)
        throw InputError(msg("--stage picks a stage of a run: give --run ID with it"));
    std::string checkpoint = o.checkpoint;
    std::optional<ExperimentStore> store;
    if (o.run) {
        store.emplace(dbPath(o.db));
        checkpoint = runStageCheckpoint(*store, *o.run, o.stage);
    }
    AttentionSession session(checkpoint, o.resolution, o.window);
    const int layers = session.resamplerLayers(), heads = session.resamplerHeads();
    if (session.layout().hasAttention) {
        if (o.layer < -layers || o.layer >= layers)
            throw InputError(fill(msg("--layer %1: the connector has %2 resampler layers (0 to %3, or -1 for the last)"),
                                  {std::to_string(o.layer), std::to_string(layers), std::to_string(layers - 1)}));
        if (o.head < -1 || o.head >= heads)
            throw InputError(fill(msg("--head %1: the connector has %2 heads (0 to %3, or -1 for their mean)"),
                                  {std::to_string(o.head), std::to_string(heads), std::to_string(heads - 1)}));
    }
    const auto maps = session.encode(o.image);

    fs::create_directories(o.out);
    const auto path = [&](const std::string &name) { return (fs::path(o.out) / name).string(); };
    Json index = Json::object();
    index["checkpoint"] = checkpoint;
    if (o.run)
        index["run"] = *o.run;
    index["image"] = o.image;
    const TokenLayout &layout = maps->layout;
    index["connector"] = layout.connector;
    index["resolution"] = layout.resolution;
    index["feature_grid"] = layout.featureGrid;
    index["visual_tokens"] = layout.visualTokens;
    Json files = Json::array();
    writePng(maps->image, path("image.png"));
    files.push_back("image.png");

    const int layer = o.layer < 0 ? layers + o.layer : o.layer;
    index["attention"] = layout.hasAttention;
    if (layout.hasAttention) {
        index["layer"] = layer;
        index["layers"] = layers;
        index["head"] = o.head < 0 ? Json("mean") : Json(o.head);
        index["heads"] = heads;
        index["normalisation"] = "each token's map is divided by its own peak (its attention sums to 1 over its window)";
        index["spread"] = "per scale, over its tokens: the cells a token reads as if it read them evenly (the "
                          "exponential of its map's entropy; 1: one cell, window_cells: uniform over its window)";
    } else {
        index["note"] = "the " + layout.connector + " connector attends to nothing: one token per feature cell, no maps";
    }
    Json scales = Json::array();
    std::vector<ScaleSpread> spreads; // per scale, with attention only
    for (size_t s = 0; s < layout.scales.size(); ++s) {
        const TokenScaleLayout &scale = layout.scales[s];
        Json entry = Json::object();
        entry["windows"] = scale.windows;
        entry["queries"] = scale.queries;
        entry["tokens"] = scale.tokens();
        entry["first_token"] = scale.firstToken;
        if (layout.hasAttention) {
            const std::string figure = "scale-" + std::to_string(s) + ".png";
            writePng(tokenSheet(*maps, layer, o.head, int(s), o.alpha), path(figure));
            files.push_back(figure);
            entry["figure"] = figure;
            entry["figure_layout"] = "the image with the window grid, then one tile per token in the engine's order "
                                     "(windows row-major, queries in bank order), its window framed";
            entry["tensor"] = "attention." + std::to_string(s);
            entry["mean_tensor"] = "attention_mean." + std::to_string(s);
            const ScaleSpread &spread = spreads.emplace_back(scaleSpread(*maps, layer, o.head, int(s)));
            entry["spread"] = {{"median", spread.median},
                               {"least", spread.least},
                               {"greatest", spread.greatest},
                               {"window_cells", spread.windowCells}};
        }
        scales.push_back(entry);
    }
    index["scales"] = scales;

    std::optional<AnswerAttribution> answer;
    if (!o.question.empty()) {
        answer = session.answer(o.image, o.question);
        const std::vector<float> patch = answerPatchMap(*answer, -1, *maps);
        const int factor = std::max(1, (224 + maps->image.width - 1) / maps->image.width);
        writePng(heatOverlay(enlarged(maps->image, factor), patch.data(), layout.featureGrid, o.alpha), path("answer.png"));
        files.push_back("answer.png");
        Json a = Json::object();
        a["question"] = answer->question;
        a["answer"] = answer->answer;
        a["visual_share"] = answer->visualShare(-1);
        Json perScale = Json::array();
        const std::vector<float> mass = answer->visualMass(-1);
        for (const TokenScaleLayout &scale : layout.scales) {
            double sum = 0;
            for (int t = 0; t < scale.tokens(); ++t)
                sum += mass[size_t(scale.firstToken + t)];
            perScale.push_back(sum);
        }
        a["visual_share_per_scale"] = perScale;
        a["figure"] = "answer.png";
        a["tensors"] = {"answer.sequence_mass", "answer.visual_mass", "answer.patch_map"};
        a["note"] = "attention weights of the rows that produced the answer, averaged over heads, those rows and the "
                    "language model's layers, carried to the feature grid through each visual token's map "
                    "(last resampler layer, mean of heads); attention, not a causal attribution";
        index["answer"] = a;
    }
    AttentionSession::writeRawMaps(path("maps.safetensors"), *maps,
                                   {{"checkpoint", checkpoint}, {"image", o.image},
                                    {"layout", "attention.s [layers, heads, tokens_s, n, n]; attention_mean.s "
                                               "[layers, tokens_s, n, n]; image [R, R, 3]"}},
                                   answer ? &*answer : nullptr);
    files.push_back("maps.safetensors");
    files.push_back("index.json");
    index["files"] = files;
    writeTextFile(path("index.json"), index.dump(2) + "\n");
    if (store)
        store->addArtifact(*o.run, {"attention-map", fs::absolute(o.out).string(),
                                    "attention maps of " + o.image + " (" + std::to_string(layout.visualTokens)
                                        + " visual tokens)", 0});

    std::cout << fill(msgn("wrote %1: %2 visual tokens in %3 scale at %4 px", "wrote %1: %2 visual tokens in %3 scales at %4 px",
                           layout.scales.size()),
                      {o.out, std::to_string(layout.visualTokens), std::to_string(layout.scales.size()),
                       std::to_string(layout.resolution)});
    if (layout.hasAttention)
        std::cout << (o.head < 0 ? fill(msg(", layer %1 of %2, mean of the heads"), {std::to_string(layer), std::to_string(layers)})
                                 : fill(msg(", layer %1 of %2, head %3"),
                                        {std::to_string(layer), std::to_string(layers), std::to_string(o.head)}));
    else
        std::cout << fill(msg("; the %1 connector attends to nothing, so there are no maps"), {layout.connector});
    std::cout << "\n";
    for (size_t s = 0; s < spreads.size(); ++s) {
        const ScaleSpread &spread = spreads[s];
        // TRANSLATORS: a token's spread is the exponential of its attention's entropy: 1 when it reads one cell.
        std::cout << fill(msgn("scale %1: a token reads %2 of its window's %3 cell (median; %4 to %5), as if evenly",
                               "scale %1: a token reads %2 of its window's %3 cells (median; %4 to %5), as if evenly",
                               spread.windowCells),
                          {std::to_string(s + 1), formatRealFixed(spread.median, 1), std::to_string(spread.windowCells),
                           formatRealFixed(spread.least, 1), formatRealFixed(spread.greatest, 1)})
                  << "\n";
    }
    if (answer)
        std::cout << fill(msg("question: %1"), {answer->question}) << "\n"
                  << fill(msg("answer: %1 (attention on the image: %2 of the answer's, mean of the layers)"),
                          {answer->answer, formatRealFixed(answer->visualShare(-1), 3)})
                  << "\n";
    return 0;
}

} // namespace

void addAttentionCommand(CLI::App &app, Action &action)
{
    auto o = std::make_shared<Options>();
    CLI::App *cmd = app.add_subcommand(
        "attention", msg("What each visual token attends to on one image: figures per scale, raw maps, index.json"));
    cmd->add_option("--run", o->run, msg("a run in the store: its checkpoint at the end of --stage (default: the last)"));
    cmd->add_option("--stage", o->stage, msg("the run's stage by name (pretrain, finetune, ...)"));
    cmd->add_option("--checkpoint", o->checkpoint, msg("a checkpoint directory instead of a run"));
    addDbOption(*cmd, o->db);
    cmd->add_option("--image", o->image, msg("image file"))->required();
    cmd->add_option("--question", o->question,
                    msg("ask this about the image: the answer and where the language model looked (answer.png)"));
    cmd->add_option("--layer", o->layer, msg("resampler layer (negative from the end)"))->capture_default_str();
    cmd->add_option("--head", o->head, msg("attention head, -1 for the mean over heads"))->capture_default_str();
    addTokenScalingOptions(*cmd, o->resolution, o->window);
    cmd->add_option("--alpha", o->alpha, msg("opacity of the maps over the image"))
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    cmd->add_option("--out", o->out, msg("output directory"))->required();
    cmd->callback([o, &action] { action = [o] { return attention(*o); }; });
}

} // namespace cosw::batch

#include "Commands.h"

#include "base/Errors.h"
#include "base/Messages.h"
#include "base/Numbers.h"
#include "base/Utf8.h"
#include "io/Checkpoint.h"
#include "scaling/TokenScaling.h"
#include "train/RunSummary.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

namespace fs = std::filesystem;

namespace cosw::batch {

namespace {

struct Options {
    std::string checkpoint, out;
    int resolution = 0;
    std::vector<int> window;
    std::vector<std::string> add; // FROM:WINDOW each
    bool json = false;
};

// --add FROM:WINDOW: a copy of scale FROM with its windows per side times WINDOW.
AddedScale addedScale(const std::string &text)
{
    int from = -1, window = 0;
    char rest = 0;
    if (std::sscanf(text.c_str(), "%d:%d%c", &from, &window, &rest) != 2 || from < 0 || window < 1)
        throw InputError(fill(msg("--add %1: expected FROM:WINDOW, the scale to copy (0, 1, ...) and a positive "
                                  "window factor, e.g. --add 0:4"),
                              {text}));
    return {from, window};
}

int scale(const Options &o)
{
    const Checkpoint before = loadCheckpoint(o.checkpoint);
    ScalingSpec spec = scalingSpecFor(before.config, o.resolution, o.window);
    for (const std::string &added : o.add)
        spec.add.push_back(addedScale(added));
    if (spec.isIdentity())
        throw InputError(fill(msg("--resolution, --window and --add leave %1 as it is: nothing to scale"), {o.checkpoint}));
    Checkpoint after;
    try {
        after = scaleCheckpoint(before, spec);
    } catch (const ConfigError &e) {
        // Name the option the user gave, not the config key behind it.
        const size_t at = e.key().find("add[");
        if (at == std::string::npos)
            throw;
        const size_t index = std::stoul(e.key().substr(at + 4));
        throw InputError("--add " + o.add.at(index) + ": " + e.reason());
    }
    // The scaled model reads the same words: the tokenizer goes with it.
    // Trainer state does not: a scaled checkpoint starts a stage, it does not resume one.
    saveCheckpoint(o.out, after, [&](const std::string &tmp) { copyTokenizer(o.checkpoint, tmp); });

    const Json from = tokenLayoutSummary(before.config), to = tokenLayoutSummary(after.config);
    const double ratio = double(visualTokens(after.config)) / double(visualTokens(before.config));
    if (o.json) {
        Json out = Json::object();
        out["checkpoint"] = o.checkpoint;
        out["out"] = o.out;
        out["scaling"] = spec.toJson();
        out["before"] = from;
        out["after"] = to;
        out["token_ratio"] = ratio;
        std::cout << out.dump() << std::endl;
        return 0;
    }
    auto line = [](const char *label, const Json &layout) {
        std::cout << padToWidth(label, 7) << " "
                  << fill(msg("%1 px, grid %2, %3 visual tokens: %4"),
                          {padToWidth(std::to_string(layout.at("resolution").get<int64_t>()), 4, true),
                           padToWidth(std::to_string(layout.at("grid").get<int64_t>()), 3, true),
                           padToWidth(std::to_string(layout.at("visual_tokens").get<int64_t>()), 5, true),
                           formatScales(layout)})
                  << "\n";
    };
    line(msg("before"), from);
    line(msg("after"), to);
    std::cout << fill(msg("tokens x%1 (scaling %2)"), {formatRealFixed(ratio, 2), spec.toJson().dump()}) << "\n"
              << fill(msg("wrote %1"), {o.out}) << "\n";
    return 0;
}

} // namespace

void copyTokenizer(const std::string &checkpoint, const std::string &dir)
{
    for (const char *file : {"tokenizer.json", "tokenizer.model"})
        if (fs::exists(fs::path(checkpoint) / file))
            fs::copy_file(fs::path(checkpoint) / file, fs::path(dir) / file);
}

void addTokenScalingOptions(CLI::App &command, int &resolution, std::vector<int> &window)
{
    command.add_option("--resolution", resolution,
                       msg("input resolution in px, a whole multiple of the checkpoint's (default: the checkpoint's)"));
    command.add_option("--window", window, msg("window factor for every scale (K) or per scale (K1,K2,...)"))
        ->delimiter(',');
}

void addScaleCommand(CLI::App &app, Action &action)
{
    auto o = std::make_shared<Options>();
    CLI::App *cmd = app.add_subcommand(
        "scale", msg("Compound token scaling of a checkpoint: a new checkpoint with more visual tokens"));
    cmd->add_option("--checkpoint", o->checkpoint, msg("checkpoint directory"))->required();
    addTokenScalingOptions(*cmd, o->resolution, o->window);
    cmd->add_option("--add", o->add,
                    msg("add a scale: a copy of scale FROM (its queries, weights and learned positions) with its windows "
                    "per side times WINDOW; repeatable"))
        ->type_name("FROM:WINDOW");
    cmd->add_option("--out", o->out, msg("directory for the scaled checkpoint (must not exist)"))->required();
    cmd->add_flag("--json", o->json, msg("print one JSON object"));
    cmd->callback([o, &action] { action = [o] { return scale(*o); }; });
}

} // namespace cosw::batch

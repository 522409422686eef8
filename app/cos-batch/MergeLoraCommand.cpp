// cos-batch merge-lora: a checkpoint's adapters folded into its language
// model, W + (alpha / r) B A, as a checkpoint without adapters.

#include "Commands.h"

#include "base/Errors.h"
#include "base/Messages.h"
#include "base/Numbers.h"
#include "io/Checkpoint.h"
#include "io/LoraWeights.h"

#include <filesystem>
#include <iostream>
#include <memory>

namespace fs = std::filesystem;

namespace cosw::batch {

void addMergeLoraCommand(CLI::App &app, Action &action)
{
    struct Options {
        std::string checkpoint, out;
    };
    auto o = std::make_shared<Options>();
    CLI::App *cmd = app.add_subcommand("merge-lora", msg("Fold a checkpoint's LoRA adapters into its language model"));
    cmd->add_option("--checkpoint", o->checkpoint, msg("checkpoint directory with adapters.safetensors"))->required();
    cmd->add_option("--out", o->out, msg("directory for the merged checkpoint (must not exist or be empty)"))->required();
    cmd->callback([o, &action] {
        action = [o] {
            const Checkpoint adapted = loadCheckpoint(o->checkpoint);
            if (!adapted.config.lm.lora.enabled())
                throw InputError(fill(msg("%1: the model carries no LoRA adapters; nothing to merge"), {o->checkpoint}));
            Checkpoint merged{adapted.config, mergedAdapters(adapted.config.lm.lora, adapted.weights)};
            merged.config.lm.lora = LoraConfig{};
            // The merged model reads the same words; trainer state stays
            // behind, as a merged checkpoint starts something new.
            saveCheckpoint(o->out, merged, [&](const std::string &tmp) { copyTokenizer(o->checkpoint, tmp); });
            std::cout << fill(msg("merged adapters (r %1, alpha %2) into %3"),
                              {std::to_string(adapted.config.lm.lora.rank), formatReal(adapted.config.lm.lora.alpha), o->out})
                      << "\n";
            return 0;
        };
    });
}

} // namespace cosw::batch

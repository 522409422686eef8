// cos-batch import: a pretrained vision tower or language model from a
// Hugging Face model directory, as a workbench pretrained-part directory.

#include "Commands.h"

#include "base/Errors.h"
#include "io/PretrainedImport.h"

#include <iostream>
#include <memory>

namespace cosw::batch {

void addImportCommand(CLI::App &app, Action &action)
{
    struct Options {
        std::string part, dir, out;
    };
    auto o = std::make_shared<Options>();
    CLI::App *cmd = app.add_subcommand(
        "import", "A pretrained CLIP vision tower or LLaMA-layout language model from a Hugging Face directory");
    cmd->add_option("PART", o->part, "vision or lm")->required()->check(CLI::IsMember({"vision", "lm"}));
    cmd->add_option("DIR", o->dir, "model directory: config.json and model.safetensors (or shards with their index)")
        ->required();
    cmd->add_option("--out", o->out, "directory to write (must not exist or be empty)")->required();
    cmd->callback([o, &action] {
        action = [o] {
            const PretrainedPart part = o->part == "vision" ? importVisionTower(o->dir) : importLanguageModel(o->dir);
            savePretrainedPart(o->out, part);
            int64_t parameters = 0;
            for (const auto &[name, tensor] : part.weights)
                parameters += tensor.numel();
            std::cout << "imported " << part.architecture << " (" << part.weights.size() << " tensors, " << parameters
                      << " parameters) into " << o->out << "\n";
            return 0;
        };
    });
}

} // namespace cosw::batch

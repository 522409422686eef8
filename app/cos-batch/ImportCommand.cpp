// cos-batch import: a pretrained vision tower or language model from a
// Hugging Face model directory, as a workbench pretrained-part directory.

#include "Commands.h"

#include "base/Errors.h"
#include "io/PretrainedImport.h"
#include "store/ExperimentStore.h"

#include <filesystem>
#include <iostream>
#include <memory>

namespace fs = std::filesystem;

namespace cosw::batch {

void addImportCommand(CLI::App &app, Action &action)
{
    struct Options {
        std::string part, dir, out, db;
    };
    auto o = std::make_shared<Options>();
    CLI::App *cmd = app.add_subcommand(
        "import", msg("A pretrained CLIP vision tower or LLaMA-layout language model from a Hugging Face directory"));
    cmd->add_option("PART", o->part, msg("vision or lm"))->required()->check(CLI::IsMember({"vision", "lm"}));
    cmd->add_option("DIR", o->dir, msg("model directory: config.json and model.safetensors (or shards with their index)"))
        ->required();
    cmd->add_option("--out", o->out, msg("directory to write (must not exist or be empty)"))->required();
    addDbOption(*cmd, o->db);
    cmd->callback([o, &action] {
        action = [o] {
            // The store first: a store that cannot be written refuses the
            // import before anything is on disk.
            ExperimentStore store(dbPath(o->db));
            const PretrainedPart part = o->part == "vision" ? importVisionTower(o->dir) : importLanguageModel(o->dir);
            savePretrainedPart(o->out, part);
            int64_t parameters = 0;
            for (const auto &[name, tensor] : part.weights)
                parameters += tensor.numel();
            ImportRecord record;
            record.part = part.part;
            record.architecture = part.architecture;
            record.source = fs::absolute(o->dir).lexically_normal().string();
            record.path = fs::absolute(o->out).lexically_normal().string();
            record.parameters = parameters;
            store.recordImport(record);
            std::cout << fill(msg("imported %1 (%2 tensors, %3 parameters) into %4"),
                              {part.architecture, std::to_string(part.weights.size()), std::to_string(parameters),
                               record.path})
                      << "\n"
                      << fill(msg("a run config names it as %1"), {"model." + part.part + ".pretrained: " + record.path})
                      << "\n";
            return 0;
        };
    });
}

} // namespace cosw::batch

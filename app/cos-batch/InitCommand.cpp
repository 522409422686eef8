#include "Commands.h"

#include "io/Checkpoint.h"
#include "train/RunConfig.h"
#include "train/RunSummary.h"

#include <iostream>
#include <memory>

namespace cosw::batch {

void addInitCommand(CLI::App &app, Action &action)
{
    struct Options {
        std::string config;
        std::string out;
        uint64_t seed = 0;
    };
    auto o = std::make_shared<Options>();
    CLI::App *cmd = app.add_subcommand("init", msg("Write a randomly initialised checkpoint of a config's model"));
    cmd->add_option("CONFIG", o->config, msg("run config (YAML)"))->required();
    cmd->add_option("--out", o->out, msg("checkpoint directory to create"))->required();
    cmd->add_option("--seed", o->seed, msg("random seed"))->capture_default_str();
    cmd->callback([o, &action] {
        action = [o] {
            const RunConfig run = RunConfig::load(o->config);
            torch::manual_seed(o->seed);
            Mllm model(run.model);
            saveCheckpoint(o->out, {run.model, stateDict(*model)});
            const ParameterCounts counts = countParameters(*model);
            std::cout << fill(msg("wrote %1: %2 parameters, %3 visual tokens at %4 px (seed %5)"),
                              {o->out, std::to_string(counts.total()), std::to_string(visualTokens(run.model)),
                               std::to_string(run.model.vision.imageSize), std::to_string(o->seed)})
                      << "\n";
            return 0;
        };
    });
}

} // namespace cosw::batch

#include "Commands.h"

#include "train/RunConfig.h"
#include "train/RunSummary.h"

#include <iostream>
#include <memory>

namespace cosw::batch {

void addInspectCommand(CLI::App &app, Action &action)
{
    struct Options {
        std::string config;
        bool json = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App *cmd = app.add_subcommand("inspect", msg("Parameters per part and visual tokens per scale per stage"));
    cmd->add_option("CONFIG", o->config, msg("run config (YAML)"))->required();
    cmd->add_flag("--json", o->json, msg("print one JSON object"));
    cmd->callback([o, &action] {
        action = [o] {
            const RunConfig run = RunConfig::load(o->config);
            const Json summary = runSummary(run);
            if (o->json)
                std::cout << summary.dump() << std::endl;
            else
                std::cout << formatRunSummary(run, summary);
            return 0;
        };
    });
}

} // namespace cosw::batch

// cos-batch: everything the workbench does, headless (DESIGN §7).
// Exit status: 0 success, 2 bad usage or bad input, 1 a failure while running.

#include "Commands.h"
#include "RankLauncher.h"

#include "base/MemoryReuse.h"
#include "facade/BlasKernel.h"
#include "base/Errors.h"
#include "store/SqliteDatabase.h"

#include <torch/torch.h>

#include <algorithm>
#include <clocale>
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

namespace {

// The headings subcommands and their help flags are listed under, at every
// level (a subcommand makes its help flag before it inherits the group).
void nameSubcommandGroups(CLI::App &app)
{
    for (CLI::App *sub : app.get_subcommands({})) {
        sub->group(cosw::msg("Subcommands"));
        if (CLI::Option *help = sub->get_help_ptr())
            help->group(cosw::msg("Options"));
        nameSubcommandGroups(*sub);
    }
}

} // namespace

int main(int argc, char **argv)
{
    // The tables and progress lines below use printf's %f; whatever a parent
    // process or a library did to the locale, they print '.' decimals.
    std::setlocale(LC_ALL, "C");
    // A file-size limit (ulimit -f) then fails the write that crosses it with
    // an error the run reports, as a full disk does, instead of killing us.
    std::signal(SIGXFSZ, SIG_IGN);
    // Messages in the user's language; numbers stay as above.
    cosw::initMessages();
    cosw::batch::setCommandLine(argc, argv);
    cosw::ensureBlasKernel();
    cosw::keepFreedMemoryForReuse();
    CLI::App app{cosw::msg("CoS Workbench headless tool: Chain-of-Sight models, scaling and runs"), "cos-batch"};
    // The words of CLI11's own help layout; subcommands inherit the help
    // flag and the options' group as they are added below.
    const auto formatter = app.get_formatter();
    formatter->label("Usage", cosw::msg("Usage"));
    formatter->label("OPTIONS", cosw::msg("OPTIONS"));
    formatter->label("SUBCOMMAND", cosw::msg("SUBCOMMAND"));
    formatter->label("SUBCOMMANDS", cosw::msg("SUBCOMMANDS"));
    formatter->label("Positionals", cosw::msg("Positionals"));
    formatter->label("REQUIRED", cosw::msg("REQUIRED"));
    formatter->label("Needs", cosw::msg("Needs"));
    formatter->label("Excludes", cosw::msg("Excludes"));
    app.option_defaults()->group(cosw::msg("Options"));
    app.set_help_flag("-h,--help", cosw::msg("Print this help message and exit"));
    app.set_version_flag("--version", std::string("cos-batch ") + COS_VERSION + " (LibTorch " + TORCH_VERSION + ")\nBLAS: "
                                 + cosw::blasSummary(cosw::blasInfo()),
                         cosw::msg("Display program version information and exit"));
    app.require_subcommand(1);

    cosw::batch::Action action;
    cosw::batch::addInspectCommand(app, action);
    cosw::batch::addInitCommand(app, action);
    cosw::batch::addImportCommand(app, action);
    cosw::batch::addMergeLoraCommand(app, action);
    cosw::batch::addEncodeCommand(app, action);
    cosw::batch::addScaleCommand(app, action);
    cosw::batch::addAttentionCommand(app, action);
    cosw::batch::addDataCommand(app, action);
    cosw::batch::addListCommand(app, action);
    cosw::batch::addShowCommand(app, action);
    cosw::batch::addExportCommand(app, action);
    cosw::batch::addMetricsCommand(app, action);
    cosw::batch::addCompareCommand(app, action);
    cosw::batch::addRunCommand(app, action);
    cosw::batch::addResumeCommand(app, action);
    cosw::batch::addSweepCommand(app, action);
    cosw::batch::addBenchCommand(app, action);
    nameSubcommandGroups(app);

    // CLI11 would only say that a command is required.
    if (argc > 1 && argv[1][0] != '-') {
        std::vector<std::string> names;
        for (const CLI::App *sub : app.get_subcommands({}))
            names.push_back(sub->get_name());
        if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
            std::string list;
            for (const std::string &name : names)
                list += (list.empty() ? "" : ", ") + name;
            std::cerr << "cos-batch: " << cosw::fill(cosw::msg("unknown command '%1'; the commands are %2"), {argv[1], list})
                      << "\n";
            return 2;
        }
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success &e) {
        return app.exit(e); // --help, --version
    } catch (const CLI::ParseError &e) {
        app.exit(e);
        return 2;
    }

    try {
        return action();
    } catch (const cosw::InputError &e) {
        std::cerr << "cos-batch: " << e.what() << "\n";
        return 2;
    } catch (const cosw::StoreError &e) {
        std::cerr << "cos-batch: " << e.what() << "\n";
        return 1;
    } catch (const std::exception &e) {
        std::cerr << "cos-batch: " << cosw::msg("error:") << " " << e.what() << "\n";
        return 1;
    }
}

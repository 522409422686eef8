// cos-batch: everything the workbench does, headless (DESIGN §7).
// Exit status: 0 success, 2 bad usage or bad input, 1 a failure while running.

#include "Commands.h"
#include "RankLauncher.h"

#include "facade/BlasKernel.h"
#include "base/Errors.h"
#include "store/SqliteDatabase.h"

#include <torch/torch.h>

#include <clocale>
#include <iostream>

int main(int argc, char **argv)
{
    // The tables and progress lines below use printf's %f; whatever a parent
    // process or a library did to the locale, they print '.' decimals.
    std::setlocale(LC_ALL, "C");
    cosw::batch::setCommandLine(argc, argv);
    cosw::ensureBlasKernel();
    CLI::App app{"CoS Workbench headless tool: Chain-of-Sight models, scaling and runs", "cos-batch"};
    app.set_version_flag("--version", std::string("cos-batch ") + COS_VERSION + " (LibTorch " + TORCH_VERSION + ")\nBLAS: "
                                 + cosw::blasSummary(cosw::blasInfo()));
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
    cosw::batch::addCompareCommand(app, action);
    cosw::batch::addRunCommand(app, action);
    cosw::batch::addResumeCommand(app, action);
    cosw::batch::addSweepCommand(app, action);
    cosw::batch::addBenchCommand(app, action);

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
        std::cerr << "cos-batch: error: " << e.what() << "\n";
        return 1;
    }
}

#pragma once
// cos-batch subcommands. Each registers its options on the CLI and sets the
// action main() runs after parsing; actions return the exit status and let
// InputError (exit 2) and other exceptions (exit 1) reach main().

#include <CLI/CLI.hpp>

#include <functional>

namespace cosw::batch {

using Action = std::function<int()>;

void addInspectCommand(CLI::App &app, Action &action);
void addInitCommand(CLI::App &app, Action &action);
void addEncodeCommand(CLI::App &app, Action &action);

} // namespace cosw::batch

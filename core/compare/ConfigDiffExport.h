#pragma once
// How the configs of compared runs differ, written out as the dashboard's
// config diff shows it: a row per key path, a column per run. Markdown for
// notes, CSV for spreadsheets, LaTeX for papers, JSON for scripts.

#include "ConfigPaths.h"

#include <string>
#include <vector>

namespace cosw {

// `runs` heads the value columns, one per config diffed ("cos (#2)");
// `format` is md, csv, latex (or tex) or json. A key absent from a run's
// config is "(absent)" in Markdown, "--" in LaTeX, empty in CSV and null in
// JSON.
std::string formatConfigDiff(const ConfigDiff &diff, const std::vector<std::string> &runs, const std::string &format);

} // namespace cosw

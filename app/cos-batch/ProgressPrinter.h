#pragma once
// Turns training events into a progress bar (terminal), plain lines (pipe)
// or JSON lines (--progress json, read by the GUI).

#include "train/TrainingEvents.h"

#include <string>

namespace cosw::batch {

class ProgressPrinter {
public:
    // mode: auto (a bar on a terminal, lines otherwise), bar, lines or json.
    explicit ProgressPrinter(const std::string &mode);

    void operator()(const TrainingEvent &e);
    // Ends an open progress-bar line before other output.
    void endLine();

    bool json() const { return m_json; }
    // The last evaluation: accuracy, standard error and controls; empty before one.
    const std::string &evalSummary() const { return m_evalSummary; }

private:
    bool m_json, m_bar, m_open = false;
    std::string m_evalSummary;
};

// "4m05s", "1h02m"; "?" for a negative or absurd estimate.
std::string formatDuration(double seconds);

} // namespace cosw::batch

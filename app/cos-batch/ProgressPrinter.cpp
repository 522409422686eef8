#include "ProgressPrinter.h"

#include "base/Messages.h"
#include "base/Numbers.h"

#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace cosw::batch {

std::string formatDuration(double s)
{
    if (!(s >= 0) || s > 1e7)
        return "?";
    char buf[32];
    const int total = static_cast<int>(s + 0.5);
    if (total >= 3600)
        std::snprintf(buf, sizeof buf, "%dh%02dm", total / 3600, total / 60 % 60);
    else
        std::snprintf(buf, sizeof buf, "%dm%02ds", total / 60, total % 60);
    return buf;
}

ProgressPrinter::ProgressPrinter(const std::string &mode)
    : m_json(mode == "json"), m_bar(mode == "bar" || (mode == "auto" && isatty(STDOUT_FILENO)))
{
}

void ProgressPrinter::operator()(const TrainingEvent &e)
{
    if (m_json) {
        std::cout << e.toJson().dump() << std::endl;
        return;
    }
    if (e.kind == "step" || e.kind == "data" || e.kind == "eval_progress") {
        const std::string step = std::to_string(e.step), total = std::to_string(e.totalSteps);
        std::string line;
        if (e.kind == "step")
            line = fill(msg("[%1] step %2/%3  loss %4  %5 samples/s  ETA %6"),
                        {e.stageName, step, total, formatRealFixed(e.loss, 4), formatRealFixed(e.samplesPerSecond, 1),
                         formatDuration(e.etaSeconds)});
        else if (e.kind == "data")
            line = fill(msg("[data] generating images %1/%2"), {step, total});
        else
            line = fill(msg("[%1] evaluating %2/%3"), {e.stageName, step, total});
        if (m_bar) {
            std::cout << "\r" << line << "\033[K" << std::flush;
            m_open = true;
        } else if (e.step == e.totalSteps || e.step % std::max<int64_t>(1, e.totalSteps / 10) == 0) {
            std::cout << line << std::endl;
        }
        return;
    }
    endLine();
    if (e.kind == "eval") {
        const Json &d = e.data;
        auto figure = [&](const char *key) {
            const Json *v = findKey(d, key);
            return v && v->is_number() ? formatRealFixed(v->get<double>(), 4) : std::string("-");
        };
        const std::string n = std::to_string(d.at("n").get<int64_t>());
        const Json *on = findKey(d, "evaluated_on");
        if (on && on->is_string() && on->get<std::string>() == "text")
            m_evalSummary = fill(msg("accuracy %1 ± %2 on %3 questions after their image's caption as text; type prior %4"),
                                 {figure("accuracy"), figure("standard_error"), n, figure("type_prior")});
        else
            m_evalSummary = fill(msg("accuracy %1 ± %2 on %3 questions; image-blind controls: type prior %4, shuffled "
                                     "images %5; cell reading %6 (blind %7)"),
                                 {figure("accuracy"), figure("standard_error"), n, figure("type_prior"),
                                  figure("shuffled_accuracy"), figure("cell_reading"), figure("cell_reading_prior")});
        std::cout << fill(msg("[%1] eval %2 (majority answer '%3': %4)"),
                          {e.stageName, m_evalSummary, d.at("majority_answer").get<std::string>(),
                           figure("majority_accuracy")})
                  << "\n";
        for (const auto &[type, acc] : d.at("per_type").items())
            std::printf("    %-12s %.4f\n", type.c_str(), acc.get<double>());
    } else if (e.kind == "stage_start" && e.data.at("kind").get<std::string>() == "text") {
        std::cout << fill(msg("stage %1 %2 (text): the language model alone, no image"),
                          {std::to_string(e.stage), e.stageName})
                  << "\n";
    } else if (e.kind == "stage_start" && e.data.at("kind").get<std::string>() == "vision") {
        std::cout << fill(msg("stage %1 %2 (vision): the vision tower alone at %3 px"),
                          {std::to_string(e.stage), e.stageName, std::to_string(e.data.at("resolution").get<int64_t>())})
                  << "\n";
    } else if (e.kind == "stage_start") {
        std::cout << fill(msg("stage %1 %2 (%3): %4 visual tokens at %5 px"),
                          {std::to_string(e.stage), e.stageName, e.data.at("kind").get<std::string>(),
                           std::to_string(e.data.at("visual_tokens").get<int64_t>()),
                           std::to_string(e.data.at("resolution").get<int64_t>())})
                  << "\n";
    } else if (e.kind == "stage_end" && e.data.is_object()) {
        std::cout << fill(msg("stage %1 %2 done: %3 s training (%4 s of it waiting for data), final loss %5"),
                          {std::to_string(e.stage), e.stageName, formatRealFixed(e.data.at("wall_seconds").get<double>(), 1),
                           formatRealFixed(e.data.at("data_wait_seconds").get<double>(), 1),
                           formatRealFixed(e.data.at("final_loss").get<double>(), 4)})
                  << "\n";
    } else if (!e.text.empty() && e.kind != "checkpoint") {
        std::cout << e.text << "\n";
    }
    std::cout << std::flush;
}

void ProgressPrinter::endLine()
{
    if (m_open)
        std::cout << "\n";
    m_open = false;
}

} // namespace cosw::batch

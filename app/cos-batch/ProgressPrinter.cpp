#include "ProgressPrinter.h"

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
        char line[200];
        if (e.kind == "step")
            std::snprintf(line, sizeof line, "[%s] step %lld/%lld  loss %.4f  %.1f samples/s  ETA %s",
                          e.stageName.c_str(), static_cast<long long>(e.step),
                          static_cast<long long>(e.totalSteps), e.loss, e.samplesPerSecond,
                          formatDuration(e.etaSeconds).c_str());
        else
            std::snprintf(line, sizeof line, "[%s] %s %lld/%lld", e.kind == "data" ? "data" : e.stageName.c_str(),
                          e.kind == "data" ? "generating images" : "evaluating",
                          static_cast<long long>(e.step), static_cast<long long>(e.totalSteps));
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
        const std::string questions = "accuracy " + figure("accuracy") + " ± " + figure("standard_error") + " on "
                                      + std::to_string(d.at("n").get<int64_t>()) + " questions";
        const Json *on = findKey(d, "evaluated_on");
        if (on && on->is_string() && on->get<std::string>() == "text")
            m_evalSummary = questions + " after their image's caption as text; type prior " + figure("type_prior");
        else
            m_evalSummary = questions + "; image-blind controls: type prior " + figure("type_prior")
                            + ", shuffled images " + figure("shuffled_accuracy") + "; cell reading "
                            + figure("cell_reading") + " (blind " + figure("cell_reading_prior") + ")";
        std::printf("[%s] eval %s (majority answer '%s': %s)\n", e.stageName.c_str(), m_evalSummary.c_str(),
                    d.at("majority_answer").get<std::string>().c_str(), figure("majority_accuracy").c_str());
        for (const auto &[type, acc] : d.at("per_type").items())
            std::printf("    %-12s %.4f\n", type.c_str(), acc.get<double>());
    } else if (e.kind == "stage_start" && e.data.at("kind").get<std::string>() == "text") {
        std::printf("stage %d %s (text): the language model alone, no image\n", e.stage, e.stageName.c_str());
    } else if (e.kind == "stage_start") {
        std::printf("stage %d %s (%s): %lld visual tokens at %lld px\n", e.stage, e.stageName.c_str(),
                    e.data.at("kind").get<std::string>().c_str(),
                    static_cast<long long>(e.data.at("visual_tokens").get<int64_t>()),
                    static_cast<long long>(e.data.at("resolution").get<int64_t>()));
    } else if (e.kind == "stage_end" && e.data.is_object()) {
        std::printf("stage %d %s done: %.1f s training (%.1f s of it waiting for data), final loss %.4f\n",
                    e.stage, e.stageName.c_str(), e.data.at("wall_seconds").get<double>(),
                    e.data.at("data_wait_seconds").get<double>(), e.data.at("final_loss").get<double>());
    } else if (!e.text.empty() && e.kind != "checkpoint") {
        std::printf("%s\n", e.text.c_str());
    }
    std::fflush(stdout);
}

void ProgressPrinter::endLine()
{
    if (m_open)
        std::cout << "\n";
    m_open = false;
}

} // namespace cosw::batch

#include "StoreRecords.h"

#include "base/Errors.h"
#include "base/Messages.h"
#include "base/Numbers.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>

namespace cosw {

const char *runStatusName(RunStatus s)
{
    switch (s) {
    case RunStatus::Queued: return "queued";
    case RunStatus::Running: return "running";
    case RunStatus::Finished: return "finished";
    case RunStatus::Failed: return "failed";
    case RunStatus::Interrupted: return "interrupted";
    }
    return "?";
}

RunStatus runStatusFromName(const std::string &name)
{
    for (RunStatus s : {RunStatus::Queued, RunStatus::Running, RunStatus::Finished, RunStatus::Failed,
                        RunStatus::Interrupted})
        if (name == runStatusName(s))
            return s;
    throw InputError(
        fill(msg("unknown run status '%1' (%2)"), {name, "queued, running, finished, failed, interrupted"}));
}

double unixNow()
{
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string localTimeText(double unixSeconds)
{
    const std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

const RunProgress *progressShown(const RunRecord &run)
{
    const bool midway = run.status == RunStatus::Running || run.status == RunStatus::Failed
                        || run.status == RunStatus::Interrupted;
    return midway && run.progress ? &*run.progress : nullptr;
}

std::optional<double> stageSecondsLeft(const RunRecord &run, double now)
{
    if (run.status != RunStatus::Running || !run.progress)
        return std::nullopt;
    const RunProgress &p = *run.progress;
    if (!p.etaSeconds || p.step >= p.totalSteps)
        return std::nullopt;
    return std::max(0.0, *p.etaSeconds - (now - p.time));
}

double standardError(double accuracy, int64_t n)
{
    return n > 0 ? std::sqrt(accuracy * (1.0 - accuracy) / double(n)) : 0.0;
}

std::optional<double> figureFor(const std::map<std::string, double> &perType, const std::string &type)
{
    const auto it = perType.find(type);
    return it == perType.end() ? std::nullopt : std::optional<double>(it->second);
}

namespace {
const char *const kCellsPrefix = "cells@";
const char *const kCellsSuffix = "px";
} // namespace

std::string towerCellsType(int resolution)
{
    return kCellsPrefix + std::to_string(resolution) + kCellsSuffix;
}

std::map<int, double> towerCellAccuracy(const EvaluationRecord &evaluation)
{
    std::map<int, double> accuracy;
    for (const auto &[type, value] : evaluation.perType) {
        // A type is a tower's when it reads back to itself: the suffix,
        // leading zeros and signs are all checked by writing it again.
        const size_t start = std::min(type.size(), std::strlen(kCellsPrefix));
        int resolution = 0;
        const bool number = std::from_chars(type.data() + start, type.data() + type.size(), resolution).ec == std::errc();
        if (!number || resolution <= 0 || towerCellsType(resolution) != type)
            return {}; // a question type: not a tower's evaluation
        accuracy[resolution] = value.first;
    }
    return accuracy;
}

std::string towerCellAccuracyText(const std::map<int, double> &accuracy)
{
    std::string text;
    for (const auto &[resolution, value] : accuracy) {
        text += text.empty() ? "" : ", ";
        // TRANSLATORS: %1 is an accuracy, %2 an image resolution in pixels.
        text += fill(msg("%1 at %2 px"), {formatRealFixed(value, 4), std::to_string(resolution)});
    }
    return text;
}

std::optional<double> ComparisonRow::accuracySe() const
{
    if (!accuracy || !evaluated)
        return std::nullopt;
    return standardError(*accuracy, *evaluated);
}

std::string ComparisonRow::tokensText() const
{
    std::string out;
    for (const auto &[stage, tokens] : tokensPerStage)
        out += (out.empty() ? "" : ";") + stage + "=" + std::to_string(tokens);
    return out;
}

} // namespace cosw

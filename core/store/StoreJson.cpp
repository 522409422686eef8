#include "StoreJson.h"

#include "base/Numbers.h"
#include "compare/ParetoFront.h"

#include <set>

namespace cosw {

Json optionalNumber(const std::optional<double> &v) { return v ? Json(*v) : Json(); }

Json evaluationJson(const EvaluationRecord &ev)
{
    Json e = Json::object();
    e["accuracy"] = ev.accuracy;
    e["n"] = ev.n;
    e["stage"] = ev.stage;
    e["step"] = ev.step;
    e["standard_error"] = standardError(ev.accuracy, ev.n);
    e["type_prior"] = optionalNumber(ev.typePrior);
    e["shuffled_accuracy"] = optionalNumber(ev.shuffledAccuracy);
    e["cell_reading"] = optionalNumber(ev.cellReading);
    e["cell_reading_cells"] = ev.cellReadingCells ? Json(*ev.cellReadingCells) : Json();
    e["cell_reading_prior"] = optionalNumber(ev.cellReadingPrior);
    Json perType = Json::object(), detail = Json::object();
    for (const auto &[type, value] : ev.perType) {
        perType[type] = value.first;
        Json t = Json::object();
        t["accuracy"] = value.first;
        t["n"] = value.second;
        t["standard_error"] = standardError(value.first, value.second);
        t["type_prior"] = optionalNumber(figureFor(ev.typePriorPerType, type));
        t["shuffled_accuracy"] = optionalNumber(figureFor(ev.shuffledPerType, type));
        detail[type] = t;
    }
    e["per_type"] = perType;
    e["per_type_detail"] = detail;
    return e;
}

Json runProgressJson(const RunProgress &p)
{
    Json j = Json::object();
    j["stage"] = p.stage;
    j["stages"] = p.stages;
    j["stage_name"] = p.stageName;
    j["evaluating"] = p.evaluating;
    j["step"] = p.step;
    j["total_steps"] = p.totalSteps;
    j["eta_s"] = optionalNumber(p.etaSeconds);
    j["time"] = p.time;
    return j;
}

std::optional<RunProgress> runProgressFromJson(const std::string &text)
{
    if (text.empty())
        return std::nullopt;
    try {
        const Json j = parseJson(text, "progress");
        RunProgress p;
        p.stage = j.at("stage").get<int>();
        p.stages = j.at("stages").get<int>();
        p.stageName = j.at("stage_name").get<std::string>();
        p.evaluating = j.at("evaluating").get<bool>();
        p.step = j.at("step").get<int64_t>();
        p.totalSteps = j.at("total_steps").get<int64_t>();
        if (const Json &eta = j.at("eta_s"); !eta.is_null())
            p.etaSeconds = eta.get<double>();
        p.time = j.at("time").get<double>();
        return p;
    } catch (const std::exception &) {
        return std::nullopt;
    }
}

Json runJson(const RunRecord &r)
{
    Json j = Json::object();
    j["id"] = r.id;
    j["name"] = r.name;
    j["status"] = runStatusName(r.status);
    j["connector"] = r.connector;
    j["device"] = r.device;
    j["host"] = r.host;
    j["pid"] = r.pid ? Json(*r.pid) : Json();
    j["created_at"] = r.createdAt;
    j["started_at"] = optionalNumber(r.startedAt);
    j["ended_at"] = optionalNumber(r.endedAt);
    j["heartbeat_at"] = optionalNumber(r.heartbeatAt);
    j["message"] = r.message;
    Json tokens = Json::array();
    tokens.push_back(r.minVisualTokens);
    tokens.push_back(r.maxVisualTokens);
    j["visual_tokens_range"] = tokens;
    j["parameters"] = r.parameters ? Json(*r.parameters) : Json();
    j["progress"] = r.progress ? runProgressJson(*r.progress) : Json();
    if (!r.sweep.sweep.empty()) {
        Json sweep = Json::object();
        sweep["name"] = r.sweep.sweep;
        sweep["variant"] = r.sweep.variant;
        sweep["seed"] = r.sweep.seed ? Json(*r.sweep.seed) : Json();
        j["sweep"] = sweep;
    }
    return j;
}

Json runDetailJson(const RunDetail &d)
{
    Json j = runJson(d.run);
    Json config;
    try {
        config = parseJson(d.run.config, "config");
    } catch (const std::exception &) {
        config = Json(d.run.config); // stored text that is not JSON is shown as it is
    }
    j["config"] = config;
    j["versions"] = [&] {
        try {
            return parseJson(d.run.versions, "versions");
        } catch (const std::exception &) {
            return Json(d.run.versions);
        }
    }();

    Json stages = Json::array();
    for (const auto &st : d.stages) {
        Json s = Json::object();
        s["name"] = st.name;
        s["kind"] = st.kind;
        s["visual_tokens"] = st.visualTokens;
        Json perScale = Json::array();
        for (int t : st.tokensPerScale)
            perScale.push_back(t);
        s["tokens_per_scale"] = perScale;
        s["resolution"] = st.resolution;
        s["steps"] = st.steps;
        s["wall_seconds"] = optionalNumber(st.wallSeconds);
        s["samples_per_second"] = optionalNumber(st.samplesPerSecond);
        s["lm_tokens_per_second"] = optionalNumber(st.lmTokensPerSecond);
        s["step_seconds"] = optionalNumber(st.stepSeconds);
        s["final_loss"] = optionalNumber(st.finalLoss);
        s["feature_cache"] = st.featureCache;
        s["from_cache"] = st.fromCache;
        stages.push_back(s);
    }
    j["stages"] = stages;

    j["eval"] = d.finalEvaluation ? evaluationJson(*d.finalEvaluation) : Json();
    Json earlier = Json::array();
    for (const EvaluationRecord &ev : d.earlierEvaluations)
        earlier.push_back(evaluationJson(ev));
    j["earlier_evals"] = earlier;

    Json checkpoints = Json::array();
    for (const auto &c : d.checkpoints)
        checkpoints.push_back(c.path);
    j["checkpoints"] = checkpoints;
    Json artifacts = Json::array();
    for (const auto &a : d.artifacts) {
        Json aj = Json::object();
        aj["kind"] = a.kind;
        aj["path"] = a.path;
        aj["description"] = a.description;
        artifacts.push_back(aj);
    }
    j["artifacts"] = artifacts;
    return j;
}

std::string recordedBlas(const std::string &versions)
{
    try {
        const Json parsed = parseJson(versions, "versions");
        const Json *blas = findKey(parsed, "blas");
        return blas && blas->is_string() ? blas->get<std::string>() : std::string();
    } catch (const std::exception &) {
        return {};
    }
}

Json comparisonJson(const std::vector<ComparisonRow> &rows)
{
    const std::vector<size_t> front = paretoFront(rows);
    const std::set<size_t> onFront(front.begin(), front.end());
    Json out = Json::array();
    for (size_t i = 0; i < rows.size(); ++i) {
        const ComparisonRow &r = rows[i];
        Json j = Json::object();
        j["run_id"] = r.runId;
        j["name"] = r.name;
        j["status"] = r.status;
        j["connector"] = r.connector;
        Json tokens = Json::object();
        for (const auto &[stage, t] : r.tokensPerStage)
            tokens[stage] = t;
        j["visual_tokens"] = tokens;
        j["pretrain_seconds"] = optionalNumber(r.pretrainSeconds);
        j["finetune_seconds"] = optionalNumber(r.finetuneSeconds);
        j["feature_cache"] = r.featureCacheStages;
        j["blas"] = r.blas;
        j["accuracy"] = optionalNumber(r.accuracy);
        j["accuracy_se"] = optionalNumber(r.accuracySe());
        j["type_prior"] = optionalNumber(r.typePrior);
        j["shuffled_accuracy"] = optionalNumber(r.shuffledAccuracy);
        j["cell_reading"] = optionalNumber(r.cellReading);
        j["cell_reading_prior"] = optionalNumber(r.cellReadingPrior);
        Json perType = Json::object();
        for (const auto &[type, acc] : r.perTypeAccuracy)
            perType[type] = acc;
        j["per_type_accuracy"] = perType;
        j["pareto"] = onFront.count(i) > 0;
        out.push_back(j);
    }
    return out;
}

} // namespace cosw

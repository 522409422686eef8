#include "StoreJson.h"

#include "model/Numbers.h"

#include <set>

namespace cosw {

Json optionalNumber(const std::optional<double> &v) { return v ? Json(*v) : Json(); }

namespace {

std::string csvField(const std::string &s)
{
    if (s.find_first_of(",\"\n\r") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string csvNumber(const std::optional<double> &v)
{
    if (!v)
        return "";
    return formatRealSignificant(*v, 10);
}

std::optional<double> accuracySe(const ComparisonRow &row)
{
    if (!row.accuracy || !row.evaluated)
        return std::nullopt;
    return standardError(*row.accuracy, *row.evaluated);
}

std::string tokensText(const ComparisonRow &row)
{
    std::string out;
    for (const auto &[stage, tokens] : row.tokensPerStage)
        out += (out.empty() ? "" : ";") + stage + "=" + std::to_string(tokens);
    return out;
}

} // namespace

Json runJson(const RunRecord &r)
{
    Json j = Json::object();
    j.set("id", r.id);
    j.set("name", r.name);
    j.set("status", runStatusName(r.status));
    j.set("connector", r.connector);
    j.set("device", r.device);
    j.set("host", r.host);
    j.set("pid", r.pid ? Json(*r.pid) : Json());
    j.set("created_at", r.createdAt);
    j.set("started_at", optionalNumber(r.startedAt));
    j.set("ended_at", optionalNumber(r.endedAt));
    j.set("heartbeat_at", optionalNumber(r.heartbeatAt));
    j.set("message", r.message);
    Json tokens = Json::array();
    tokens.push(r.minVisualTokens);
    tokens.push(r.maxVisualTokens);
    j.set("visual_tokens_range", tokens);
    return j;
}

Json runDetailJson(const RunDetail &d)
{
    Json j = runJson(d.run);
    Json config;
    try {
        config = Json::parse(d.run.config, "config");
    } catch (const std::exception &) {
        config = Json(d.run.config); // stored text that is not JSON is shown as it is
    }
    j.set("config", config);
    j.set("versions", [&] {
        try {
            return Json::parse(d.run.versions, "versions");
        } catch (const std::exception &) {
            return Json(d.run.versions);
        }
    }());

    Json stages = Json::array();
    for (const auto &st : d.stages) {
        Json s = Json::object();
        s.set("name", st.name);
        s.set("kind", st.kind);
        s.set("visual_tokens", st.visualTokens);
        Json perScale = Json::array();
        for (int t : st.tokensPerScale)
            perScale.push(t);
        s.set("tokens_per_scale", perScale);
        s.set("resolution", st.resolution);
        s.set("steps", st.steps);
        s.set("wall_seconds", optionalNumber(st.wallSeconds));
        s.set("samples_per_second", optionalNumber(st.samplesPerSecond));
        s.set("lm_tokens_per_second", optionalNumber(st.lmTokensPerSecond));
        s.set("step_seconds", optionalNumber(st.stepSeconds));
        s.set("final_loss", optionalNumber(st.finalLoss));
        s.set("feature_cache", st.featureCache);
        stages.push(s);
    }
    j.set("stages", stages);

    if (d.finalEvaluation) {
        Json e = Json::object();
        e.set("accuracy", d.finalEvaluation->accuracy);
        e.set("n", d.finalEvaluation->n);
        e.set("stage", d.finalEvaluation->stage);
        e.set("step", d.finalEvaluation->step);
        const EvaluationRecord &ev = *d.finalEvaluation;
        e.set("standard_error", standardError(ev.accuracy, ev.n));
        e.set("type_prior", optionalNumber(ev.typePrior));
        e.set("shuffled_accuracy", optionalNumber(ev.shuffledAccuracy));
        e.set("cell_reading", optionalNumber(ev.cellReading));
        e.set("cell_reading_cells", ev.cellReadingCells ? Json(*ev.cellReadingCells) : Json());
        e.set("cell_reading_prior", optionalNumber(ev.cellReadingPrior));
        Json perType = Json::object(), detail = Json::object();
        for (const auto &[type, value] : ev.perType) {
            perType.set(type, value.first);
            Json t = Json::object();
            t.set("accuracy", value.first);
            t.set("n", value.second);
            t.set("standard_error", standardError(value.first, value.second));
            t.set("type_prior", optionalNumber(figureFor(ev.typePriorPerType, type)));
            t.set("shuffled_accuracy", optionalNumber(figureFor(ev.shuffledPerType, type)));
            detail.set(type, t);
        }
        e.set("per_type", perType);
        e.set("per_type_detail", detail);
        j.set("eval", e);
    } else {
        j.set("eval", Json());
    }

    Json checkpoints = Json::array();
    for (const auto &c : d.checkpoints)
        checkpoints.push(c.path);
    j.set("checkpoints", checkpoints);
    Json artifacts = Json::array();
    for (const auto &a : d.artifacts) {
        Json aj = Json::object();
        aj.set("kind", a.kind);
        aj.set("path", a.path);
        aj.set("description", a.description);
        artifacts.push(aj);
    }
    j.set("artifacts", artifacts);
    return j;
}

Json comparisonJson(const std::vector<ComparisonRow> &rows)
{
    const std::vector<size_t> front = paretoFront(rows);
    const std::set<size_t> onFront(front.begin(), front.end());
    Json out = Json::array();
    for (size_t i = 0; i < rows.size(); ++i) {
        const ComparisonRow &r = rows[i];
        Json j = Json::object();
        j.set("run_id", r.runId);
        j.set("name", r.name);
        j.set("status", r.status);
        j.set("connector", r.connector);
        Json tokens = Json::object();
        for (const auto &[stage, t] : r.tokensPerStage)
            tokens.set(stage, t);
        j.set("visual_tokens", tokens);
        j.set("pretrain_seconds", optionalNumber(r.pretrainSeconds));
        j.set("finetune_seconds", optionalNumber(r.finetuneSeconds));
        j.set("accuracy", optionalNumber(r.accuracy));
        j.set("accuracy_se", optionalNumber(accuracySe(r)));
        j.set("type_prior", optionalNumber(r.typePrior));
        j.set("shuffled_accuracy", optionalNumber(r.shuffledAccuracy));
        j.set("cell_reading", optionalNumber(r.cellReading));
        j.set("cell_reading_prior", optionalNumber(r.cellReadingPrior));
        Json perType = Json::object();
        for (const auto &[type, acc] : r.perTypeAccuracy)
            perType.set(type, acc);
        j.set("per_type_accuracy", perType);
        j.set("pareto", onFront.count(i) > 0);
        out.push(j);
    }
    return out;
}

std::string comparisonCsv(const std::vector<ComparisonRow> &rows)
{
    const std::vector<size_t> front = paretoFront(rows);
    const std::set<size_t> onFront(front.begin(), front.end());
    std::set<std::string> types;
    for (const auto &r : rows)
        for (const auto &kv : r.perTypeAccuracy)
            types.insert(kv.first);

    std::string out = "run_id,name,status,connector,visual_tokens,pretrain_seconds,finetune_seconds,accuracy,"
                      "accuracy_se,type_prior,shuffled_accuracy,cell_reading,cell_reading_prior,pareto";
    for (const auto &t : types)
        out += "," + csvField("accuracy_" + t);
    out += "\n";
    for (size_t i = 0; i < rows.size(); ++i) {
        const ComparisonRow &r = rows[i];
        out += std::to_string(r.runId) + "," + csvField(r.name) + "," + csvField(r.status) + ","
               + csvField(r.connector) + "," + csvField(tokensText(r)) + "," + csvNumber(r.pretrainSeconds) + ","
               + csvNumber(r.finetuneSeconds) + "," + csvNumber(r.accuracy) + "," + csvNumber(accuracySe(r)) + ","
               + csvNumber(r.typePrior) + "," + csvNumber(r.shuffledAccuracy) + "," + csvNumber(r.cellReading) + ","
               + csvNumber(r.cellReadingPrior) + ","
               + (onFront.count(i) ? "true" : "false");
        for (const auto &t : types) {
            out += "," + csvNumber(figureFor(r.perTypeAccuracy, t));
        }
        out += "\n";
    }
    return out;
}

} // namespace cosw

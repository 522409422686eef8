#include "ReplicaBenchmark.h"

#include "Evaluator.h"
#include "YamlLoader.h"
#include "model/Errors.h"
#include "model/Numbers.h"
#include "store/StoreJson.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

namespace cosw {

namespace {

constexpr double kTargetReductionPercent = 70.0;
constexpr double kTargetAccuracyPoints = 2.0;
// Below this many points above the type-prior baseline, accuracies are not
// evidence about the image pathway.
constexpr double kInformativePoints = 5.0;
constexpr int kQuickStepDivisor = 3;
constexpr int64_t kQuickEvalSamples = 200;

Json &stagesOf(Json &tree, const std::string &file)
{
    Json *stages = tree.isObject() ? &tree["stages"] : nullptr;
    if (!stages || !stages->isArray())
        throw ConfigError(file, "stages", "expected a list of stages");
    return *stages;
}

// A stage's `kind` as its config spells it; empty when it has none.
std::string kindOf(const Json &stage)
{
    const Json *kind = stage.isObject() ? stage.find("kind") : nullptr;
    return kind && kind->isString() ? kind->asString() : std::string();
}

// --quick: the same comparison at a third of the steps. What the variants
// start from (the vision tower and the language model of the text stages) is
// made whole: both are cached and shared, and a third of a language model
// reads nothing, which would leave the comparison nothing to show.
void shrink(Json &tree, const std::string &file)
{
    for (Json &stage : stagesOf(tree, file).asArray()) {
        const std::string kind = kindOf(stage);
        if (!stage.isObject() || kind == "vision" || kind == "text")
            continue;
        for (const char *key : {"steps", "warmup_steps"}) {
            const Json *v = stage.find(key);
            if (v && v->isInteger() && v->asInt() > 0)
                stage.set(key, std::max<int64_t>(key[0] == 's' ? 1 : 0, v->asInt() / kQuickStepDivisor));
        }
    }
    Json &data = tree["data"];
    const Json *eval = data.isObject() ? data.find("eval_samples") : nullptr;
    if (!eval || !eval->isInteger() || eval->asInt() <= 0 || eval->asInt() > kQuickEvalSamples)
        data.set("eval_samples", kQuickEvalSamples);
}

Json loadTree(const std::string &path, const ReplicaOptions &options)
{
    Json tree = loadYamlFile(path);
    if (!tree.isObject())
        throw InputError(path + ": a run config is a mapping with `model` and `stages`");
    for (const auto &o : options.overrides)
        applyOverride(tree, o);
    if (options.quick)
        shrink(tree, path);
    return tree;
}

// The fine-tuning stage of the cos config: the one whose scaling the
// ablations take apart.
Json &finetuneStage(Json &tree, const std::string &file)
{
    Json *found = nullptr;
    for (Json &stage : stagesOf(tree, file).asArray())
        if (kindOf(stage) == "finetune")
            found = &stage;
    if (!found)
        throw ConfigError(file, "stages", "has no finetune stage to scale tokens for");
    const Json *scaling = found->find("scaling");
    if (!scaling || !scaling->isObject())
        throw ConfigError(file, "stages", "the finetune stage has no `scaling`: there is nothing to compare");
    return *found;
}

ReplicaVariant variant(const std::string &name, const std::string &description, Json tree, const std::string &file)
{
    tree.set("name", "replica-" + name);
    return {name, description, RunConfig::fromJson(tree, file)};
}

const StageRecord *stageOfKind(const RunDetail &detail, const std::string &kind)
{
    for (const auto &s : detail.stages)
        if (s.kind == kind)
            return &s;
    return nullptr;
}

// What prepareRunData's result depends on: the data section, which files
// the stages read, whether any evaluates, and the vocabulary it is checked
// against.
std::string dataKey(const RunConfig &config)
{
    Json key = Json::array();
    key.push(config.toJson().find("data")->dump());
    for (const StageConfig &st : config.stages)
        for (const std::string &file : st.dataFiles())
            key.push(st.kind + ":" + file + (st.evaluate ? ":eval" : ""));
    key.push(config.model.lm.vocabSize);
    return key.dump();
}

// The first fine-tuning stage, and what every stage before it depends on:
// variants with equal keys train the same weights up to there.
std::pair<int, std::string> beforeFinetune(const RunConfig &config)
{
    int stage = 0;
    while (stage < int(config.stages.size()) && config.stages[size_t(stage)].kind != "finetune")
        ++stage;
    Json tree = config.toJson();
    Json key = Json::object();
    key.set("model", *tree.find("model"));
    key.set("data", *tree.find("data"));
    Json stages = Json::array();
    for (int i = 0; i < stage; ++i)
        stages.push(tree.find("stages")->asArray()[size_t(i)]);
    key.set("stages", stages);
    return {stage, key.dump()};
}

std::string fixed(double v, int digits) { return formatRealFixed(v, digits); }

std::string cell(const Json *v, int digits, double scale = 1.0)
{
    return v && v->isNumber() ? fixed(v->asDouble() * scale, digits) : std::string("—");
}

} // namespace

std::vector<ReplicaVariant> replicaVariants(const ReplicaOptions &options)
{
    static const std::vector<std::string> known = {"baseline", "cos", "cos-noscale", "cos-window", "cos-resolution"};
    for (const auto &v : options.variants)
        if (std::find(known.begin(), known.end(), v) == known.end())
            throw InputError("unknown variant '" + v + "' (known: baseline, cos, cos-noscale, cos-window, cos-resolution)");
    auto wanted = [&](const std::string &name) {
        return options.variants.empty()
            || std::find(options.variants.begin(), options.variants.end(), name) != options.variants.end();
    };

    const Json baseline = loadTree(options.baselineConfig, options);
    const Json cos = loadTree(options.cosConfig, options);
    Json probe = cos;
    const Json scaling = *finetuneStage(probe, options.cosConfig).find("scaling");

    // Each ablation keeps part of the cos fine-tuning scaling; the stage's
    // `resolution` is dropped so the scaled model states it.
    auto ablation = [&](const std::string &name, const std::string &description, const std::vector<const char *> &keep) {
        Json tree = cos;
        Json &stage = finetuneStage(tree, options.cosConfig);
        stage.erase("resolution");
        Json kept = Json::object();
        for (const char *key : keep)
            if (const Json *v = scaling.find(key))
                kept.set(key, *v);
        if (kept.size() == 0)
            stage.erase("scaling");
        else
            stage.set("scaling", kept);
        return variant(name, description, tree, options.cosConfig);
    };

    std::vector<ReplicaVariant> out;
    if (wanted("baseline"))
        out.push_back(variant("baseline", "standard resampler, the same tokens in both stages", baseline,
                              options.baselineConfig));
    if (wanted("cos"))
        out.push_back(variant("cos", "Chain-of-Sight, few tokens in pre-training, compound scaling for fine-tuning",
                              cos, options.cosConfig));
    if (wanted("cos-noscale"))
        out.push_back(ablation("cos-noscale", "Chain-of-Sight without token scaling", {}));
    if (wanted("cos-window"))
        out.push_back(ablation("cos-window", "Chain-of-Sight, window scaling only", {"window"}));
    if (wanted("cos-resolution"))
        out.push_back(ablation("cos-resolution", "Chain-of-Sight, resolution scaling only", {"resolution"}));
    return out;
}

std::vector<ReplicaResult> runReplicaBenchmark(const std::vector<ReplicaVariant> &variants, ExperimentStore &store,
                                               const TrainerOptions &trainerOptions, bool reuseFinished,
                                               const TrainingEventSink &events,
                                               const std::function<void(const ReplicaVariant &, size_t)> &onVariant,
                                               BlindBaselines &blind)
{
    // Every variant's data is loaded and checked before the first one runs,
    // so a bad config or dataset stops the benchmark before hours are spent;
    // variants that read the same data share one loading of it.
    std::vector<std::unique_ptr<Trainer>> trainers;
    std::map<std::string, PreparedData> prepared;
    for (const auto &v : variants) {
        const std::string key = dataKey(v.config);
        auto found = prepared.find(key);
        if (found == prepared.end())
            found = prepared.emplace(key, prepareRunData(v.config, events)).first;
        trainers.push_back(std::make_unique<Trainer>(v.config, store, trainerOptions, events, found->second));
    }

    std::vector<ReplicaResult> results;
    // Finished runs by what they share with later variants: a cos ablation
    // continues the cos run's pre-training instead of repeating it.
    std::map<std::string, int64_t> pretrained;
    for (size_t i = 0; i < variants.size(); ++i) {
        const ReplicaVariant &v = variants[i];
        Trainer &trainer = *trainers[i];
        const auto prefix = beforeFinetune(trainer.config());
        const int stage = prefix.first;
        const std::string &key = prefix.second;
        auto remember = [&](const ReplicaResult &r) {
            if (r.status != "finished" || stage == 0 || stage == int(trainer.config().stages.size()))
                return;
            if (r.sharedFrom)
                pretrained.emplace(key, r.sharedFrom);
            // A run kept from an earlier benchmark may itself have continued another's.
            else if (Trainer::stageEndCheckpoint(r.detail, stage - 1))
                pretrained.emplace(key, r.runId);
        };
        if (const auto &eval = trainer.data().eval) {
            blind.majority = majorityBaseline(*eval, v.config.data.evalSamples).second;
            // The prior of the data the evaluated stage trains on.
            for (const StageConfig &st : v.config.stages)
                if (st.evaluate)
                    blind.typePrior =
                        typePriorAccuracy(*eval, typePriorOf(*trainer.data().datasets.at(st.data)), v.config.data.evalSamples)
                            .first;
        }
        if (onVariant)
            onVariant(v, i);
        ReplicaResult r;
        r.variant = v.name;
        r.description = v.description;
        if (reuseFinished) {
            RunFilter filter;
            filter.status = RunStatus::Finished;
            filter.namePattern = v.config.name;
            const std::string config = trainer.config().toJson().dump();
            for (const RunRecord &run : store.runs(filter))
                if (run.config == config) {
                    r.runId = run.id;
                    r.status = "finished";
                    r.reused = true;
                    r.detail = store.run(run.id);
                    if (r.detail.run.startedAt && r.detail.run.endedAt)
                        r.wallSeconds = *r.detail.run.endedAt - *r.detail.run.startedAt;
                    break;
                }
            if (r.reused) {
                remember(r);
                results.push_back(std::move(r));
                continue;
            }
        }
        r.runId = trainer.createRun(v.config.name);
        const auto start = std::chrono::steady_clock::now();
        const auto shared = pretrained.find(key);
        if (shared != pretrained.end())
            r.sharedFrom = shared->second;
        const RunOutcome outcome =
            r.sharedFrom ? trainer.runFrom(r.runId, store.run(r.sharedFrom), stage) : trainer.run(r.runId);
        r.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        r.status = outcome == RunOutcome::Finished ? "finished"
                 : outcome == RunOutcome::Failed   ? "failed"
                                                   : "interrupted";
        r.message = trainer.failure();
        r.detail = store.run(r.runId);
        remember(r);
        results.push_back(std::move(r));
        if (outcome != RunOutcome::Finished)
            break;
    }
    return results;
}

Json replicaReport(const std::vector<ReplicaResult> &results, const BlindBaselines &blind, const Json &context)
{
    Json report = Json::object();
    for (const auto &kv : context.asObject())
        report.set(kv.first, kv.second);
    report.set("majority_accuracy", blind.majority);
    report.set("type_prior_accuracy", blind.typePrior);

    Json variants = Json::array();
    const ReplicaResult *baseline = nullptr, *cos = nullptr;
    for (const auto &r : results) {
        Json v = Json::object();
        v.set("name", r.variant);
        v.set("description", r.description);
        v.set("run_id", r.runId);
        v.set("status", r.status);
        if (!r.message.empty())
            v.set("message", r.message);
        for (const char *kind : {"pretrain", "finetune"}) {
            const StageRecord *s = stageOfKind(r.detail, kind);
            Json stage = Json::object();
            stage.set("visual_tokens", s ? Json(s->visualTokens) : Json());
            stage.set("resolution", s ? Json(s->resolution) : Json());
            stage.set("steps", s ? Json(s->steps) : Json());
            stage.set("wall_seconds", s ? optionalNumber(s->wallSeconds) : Json());
            stage.set("samples_per_s", s ? optionalNumber(s->samplesPerSecond) : Json());
            stage.set("lm_tokens_per_s", s ? optionalNumber(s->lmTokensPerSecond) : Json());
            stage.set("step_seconds_median", s ? optionalNumber(s->stepSeconds) : Json());
            v.set(kind, stage);
        }
        const auto &e = r.detail.finalEvaluation;
        v.set("accuracy", e ? Json(e->accuracy) : Json());
        v.set("eval_samples", e ? Json(e->n) : Json());
        v.set("accuracy_se", e ? Json(standardError(e->accuracy, e->n)) : Json());
        v.set("type_prior", e ? optionalNumber(e->typePrior) : Json());
        v.set("shuffled_accuracy", e ? optionalNumber(e->shuffledAccuracy) : Json());
        v.set("cell_reading", e ? optionalNumber(e->cellReading) : Json());
        v.set("cell_reading_prior", e ? optionalNumber(e->cellReadingPrior) : Json());
        Json perType = Json::object();
        if (e)
            for (const auto &[type, accN] : e->perType)
                perType.set(type, accN.first);
        v.set("per_type", perType);
        v.set("run_wall_seconds", r.wallSeconds);
        v.set("reused", r.reused);
        v.set("pretrain_shared_with_run", r.sharedFrom ? Json(r.sharedFrom) : Json());
        variants.push(v);
        if (r.status == "finished" && r.variant == "baseline")
            baseline = &r;
        if (r.status == "finished" && r.variant == "cos")
            cos = &r;
    }
    report.set("variants", variants);

    Json headline = Json::object();
    Json target = Json::object();
    target.set("pretrain_time_reduction_percent_at_least", kTargetReductionPercent);
    target.set("accuracy_difference_points_within", kTargetAccuracyPoints);
    headline.set("target", target);
    const StageRecord *bp = baseline ? stageOfKind(baseline->detail, "pretrain") : nullptr;
    const StageRecord *cp = cos ? stageOfKind(cos->detail, "pretrain") : nullptr;
    const bool comparable = bp && cp && bp->wallSeconds && cp->wallSeconds && *bp->wallSeconds > 0
                         && baseline->detail.finalEvaluation && cos->detail.finalEvaluation;
    if (comparable) {
        const double reduction = 100.0 * (1.0 - *cp->wallSeconds / *bp->wallSeconds);
        const double diff = 100.0 * (cos->detail.finalEvaluation->accuracy - baseline->detail.finalEvaluation->accuracy);
        const bool timeMet = reduction >= kTargetReductionPercent;
        const bool accuracyMet = diff >= -kTargetAccuracyPoints;
        // Accuracies near what the question type alone gives say nothing
        // about the connectors, so equal accuracies there do not count as
        // the claim holding: the report says so instead.
        const double margin = 100.0 * (std::min(cos->detail.finalEvaluation->accuracy,
                                                baseline->detail.finalEvaluation->accuracy) - blind.typePrior);
        const bool informative = margin >= kInformativePoints;
        headline.set("pretrain_time_reduction_percent", reduction);
        headline.set("accuracy_difference_points", diff);
        headline.set("points_above_type_prior", margin);
        headline.set("accuracy_informative", informative);
        headline.set("time_target_met", timeMet);
        headline.set("accuracy_target_met", accuracyMet);
        headline.set("met", timeMet && accuracyMet && informative);
    } else {
        headline.set("met", Json());
        headline.set("why_not_compared", "baseline and cos must both finish with an evaluation");
    }
    report.set("headline", headline);
    return report;
}

std::string replicaMarkdown(const Json &report)
{
    auto str = [&](const Json &j, const char *key) {
        const Json *v = j.find(key);
        return v && v->isString() ? v->asString() : std::string();
    };
    std::string md = "# Chain-of-Sight replica benchmark\n\n";
    md += "Mode **" + str(report, "mode") + "**, " + str(report, "date") + " on " + str(report, "machine")
        + " (LibTorch " + str(report, "libtorch") + ", device " + str(report, "device") + ").\n";
    md += "Store: `" + str(report, "db") + "`. Times count training steps only (no evaluation, no checkpoint I/O).\n\n";

    md += "| variant | run | tokens pre-train → fine-tune | pre-train s | fine-tune s | pre-train samples/s "
          "| accuracy ± se | type prior | shuffled images | cell reading (blind) | per type |\n";
    md += "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
    for (const Json &v : report.find("variants")->asArray()) {
        const Json &pre = *v.find("pretrain");
        const Json &fine = *v.find("finetune");
        std::string types;
        for (const auto &[type, acc] : v.find("per_type")->asObject())
            types += (types.empty() ? "" : ", ") + type + " " + fixed(acc.asDouble(), 3);
        const std::string status = str(v, "status");
        const Json *reused = v.find("reused");
        const Json *sharedWith = v.find("pretrain_shared_with_run");
        md += "| " + str(v, "name") + (status == "finished" ? "" : " (" + status + ")")
            + (reused && reused->asBool() ? " (reused)" : "") + " | "
            + std::to_string(v.find("run_id")->asInt()) + " | " + cell(pre.find("visual_tokens"), 0) + " → "
            + cell(fine.find("visual_tokens"), 0) + " | " + cell(pre.find("wall_seconds"), 1)
            + (sharedWith && sharedWith->isInteger() ? " (run " + std::to_string(sharedWith->asInt()) + ")" : "") + " | "
            + cell(fine.find("wall_seconds"), 1) + " | " + cell(pre.find("samples_per_s"), 1) + " | "
            + cell(v.find("accuracy"), 4) + " ± " + cell(v.find("accuracy_se"), 4) + " | "
            + cell(v.find("type_prior"), 4) + " | " + cell(v.find("shuffled_accuracy"), 4) + " | "
            + cell(v.find("cell_reading"), 3) + " (" + cell(v.find("cell_reading_prior"), 3) + ") | "
            + (types.empty() ? "—" : types) + " |\n";
    }
    bool anyShared = false;
    for (const Json &v : report.find("variants")->asArray())
        anyShared = anyShared || v.find("pretrain_shared_with_run")->isInteger();
    if (anyShared)
        md += "\nA pre-training time followed by (run N) is that run's: the variant's config agrees with it up to "
              "fine-tuning, so it continued that run's model rather than train the same weights again.\n";
    md += "\nWithout the image: always the commonest answer scores " + cell(report.find("majority_accuracy"), 4)
        + "; each question type's commonest answer scores " + cell(report.find("type_prior_accuracy"), 4)
        + ".\n\n## Headline\n\n";

    const Json &h = *report.find("headline");
    const Json *met = h.find("met");
    if (!met || !met->isBool()) {
        md += "Not compared: " + str(h, "why_not_compared") + ".\n";
        return md;
    }
    md += "- Pre-training time reduction, cos against baseline: **"
        + cell(h.find("pretrain_time_reduction_percent"), 1) + "%** (target ≥ "
        + fixed(kTargetReductionPercent, 0) + "%: " + (h.find("time_target_met")->asBool() ? "met" : "not met")
        + ").\n";
    md += "- Accuracy difference, cos minus baseline: **" + cell(h.find("accuracy_difference_points"), 1)
        + " points** (target within " + fixed(kTargetAccuracyPoints, 0) + " points below: "
        + (h.find("accuracy_target_met")->asBool() ? "met" : "not met") + ").\n";
    if (h.find("accuracy_informative")->asBool()) {
        md += std::string("- Verdict: the target is **") + (met->asBool() ? "met" : "not met") + "**.\n";
    } else {
        const double margin = h.find("points_above_type_prior")->asDouble();
        md += std::string("- Verdict: **not shown**. The time target is ")
            + (h.find("time_target_met")->asBool() ? "met" : "not met") + ", but the weaker model is "
            + fixed(std::abs(margin), 1) + (margin < 0 ? " points below" : " points above")
            + " answering each question with its type's commonest answer, so neither model reads much from "
              "the image yet and equal accuracies say nothing about the connectors.\n";
    }
    return md;
}

} // namespace cosw

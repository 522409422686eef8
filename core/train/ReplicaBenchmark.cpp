#include "ReplicaBenchmark.h"

#include "DataParallel.h"
#include "Evaluator.h"
#include "SweepPlan.h"
#include "YamlLoader.h"
#include "base/Errors.h"
#include "base/Messages.h"
#include "base/Numbers.h"
#include "compare/RunGroups.h"
#include "store/ExperimentStore.h"
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
    Json *stages = tree.is_object() ? &tree["stages"] : nullptr;
    if (!stages || !stages->is_array())
        throw ConfigError(file, "stages", msg("expected a list of stages"));
    return *stages;
}

// A stage's `kind` as its config spells it; empty when it has none.
std::string kindOf(const Json &stage)
{
    const Json *kind = stage.is_object() ? findKey(stage, "kind") : nullptr;
    return kind && kind->is_string() ? kind->get<std::string>() : std::string();
}

// --quick: the same comparison at a third of the steps. What the variants
// start from (the vision tower and the language model of the text stages) is
// made whole: both are cached and shared, and a third of a language model
// reads nothing, which would leave the comparison nothing to show.
void shrink(Json &tree, const std::string &file)
{
    for (Json &stage : stagesOf(tree, file)) {
        const std::string kind = kindOf(stage);
        if (!stage.is_object() || kind == "vision" || kind == "text")
            continue;
        for (const char *key : {"steps", "warmup_steps"}) {
            const Json *v = findKey(stage, key);
            if (v && v->is_number_integer() && v->get<int64_t>() > 0)
                stage[key] = std::max<int64_t>(key[0] == 's' ? 1 : 0, v->get<int64_t>() / kQuickStepDivisor);
        }
    }
    Json &data = tree["data"];
    const Json *eval = data.is_object() ? findKey(data, "eval_samples") : nullptr;
    if (!eval || !eval->is_number_integer() || eval->get<int64_t>() <= 0 || eval->get<int64_t>() > kQuickEvalSamples)
        data["eval_samples"] = kQuickEvalSamples;
}

Json loadTree(const std::string &path, const ReplicaOptions &options)
{
    Json tree = loadYamlFile(path);
    if (!tree.is_object())
        throw InputError(fill(msg("%1: a run config is a mapping with `model` and `stages`"), {path}));
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
    for (Json &stage : stagesOf(tree, file))
        if (kindOf(stage) == "finetune")
            found = &stage;
    if (!found)
        throw ConfigError(file, "stages", msg("has no finetune stage to scale tokens for"));
    const Json *scaling = findKey(*found, "scaling");
    if (!scaling || !scaling->is_object())
        throw ConfigError(file, "stages", msg("the finetune stage has no `scaling`: there is nothing to compare"));
    return *found;
}

// Seed `seed` of a config: every stage's seed moved on by it, as a sweep's seeds do.
Json reseeded(Json tree, int seed, const std::string &file)
{
    for (const std::string &o : seedOverrides(RunConfig::fromJson(tree, file), seed))
        applyOverride(tree, o);
    return tree;
}

ReplicaVariant variant(const std::string &name, const std::string &description, int seed, Json tree,
                       const std::string &file)
{
    tree["name"] = "replica-" + name + (seed ? "-seed" + std::to_string(seed) : "");
    return {name, description, seed, RunConfig::fromJson(tree, file)};
}

// The baseline config with LLaVA-1.5's connector in place of its resampler:
// two linear layers over every feature cell, so each token keeps its cell's
// place, and nothing else changed (its visual tokens at the scale the
// baseline's have).
Json withMlpProjector(Json tree)
{
    Json *model = findKey(tree, "model");
    if (!model || !model->is_object())
        return tree; // the config reader names what is wrong
    const Json *connector = findKey(*model, "connector");
    const Json *outputScale = connector && connector->is_object() ? findKey(*connector, "output_scale") : nullptr;
    Json mlp = Json::object();
    mlp["type"] = "mlp";
    mlp["mlp_layers"] = 2;
    if (outputScale)
        mlp["output_scale"] = *outputScale;
    (*model)["connector"] = mlp;
    return tree;
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
    key.push_back(config.toJson().at("data").dump());
    for (const StageConfig &st : config.stages)
        for (const std::string &file : st.dataFiles())
            key.push_back(st.kind + ":" + file + (st.evaluate ? ":eval" : ""));
    key.push_back(config.model.lm.vocabSize);
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
    key["model"] = tree.at("model");
    key["data"] = tree.at("data");
    Json stages = Json::array();
    for (int i = 0; i < stage; ++i)
        stages.push_back(tree.at("stages").at(size_t(i)));
    key["stages"] = stages;
    return {stage, key.dump()};
}

// One variant over its finished seeds.
struct SeedFigures {
    std::string name;
    std::vector<double> accuracy, shuffled, pretrainSeconds;
    std::vector<int64_t> questions; // per accuracy: the questions it was measured on
};

// The standard error of a mean of accuracies from the questions alone
// (binomial per run; the spread between seeds is not in it).
double meanStandardError(const SeedFigures &f)
{
    double variance = 0;
    for (size_t i = 0; i < f.accuracy.size(); ++i)
        variance += std::pow(standardError(f.accuracy[i], f.questions[i]), 2);
    return std::sqrt(variance) / double(f.accuracy.size());
}

// The finished, evaluated runs of each variant, in the order variants first appear.
std::vector<SeedFigures> figuresBySeed(const std::vector<ReplicaResult> &results)
{
    std::vector<SeedFigures> out;
    for (const auto &r : results) {
        auto it = std::find_if(out.begin(), out.end(), [&](const SeedFigures &f) { return f.name == r.variant; });
        if (it == out.end())
            it = out.insert(out.end(), SeedFigures{r.variant, {}, {}, {}, {}});
        const auto &e = r.detail.finalEvaluation;
        if (r.status != "finished" || !e)
            continue;
        it->accuracy.push_back(e->accuracy);
        it->questions.push_back(e->n);
        if (e->shuffledAccuracy)
            it->shuffled.push_back(*e->shuffledAccuracy);
        const StageRecord *pre = stageOfKind(r.detail, "pretrain");
        if (pre && pre->wallSeconds && *pre->wallSeconds > 0)
            it->pretrainSeconds.push_back(*pre->wallSeconds);
    }
    return out;
}

// cos against one baseline, of the means over each one's seeds, so one
// seed's noise does not decide the verdict.
Json comparison(const SeedFigures &baseline, const SeedFigures &cos, double typePrior)
{
    const auto mean = [](const std::vector<double> &values) { return *summarize(values).mean; }; // never empty here
    const double baseAccuracy = mean(baseline.accuracy), cosAccuracy = mean(cos.accuracy);
    const double reduction = 100.0 * (1.0 - mean(cos.pretrainSeconds) / mean(baseline.pretrainSeconds));
    const double diff = 100.0 * (cosAccuracy - baseAccuracy);
    const bool timeMet = reduction >= kTargetReductionPercent;
    const bool accuracyMet = diff >= -kTargetAccuracyPoints;
    // Accuracies near what the question type alone gives say nothing about
    // the connectors, so equal accuracies there do not count as the claim
    // holding: the report says so instead.
    const double margin = 100.0 * (std::min(cosAccuracy, baseAccuracy) - typePrior);
    const bool informative = margin >= kInformativePoints;
    Json c = Json::object();
    Json seeds = Json::object();
    seeds[baseline.name] = baseline.accuracy.size();
    seeds[cos.name] = cos.accuracy.size();
    c["seeds"] = seeds;
    c["pretrain_time_reduction_percent"] = reduction;
    c["accuracy_difference_points"] = diff;
    c["points_above_type_prior"] = margin;
    c["weaker"] = cosAccuracy < baseAccuracy ? cos.name : baseline.name;
    c["accuracy_informative"] = informative;
    c["time_target_met"] = timeMet;
    c["accuracy_target_met"] = accuracyMet;
    c["met"] = timeMet && accuracyMet && informative;
    return c;
}

std::string fixed(double v, int digits) { return formatRealFixed(v, digits); }

std::string cell(const Json *v, int digits, double scale = 1.0)
{
    return v && v->is_number() ? fixed(v->get<double>() * scale, digits) : std::string("—");
}

// The headline's lines for one comparison of cos against `baseline`.
std::string comparisonLines(const Json &c, const std::string &baseline)
{
    const auto str = [&](const char *key) {
        const Json *v = findKey(c, key);
        return v && v->is_string() ? v->get<std::string>() : std::string();
    };
    std::string md = "- Pre-training time reduction, cos against " + baseline + ": **"
        + cell(findKey(c, "pretrain_time_reduction_percent"), 1) + "%** (target ≥ "
        + fixed(kTargetReductionPercent, 0) + "%: " + (c.at("time_target_met").get<bool>() ? "met" : "not met")
        + ").\n";
    md += "- Accuracy difference, cos minus " + baseline + ": **" + cell(findKey(c, "accuracy_difference_points"), 1)
        + " points** (target within " + fixed(kTargetAccuracyPoints, 0) + " points below: "
        + (c.at("accuracy_target_met").get<bool>() ? "met" : "not met") + ").\n";
    if (c.at("accuracy_informative").get<bool>())
        return md + "- Verdict: the target is **" + (c.at("met").get<bool>() ? "met" : "not met") + "**.\n";
    const double margin = c.at("points_above_type_prior").get<double>();
    return md + "- Verdict: **not shown**. The time target is "
        + (c.at("time_target_met").get<bool>() ? "met" : "not met") + "; the weaker model, " + str("weaker") + ", is "
        + fixed(std::abs(margin), 1) + (margin < 0 ? " points below" : " points above")
        + " answering each question with its type's commonest answer: it reads little from the image, so the "
          "accuracy comparison says nothing about the connectors yet.\n";
}

} // namespace

std::vector<ReplicaVariant> replicaVariants(const ReplicaOptions &options)
{
    static const std::vector<std::string> known = {"baseline", "baseline-mlp", "cos", "cos-noscale", "cos-window",
                                                   "cos-resolution"};
    for (const auto &v : options.variants)
        if (std::find(known.begin(), known.end(), v) == known.end())
            throw InputError(fill(msg("unknown variant '%1' (known: baseline, baseline-mlp, cos, cos-noscale, "
                                      "cos-window, cos-resolution)"),
                                  {v}));
    // The MLP projector runs on request only: the paper's comparison is the
    // five, and a sixth takes the two-seed full run close to its hour.
    auto wanted = [&](const std::string &name) {
        if (options.variants.empty())
            return name != "baseline-mlp";
        return std::find(options.variants.begin(), options.variants.end(), name) != options.variants.end();
    };

    if (options.seeds < 1)
        throw InputError(fill(msg("--seeds %1: expected 1 or more"), {std::to_string(options.seeds)}));
    const Json baselineTree = loadTree(options.baselineConfig, options);
    const Json cosTree = loadTree(options.cosConfig, options);
    Json probe = cosTree;
    const Json scaling = finetuneStage(probe, options.cosConfig).at("scaling");

    // Each ablation keeps part of the cos fine-tuning scaling; the stage's
    // `resolution` is dropped so the scaled model states it.
    auto ablation = [&](const Json &cos, int seed, const std::string &name, const std::string &description,
                        const std::vector<const char *> &keep) {
        Json tree = cos;
        Json &stage = finetuneStage(tree, options.cosConfig);
        stage.erase("resolution");
        Json kept = Json::object();
        for (const char *key : keep)
            if (const Json *v = findKey(scaling, key))
                kept[key] = *v;
        if (kept.size() == 0)
            stage.erase("scaling");
        else
            stage["scaling"] = kept;
        return variant(name, description, seed, tree, options.cosConfig);
    };

    // Seed by seed, so an interrupted benchmark has whole seeds to report.
    std::vector<ReplicaVariant> out;
    for (int seed = 0; seed < options.seeds; ++seed) {
        const Json cos = reseeded(cosTree, seed, options.cosConfig);
        if (wanted("baseline"))
            out.push_back(variant("baseline", "standard resampler, the same tokens in both stages", seed,
                                  reseeded(baselineTree, seed, options.baselineConfig), options.baselineConfig));
        if (wanted("baseline-mlp"))
            out.push_back(variant("baseline-mlp", "LLaVA-1.5's MLP projector, a token per feature cell, the baseline's stages",
                                  seed, withMlpProjector(reseeded(baselineTree, seed, options.baselineConfig)),
                                  options.baselineConfig));
        if (wanted("cos"))
            out.push_back(variant("cos", "Chain-of-Sight, few tokens in pre-training, compound scaling for fine-tuning",
                                  seed, cos, options.cosConfig));
        if (wanted("cos-noscale"))
            out.push_back(ablation(cos, seed, "cos-noscale", "Chain-of-Sight without token scaling", {}));
        if (wanted("cos-window"))
            out.push_back(ablation(cos, seed, "cos-window", "Chain-of-Sight, window scaling only", {"window"}));
        if (wanted("cos-resolution"))
            out.push_back(ablation(cos, seed, "cos-resolution", "Chain-of-Sight, resolution scaling only", {"resolution"}));
    }
    return out;
}

std::vector<ReplicaResult> runReplicaBenchmark(const std::vector<ReplicaVariant> &variants, ExperimentStore &store,
                                               const TrainerOptions &trainerOptions, bool reuseFinished,
                                               const TrainingEventSink &events,
                                               const std::function<void(const ReplicaVariant &, size_t)> &onVariant,
                                               BlindBaselines &blind, ExperimentStore *lead)
{
    DataParallel *group = trainerOptions.parallel;
    // Where the benchmark's runs are read back: rank 0's store, on every rank.
    ExperimentStore &runs = lead && follows(group) ? *lead : store;

    // Every variant's data is loaded and checked before the first one runs,
    // so a bad config or dataset stops the benchmark before hours are spent;
    // variants that read the same data share one loading of it.
    std::vector<std::unique_ptr<Trainer>> trainers;
    std::map<std::string, PreparedData> prepared;
    for (const auto &v : variants) {
        const std::string key = dataKey(v.config);
        auto found = prepared.find(key);
        if (found == prepared.end())
            found = prepared.emplace(key, leadThenFollow(group, [&] { return prepareRunData(v.config, events); })).first;
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
            // The prior of everything the evaluated stage trains on.
            for (const StageConfig &st : v.config.stages)
                if (st.evaluate)
                    blind.typePrior =
                        typePriorAccuracy(*eval, typePriorOf(trainer.data().stageData(st)), v.config.data.evalSamples)
                            .first;
        }
        if (onVariant)
            onVariant(v, i);
        ReplicaResult r;
        r.variant = v.name;
        r.description = v.description;
        r.seed = v.seed;
        // Rank 0 looks for a finished run of the same config; the others follow its choice.
        int64_t kept = 0;
        if (reuseFinished && !follows(group)) {
            RunFilter filter;
            filter.status = RunStatus::Finished;
            filter.namePattern = v.config.name;
            const std::string config = trainer.config().toJson().dump();
            for (const RunRecord &run : store.runs(filter))
                if (run.config == config) {
                    kept = run.id;
                    break;
                }
        }
        kept = fromRankZero(group, kept);
        if (kept) {
            r.runId = kept;
            r.status = "finished";
            r.reused = true;
            r.detail = runs.run(kept);
            if (r.detail.run.startedAt && r.detail.run.endedAt)
                r.wallSeconds = *r.detail.run.endedAt - *r.detail.run.startedAt;
            // A kept run that continued another's pre-training holds no
            // checkpoint of its own before fine-tuning; its pre-training is
            // that of the run with the same stages up to there.
            const auto shared = pretrained.find(key);
            if (shared != pretrained.end() && stage > 0 && !Trainer::stageEndCheckpoint(r.detail, stage - 1))
                r.sharedFrom = shared->second;
            remember(r);
            results.push_back(std::move(r));
            continue;
        }
        const int64_t ownRun = trainer.createRun(v.config.name);
        // The run's id in rank 0's store, where it is read back.
        r.runId = fromRankZero(group, ownRun);
        const auto start = std::chrono::steady_clock::now();
        const auto shared = pretrained.find(key);
        if (shared != pretrained.end())
            r.sharedFrom = shared->second;
        const RunOutcome outcome =
            r.sharedFrom ? trainer.runFrom(ownRun, runs.run(r.sharedFrom), stage) : trainer.run(ownRun);
        r.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        r.status = outcome == RunOutcome::Finished ? "finished"
                 : outcome == RunOutcome::Failed   ? "failed"
                                                   : "interrupted";
        r.message = trainer.failure();
        // Rank 0 has recorded the run's end before any rank reads it.
        if (group)
            group->barrier();
        r.detail = runs.run(r.runId);
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
    report.update(context);
    report["majority_accuracy"] = blind.majority;
    report["type_prior_accuracy"] = blind.typePrior;

    Json variants = Json::array();
    for (const auto &r : results) {
        Json v = Json::object();
        v["name"] = r.variant;
        v["description"] = r.description;
        v["seed"] = r.seed;
        v["run_id"] = r.runId;
        v["status"] = r.status;
        if (!r.message.empty())
            v["message"] = r.message;
        for (const char *kind : {"pretrain", "finetune"}) {
            const StageRecord *s = stageOfKind(r.detail, kind);
            Json stage = Json::object();
            stage["visual_tokens"] = s ? Json(s->visualTokens) : Json();
            stage["resolution"] = s ? Json(s->resolution) : Json();
            stage["steps"] = s ? Json(s->steps) : Json();
            stage["wall_seconds"] = s ? optionalNumber(s->wallSeconds) : Json();
            stage["samples_per_s"] = s ? optionalNumber(s->samplesPerSecond) : Json();
            stage["lm_tokens_per_s"] = s ? optionalNumber(s->lmTokensPerSecond) : Json();
            stage["step_seconds_median"] = s ? optionalNumber(s->stepSeconds) : Json();
            v[kind] = stage;
        }
        const auto &e = r.detail.finalEvaluation;
        v["accuracy"] = e ? Json(e->accuracy) : Json();
        v["eval_samples"] = e ? Json(e->n) : Json();
        v["accuracy_se"] = e ? Json(standardError(e->accuracy, e->n)) : Json();
        v["type_prior"] = e ? optionalNumber(e->typePrior) : Json();
        v["shuffled_accuracy"] = e ? optionalNumber(e->shuffledAccuracy) : Json();
        v["cell_reading"] = e ? optionalNumber(e->cellReading) : Json();
        v["cell_reading_prior"] = e ? optionalNumber(e->cellReadingPrior) : Json();
        Json perType = Json::object();
        if (e)
            for (const auto &[type, accN] : e->perType)
                perType[type] = accN.first;
        v["per_type"] = perType;
        v["run_wall_seconds"] = r.wallSeconds;
        v["reused"] = r.reused;
        v["pretrain_shared_with_run"] = r.sharedFrom ? Json(r.sharedFrom) : Json();
        variants.push_back(v);
    }
    report["variants"] = variants;

    const std::vector<SeedFigures> figures = figuresBySeed(results);
    Json summary = Json::array();
    int seeds = 0;
    for (const SeedFigures &f : figures) {
        Json v = Json::object();
        v["name"] = f.name;
        v["seeds"] = f.accuracy.size();
        seeds = std::max(seeds, int(f.accuracy.size()));
        const bool any = !f.accuracy.empty();
        v["accuracy_mean"] = optionalNumber(summarize(f.accuracy).mean);
        v["accuracy_min"] = any ? Json(*std::min_element(f.accuracy.begin(), f.accuracy.end())) : Json();
        v["accuracy_max"] = any ? Json(*std::max_element(f.accuracy.begin(), f.accuracy.end())) : Json();
        v["shuffled_mean"] = optionalNumber(summarize(f.shuffled).mean);
        v["pretrain_wall_seconds_mean"] = optionalNumber(summarize(f.pretrainSeconds).mean);
        summary.push_back(v);
    }
    report["summary"] = summary;
    report["seeds"] = seeds;

    // The variants by mean accuracy, each with how far it is below the one
    // before and that gap's standard error from the questions alone, so a
    // reader sees which steps of the order the evaluation can tell apart.
    struct Ranked {
        std::string name;
        double mean, se;
    };
    std::vector<Ranked> ranked;
    for (const SeedFigures &f : figures)
        if (!f.accuracy.empty())
            ranked.push_back({f.name, *summarize(f.accuracy).mean, meanStandardError(f)});
    std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked &a, const Ranked &b) { return a.mean > b.mean; });
    Json ordering = Json::array();
    for (size_t i = 0; i < ranked.size(); ++i) {
        Json v = Json::object();
        v["name"] = ranked[i].name;
        v["accuracy_mean"] = ranked[i].mean;
        v["accuracy_mean_se"] = ranked[i].se;
        if (i > 0) {
            v["points_below_previous"] = 100.0 * (ranked[i - 1].mean - ranked[i].mean);
            v["points_below_previous_se"] = 100.0 * std::hypot(ranked[i - 1].se, ranked[i].se);
        }
        ordering.push_back(v);
    }
    report["ordering"] = ordering;

    Json headline = Json::object();
    Json target = Json::object();
    target["pretrain_time_reduction_percent_at_least"] = kTargetReductionPercent;
    target["accuracy_difference_points_within"] = kTargetAccuracyPoints;
    headline["target"] = target;
    auto find = [&](const char *name) -> const SeedFigures * {
        for (const SeedFigures &f : figures)
            if (f.name == name && !f.accuracy.empty() && !f.pretrainSeconds.empty())
                return &f;
        return nullptr;
    };
    const SeedFigures *baseline = find("baseline"), *mlp = find("baseline-mlp"), *cos = find("cos");
    if (baseline && cos) {
        headline.update(comparison(*baseline, *cos, blind.typePrior));
    } else {
        headline["met"] = Json();
        headline["why_not_compared"] = "baseline and cos must both finish with an evaluation";
    }
    // A reference the verdict does not rest on: cos against a baseline whose
    // tokens keep their place.
    if (mlp && cos)
        headline["against_baseline_mlp"] = comparison(*mlp, *cos, blind.typePrior);
    report["headline"] = headline;
    return report;
}

std::string replicaMarkdown(const Json &report)
{
    auto str = [&](const Json &j, const char *key) {
        const Json *v = findKey(j, key);
        return v && v->is_string() ? v->get<std::string>() : std::string();
    };
    std::string md = "# Chain-of-Sight replica benchmark\n\n";
    md += "Mode **" + str(report, "mode") + "**, " + str(report, "date") + " on " + str(report, "machine")
        + " (LibTorch " + str(report, "libtorch") + ", device " + str(report, "device");
    const Json *ranks = findKey(report, "ranks");
    if (ranks && ranks->is_number_integer() && ranks->get<int64_t>() > 1)
        md += ", " + std::to_string(ranks->get<int64_t>()) + " data-parallel ranks";
    md += ").\n";
    md += "Store: `" + str(report, "db") + "`. Times count training steps only (no evaluation, no checkpoint I/O).\n\n";

    md += "| variant | run | tokens pre-train → fine-tune | pre-train s | fine-tune s | pre-train samples/s "
          "| accuracy ± se | type prior | shuffled images | cell reading (blind) | per type |\n";
    md += "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
    for (const Json &v : report.at("variants")) {
        const Json &pre = v.at("pretrain");
        const Json &fine = v.at("finetune");
        std::string types;
        for (const auto &[type, acc] : v.at("per_type").items())
            types += (types.empty() ? "" : ", ") + type + " " + fixed(acc.get<double>(), 3);
        const std::string status = str(v, "status");
        const Json *reused = findKey(v, "reused");
        const Json *sharedWith = findKey(v, "pretrain_shared_with_run");
        const Json *seed = findKey(v, "seed");
        const int64_t seedNumber = seed && seed->is_number_integer() ? seed->get<int64_t>() : 0;
        md += "| " + str(v, "name") + (seedNumber ? " (seed " + std::to_string(seedNumber) + ")" : "")
            + (status == "finished" ? "" : " (" + status + ")")
            + (reused && reused->get<bool>() ? " (reused)" : "") + " | "
            + std::to_string(v.at("run_id").get<int64_t>()) + " | " + cell(findKey(pre, "visual_tokens"), 0) + " → "
            + cell(findKey(fine, "visual_tokens"), 0) + " | " + cell(findKey(pre, "wall_seconds"), 1)
            + (sharedWith && sharedWith->is_number_integer() ? " (run " + std::to_string(sharedWith->get<int64_t>()) + ")" : "") + " | "
            + cell(findKey(fine, "wall_seconds"), 1) + " | " + cell(findKey(pre, "samples_per_s"), 1) + " | "
            + cell(findKey(v, "accuracy"), 4) + " ± " + cell(findKey(v, "accuracy_se"), 4) + " | "
            + cell(findKey(v, "type_prior"), 4) + " | " + cell(findKey(v, "shuffled_accuracy"), 4) + " | "
            + cell(findKey(v, "cell_reading"), 3) + " (" + cell(findKey(v, "cell_reading_prior"), 3) + ") | "
            + (types.empty() ? "—" : types) + " |\n";
    }
    bool anyShared = false;
    for (const Json &v : report.at("variants"))
        anyShared = anyShared || v.at("pretrain_shared_with_run").is_number_integer();
    if (anyShared)
        md += "\nA pre-training time followed by (run N) is that run's: the variant's config agrees with it up to "
              "fine-tuning, so it continued that run's model rather than train the same weights again.\n";
    const Json *seeds = findKey(report, "seeds");
    const bool severalSeeds = seeds && seeds->is_number_integer() && seeds->get<int64_t>() > 1;
    if (severalSeeds) {
        md += "\nOver seeds (seed s moves every stage's seed on by s: other initial weights and data orders, the "
              "same data):\n\n| variant | seeds | accuracy mean | range | shuffled images mean | pre-train s mean |\n"
              "| --- | --- | --- | --- | --- | --- |\n";
        for (const Json &v : report.at("summary"))
            md += "| " + str(v, "name") + " | " + std::to_string(v.at("seeds").get<int64_t>()) + " | "
                + cell(findKey(v, "accuracy_mean"), 4) + " | " + cell(findKey(v, "accuracy_min"), 4) + "–"
                + cell(findKey(v, "accuracy_max"), 4) + " | " + cell(findKey(v, "shuffled_mean"), 4) + " | "
                + cell(findKey(v, "pretrain_wall_seconds_mean"), 1) + " |\n";
    }
    const Json *ordering = findKey(report, "ordering");
    if (ordering && ordering->size() > 1) {
        md += std::string("\nBy accuracy") + (severalSeeds ? " (means over seeds)" : "")
            + ", each with its standard error and, in points, its gap to the variant above (both from the "
              "questions alone: a gap under about two of its standard errors is not a difference the evaluation "
              "shows):\n\n"
              "| | variant | accuracy ± se | below the one above |\n| --- | --- | --- | --- |\n";
        int rank = 0;
        for (const Json &v : *ordering)
            md += "| " + std::to_string(++rank) + " | " + str(v, "name") + " | " + cell(findKey(v, "accuracy_mean"), 4)
                + " ± " + cell(findKey(v, "accuracy_mean_se"), 4) + " | "
                + (findKey(v, "points_below_previous") ? cell(findKey(v, "points_below_previous"), 1) + " ± "
                                                              + cell(findKey(v, "points_below_previous_se"), 1)
                                                        : std::string("—"))
                + " |\n";
    }
    md += "\nWithout the image: always the commonest answer scores " + cell(findKey(report, "majority_accuracy"), 4)
        + "; each question type's commonest answer scores " + cell(findKey(report, "type_prior_accuracy"), 4)
        + ".\n\n## Headline\n\n";
    if (severalSeeds)
        md += "Of the means over each variant's seeds.\n\n";

    const Json &h = report.at("headline");
    const Json *met = findKey(h, "met");
    md += met && met->is_boolean() ? comparisonLines(h, "baseline")
                                   : "Not compared: " + str(h, "why_not_compared") + ".\n";
    if (const Json *mlp = findKey(h, "against_baseline_mlp"))
        md += "\n### Against LLaVA's MLP projector (baseline-mlp)\n\nA reference the verdict above does not rest on: "
              "a connector without windows whose tokens keep their feature cell's place.\n\n"
            + comparisonLines(*mlp, "baseline-mlp");
    return md;
}

} // namespace cosw

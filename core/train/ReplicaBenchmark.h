#pragma once
// The paper's central comparison as one benchmark (DESIGN §8): a standard
// resampler with N tokens in both stages against Chain-of-Sight pre-training
// with few tokens and compound-scaling to N for fine-tuning, plus the
// paper's scaling ablations. Every variant shares the data, seeds, step
// counts and (through the tower cache) the stage-0 vision tower; variants
// that differ only in fine-tuning (the cos ones) share one pre-training.

#include "RunConfig.h"
#include "TrainingEvents.h"
#include "Trainer.h"
#include "base/Json.h"
#include "store/StoreRecords.h"

#include <optional>
#include <string>
#include <vector>

namespace cosw {

class ExperimentStore;

struct ReplicaOptions {
    std::string baselineConfig = "configs/replica/baseline.yaml";
    std::string cosConfig = "configs/replica/cos.yaml";
    std::vector<std::string> overrides; // "key.path=value", applied to both configs
    // Every stage a third of its steps and at most 200 evaluation questions:
    // the same comparison in a fraction of the time.
    bool quick = false;
    std::vector<std::string> variants;  // names to run; empty runs the paper's five (baseline-mlp on request)
    // Every variant trained this many times, seed s moving every stage's
    // seed on by s (other initial weights and data orders, the same data);
    // the headline compares the means.
    int seeds = 1;
};

struct ReplicaVariant {
    std::string name;        // baseline, baseline-mlp, cos, cos-noscale, cos-window, cos-resolution
    std::string description;
    int seed = 0;            // 0: the configs as written
    RunConfig config;
};

// The variants, validated (InputError/ConfigError naming the config and key)
// before anything runs. The ablations derive from the cos config's
// fine-tuning scaling: none, its window factors only, its resolution only.
std::vector<ReplicaVariant> replicaVariants(const ReplicaOptions &options);

// The figures of one finished (or failed) variant, read from the store.
struct ReplicaResult {
    std::string variant;
    std::string description;
    int seed = 0;
    int64_t runId = 0;
    std::string status;      // finished, failed, interrupted
    std::string message;     // why it did not finish
    double wallSeconds = 0;  // the whole run, evaluation included
    bool reused = false;     // an earlier finished run of the same config
    int64_t sharedFrom = 0;  // the run whose stages before fine-tuning this one continued; 0: trained them itself
    RunDetail detail;
};

// What a model that ignores the image scores on the evaluated questions.
struct BlindBaselines {
    double majority = 0;  // always the most common answer
    double typePrior = 0; // each type's most common answer
};

// Runs the variants in order into `store`; `events` hears every run's
// events and `onVariant` is told before each starts. Stops after a variant
// that did not finish (the results so far are returned). With
// `reuseFinished`, a variant whose exact config already finished in the store
// is not run again, so an interrupted benchmark continues where it stopped.
// With data-parallel ranks (trainerOptions.parallel) every rank calls this
// with the same variants: rank 0 trains into `store` and decides what is
// reused and shared; the others train into their scratch `store`, follow
// those decisions and read the runs back from `lead`, rank 0's store.
std::vector<ReplicaResult> runReplicaBenchmark(const std::vector<ReplicaVariant> &variants, ExperimentStore &store,
                                               const TrainerOptions &trainerOptions, bool reuseFinished,
                                               const TrainingEventSink &events,
                                               const std::function<void(const ReplicaVariant &, size_t)> &onVariant,
                                               BlindBaselines &blind, ExperimentStore *lead = nullptr);

// report.json: per variant and seed tokens per stage, pre-training and
// fine-tuning training seconds, accuracy overall and per question type; per
// variant the mean and range over its seeds; the variants ordered by mean
// accuracy, each with the gap to the one above and its standard error from
// the questions alone; the headline (pre-training time
// reduction of cos against baseline, accuracy difference in points, both of
// the means over seeds) against the paper's target, and the same against
// baseline-mlp under `against_baseline_mlp` when it ran; `context` (machine,
// date, mode) is copied in.
Json replicaReport(const std::vector<ReplicaResult> &results, const BlindBaselines &blind, const Json &context);
// report.md: the same, for people.
std::string replicaMarkdown(const Json &report);

} // namespace cosw

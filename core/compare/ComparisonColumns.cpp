#include "ComparisonColumns.h"

#include "base/Messages.h"
#include "base/Numbers.h"

#include <set>

namespace cosw {

namespace {

using Number = std::optional<double>;

template <typename T>
Number asNumber(const std::optional<T> &v)
{
    return v ? Number(double(*v)) : std::nullopt;
}

ComparisonColumn numberColumn(std::string key, std::string header, Better better, int decimals,
                              std::function<Number(const ComparisonRow &)> number)
{
    ComparisonColumn c;
    c.key = std::move(key);
    c.header = std::move(header);
    c.better = better;
    c.decimals = decimals;
    c.number = std::move(number);
    return c;
}

ComparisonColumn textColumn(std::string key, std::string header, std::function<std::string(const ComparisonRow &)> text)
{
    ComparisonColumn c;
    c.key = std::move(key);
    c.header = std::move(header);
    c.numeric = false;
    c.decimals = 0;
    c.text = std::move(text);
    return c;
}

} // namespace

std::string tokenScalingText(const ComparisonRow &r)
{
    if (r.pretrainTokens && r.finetuneTokens)
        return std::to_string(*r.pretrainTokens) + " → " + std::to_string(*r.finetuneTokens);
    if (r.pretrainTokens || r.finetuneTokens)
        return std::to_string(r.pretrainTokens ? *r.pretrainTokens : *r.finetuneTokens);
    return r.tokensText();
}

std::vector<ComparisonColumn> comparisonColumns(const std::vector<ComparisonRow> &rows,
                                                std::optional<double> referenceSeconds)
{
    std::vector<ComparisonColumn> c;
    c.push_back(textColumn("name", "name", [](const ComparisonRow &r) { return r.name; }));
    c.push_back(numberColumn("run_id", "run", Better::None, 0, [](const ComparisonRow &r) { return Number(double(r.runId)); }));
    c.push_back(textColumn("status", "status", [](const ComparisonRow &r) { return r.status; }));
    c.push_back(textColumn("connector", "connector", [](const ComparisonRow &r) { return r.connector; }));
    c.push_back(textColumn("sweep", "sweep", [](const ComparisonRow &r) { return r.sweep.sweep; }));
    c.push_back(textColumn("tokens", "tokens", tokenScalingText));
    c.push_back(numberColumn("pretrain_tokens", "pre-train tokens", Better::None, 0,
                             [](const ComparisonRow &r) { return asNumber(r.pretrainTokens); }));
    c.push_back(numberColumn("finetune_tokens", "fine-tune tokens", Better::None, 0,
                             [](const ComparisonRow &r) { return asNumber(r.finetuneTokens); }));
    c.push_back(numberColumn("pretrain_resolution", "pre-train px", Better::None, 0,
                             [](const ComparisonRow &r) { return asNumber(r.pretrainResolution); }));
    c.push_back(numberColumn("finetune_resolution", "fine-tune px", Better::None, 0,
                             [](const ComparisonRow &r) { return asNumber(r.finetuneResolution); }));
    c.push_back(numberColumn("pretrain_seconds", "pre-train s", Better::Lower, 1,
                             [](const ComparisonRow &r) { return r.pretrainSeconds; }));
    if (referenceSeconds && *referenceSeconds > 0) {
        const double reference = *referenceSeconds;
        c.push_back(numberColumn("pretrain_relative", "pre-train ×", Better::Lower, 2, [reference](const ComparisonRow &r) {
            return r.pretrainSeconds ? Number(*r.pretrainSeconds / reference) : std::nullopt;
        }));
    }
    c.push_back(numberColumn("finetune_seconds", "fine-tune s", Better::Lower, 1,
                             [](const ComparisonRow &r) { return r.finetuneSeconds; }));
    c.push_back(numberColumn("pretrain_samples_per_second", "pre-train samples/s", Better::Higher, 1,
                             [](const ComparisonRow &r) { return r.pretrainSamplesPerSecond; }));
    c.push_back(numberColumn("finetune_samples_per_second", "fine-tune samples/s", Better::Higher, 1,
                             [](const ComparisonRow &r) { return r.finetuneSamplesPerSecond; }));
    c.push_back(textColumn("feature_cache", "feature cache", [](const ComparisonRow &r) { return listText(r.featureCacheStages); }));
    c.push_back(numberColumn("accuracy", "accuracy", Better::Higher, 3, [](const ComparisonRow &r) { return r.accuracy; }));
    c.push_back(numberColumn("accuracy_se", "± se", Better::None, 3, [](const ComparisonRow &r) { return r.accuracySe(); }));
    c.push_back(numberColumn("type_prior", "type prior", Better::None, 3, [](const ComparisonRow &r) { return r.typePrior; }));
    c.push_back(numberColumn("shuffled", "shuffled", Better::None, 3,
                             [](const ComparisonRow &r) { return r.shuffledAccuracy; }));
    c.push_back(numberColumn("above_type_prior", "over prior", Better::Higher, 3, [](const ComparisonRow &r) {
        return r.accuracy && r.typePrior ? Number(*r.accuracy - *r.typePrior) : std::nullopt;
    }));
    c.push_back(numberColumn("cell_reading", "cell reading", Better::Higher, 3,
                             [](const ComparisonRow &r) { return r.cellReading; }));
    c.push_back(numberColumn("cell_reading_prior", "cell reading prior", Better::None, 3,
                             [](const ComparisonRow &r) { return r.cellReadingPrior; }));
    c.push_back(numberColumn("evaluated", "questions", Better::None, 0, [](const ComparisonRow &r) { return asNumber(r.evaluated); }));

    std::set<std::string> types;
    for (const ComparisonRow &r : rows)
        for (const auto &kv : r.perTypeAccuracy)
            types.insert(kv.first);
    for (const std::string &t : types)
        c.push_back(numberColumn("accuracy." + t, t, Better::Higher, 3,
                                 [t](const ComparisonRow &r) { return figureFor(r.perTypeAccuracy, t); }));
    for (const std::string &t : types)
        c.push_back(numberColumn("type_prior." + t, t + " type prior", Better::None, 3,
                                 [t](const ComparisonRow &r) { return figureFor(r.typePriorPerType, t); }));
    for (const std::string &t : types)
        c.push_back(numberColumn("shuffled." + t, t + " shuffled", Better::None, 3,
                                 [t](const ComparisonRow &r) { return figureFor(r.shuffledPerType, t); }));

    c.push_back(numberColumn("parameters", "parameters", Better::None, 0, [](const ComparisonRow &r) { return asNumber(r.parameters); }));
    c.push_back(textColumn("device", "device", [](const ComparisonRow &r) { return r.device; }));
    c.push_back(textColumn("blas", "BLAS", [](const ComparisonRow &r) { return r.blas; }));
    c.push_back(textColumn("date", "date", [](const ComparisonRow &r) { return localTimeText(r.createdAt); }));
    return c;
}

std::vector<std::string> defaultColumnKeys(const std::vector<ComparisonColumn> &available)
{
    std::vector<std::string> keys;
    for (const ComparisonColumn &c : available) {
        static const std::set<std::string> fixed = {"name", "connector", "tokens", "pretrain_seconds",
                                                    "pretrain_relative", "finetune_seconds", "accuracy", "accuracy_se",
                                                    "type_prior", "shuffled", "cell_reading"};
        if (fixed.count(c.key) || c.key.rfind("accuracy.", 0) == 0)
            keys.push_back(c.key);
    }
    return keys;
}

} // namespace cosw

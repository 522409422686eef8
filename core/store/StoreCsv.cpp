#include "StoreCsv.h"

#include "ExperimentStore.h"
#include "base/Numbers.h"
#include "compare/ParetoFront.h"

#include <set>

namespace cosw {

std::string csvField(const std::string &s)
{
    if (s.find_first_of(",\"\n\r") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

namespace {

std::string csvNumber(const std::optional<double> &v)
{
    if (!v)
        return "";
    return formatRealSignificant(*v, 10);
}

// "pretrain;finetune", as the visual tokens column joins stages.
std::string stageList(const std::vector<std::string> &stages)
{
    std::string out;
    for (const std::string &s : stages)
        out += (out.empty() ? "" : ";") + s;
    return out;
}

} // namespace

std::string comparisonCsv(const std::vector<ComparisonRow> &rows)
{
    const std::vector<size_t> front = paretoFront(rows);
    const std::set<size_t> onFront(front.begin(), front.end());
    std::set<std::string> types;
    for (const auto &r : rows)
        for (const auto &kv : r.perTypeAccuracy)
            types.insert(kv.first);

    std::string out = "run_id,name,status,connector,visual_tokens,pretrain_seconds,finetune_seconds,accuracy,"
                      "accuracy_se,type_prior,shuffled_accuracy,cell_reading,cell_reading_prior,pareto,feature_cache,blas";
    for (const auto &t : types)
        out += "," + csvField("accuracy_" + t);
    out += "\n";
    for (size_t i = 0; i < rows.size(); ++i) {
        const ComparisonRow &r = rows[i];
        out += std::to_string(r.runId) + "," + csvField(r.name) + "," + csvField(r.status) + ","
               + csvField(r.connector) + "," + csvField(r.tokensText()) + "," + csvNumber(r.pretrainSeconds) + ","
               + csvNumber(r.finetuneSeconds) + "," + csvNumber(r.accuracy) + "," + csvNumber(r.accuracySe()) + ","
               + csvNumber(r.typePrior) + "," + csvNumber(r.shuffledAccuracy) + "," + csvNumber(r.cellReading) + ","
               + csvNumber(r.cellReadingPrior) + ","
               + (onFront.count(i) ? "true" : "false") + "," + csvField(stageList(r.featureCacheStages)) + ","
               + csvField(r.blas);
        for (const auto &t : types) {
            out += "," + csvNumber(figureFor(r.perTypeAccuracy, t));
        }
        out += "\n";
    }
    return out;
}

} // namespace cosw

#include "RunSummary.h"

#include "model/Mllm.h"

#include <cstdio>
#include <sstream>

namespace cosw {

ParameterCounts countParameters(const ModelConfig &config)
{
    Mllm model(config);
    return countParameters(*model);
}

ParameterCounts countParameters(const torch::nn::Module &model)
{
    ParameterCounts counts;
    for (const auto &p : model.named_parameters()) {
        const std::string &name = p.key();
        const int64_t n = p.value().numel();
        if (name.rfind("vision.", 0) == 0)
            counts.vision += n;
        else if (name.rfind("connector.", 0) == 0)
            counts.connector += n;
        else
            counts.lm += n;
    }
    return counts;
}

Json runTokenSummary(const RunConfig &run)
{
    Json stages = Json::array();
    for (size_t i = 0; i < run.stages.size(); ++i) {
        const ModelConfig &m = run.stageModels[i];
        const std::vector<int> tokens = tokensPerScale(m);
        Json scales = Json::array();
        if (m.connector.type == ConnectorType::Mlp) {
            Json s = Json::object();
            s.set("windows", m.vision.grid());
            s.set("queries", 1);
            s.set("tokens", tokens[0]);
            scales.push(s);
        }
        for (size_t k = 0; k < m.connector.scales.size() && m.connector.type != ConnectorType::Mlp; ++k) {
            Json s = Json::object();
            s.set("windows", m.connector.scales[k].windows);
            s.set("queries", m.connector.scales[k].queries);
            s.set("tokens", tokens[k]);
            scales.push(s);
        }
        Json st = Json::object();
        st.set("name", run.stages[i].name);
        st.set("resolution", m.vision.imageSize);
        st.set("grid", m.vision.grid());
        st.set("visual_tokens", visualTokens(m));
        st.set("scales", scales);
        stages.push(st);
    }
    return stages;
}

Json runSummary(const RunConfig &run)
{
    const ParameterCounts counts = countParameters(run.model);
    Json params = Json::object();
    params.set("vision", counts.vision);
    params.set("connector", counts.connector);
    params.set("lm", counts.lm);
    params.set("total", counts.total());

    Json out = Json::object();
    out.set("parameters", params);
    out.set("stages", runTokenSummary(run));
    return out;
}

static std::string grouped(int64_t n)
{
    std::string digits = std::to_string(n), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

std::string formatRunSummary(const RunConfig &run, const Json &summary)
{
    std::ostringstream out;
    out << "run " << (run.name.empty() ? "(unnamed)" : run.name) << " from " << run.file << "\n";
    out << "connector: " << connectorTypeName(run.model.connector.type) << "\n\n";
    const Json &p = *summary.find("parameters");
    char line[160];
    out << "parameters\n";
    for (const char *part : {"vision", "connector", "lm", "total"}) {
        std::snprintf(line, sizeof line, "  %-10s %15s\n", part, grouped(p.find(part)->asInt()).c_str());
        out << line;
    }
    out << "\nstages\n";
    std::snprintf(line, sizeof line, "  %-14s %10s %5s %7s  %s\n", "name", "resolution", "grid", "tokens",
                  "scales (windows^2 x queries = tokens)");
    out << line;
    for (const Json &st : summary.find("stages")->asArray()) {
        std::string scales;
        for (const Json &s : st.find("scales")->asArray()) {
            const int64_t g = s.find("windows")->asInt();
            scales += (scales.empty() ? "" : " + ") + std::to_string(g) + "^2x" + std::to_string(s.find("queries")->asInt())
                      + "=" + std::to_string(s.find("tokens")->asInt());
        }
        std::snprintf(line, sizeof line, "  %-14s %10lld %5lld %7lld  ", st.find("name")->asString().c_str(),
                      static_cast<long long>(st.find("resolution")->asInt()),
                      static_cast<long long>(st.find("grid")->asInt()),
                      static_cast<long long>(st.find("visual_tokens")->asInt()));
        out << line << scales << "\n";
    }
    return out.str();
}

} // namespace cosw

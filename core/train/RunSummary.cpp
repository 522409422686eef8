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

Json tokenLayoutSummary(const ModelConfig &m)
{
    const std::vector<int> tokens = tokensPerScale(m);
    Json scales = Json::array();
    if (m.connector.type == ConnectorType::Mlp) {
        Json s = Json::object();
        s["windows"] = m.vision.grid();
        s["queries"] = 1;
        s["tokens"] = tokens[0];
        scales.push_back(s);
    }
    for (size_t k = 0; k < m.connector.scales.size() && m.connector.type != ConnectorType::Mlp; ++k) {
        Json s = Json::object();
        s["windows"] = m.connector.scales[k].windows;
        s["queries"] = m.connector.scales[k].queries;
        s["tokens"] = tokens[k];
        scales.push_back(s);
    }
    Json layout = Json::object();
    layout["resolution"] = m.vision.imageSize;
    layout["grid"] = m.vision.grid();
    layout["visual_tokens"] = visualTokens(m);
    layout["scales"] = scales;
    return layout;
}

std::string formatScales(const Json &layout)
{
    std::string scales;
    for (const Json &s : layout.at("scales")) {
        const int64_t g = s.at("windows").get<int64_t>();
        scales += (scales.empty() ? "" : " + ") + std::to_string(g) + "^2x" + std::to_string(s.at("queries").get<int64_t>())
                  + "=" + std::to_string(s.at("tokens").get<int64_t>());
    }
    return scales;
}

Json runTokenSummary(const RunConfig &run)
{
    Json stages = Json::array();
    for (size_t i = 0; i < run.stages.size(); ++i) {
        Json st = Json::object();
        st["name"] = run.stages[i].name;
        const Json layout = tokenLayoutSummary(run.stageModels[i]);
        for (const auto &[key, value] : layout.items())
            st[key] = value;
        stages.push_back(st);
    }
    return stages;
}

Json runSummary(const RunConfig &run)
{
    const ParameterCounts counts = countParameters(run.model);
    Json params = Json::object();
    params["vision"] = counts.vision;
    params["connector"] = counts.connector;
    params["lm"] = counts.lm;
    params["total"] = counts.total();

    Json out = Json::object();
    out["parameters"] = params;
    out["stages"] = runTokenSummary(run);
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
    const Json &p = summary.at("parameters");
    char line[160];
    out << "parameters\n";
    for (const char *part : {"vision", "connector", "lm", "total"}) {
        std::snprintf(line, sizeof line, "  %-10s %15s\n", part, grouped(p.at(part).get<int64_t>()).c_str());
        out << line;
    }
    out << "\nstages\n";
    std::snprintf(line, sizeof line, "  %-14s %10s %5s %7s  %s\n", "name", "resolution", "grid", "tokens",
                  "scales (windows^2 x queries = tokens)");
    out << line;
    for (const Json &st : summary.at("stages")) {
        const std::string scales = formatScales(st);
        std::snprintf(line, sizeof line, "  %-14s %10lld %5lld %7lld  ", st.at("name").get<std::string>().c_str(),
                      static_cast<long long>(st.at("resolution").get<int64_t>()),
                      static_cast<long long>(st.at("grid").get<int64_t>()),
                      static_cast<long long>(st.at("visual_tokens").get<int64_t>()));
        out << line << scales << "\n";
    }
    return out.str();
}

} // namespace cosw

#include "RunSummary.h"

#include "MemoryEstimate.h"
#include "StageKind.h"
#include "io/LoraWeights.h"
#include "base/Messages.h"
#include "base/Utf8.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace cosw {

int64_t ParameterCounts::of(const std::vector<std::string> &parts) const
{
    int64_t n = 0;
    for (const std::string &part : parts)
        n += part == "vision" ? vision : part == "connector" ? connector : part == "lm" ? lm : part == "lora" ? lora : 0;
    return n;
}

ParameterCounts countParameters(const ModelConfig &config)
{
    // Mirrors the modules' constructors; tst_config checks it against built
    // models of every kind.
    auto linear = [](int64_t in, int64_t out, bool bias = true) { return in * out + (bias ? out : 0); };
    auto norm = [](int64_t width) { return 2 * width; }; // LayerNorm weight and bias
    ParameterCounts c;

    const VisionConfig &v = config.vision;
    const int64_t C = v.width, n = v.grid();
    c.vision = C * v.channels * v.patchSize * v.patchSize + (v.patchBias ? C : 0) + (v.classToken ? C : 0)
               + (n * n + (v.classToken ? 1 : 0)) * C + (v.preNorm ? norm(C) : 0)
               + v.layers * (2 * norm(C) + 4 * linear(C, C) + linear(C, v.mlpHidden) + linear(v.mlpHidden, C));

    const ConnectorConfig &k = config.connector;
    const LmConfig &l = config.lm;
    if (k.type == ConnectorType::Mlp) {
        for (int i = 0; i < k.mlpLayers; ++i)
            c.connector += linear(i == 0 ? C : l.width, l.width);
    } else {
        const int64_t D = k.width;
        const int64_t layer = 3 * norm(D) + 4 * linear(D, D) + linear(D, k.mlpHidden) + linear(k.mlpHidden, D);
        for (const ScaleConfig &s : k.scales)
            c.connector += (k.perWindow ? int64_t(s.windows) * s.windows : 1) * s.queries * D + linear(C, D)
                           + k.layers * layer + norm(D);
        c.connector += linear(D, l.width);
    }

    const int64_t W = l.width, hd = l.headDim(), q = l.heads * hd, kv = l.kvHeads * hd, M = l.mlpHidden;
    const std::pair<const char *, std::pair<int64_t, int64_t>> projections[] = {
        {"q_proj", {W, q}}, {"k_proj", {W, kv}}, {"v_proj", {W, kv}}, {"o_proj", {q, W}},
        {"gate_proj", {W, M}}, {"up_proj", {W, M}}, {"down_proj", {M, W}}};
    int64_t perLayer = 2 * W + (l.attentionBias ? q + 2 * kv : 0), adapters = 0;
    for (const auto &[name, shape] : projections) {
        perLayer += shape.first * shape.second;
        if (l.lora.adapts(name))
            adapters += l.lora.rank * (shape.first + shape.second);
    }
    c.lm = int64_t(l.vocabSize) * W + l.layers * perLayer + W + (l.tieEmbeddings ? 0 : int64_t(l.vocabSize) * W);
    c.lora = l.layers * adapters;
    return c;
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
        else if (isAdapterTensor(name))
            counts.lora += n;
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
        st["kind"] = run.stages[i].kind;
        // As the trainer records it: a text stage has no resolution, and
        // neither it nor a vision stage has visual tokens.
        const bool image = stageSeesImage(run.stages[i].kind), tokens = stageHasVisualTokens(run.stages[i].kind);
        const Json layout = tokenLayoutSummary(run.stageModels[i]);
        for (const auto &[key, value] : layout.items()) {
            const bool shown = key == "resolution" || key == "grid" ? image : tokens;
            st[key] = shown ? value : key == "scales" ? Json::array() : Json(0);
        }
        st["memory"] = estimateStageMemory(run, i).toJson();
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
    params["lora"] = counts.lora;
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
    // TRANSLATORS: %1 is a training run's name, %2 its config file.
    out << fill(msg("run %1 from %2"), {run.name.empty() ? std::string(msg("(unnamed)")) : run.name, run.file}) << "\n";
    out << fill(msg("connector: %1"), {connectorTypeName(run.model.connector.type)}) << "\n\n";
    const Json &p = summary.at("parameters");
    char line[160];
    // TRANSLATORS: heading of the model's parameter counts per part.
    out << msg("parameters") << "\n";
    for (const char *part : {"vision", "connector", "lm", "lora", "total"}) {
        if (std::string(part) == "lora" && p.at(part).get<int64_t>() == 0)
            continue;
        std::snprintf(line, sizeof line, "  %-10s %15s\n", part, grouped(p.at(part).get<int64_t>()).c_str());
        out << line;
    }
    // TRANSLATORS: heading of the table of training stages.
    out << "\n" << msg("stages") << "\n";
    // The columns are as wide as their headings in the user's language, at
    // least the English widths; padded by terminal columns, not bytes.
    // TRANSLATORS: column heading: the stage's name.
    const std::string nameHeading = msg("name");
    // TRANSLATORS: column heading: the stage's image resolution in pixels.
    const std::string resolutionHeading = msg("resolution");
    // TRANSLATORS: column heading: the vision tower's patch grid.
    const std::string gridHeading = msg("grid");
    // TRANSLATORS: column heading: visual tokens.
    const std::string tokensHeading = msg("tokens");
    // TRANSLATORS: column heading: estimated memory.
    const std::string memoryHeading = msg("memory");
    auto widthOf = [](const std::string &heading, size_t least) { return std::max(least, displayWidth(heading)); };
    const size_t nameWidth = widthOf(nameHeading, 14), resolutionWidth = widthOf(resolutionHeading, 10),
                 gridWidth = widthOf(gridHeading, 5), tokensWidth = widthOf(tokensHeading, 7),
                 memoryWidth = widthOf(memoryHeading, 10);
    out << "  " << padToWidth(nameHeading, nameWidth) << " " << padToWidth(resolutionHeading, resolutionWidth, true)
        << " " << padToWidth(gridHeading, gridWidth, true) << " " << padToWidth(tokensHeading, tokensWidth, true) << " "
        << padToWidth(memoryHeading, memoryWidth, true) << "  " << msg("scales (windows^2 x queries = tokens)") << "\n";
    for (const Json &st : summary.at("stages")) {
        const std::string kind = st.at("kind").get<std::string>();
        const bool text = !stageSeesImage(kind);
        // TRANSLATORS: in place of a stage's visual-token scales: it trains on text alone.
        const std::string scales = text ? std::string(msg("text only, no image"))
                                   // TRANSLATORS: in place of a stage's visual-token scales: it trains the vision tower alone.
                                   : !stageHasVisualTokens(kind) ? std::string(msg("the vision tower alone, no visual tokens"))
                                                                 : formatScales(st);
        auto number = [&](const char *key) { return text ? std::string("-") : std::to_string(st.at(key).get<int64_t>()); };
        out << "  " << padToWidth(st.at("name").get<std::string>(), nameWidth) << " "
            << padToWidth(number("resolution"), resolutionWidth, true) << " "
            << padToWidth(number("grid"), gridWidth, true) << " "
            << padToWidth(std::to_string(st.at("visual_tokens").get<int64_t>()), tokensWidth, true) << " "
            << padToWidth(formatBytes(st.at("memory").at("total").get<int64_t>()), memoryWidth, true) << "  " << scales
            << "\n";
    }
    out << "\n"
        << msg("memory per stage, estimated: weights (what trains in fp32, the rest at the stage's precision) +\n"
               "gradients and AdamW moments of what trains +\n"
               "activations kept for the backward pass at the stage's batch and longest sequence (max_seq_len)")
        << "\n";
    for (const Json &st : summary.at("stages")) {
        const Json &m = st.at("memory");
        out << "  "
            << fill(msg("%1: weights %2, gradients %3, optimizer %4, activations %5 (batch %6, sequence %7)"),
                    {st.at("name").get<std::string>(), formatBytes(m.at("weights").get<int64_t>()),
                     formatBytes(m.at("gradients").get<int64_t>()), formatBytes(m.at("optimizer").get<int64_t>()),
                     formatBytes(m.at("activations").get<int64_t>()), std::to_string(m.at("batch").get<int64_t>()),
                     std::to_string(m.at("sequence").get<int64_t>())})
            << "\n";
    }
    return out.str();
}

} // namespace cosw

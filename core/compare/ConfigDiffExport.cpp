#include "ConfigDiffExport.h"

#include "TableExport.h"
#include "base/Json.h"
#include "store/StoreCsv.h"

namespace cosw {

namespace {

std::string markdown(const ConfigDiff &diff, const std::vector<std::string> &runs)
{
    std::string out = "| key |", rule = "|---|";
    for (const std::string &run : runs) {
        out += " " + markdownEscape(run) + " |";
        rule += "---|";
    }
    out += "\n" + rule + "\n";
    for (size_t k = 0; k < diff.keys.size(); ++k) {
        out += "| `" + markdownEscape(diff.keys[k]) + "` |";
        for (const auto &value : diff.values[k])
            out += " " + (value ? markdownEscape(*value) : std::string("(absent)")) + " |";
        out += "\n";
    }
    return out;
}

std::string csv(const ConfigDiff &diff, const std::vector<std::string> &runs)
{
    std::string out = "key";
    for (const std::string &run : runs)
        out += "," + csvField(run);
    out += "\n";
    for (size_t k = 0; k < diff.keys.size(); ++k) {
        out += csvField(diff.keys[k]);
        for (const auto &value : diff.values[k])
            out += "," + (value ? csvField(*value) : std::string());
        out += "\n";
    }
    return out;
}

std::string latex(const ConfigDiff &diff, const std::vector<std::string> &runs)
{
    std::string out = "\\begin{tabular}{l" + std::string(runs.size(), 'l') + "}\n\\toprule\nkey";
    for (const std::string &run : runs)
        out += " & " + latexEscape(run);
    out += " \\\\\n\\midrule\n";
    for (size_t k = 0; k < diff.keys.size(); ++k) {
        out += "\\texttt{" + latexEscape(diff.keys[k]) + "}";
        for (const auto &value : diff.values[k])
            out += " & " + (value ? latexEscape(*value) : std::string("--"));
        out += " \\\\\n";
    }
    return out + "\\bottomrule\n\\end{tabular}\n";
}

std::string json(const ConfigDiff &diff, const std::vector<std::string> &runs)
{
    Json keys = Json::array();
    for (size_t k = 0; k < diff.keys.size(); ++k) {
        Json values = Json::array();
        for (const auto &value : diff.values[k])
            values.push_back(value ? Json(*value) : Json());
        keys.push_back({{"key", diff.keys[k]}, {"values", values}});
    }
    Json out = Json::object();
    out["runs"] = runs;
    out["keys"] = keys;
    return out.dump(2) + "\n";
}

} // namespace

std::string formatConfigDiff(const ConfigDiff &diff, const std::vector<std::string> &runs, const std::string &format)
{
    if (format == "csv")
        return csv(diff, runs);
    if (format == "latex" || format == "tex")
        return latex(diff, runs);
    if (format == "json")
        return json(diff, runs);
    return markdown(diff, runs);
}

} // namespace cosw

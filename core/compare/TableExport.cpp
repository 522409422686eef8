#include "TableExport.h"

#include "base/Errors.h"
#include "base/Messages.h"
#include "base/Numbers.h"
#include "store/StoreCsv.h"

#include <filesystem>

namespace cosw {

namespace {

std::string number(const std::optional<double> &v, int decimals)
{
    return v ? formatRealFixed(*v, decimals) : std::string();
}

// A cell's text marked as its rank asks: best in `best`, second in `second`
// (each the text before and after).
std::string ranked(const TableCell &cell, const std::string &text, const std::pair<const char *, const char *> &best,
                   const std::pair<const char *, const char *> &second)
{
    if (cell.rank == 1)
        return best.first + text + best.second;
    if (cell.rank == 2)
        return second.first + text + second.second;
    return text;
}

} // namespace

std::string markdownEscape(const std::string &s)
{
    std::string out;
    for (char c : s)
        out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
}

std::string latexEscape(const std::string &text)
{
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        switch (c) {
        case '\\': out += "\\textbackslash{}"; break;
        case '{': case '}': case '$': case '&': case '%': case '#': case '_':
            out += '\\';
            out += c;
            break;
        case '~': out += "\\textasciitilde{}"; break;
        case '^': out += "\\textasciicircum{}"; break;
        default:
            // The two non-ASCII signs the table uses, as math.
            if (text.compare(i, 2, "±") == 0) {
                out += "$\\pm$";
                i += 1;
            } else if (text.compare(i, 3, "→") == 0) {
                out += "$\\rightarrow$";
                i += 2;
            } else if (text.compare(i, 2, "×") == 0) {
                out += "$\\times$";
                i += 1;
            } else if (text.compare(i, 3, "–") == 0) {
                out += "--";
                i += 2;
            } else {
                out += c;
            }
        }
    }
    return out;
}

std::string tableCsv(const ComparisonTable &t)
{
    const auto &columns = t.columns();
    std::string out;
    for (size_t c = 0; c < columns.size(); ++c) {
        out += (c ? "," : "") + csvField(columns[c].key);
        if (columns[c].numeric && t.grouped())
            out += "," + csvField(columns[c].key + "_sd");
    }
    out += std::string(columns.empty() ? "" : ",") + "runs,pareto\n";
    for (size_t r = 0; r < t.rowCount(); ++r) {
        for (size_t c = 0; c < columns.size(); ++c) {
            const TableCell &cell = t.cell(r, c);
            out += c ? "," : "";
            if (!columns[c].numeric) {
                out += csvField(cell.text);
                continue;
            }
            out += number(cell.value, columns[c].decimals);
            if (t.grouped())
                out += "," + number(cell.spread, columns[c].decimals);
        }
        out += std::string(columns.empty() ? "" : ",") + std::to_string(t.groups()[r].members.size()) + ","
               + (t.onFront(r) ? "true" : "false") + "\n";
    }
    return out;
}

std::string tableMarkdown(const ComparisonTable &t, const std::function<std::string(const std::string &)> &heading)
{
    const auto named = [&](const std::string &english) { return markdownEscape(heading ? heading(english) : english); };
    const auto &columns = t.columns();
    std::string head = "|", rule = "|";
    for (const ComparisonColumn &c : columns) {
        head += " " + named(c.header) + " |";
        rule += c.numeric ? " ---: |" : " --- |";
    }
    if (t.grouped()) {
        head += " " + named("runs") + " |";
        rule += " ---: |";
    }
    head += " " + named("Pareto") + " |\n";
    rule += " :---: |\n";
    std::string out = head + rule;
    for (size_t r = 0; r < t.rowCount(); ++r) {
        out += "|";
        for (size_t c = 0; c < columns.size(); ++c) {
            const TableCell &cell = t.cell(r, c);
            out += " " + ranked(cell, markdownEscape(cell.text), {"**", "**"}, {"<u>", "</u>"}) + " |";
        }
        if (t.grouped())
            out += " " + std::to_string(t.groups()[r].members.size()) + " |";
        out += std::string(t.onFront(r) ? " ● |" : "  |") + "\n";
    }
    return out;
}

std::string tableLatex(const ComparisonTable &t)
{
    const auto &columns = t.columns();
    std::string spec;
    for (const ComparisonColumn &c : columns)
        spec += c.numeric ? "r" : "l";
    spec += t.grouped() ? "rc" : "c";
    std::string out = "% booktabs; best bold, second underlined\n\\begin{tabular}{" + spec + "}\n\\toprule\n";
    std::string head;
    for (const ComparisonColumn &c : columns)
        head += latexEscape(c.header) + " & ";
    if (t.grouped())
        head += "runs & ";
    out += head + "Pareto \\\\\n\\midrule\n";
    for (size_t r = 0; r < t.rowCount(); ++r) {
        std::string line;
        for (size_t c = 0; c < columns.size(); ++c) {
            const TableCell &cell = t.cell(r, c);
            line += ranked(cell, latexEscape(cell.text), {"\\textbf{", "}"}, {"\\underline{", "}"}) + " & ";
        }
        if (t.grouped())
            line += std::to_string(t.groups()[r].members.size()) + " & ";
        out += line + (t.onFront(r) ? "$\\bullet$" : "") + " \\\\\n";
    }
    return out + "\\bottomrule\n\\end{tabular}\n";
}

std::string tableJson(const ComparisonTable &t)
{
    Json out = Json::array();
    const auto &columns = t.columns();
    for (size_t r = 0; r < t.rowCount(); ++r) {
        Json row = Json::object();
        Json ids = Json::array();
        for (size_t m : t.groups()[r].members)
            ids.push_back(t.runs()[m].runId);
        row["run_ids"] = ids;
        row["label"] = t.groups()[r].label;
        row["pareto"] = t.onFront(r);
        Json values = Json::object();
        for (size_t c = 0; c < columns.size(); ++c) {
            const TableCell &cell = t.cell(r, c);
            if (!columns[c].numeric) {
                values[columns[c].key] = cell.text;
            } else if (!t.grouped()) {
                values[columns[c].key] = cell.value ? Json(*cell.value) : Json();
            } else {
                Json v = Json::object();
                v["mean"] = cell.value ? Json(*cell.value) : Json();
                v["sd"] = cell.spread ? Json(*cell.spread) : Json();
                v["n"] = cell.count;
                values[columns[c].key] = v;
            }
        }
        row["columns"] = values;
        out.push_back(row);
    }
    return out.dump(2) + "\n";
}

std::string tableFormatOfFile(const std::string &path)
{
    const std::string ext = std::filesystem::path(path).extension().string();
    if (ext == ".csv")
        return "csv";
    if (ext == ".md" || ext == ".markdown")
        return "md";
    if (ext == ".tex")
        return "latex";
    if (ext == ".json")
        return "json";
    return {};
}

std::string formatTable(const ComparisonTable &table, const std::string &format)
{
    if (format == "csv")
        return tableCsv(table);
    if (format == "md" || format == "markdown")
        return tableMarkdown(table);
    if (format == "latex" || format == "tex")
        return tableLatex(table);
    if (format == "json")
        return tableJson(table);
    throw InputError(fill(msg("unknown table format '%1' (%2, %3, %4 or %5)"), {format, "md", "csv", "latex", "json"}));
}

} // namespace cosw

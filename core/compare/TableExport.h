#pragma once
// The comparison table written out exactly as shown (the same rounding, C
// locale): CSV for spreadsheets, Markdown for notes, LaTeX (booktabs, best
// bold, second underlined) for papers, JSON for scripts.

#include "ComparisonTable.h"

#include <functional>
#include <string>

namespace cosw {

// One column per shown column (numbers without the spread), a `<key>_sd`
// column beside each number column when rows are groups, then `runs` (how
// many runs a row merges) and `pareto`.
std::string tableCsv(const ComparisonTable &table);
// A GitHub table: best **bold**, second <u>underlined</u>, front rows marked.
// `heading` names each column from its English header (the terminal shows
// them in the user's language); files keep the English ones.
std::string tableMarkdown(const ComparisonTable &table,
                          const std::function<std::string(const std::string &english)> &heading = {});
// A tabular environment with booktabs rules; text escaped for LaTeX.
std::string tableLatex(const ComparisonTable &table);
// [{run_ids, label, pareto, columns: {key: value | {mean, sd, n}}}]
std::string tableJson(const ComparisonTable &table);

// Text made safe inside a Markdown table cell (|).
std::string markdownEscape(const std::string &text);
// Text made safe inside a LaTeX table cell (\ { } $ & % # _ ~ ^).
std::string latexEscape(const std::string &text);

// Which export a file name asks for ("csv", "md", "tex", "json"), or "" for
// an extension none of them has.
std::string tableFormatOfFile(const std::string &path);
// The table in that format ("latex" and "tex" are one).
std::string formatTable(const ComparisonTable &table, const std::string &format);

} // namespace cosw

#include "GridCells.h"

#include "FmnistGrid.h"
#include "base/Errors.h"
#include "base/Messages.h"
#include "base/Json.h"

#include <cctype>
#include <cmath>
#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

namespace fs = std::filesystem;

namespace cosw {

namespace {

// Lower-case words with punctuation split off: "row 1: bag." -> row 1 : bag .
std::vector<std::string> words(const std::string &text)
{
    std::vector<std::string> out;
    std::string word;
    auto flush = [&] {
        if (!word.empty())
            out.push_back(word);
        word.clear();
    };
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isspace(c)) {
            flush();
        } else if (std::ispunct(c)) {
            flush();
            out.emplace_back(1, ch);
        } else {
            word += static_cast<char>(std::tolower(c));
        }
    }
    flush();
    return out;
}

} // namespace

const char *const kCaptionPrompt = "describe the image.";

std::vector<GridCellImage> readGridCells(const std::string &file, const std::string &split)
{
    const Json json = parseJsonFile(file);
    if (!json.is_array())
        throw InputError(fill(msg("%1: expected a list of %2"), {file, "{image, split, cells}"}));
    const fs::path root = fs::path(file).parent_path();
    std::vector<GridCellImage> out;
    for (size_t i = 0; i < json.size(); ++i) {
        const Json &e = json.at(i);
        const std::string entry = std::to_string(i);
        const Json *image = e.is_object() ? findKey(e, "image") : nullptr;
        const Json *cells = e.is_object() ? findKey(e, "cells") : nullptr;
        const Json *entrySplit = e.is_object() ? findKey(e, "split") : nullptr;
        if (!image || !image->is_string() || !cells || !cells->is_array())
            throw InputError(fill(msg("%1: entry %2: needs `%3` and `%4`"), {file, entry, "image", "cells"}));
        if ((entrySplit && entrySplit->is_string() ? entrySplit->get<std::string>() : std::string("train")) != split)
            continue;
        GridCellImage c;
        c.path = (root / image->get<std::string>()).string();
        for (const Json &v : *cells) {
            if (!v.is_number_integer() || v.get<int64_t>() < -1 || v.get<int64_t>() > 9)
                throw InputError(fill(msg("%1: entry %2: cells are -1 (empty) or 0..9"), {file, entry}));
            c.cells.push_back(static_cast<int>(v.get<int64_t>()));
        }
        c.side = static_cast<int>(std::lround(std::sqrt(static_cast<double>(c.cells.size()))));
        if (c.side == 0 || size_t(c.side * c.side) != c.cells.size())
            throw InputError(fill(msg("%1: entry %2: %3 cells do not form a square grid"),
                                  {file, entry, std::to_string(c.cells.size())}));
        if (!out.empty() && c.side != out.front().side)
            throw InputError(fill(msg("%1: entry %2: every image needs the same number of cells"), {file, entry}));
        out.push_back(std::move(c));
    }
    if (out.empty())
        throw InputError(fill(msg("%1: no %2 images"), {file, split}));
    return out;
}

std::string gridCaption(const std::vector<int> &cells, int side)
{
    std::string out;
    for (int r = 0; r < side; ++r) {
        out += (r ? " row " : "row ") + std::to_string(r + 1) + ":";
        for (int c = 0; c < side; ++c)
            out += " " + fmnistItemWord(cells[size_t(r * side + c)]);
        out += ".";
    }
    return out;
}

double cellReadingPrior(const std::vector<GridCellImage> &training, const std::vector<GridCellImage> &eval)
{
    std::map<int, int64_t> counts;
    for (const GridCellImage &image : training)
        for (int c : image.cells)
            ++counts[c];
    if (counts.empty())
        return 0.0;
    const int commonest =
        std::max_element(counts.begin(), counts.end(), [](const auto &a, const auto &b) { return a.second < b.second; })
            ->first;
    int64_t right = 0, all = 0;
    for (const GridCellImage &image : eval)
        for (int c : image.cells) {
            right += c == commonest;
            ++all;
        }
    return all ? double(right) / double(all) : 0.0;
}

int cellsNamedCorrectly(const std::string &caption, const std::vector<int> &cells, int side)
{
    const std::vector<std::string> w = words(caption);
    int correct = 0;
    std::vector<bool> rowSeen(size_t(side), false);
    for (size_t i = 0; i + 2 < w.size(); ++i) {
        if (w[i] != "row" || w[i + 2] != ":")
            continue;
        const int row = std::atoi(w[i + 1].c_str()) - 1;
        if (row < 0 || row >= side || rowSeen[size_t(row)] || w[i + 1] != std::to_string(row + 1))
            continue;
        rowSeen[size_t(row)] = true; // a repeated row is not scored twice
        for (int c = 0; c < side && i + 3 + size_t(c) < w.size(); ++c)
            correct += w[i + 3 + size_t(c)] == fmnistItemWord(cells[size_t(row * side + c)]);
    }
    return correct;
}

} // namespace cosw

#pragma once
// The per-image cell labels of an FMNIST-Grid set (cells.json): which item,
// if any, each grid cell holds. The vision tower learns from the training
// images' cells; the cell-reading evaluation scores captions of the test
// images against them.

#include <string>
#include <vector>

namespace cosw {

struct GridCellImage {
    std::string path;       // resolved against the file's directory
    std::vector<int> cells; // side*side, row-major; -1 empty, 0..9 an item class
    int side = 0;
};

// The entries of `cellsJson` whose split is `split` ("train" or "test").
// Throws InputError naming the file and entry for a malformed entry, cells
// that are not a square grid of one size, or no entry of that split.
std::vector<GridCellImage> readGridCells(const std::string &cellsJson, const std::string &split);

// The prompt of the pre-training captions, which cell reading asks too.
extern const char *const kCaptionPrompt;

// The caption the generator writes for these cells:
// "row 1: tshirt nothing bag nothing. row 2: ...".
std::string gridCaption(const std::vector<int> &cells, int side);

// The fraction of cells a caption names correctly: row r's c-th word after
// "row r:" must be the cell's item name ("nothing" when empty). Cells of rows
// the caption leaves out count as wrong. Returns the number named correctly.
int cellsNamedCorrectly(const std::string &caption, const std::vector<int> &cells, int side);

// The image-blind control of cell reading: the share of `eval`'s cells that
// naming every cell as the commonest label of `training` gets right (on a
// sparse grid, "nothing" everywhere).
double cellReadingPrior(const std::vector<GridCellImage> &training, const std::vector<GridCellImage> &eval);

} // namespace cosw

#pragma once
// Attention maps as pictures, for the command line and the attention view
// alike: a map over the image in heat colours, a scale's window grid, and a
// sheet of every token's map for a paper. Maps are drawn cell by cell
// (nearest neighbour): a feature cell is a block of pixels, never blurred
// into its neighbours, so what is hot in the picture is what is hot in the
// numbers.

#include "facade/AttentionSession.h"
#include "facade/RgbImage.h"

#include <array>
#include <cstdint>
#include <string>

namespace cosw {

// The colour of v in [0, 1] on the heat scale (OpenCV's inferno colormap:
// dark for 0, light yellow for 1; readable in grey print).
std::array<uint8_t, 3> heatColour(double v);

// `image` enlarged by a whole factor, pixel blocks (nearest neighbour).
RgbImage enlarged(const RgbImage &image, int factor);

// `image` with `map` (n x n cells, row-major) laid over it in heat colours
// of opacity `alpha`. Values are divided by `maxValue` (<= 0: the map's own
// peak), so the hottest cell is 1.
RgbImage heatOverlay(const RgbImage &image, const float *map, int n, double alpha, float maxValue = 0);

// The window grid of a scale with `windows` windows per side.
void drawWindowGrid(RgbImage &image, int windows);
// A frame around window `window` (row-major) of that grid.
void frameWindow(RgbImage &image, int windows, int window);

// Every token of `scale` at `layer` and `head` (-1: mean): first the image
// with the scale's window grid, then one tile per token, its map over the
// image and its window framed (no grid, so the map stays legible), in the engine's token order; `columns` tiles
// per row (0: one row per window, or a square for one window). Tiles are
// the image enlarged to at least `tilePx` pixels.
RgbImage tokenSheet(const AttentionMaps &maps, int layer, int head, int scale, double alpha, int tilePx = 112,
                    int columns = 0);

// Writes a PNG; throws InputError naming the file when it cannot.
void writePng(const RgbImage &image, const std::string &file);

} // namespace cosw

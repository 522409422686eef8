#pragma once
// An 8-bit RGB image as the front ends receive it from the engine: rows top
// to bottom, 3 bytes per pixel, no padding. A widget wraps it in a QImage
// (Format_RGB888) without knowing OpenCV or LibTorch.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cosw {

struct RgbImage {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> pixels; // width * height * 3

    RgbImage() = default;
    RgbImage(int w, int h) : width(w), height(h), pixels(std::size_t(w) * std::size_t(h) * 3, 0) {}
    bool isNull() const { return width <= 0 || height <= 0; }
    uint8_t *at(int x, int y) { return pixels.data() + (std::size_t(y) * std::size_t(width) + std::size_t(x)) * 3; }
    const uint8_t *at(int x, int y) const { return pixels.data() + (std::size_t(y) * std::size_t(width) + std::size_t(x)) * 3; }
};

} // namespace cosw

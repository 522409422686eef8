#include "AttentionFigures.h"

#include "base/Errors.h"
#include "base/Messages.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace cosw {

namespace {

cv::Mat matOf(RgbImage &image) { return cv::Mat(image.height, image.width, CV_8UC3, image.pixels.data()); }

const std::array<std::array<uint8_t, 3>, 256> &heatTable()
{
    static const auto table = [] {
        cv::Mat ramp(1, 256, CV_8UC1);
        for (int i = 0; i < 256; ++i)
            ramp.at<uint8_t>(0, i) = uint8_t(i);
        cv::Mat bgr;
        cv::applyColorMap(ramp, bgr, cv::COLORMAP_INFERNO);
        std::array<std::array<uint8_t, 3>, 256> t{};
        for (int i = 0; i < 256; ++i) {
            const cv::Vec3b c = bgr.at<cv::Vec3b>(0, i);
            t[size_t(i)] = {c[2], c[1], c[0]};
        }
        return t;
    }();
    return table;
}

void fillRect(RgbImage &image, int x0, int y0, int x1, int y1, std::array<uint8_t, 3> colour)
{
    for (int y = std::max(0, y0); y < std::min(image.height, y1); ++y)
        for (int x = std::max(0, x0); x < std::min(image.width, x1); ++x)
            std::copy(colour.begin(), colour.end(), image.at(x, y));
}

void paste(RgbImage &into, const RgbImage &tile, int x0, int y0)
{
    for (int y = 0; y < tile.height; ++y)
        std::copy(tile.at(0, y), tile.at(0, y) + size_t(tile.width) * 3, into.at(x0, y0 + y));
}

} // namespace

std::array<uint8_t, 3> heatColour(double v)
{
    const double clamped = std::isfinite(v) ? std::clamp(v, 0.0, 1.0) : 0.0;
    return heatTable()[size_t(std::lround(clamped * 255.0))];
}

RgbImage enlarged(const RgbImage &image, int factor)
{
    if (factor <= 1)
        return image;
    RgbImage out(image.width * factor, image.height * factor);
    RgbImage source = image;
    cv::Mat dst = matOf(out);
    cv::resize(matOf(source), dst, dst.size(), 0, 0, cv::INTER_NEAREST);
    return out;
}

RgbImage heatOverlay(const RgbImage &image, const float *map, int n, double alpha, float maxValue)
{
    float peak = maxValue;
    if (peak <= 0)
        peak = *std::max_element(map, map + size_t(n) * size_t(n));
    RgbImage out = image;
    for (int y = 0; y < image.height; ++y) {
        const int row = y * n / image.height;
        for (int x = 0; x < image.width; ++x) {
            const int column = x * n / image.width;
            const float value = map[row * n + column];
            const std::array<uint8_t, 3> heat = heatColour(peak > 0 ? value / peak : 0.0);
            uint8_t *p = out.at(x, y);
            for (int c = 0; c < 3; ++c)
                p[c] = uint8_t(std::lround((1.0 - alpha) * p[c] + alpha * heat[size_t(c)]));
        }
    }
    return out;
}

void drawWindowGrid(RgbImage &image, int windows)
{
    const std::array<uint8_t, 3> line{64, 224, 255};
    for (int i = 1; i < windows; ++i) {
        const int x = i * image.width / windows, y = i * image.height / windows;
        fillRect(image, x, 0, x + 1, image.height, line);
        fillRect(image, 0, y, image.width, y + 1, line);
    }
}

void frameWindow(RgbImage &image, int windows, int window)
{
    const std::array<uint8_t, 3> frame{0, 255, 128};
    const int x0 = (window % windows) * image.width / windows, x1 = (window % windows + 1) * image.width / windows;
    const int y0 = (window / windows) * image.height / windows, y1 = (window / windows + 1) * image.height / windows;
    const int w = std::max(2, image.width / 100);
    fillRect(image, x0, y0, x1, y0 + w, frame);
    fillRect(image, x0, y1 - w, x1, y1, frame);
    fillRect(image, x0, y0, x0 + w, y1, frame);
    fillRect(image, x1 - w, y0, x1, y1, frame);
}

RgbImage tokenSheet(const AttentionMaps &maps, int layer, int head, int scale, double alpha, int tilePx, int columns)
{
    const TokenScaleLayout &s = maps.layout.scales.at(size_t(scale));
    const int factor = std::max(1, (tilePx + maps.image.width - 1) / maps.image.width);
    const RgbImage base = enlarged(maps.image, factor);
    if (columns <= 0)
        columns = s.windows == 1 ? int(std::ceil(std::sqrt(double(s.tokens())))) : s.queries == 1 ? s.windows : s.queries;
    const int gap = 4, tile = base.width;
    const int rows = 1 + (s.tokens() + columns - 1) / columns;
    RgbImage sheet(gap + columns * (tile + gap), gap + rows * (tile + gap));
    fillRect(sheet, 0, 0, sheet.width, sheet.height, {32, 32, 32});

    RgbImage grid = base;
    drawWindowGrid(grid, s.windows);
    paste(sheet, grid, gap, gap);
    for (int t = 0; t < s.tokens(); ++t) {
        RgbImage cell = heatOverlay(base, maps.map(layer, head, s.firstToken + t), maps.layout.featureGrid, alpha);
        frameWindow(cell, s.windows, s.windowOf(t));
        paste(sheet, cell, gap + (t % columns) * (tile + gap), gap + (1 + t / columns) * (tile + gap));
    }
    return sheet;
}

void writePng(const RgbImage &image, const std::string &file)
{
    RgbImage copy = image;
    cv::Mat bgr;
    cv::cvtColor(matOf(copy), bgr, cv::COLOR_RGB2BGR);
    bool written = false;
    try {
        written = cv::imwrite(file, bgr);
    } catch (const cv::Exception &) {
        written = false;
    }
    if (!written)
        throw InputError(fill(msg("%1: cannot write the PNG (does its directory exist and is it writable?)"), {file}));
}

} // namespace cosw

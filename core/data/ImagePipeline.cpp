#include "ImagePipeline.h"

#include "base/Errors.h"
#include "base/Messages.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>

namespace cosw {

void checkImage(const std::string &path)
{
    if (!std::filesystem::is_regular_file(path))
        throw InputError(fill(msg("%1: no such image file"), {path}));
    if (cv::imread(path, cv::IMREAD_REDUCED_GRAYSCALE_8).empty())
        throw InputError(fill(msg("%1: not a readable image (corrupt or unsupported format)"), {path}));
}

torch::Tensor loadImage(const std::string &path, int resolution, int channels, const ImageNormalization &norm)
{
    if (channels != 1 && channels != 3)
        throw InputError(
            fill(msg("%1: images can be read with 1 or 3 channels, not %2"), {path, std::to_string(channels)}));
    if (!std::filesystem::is_regular_file(path))
        throw InputError(fill(msg("%1: no such image file"), {path}));
    cv::Mat image = cv::imread(path, channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
    if (image.empty())
        throw InputError(fill(msg("%1: not a readable image (corrupt or unsupported format)"), {path}));
    if (channels == 3)
        cv::cvtColor(image, image, cv::COLOR_BGR2RGB);
    if (image.rows != resolution || image.cols != resolution) {
        // Area averaging when shrinking keeps small items legible; cubic when growing.
        const bool shrinking = image.rows > resolution || image.cols > resolution;
        cv::resize(image, image, cv::Size(resolution, resolution), 0, 0,
                   shrinking ? cv::INTER_AREA : cv::INTER_CUBIC);
    }
    cv::Mat floats;
    image.convertTo(floats, CV_32F, 1.0 / 255.0);
    auto hwc = torch::from_blob(floats.data, {resolution, resolution, channels}, torch::kFloat).clone();
    auto chw = hwc.permute({2, 0, 1}).contiguous(); // [C, R, R]
    for (int c = 0; c < channels; ++c)
        chw[c].sub_(norm.mean[c]).div_(norm.std[c]);
    return chw;
}

torch::Tensor loadReadableImage(size_t &index, size_t count, const std::function<std::string(size_t)> &pathOf,
                                int resolution, int channels, const std::string &source)
{
    for (size_t tries = 0; tries < count; ++tries) {
        const size_t candidate = (index + tries) % count;
        try {
            torch::Tensor image = loadImage(pathOf(candidate), resolution, channels);
            index = candidate;
            return image;
        } catch (const InputError &) {
        }
    }
    throw InputError(fill(msg("%1: no sample has a readable image"), {source}));
}

} // namespace cosw

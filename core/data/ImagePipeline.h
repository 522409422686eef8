#pragma once
// Image decoding and preprocessing with OpenCV: decode, convert to the tower's
// channel count, resize to the stage's resolution, scale to [0, 1] and
// normalise per channel.

#include <torch/torch.h>

#include <functional>
#include <string>

namespace cosw {

struct ImageNormalization {
    // CLIP's statistics, so imported CLIP towers see what they were trained on.
    float mean[3] = {0.48145466f, 0.4578275f, 0.40821073f};
    float std[3] = {0.26862954f, 0.26130258f, 0.27577711f};
};

// Loads an image as a float tensor [channels, resolution, resolution].
// channels is 1 (grey) or 3 (RGB). A missing, unreadable or corrupt file
// throws InputError naming it.
torch::Tensor loadImage(const std::string &path, int resolution, int channels,
                        const ImageNormalization &norm = {});

// Decodes `path` (at reduced size, which is cheap) only to learn whether it
// is a readable image; throws InputError naming it when not.
void checkImage(const std::string &path);

// Loads the image of item `index` of `count` (named by `pathOf`), or, when it
// is unreadable, that of the next item (wrapping) whose image loads, moving
// `index` there. The replacement depends on the files alone, so it is the
// same whichever thread asks. Throws InputError naming `source` (the file
// listing the items) when no item's image loads.
torch::Tensor loadReadableImage(size_t &index, size_t count, const std::function<std::string(size_t)> &pathOf,
                                int resolution, int channels, const std::string &source);

} // namespace cosw

#pragma once
// Fashion-MNIST as Debian's dataset-fashion-mnist installs it: gzip'd IDX
// files (big-endian header: magic, dimension sizes; then unsigned bytes).

#include <cstdint>
#include <string>
#include <vector>

namespace cosw {

struct IdxImages {
    int count = 0;
    int rows = 0;
    int cols = 0;
    std::vector<uint8_t> pixels; // [count, rows, cols], row-major
};

// A gzip'd (or plain) IDX file of unsigned-byte images (magic 0x00000803).
// A missing file, a wrong magic number, bad dimensions, a truncated file or
// bytes after the data throw InputError naming the file.
IdxImages readIdxImages(const std::string &path);
// A gzip'd (or plain) IDX file of unsigned-byte labels (magic 0x00000801).
std::vector<uint8_t> readIdxLabels(const std::string &path);

// $COS_FASHION_MNIST_DIR or /usr/share/datasets/fashion-mnist. Throws
// InputError, telling how to install the dataset, when the directory is missing.
std::string fashionMnistDir();

// One split of Fashion-MNIST: 28x28 items with labels 0..9.
struct FashionMnistSplit {
    IdxImages images;
    std::vector<uint8_t> labels; // one per image
};

// Reads split "train" or "t10k" from fashionMnistDir(). A missing file throws
// the same InputError as a missing directory; labels that do not match the
// images (count, range) throw InputError naming the label file.
FashionMnistSplit readFashionMnist(const std::string &split);

} // namespace cosw

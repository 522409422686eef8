// The IDX reader (Fashion-MNIST's files, gzip or not), for images and labels.
#include "FuzzInput.h"

#include "data/IdxReader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string path = cosw::fuzz::writeInput(data, size, "input-idx");
    cosw::fuzz::expectInputErrorsOnly([&] { cosw::readIdxImages(path); });
    cosw::fuzz::expectInputErrorsOnly([&] { cosw::readIdxLabels(path); });
    return 0;
}

// The safetensors reader: weights from elsewhere (downloads, colleagues).
#include "FuzzInput.h"

#include "io/Safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string path = cosw::fuzz::writeInput(data, size, "input.safetensors");
    cosw::fuzz::expectInputErrorsOnly([&] {
        cosw::Metadata metadata;
        cosw::readSafetensors(path, &metadata);
    });
    return 0;
}

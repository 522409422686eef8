// The LLaVA-style dataset loader (conversations, images inside the
// dataset's folder).
#include "FuzzInput.h"

#include "data/ConversationDataset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string path = cosw::fuzz::writeInput(data, size, "dataset.json");
    cosw::fuzz::expectInputErrorsOnly(
        [&] { cosw::ConversationDataset::load(path, cosw::fuzz::scratch().string()); });
    return 0;
}

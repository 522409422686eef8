// A run's config as the store keeps it (JSON), read back by resume, show
// and the comparison: a store can come from elsewhere too.
#include "FuzzInput.h"

#include "base/Json.h"
#include "train/RunConfig.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    cosw::fuzz::expectInputErrorsOnly(
        [&] { cosw::RunConfig::fromJson(cosw::parseJson(text, "store.sqlite run 1"), "store.sqlite run 1"); });
    return 0;
}

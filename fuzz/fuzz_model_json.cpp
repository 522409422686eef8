// The JSON config readers: an engine config (cos-enginebench, model
// sections of configs).
#include "FuzzInput.h"

#include "base/Json.h"
#include "model/ModelConfig.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    cosw::fuzz::expectInputErrorsOnly([&] { cosw::ModelConfig::fromJson(cosw::parseJson(text, "input.json"), "input.json"); });
    return 0;
}

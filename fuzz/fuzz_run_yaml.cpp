// The YAML run config reader, with the line numbers its errors name.
#include "FuzzInput.h"

#include "train/RunConfig.h"
#include "train/YamlLoader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    cosw::fuzz::expectInputErrorsOnly([&] {
        cosw::JsonLines lines;
        const cosw::Json json = cosw::parseYaml(text, "input.yaml", &lines);
        cosw::RunConfig::fromJson(json, cosw::ConfigSource("input.yaml", lines));
    });
    return 0;
}

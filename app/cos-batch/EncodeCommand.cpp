#include "Commands.h"

#include "data/ImagePipeline.h"
#include "io/Checkpoint.h"
#include "base/Device.h"
#include "base/Errors.h"
#include "scaling/TokenScaling.h"

#include <iostream>
#include <memory>
#include <sstream>

namespace cosw::batch {

namespace {

struct Options {
    std::string checkpoint;
    std::string image;
    std::string out;
    int resolution = 0;
    std::vector<int> window;
    std::string device = "cpu";
};

int encode(const Options &o)
{
    const torch::Device device = parseDevice(o.device);
    const Checkpoint loaded = loadCheckpoint(o.checkpoint);
    const ScalingSpec spec = scalingSpecFor(loaded.config, o.resolution, o.window);
    const Checkpoint ck = spec.isIdentity() ? loaded : scaleCheckpoint(loaded, spec);
    Mllm model = instantiate(ck, o.checkpoint);
    model->to(device);
    model->eval();
    torch::NoGradGuard noGrad;

    const ModelConfig &cfg = ck.config;
    auto image = loadImage(o.image, cfg.vision.imageSize, cfg.vision.channels).unsqueeze(0).to(device); // [1, ch, R, R]
    auto features = model->features(image);                                     // [1, n, n, C]
    AttentionRequest request;
    request.enabled = true;
    ConnectorOutput encoded = model->connector()->forward(features, request);  // tokens [1, T, C_lm]

    StateDict out;
    out["features"] = features[0].cpu();
    out["visual_tokens"] = encoded.tokens[0].cpu();
    for (size_t s = 0; s < encoded.attention.size(); ++s)
        out["attention." + std::to_string(s)] = encoded.attention[s][0].cpu(); // [tokens_s, n, n]

    Json tokens = Json::array();
    for (int t : tokensPerScale(cfg))
        tokens.push_back(t);
    writeSafetensors(o.out, out,
                     {{"checkpoint", o.checkpoint},
                      {"image", o.image},
                      {"resolution", std::to_string(cfg.vision.imageSize)},
                      {"connector", connectorTypeName(cfg.connector.type)},
                      {"tokens_per_scale", tokens.dump()}});

    std::ostringstream shapes;
    for (const auto &kv : out)
        shapes << "\n  " << kv.first << " " << kv.second.sizes();
    std::cout << fill(msg("wrote %1 (%2 px, %3 visual tokens)"),
                      {o.out, std::to_string(cfg.vision.imageSize), std::to_string(visualTokens(cfg))})
              << shapes.str() << "\n";
    if (encoded.attention.empty())
        std::cout << fill(msg("no attention maps: the %1 connector does not attend"), {connectorTypeName(cfg.connector.type)})
                  << "\n";
    return 0;
}

} // namespace

void addEncodeCommand(CLI::App &app, Action &action)
{
    auto o = std::make_shared<Options>();
    CLI::App *cmd = app.add_subcommand(
        "encode", msg("Encode one image: features, visual tokens and per-token attention maps (safetensors)"));
    cmd->add_option("--checkpoint", o->checkpoint, msg("checkpoint directory"))->required();
    cmd->add_option("--image", o->image, msg("image file"))->required();
    cmd->add_option("--out", o->out, msg("output .safetensors file"))->required();
    addTokenScalingOptions(*cmd, o->resolution, o->window);
    cmd->add_option("--device", o->device, msg("cpu, cuda or cuda:N"))->capture_default_str();
    cmd->callback([o, &action] { action = [o] { return encode(*o); }; });
}

} // namespace cosw::batch

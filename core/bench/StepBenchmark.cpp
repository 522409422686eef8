#include "StepBenchmark.h"

#include "model/Autocast.h"
#include "text/Conversation.h"
#include "base/Device.h"
#include "model/Gradients.h"
#include "model/Mllm.h"
#include "optim/FusedAdamW.h"

#include <chrono>

namespace cosw {

Json StepBenchmarkResult::toJson() const
{
    Json j = Json::object();
    j["step_time_median_s"] = medianStepSeconds;
    j["parameters"] = parameters;
    j["samples_per_s"] = samplesPerSecond;
    j["lm_tokens_per_s"] = lmTokensPerSecond;
    j["flops_per_step"] = flops.trainingStep();
    Json parts = Json::object();
    parts["vision"] = 3.0 * flops.vision;
    parts["connector"] = 3.0 * flops.connector;
    parts["lm"] = 3.0 * flops.lm;
    j["flops_per_step_by_part"] = parts;
    j["achieved_flops_per_s"] = achievedFlops;
    Json steps = Json::array();
    for (double s : stepSeconds)
        steps.push_back(s);
    j["step_times_s"] = steps;
    return j;
}

std::vector<double> measureGemmPeaks(const torch::Device &device, const std::vector<torch::Dtype> &dtypes, int64_t size,
                                     int repeats)
{
    torch::NoGradGuard noGrad;
    if (size <= 0)
        size = device.is_cuda() ? 8192 : 2048;
    std::vector<std::pair<torch::Tensor, torch::Tensor>> operands;
    for (torch::Dtype dtype : dtypes) {
        const auto options = torch::TensorOptions().device(device).dtype(dtype);
        operands.emplace_back(torch::randn({size, size}, options), torch::randn({size, size}, options));
        torch::mm(operands.back().first, operands.back().second); // warm-up: BLAS threads, allocator
    }
    synchronize(device);
    std::vector<double> best(dtypes.size(), 0.0);
    for (int i = 0; i < repeats; ++i)
        for (size_t k = 0; k < operands.size(); ++k) {
            const auto start = std::chrono::steady_clock::now();
            torch::mm(operands[k].first, operands[k].second);
            synchronize(device);
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            best[k] = std::max(best[k], 2.0 * static_cast<double>(size) * size * size / s);
        }
    return best;
}

double measureGemmPeak(const torch::Device &device, torch::Dtype dtype, int64_t size, int repeats)
{
    return measureGemmPeaks(device, {dtype}, size, repeats).front();
}

StepBenchmarkResult runStepBenchmark(const ModelConfig &config, const torch::Device &device,
                                     const StepBenchmarkOptions &o,
                                     const std::function<void(int, int)> &progress)
{
    torch::manual_seed(o.seed);
    Mllm model(config);
    model->to(device);
    model->train();
    FusedAdamW optimizer(model->parameters(), torch::optim::AdamWOptions(1e-4).weight_decay(0.01));

    // Synthetic sequence: "USER: <image> ... ASSISTANT: ..." with the loss on
    // the second half of the text, as a conversation sample would have.
    const int64_t b = o.batch, t = o.textTokens, v = config.lm.vocabSize;
    auto images = torch::randn({b, config.vision.channels, config.vision.imageSize, config.vision.imageSize},
                               torch::TensorOptions().device(device));
    // Ids and labels on the host, as a training batch's are.
    auto ids = torch::randint(3, v, {b, t}, torch::kLong);
    ids.select(1, std::min<int64_t>(2, t - 1)).fill_(kImageTokenId);
    auto labels = ids.clone();
    labels.slice(1, 0, t / 2).fill_(kIgnoreLabel);

    auto step = [&] {
        AutocastGuard autocast(o.bf16, device);
        releaseGradients(optimizer);
        auto loss = model->loss(images, ids, labels);
        loss.backward();
        optimizer.step();
    };

    for (int i = 0; i < o.warmup; ++i)
        step();
    synchronize(device);

    StepBenchmarkResult r;
    for (const auto &p : model->parameters())
        r.parameters += p.numel();
    for (int i = 0; i < o.steps; ++i) {
        auto start = std::chrono::steady_clock::now();
        step();
        synchronize(device);
        r.stepSeconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        if (progress)
            progress(i + 1, o.steps);
    }
    std::vector<double> sorted = r.stepSeconds;
    std::sort(sorted.begin(), sorted.end());
    const size_t mid = sorted.size() / 2;
    r.medianStepSeconds = sorted.empty() ? 0.0
                        : sorted.size() % 2 ? sorted[mid]
                                            : 0.5 * (sorted[mid - 1] + sorted[mid]);
    r.flops = estimateFlops(config, b, t);
    if (r.medianStepSeconds > 0) {
        const double sequence = visualTokens(config) + t - 1;
        r.samplesPerSecond = b / r.medianStepSeconds;
        r.lmTokensPerSecond = b * sequence / r.medianStepSeconds;
        r.achievedFlops = r.flops.trainingStep() / r.medianStepSeconds;
    }
    return r;
}

} // namespace cosw

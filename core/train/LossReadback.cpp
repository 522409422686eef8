#include "LossReadback.h"

#include "DataParallel.h"

#include <chrono>

namespace cosw {

int64_t readBackInterval(int logInterval, const torch::Device &device)
{
    return logInterval > 0 ? logInterval : device.is_cuda() ? 10 : 1;
}

void LossReadback::add(int64_t step, const torch::Tensor &loss, double lr, double hostSeconds)
{
    m_steps.push_back({step, 0.0, lr, hostSeconds});
    m_losses.push_back(loss.detach().reshape({}));
}

std::vector<LossReadback::Step> LossReadback::take(DataParallel *parallel)
{
    std::vector<Step> steps;
    steps.swap(m_steps);
    if (steps.empty())
        return steps;
    const auto start = std::chrono::steady_clock::now();
    const torch::Tensor read = torch::stack(m_losses).to(torch::kCPU, torch::kDouble).contiguous(); // [n]
    const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m_losses.clear();
    std::vector<double> losses(read.data_ptr<double>(), read.data_ptr<double>() + read.numel());
    if (parallel)
        parallel->sum(losses);
    double host = 0;
    for (const Step &s : steps)
        host += s.seconds;
    for (size_t i = 0; i < steps.size(); ++i) {
        steps[i].loss = losses[i];
        const double share = host > 0 ? steps[i].seconds / host : 1.0 / double(steps.size());
        steps[i].seconds += waited * share;
    }
    return steps;
}

} // namespace cosw

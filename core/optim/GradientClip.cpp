#include "GradientClip.h"

namespace cosw {

void clipGradientNorm(const std::vector<torch::Tensor> &parameters, double maxNorm)
{
    std::vector<torch::Tensor> grads, norms;
    for (const auto &p : parameters)
        if (p.grad().defined()) {
            grads.push_back(p.grad());
            norms.push_back(p.grad().detach().norm(2));
        }
    if (grads.empty())
        return;
    auto total = torch::stack(norms).norm(2);                       // []
    auto factor = (maxNorm / (total + 1e-6)).clamp_max(1.0);        // [] at most 1: only ever shrinks
    for (auto &g : grads)
        g.detach().mul_(factor.to(g.dtype()));
}

} // namespace cosw

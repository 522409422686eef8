#pragma once
// Gradients released between steps instead of zeroed: the next backward
// writes fresh ones rather than adding into zeros, which saves a fill and a
// read of every parameter's gradient per step (LibTorch 2.x's zero_grad
// does this by default; 1.13's fills with zeros).

#include <torch/torch.h>

namespace cosw {

inline void releaseGradients(torch::optim::Optimizer &optimizer)
{
    for (auto &group : optimizer.param_groups())
        for (auto &p : group.params())
            if (p.mutable_grad().defined())
                p.mutable_grad() = torch::Tensor();
}

} // namespace cosw

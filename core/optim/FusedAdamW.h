#pragma once
// AdamW whose update on the CPU is one pass over each parameter's memory.
//
// LibTorch's AdamW runs the update as eight tensor operations per parameter
// (decay, two moment updates, square root, two scalings, the division and the
// step), each a full pass over memory: for a few million fp32 parameters that
// is memory-bound and took an eighth of a small model's training step. Here
// weight, gradient and both moments are read and written once per element.
//
// It is LibTorch's AdamW in everything else (options, parameter groups, state
// and its serialisation), so checkpoints written by either load into either;
// where a group asks for amsgrad or a parameter is not a contiguous fp32 CPU
// tensor (CUDA, bf16 master weights) the step is LibTorch's own.

#include <torch/optim/adamw.h>

namespace cosw {

class FusedAdamW : public torch::optim::AdamW {
public:
    using torch::optim::AdamW::AdamW;
    torch::Tensor step(LossClosure closure = nullptr) override;

private:
    bool fusable() const;
};

} // namespace cosw

#pragma once
// AdamW that updates many parameters at once.
//
// LibTorch's AdamW runs the update as eight tensor operations per parameter
// (decay, two moment updates, square root, two scalings, the division and the
// step). On the CPU each is a full pass over memory, and for a few million
// fp32 parameters that is memory-bound: an eighth of a small model's training
// step. On a GPU each is a kernel launch per parameter, hundreds per step for
// a small model, whose kernels take less time than their launches. Here a
// contiguous fp32 CPU parameter is updated in one loop (weight, gradient and
// both moments read and written once per element), and every other parameter
// (CUDA, or not contiguous) by LibTorch's multi-tensor `_foreach` operations,
// nine calls per parameter group.
//
// It is LibTorch's AdamW in everything else (options, parameter groups, state
// and its serialisation), so checkpoints written by either load into either.
// With amsgrad in any group the step is LibTorch's own.

#include <torch/optim/adamw.h>

#include <type_traits>
#include <utility>

namespace cosw {

// What LibTorch's optimizers file a parameter's state under: a string of its
// address in LibTorch 1.x, the address itself in later versions.
using OptimizerStateKey =
    std::remove_reference_t<decltype(std::declval<torch::optim::Optimizer &>().state())>::key_type;
OptimizerStateKey optimizerStateKey(const torch::Tensor &parameter);

class FusedAdamW : public torch::optim::AdamW {
public:
    using torch::optim::AdamW::AdamW;
    torch::Tensor step(LossClosure closure = nullptr) override;

private:
    torch::optim::AdamWParamState &stateOf(const torch::Tensor &parameter);
};

} // namespace cosw

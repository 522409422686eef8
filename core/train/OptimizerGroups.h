#pragma once
// The optimizer of a stage: AdamW over the parts the stage trains, one
// parameter group per (part, decay) pair. Each part's learning rate is the
// stage's times its `lr_scale` (LLaVA's mm_projector_lr, generalised), and
// norms, biases, embeddings and query banks are not decayed: decay would pull
// their scale, not their complexity, towards zero.

#include "RunConfig.h"
#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

namespace cosw {

// "vision", "connector", "lm" or "lora" (the language model's adapters):
// the part a parameter name belongs to.
const char *modelPartOf(const std::string &parameterName);

// Whether weight decay applies to a parameter: matrices and convolution
// kernels, not vectors, embedding tables or query banks.
bool decays(const std::string &parameterName, const torch::Tensor &parameter);

struct StageOptimizer {
    std::unique_ptr<torch::optim::AdamW> optimizer;
    std::vector<double> lrScales;      // per parameter group, in group order
    std::vector<torch::Tensor> params; // everything that trains, for clipping
};

// Marks what the stage trains as requiring gradients (and the rest not) and
// builds its optimizer at the stage's base learning rate.
// `model` is an Mllm, or any module whose parameters are named as its parts'
// (a bare language model's parameters all belong to "lm").
StageOptimizer makeStageOptimizer(torch::nn::Module &model, const StageConfig &stage);

// Sets every group's learning rate to `lr` times its part's scale.
void setLearningRate(StageOptimizer &optimizer, double lr);

} // namespace cosw

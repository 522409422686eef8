#pragma once
// The optimizer of a stage: AdamW over the parts the stage trains, one
// parameter group per (part, decay) pair. Each part's learning rate is the
// stage's times its `lr_scale` (LLaVA's mm_projector_lr, generalised), and
// norms, biases, embeddings and query banks are not decayed: decay would pull
// their scale, not their complexity, towards zero.

#include "RunConfig.h"
#include "io/Safetensors.h"
#include "optim/FusedAdamW.h"
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
    std::unique_ptr<FusedAdamW> optimizer;
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

// Under bf16, the weight matrices of linear and convolution layers a stage
// does not train (no gradient required) are held in bf16: nearly half the
// memory (a frozen 7B language model takes 13 GiB instead of 26), and under
// autocast their products run in bf16 anyway. Norms, biases and embedding
// tables stay fp32, so the residual streams stay fp32 as before (CPU
// autocast has no fp32 rule for layer_norm); what trains stays fp32, the
// optimizer's master copy.
void holdFrozenInBf16(torch::nn::Module &model);

// The weights a stage carries on, on the CPU: what it trains from the model,
// what it keeps frozen as it entered (the model may hold those in bf16 only
// to compute with), so a stage never rounds what it does not train and a
// resumed run carries what an uninterrupted one does.
StateDict carriedWeights(torch::nn::Module &model, const StateDict &entering);

} // namespace cosw

#include "FusedAdamW.h"

#include <ATen/ops/_foreach_add.h>
#include <ATen/ops/_foreach_addcdiv.h>
#include <ATen/ops/_foreach_addcmul.h>
#include <ATen/ops/_foreach_mul.h>
#include <ATen/ops/_foreach_sqrt.h>

#include <cmath>
#include <sstream>
#include <string>

namespace cosw {

namespace {

template <typename Key>
Key stateKeyOf(const torch::Tensor &p)
{
    if constexpr (std::is_same_v<Key, std::string>) {
        std::ostringstream address; // as c10::guts::to_string writes it
        address << static_cast<const void *>(p.unsafeGetTensorImpl());
        return address.str();
    } else {
        return Key(p.unsafeGetTensorImpl());
    }
}

// One group's hyper-parameters at one step count, as LibTorch's AdamW
// computes them.
struct Coefficients {
    double decay, beta1, beta2, eps, stepSize, invSqrtCorrection2;

    Coefficients(const torch::optim::AdamWOptions &o, int64_t step)
        : decay(1.0 - o.lr() * o.weight_decay()), beta1(std::get<0>(o.betas())), beta2(std::get<1>(o.betas())),
          eps(o.eps()), stepSize(o.lr() / (1.0 - std::pow(beta1, double(step)))),
          invSqrtCorrection2(1.0 / std::sqrt(1.0 - std::pow(beta2, double(step))))
    {
    }
};

bool onTheCpuLoop(const torch::Tensor &p, const torch::Tensor &g, const torch::optim::AdamWParamState &st)
{
    auto fits = [&](const torch::Tensor &t) { // sparse gradients are refused before
        return t.device().is_cpu() && t.scalar_type() == torch::kFloat && t.is_contiguous();
    };
    return fits(p) && fits(g) && fits(st.exp_avg()) && fits(st.exp_avg_sq());
}

// 1 - beta is taken in double: in fp32, 1 - 0.999f is 1.3e-5 off 0.001.
void updateInPlace(float *p, const float *g, float *m, float *v, int64_t n, const Coefficients &c)
{
    const float decay = float(c.decay), beta1 = float(c.beta1), keep1 = float(1.0 - c.beta1);
    const float beta2 = float(c.beta2), keep2 = float(1.0 - c.beta2), eps = float(c.eps);
    const float stepSize = float(c.stepSize), invSqrtCorrection2 = float(c.invSqrtCorrection2);
    for (int64_t i = 0; i < n; ++i) {
        const float gi = g[i];
        const float mi = m[i] * beta1 + gi * keep1;
        const float vi = v[i] * beta2 + gi * gi * keep2;
        m[i] = mi;
        v[i] = vi;
        p[i] = p[i] * decay - stepSize * (mi / (std::sqrt(vi) * invSqrtCorrection2 + eps));
    }
}

// The same update for many tensors at once, as LibTorch's per-parameter
// AdamW orders it; each parameter keeps its own step count.
void updateTogether(std::vector<torch::Tensor> &p, std::vector<torch::Tensor> &g, std::vector<torch::Tensor> &m,
                    std::vector<torch::Tensor> &v, const std::vector<Coefficients> &c)
{
    std::vector<at::Scalar> invSqrtCorrection2, negativeStep;
    for (const Coefficients &k : c) {
        invSqrtCorrection2.emplace_back(k.invSqrtCorrection2);
        negativeStep.emplace_back(-k.stepSize);
    }
    const Coefficients &k = c.front(); // one group: decay, betas and eps are shared
    at::_foreach_mul_(p, k.decay);
    at::_foreach_mul_(m, k.beta1);
    at::_foreach_add_(m, g, 1.0 - k.beta1);
    at::_foreach_mul_(v, k.beta2);
    at::_foreach_addcmul_(v, g, g, 1.0 - k.beta2);
    std::vector<torch::Tensor> denom = at::_foreach_sqrt(v);
    at::_foreach_mul_(denom, invSqrtCorrection2);
    at::_foreach_add_(denom, k.eps);
    at::_foreach_addcdiv_(p, m, denom, negativeStep);
}

} // namespace

OptimizerStateKey optimizerStateKey(const torch::Tensor &parameter)
{
    return stateKeyOf<OptimizerStateKey>(parameter);
}

torch::optim::AdamWParamState &FusedAdamW::stateOf(const torch::Tensor &p)
{
    // Keyed as LibTorch keys it, so saved states and LibTorch's step agree.
    auto &slot = state()[optimizerStateKey(p)];
    if (!slot) {
        auto fresh = std::make_unique<torch::optim::AdamWParamState>();
        fresh->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        fresh->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        slot = std::move(fresh);
    }
    auto &st = static_cast<torch::optim::AdamWParamState &>(*slot);
    TORCH_CHECK(st.exp_avg().sizes() == p.sizes() && st.exp_avg_sq().sizes() == p.sizes(),
                "AdamW moments of shape ", st.exp_avg().sizes(), " do not match their parameter's ", p.sizes());
    return st;
}

torch::Tensor FusedAdamW::step(LossClosure closure)
{
    for (const auto &group : param_groups())
        if (static_cast<const torch::optim::AdamWOptions &>(group.options()).amsgrad())
            return torch::optim::AdamW::step(std::move(closure));
    torch::NoGradGuard noGrad;
    torch::Tensor loss;
    if (closure) {
        at::AutoGradMode enableGrad(true);
        loss = closure();
    }
    for (auto &group : param_groups()) {
        const auto &options = static_cast<const torch::optim::AdamWOptions &>(group.options());
        std::vector<torch::Tensor> p, g, m, v;
        std::vector<Coefficients> c;
        for (auto &param : group.params()) {
            if (!param.grad().defined())
                continue;
            TORCH_CHECK(!param.grad().is_sparse(), "AdamW does not support sparse gradients");
            auto &st = stateOf(param);
            st.step(st.step() + 1);
            const Coefficients k(options, st.step());
            if (onTheCpuLoop(param, param.grad(), st)) {
                updateInPlace(param.data_ptr<float>(), param.grad().data_ptr<float>(), st.exp_avg().data_ptr<float>(),
                              st.exp_avg_sq().data_ptr<float>(), param.numel(), k);
                continue;
            }
            p.push_back(param);
            g.push_back(param.grad());
            m.push_back(st.exp_avg());
            v.push_back(st.exp_avg_sq());
            c.push_back(k);
        }
        if (!p.empty())
            updateTogether(p, g, m, v, c);
    }
    return loss;
}

} // namespace cosw

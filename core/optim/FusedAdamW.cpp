#include "FusedAdamW.h"

#include <cmath>

namespace cosw {

bool FusedAdamW::fusable() const
{
    for (const auto &group : param_groups()) {
        if (static_cast<const torch::optim::AdamWOptions &>(group.options()).amsgrad())
            return false;
        for (const auto &p : group.params()) {
            if (!p.grad().defined())
                continue;
            const auto &g = p.grad();
            if (!p.device().is_cpu() || p.scalar_type() != torch::kFloat || g.scalar_type() != torch::kFloat ||
                !p.is_contiguous() || !g.is_contiguous() || g.is_sparse())
                return false;
        }
    }
    return true;
}

// The arithmetic of LibTorch's AdamW step, element by element, in fp32.
// 1 - beta comes in from double: in fp32, 1 - 0.999f is 1.3e-5 off 0.001.
static void updateInPlace(float *p, const float *g, float *m, float *v, int64_t n, float decay, float beta1,
                          float keep1, float beta2, float keep2, float invSqrtCorrection2, float eps, float stepSize)
{
    for (int64_t i = 0; i < n; ++i) {
        const float gi = g[i];
        const float mi = m[i] * beta1 + gi * keep1;
        const float vi = v[i] * beta2 + gi * gi * keep2;
        m[i] = mi;
        v[i] = vi;
        p[i] = p[i] * decay - stepSize * (mi / (std::sqrt(vi) * invSqrtCorrection2 + eps));
    }
}

torch::Tensor FusedAdamW::step(LossClosure closure)
{
    if (!fusable())
        return torch::optim::AdamW::step(std::move(closure));
    torch::NoGradGuard noGrad;
    torch::Tensor loss;
    if (closure) {
        at::AutoGradMode enableGrad(true);
        loss = closure();
    }
    for (auto &group : param_groups()) {
        const auto &options = static_cast<const torch::optim::AdamWOptions &>(group.options());
        const double beta1 = std::get<0>(options.betas()), beta2 = std::get<1>(options.betas());
        for (auto &p : group.params()) {
            if (!p.grad().defined())
                continue;
            // Keyed as LibTorch keys it, so saved states and the fallback agree.
            auto &slot = state()[c10::guts::to_string(p.unsafeGetTensorImpl())];
            if (!slot) {
                auto fresh = std::make_unique<torch::optim::AdamWParamState>();
                fresh->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Contiguous));
                fresh->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Contiguous));
                slot = std::move(fresh);
            }
            auto &st = static_cast<torch::optim::AdamWParamState &>(*slot);
            st.step(st.step() + 1);
            const double correction1 = 1.0 - std::pow(beta1, double(st.step()));
            const double correction2 = 1.0 - std::pow(beta2, double(st.step()));
            if (!st.exp_avg().is_contiguous() || !st.exp_avg_sq().is_contiguous()) { // as a loaded state may be
                st.exp_avg(st.exp_avg().contiguous());
                st.exp_avg_sq(st.exp_avg_sq().contiguous());
            }
            torch::Tensor m = st.exp_avg(), v = st.exp_avg_sq();
            TORCH_CHECK(m.sizes() == p.sizes() && v.sizes() == p.sizes() && m.scalar_type() == torch::kFloat &&
                            v.scalar_type() == torch::kFloat,
                        "AdamW moments of shape ", m.sizes(), " do not match their parameter's ", p.sizes());
            updateInPlace(p.data_ptr<float>(), p.grad().data_ptr<float>(), m.data_ptr<float>(), v.data_ptr<float>(),
                          p.numel(), float(1.0 - options.lr() * options.weight_decay()), float(beta1), float(1.0 - beta1),
                          float(beta2), float(1.0 - beta2),
                          float(1.0 / std::sqrt(correction2)), float(options.eps()), float(options.lr() / correction1));
        }
    }
    return loss;
}

} // namespace cosw

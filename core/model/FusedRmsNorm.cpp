#include "FusedRmsNorm.h"

#include <cmath>

namespace cosw {

namespace {

class FusedRmsNormFunction : public torch::autograd::Function<FusedRmsNormFunction> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext *ctx, const torch::Tensor &x,
                                 const torch::Tensor &weight, double eps)
    {
        const int64_t width = x.size(-1), rows = x.numel() / width;
        auto y = torch::empty_like(x);
        auto inv = torch::empty({rows}, x.options()); // 1 / rms of each row
        const float *px = x.data_ptr<float>(), *pw = weight.data_ptr<float>();
        float *py = y.data_ptr<float>(), *pinv = inv.data_ptr<float>();
        for (int64_t r = 0; r < rows; ++r) {
            const float *xr = px + r * width;
            // Sums in double, as exact as LibTorch's cascaded mean at any width.
            double sum = 0.0;
            for (int64_t i = 0; i < width; ++i)
                sum += double(xr[i]) * xr[i];
            const float s = float(1.0 / std::sqrt(sum / double(width) + eps));
            pinv[r] = s;
            float *yr = py + r * width;
            for (int64_t i = 0; i < width; ++i)
                yr[i] = xr[i] * s * pw[i];
        }
        ctx->save_for_backward({x, weight, inv});
        return y;
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext *ctx,
                                                 torch::autograd::tensor_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const torch::Tensor &x = saved[0], &weight = saved[1], &inv = saved[2];
        const torch::Tensor g = grads[0].contiguous(); // [..., W]
        const int64_t width = x.size(-1), rows = x.numel() / width;
        const float *px = x.data_ptr<float>(), *pw = weight.data_ptr<float>(), *pinv = inv.data_ptr<float>();
        const float *pg = g.data_ptr<float>();
        torch::Tensor gx, gw;
        float *pgx = nullptr, *pgw = nullptr;
        if (ctx->needs_input_grad(0)) {
            gx = torch::empty_like(x);
            pgx = gx.data_ptr<float>();
        }
        if (ctx->needs_input_grad(1)) {
            gw = torch::zeros_like(weight);
            pgw = gw.data_ptr<float>();
        }
        for (int64_t r = 0; r < rows; ++r) {
            const float *xr = px + r * width, *gr = pg + r * width;
            const float s = pinv[r];
            if (pgw)
                for (int64_t i = 0; i < width; ++i)
                    pgw[i] += gr[i] * xr[i] * s;
            if (!pgx)
                continue;
            // y = x s w with s = (mean(x^2) + eps)^-1/2:
            // dx = s (g w) - x s^3 mean((g w) x)
            double dot = 0.0;
            for (int64_t i = 0; i < width; ++i)
                dot += double(gr[i] * pw[i]) * xr[i];
            const float k = float(double(s) * s * s * dot / double(width));
            float *gxr = pgx + r * width;
            for (int64_t i = 0; i < width; ++i)
                gxr[i] = s * gr[i] * pw[i] - xr[i] * k;
        }
        return {gx, gw, torch::Tensor()};
    }
};

} // namespace

torch::Tensor rmsNorm(const torch::Tensor &x, const torch::Tensor &weight, double eps)
{
    const bool fused = x.device().is_cpu() && weight.device().is_cpu() && x.scalar_type() == torch::kFloat
                       && weight.scalar_type() == torch::kFloat && x.is_contiguous() && weight.is_contiguous()
                       && x.dim() >= 1 && x.size(-1) == weight.numel() && x.numel() > 0;
    if (fused)
        return FusedRmsNormFunction::apply(x, weight, eps);
    // Normalise in fp32: under bf16 autocast the mean of squares loses too much.
    auto xf = x.to(torch::kFloat);                                                // [..., W]
    auto normed = xf * torch::rsqrt(xf.pow(2).mean(-1, /*keepdim=*/true) + eps); // [..., W]
    return normed.to(x.scalar_type()) * weight;                                   // [..., W]
}

} // namespace cosw

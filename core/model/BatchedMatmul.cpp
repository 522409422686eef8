#include "BatchedMatmul.h"

#include "Autocast.h"

#include <dlfcn.h>

#include <algorithm>
#include <climits>
#include <vector>

namespace cosw {

namespace {

// The Fortran BLAS entry every BLAS exports (column-major); LibTorch's own
// BLAS is already loaded, so it is looked up, not linked: a LibTorch built
// without an exported sgemm_ falls back to torch::matmul.
using Sgemm = void (*)(const char *transa, const char *transb, const int *m, const int *n, const int *k,
                       const float *alpha, const float *a, const int *lda, const float *b, const int *ldb,
                       const float *beta, float *c, const int *ldc);

Sgemm blasSgemm()
{
    static const Sgemm fn = reinterpret_cast<Sgemm>(dlsym(RTLD_DEFAULT, "sgemm_"));
    return fn;
}

// One operand's matrices as BLAS reads them: row-major with leading
// dimension `ld`, or (transposed) its transpose stored row-major.
struct Operand {
    torch::Tensor tensor; // kept alive: may be a contiguous copy
    int64_t ld = 0;
    bool transposed = false;
};

Operand operand(const torch::Tensor &x)
{
    const int64_t rows = x.size(-2), cols = x.size(-1), rs = x.stride(-2), cs = x.stride(-1);
    if (cs == 1 && rs >= std::max<int64_t>(cols, 1) && rs <= INT_MAX)
        return {x, rs, false};
    if (rs == 1 && cs >= std::max<int64_t>(rows, 1) && cs <= INT_MAX)
        return {x, cs, true};
    auto c = x.contiguous();
    return {c, std::max<int64_t>(cols, 1), false};
}

// c [..., M, N] (contiguous) = a [..., M, K] x b [..., K, N], batch by batch.
void multiply(const torch::Tensor &a, const torch::Tensor &b, torch::Tensor &c)
{
    const Operand A = operand(a), B = operand(b);
    const int m = int(a.size(-2)), k = int(a.size(-1)), n = int(b.size(-1));
    const int lda = int(A.ld), ldb = int(B.ld), ldc = n;
    const int64_t dims = c.dim() - 2;
    int64_t batch = 1;
    for (int64_t d = 0; d < dims; ++d)
        batch *= c.size(d);
    const float *pa = A.tensor.data_ptr<float>(), *pb = B.tensor.data_ptr<float>();
    float *pc = c.data_ptr<float>();
    const float one = 1.0f, zero = 0.0f;
    // Row-major C = A B is column-major C^T = B^T A^T: the operands swap.
    const char ta = A.transposed ? 'T' : 'N', tb = B.transposed ? 'T' : 'N';
    const Sgemm sgemm = blasSgemm();
    std::vector<int64_t> index(size_t(dims), 0);
    for (int64_t i = 0; i < batch; ++i) {
        int64_t offA = 0, offB = 0;
        for (int64_t d = 0; d < dims; ++d) {
            offA += index[size_t(d)] * A.tensor.stride(d);
            offB += index[size_t(d)] * B.tensor.stride(d);
        }
        sgemm(&tb, &ta, &n, &m, &k, &one, pb + offB, &ldb, pa + offA, &lda, &zero, pc + i * int64_t(m) * n, &ldc);
        for (int64_t d = dims - 1; d >= 0; --d) {
            if (++index[size_t(d)] < c.size(d))
                break;
            index[size_t(d)] = 0;
        }
    }
}

torch::Tensor product(const torch::Tensor &a, const torch::Tensor &b)
{
    auto sizes = a.sizes().vec();
    sizes.back() = b.size(-1);
    auto c = torch::empty(sizes, a.options().memory_format(torch::MemoryFormat::Contiguous));
    multiply(a, b, c);
    return c;
}

class BlasBatchedMatmul : public torch::autograd::Function<BlasBatchedMatmul> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext *ctx, const torch::Tensor &a,
                                 const torch::Tensor &b)
    {
        ctx->save_for_backward({a, b});
        return product(a, b); // [..., M, N]
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext *ctx,
                                                 torch::autograd::tensor_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const torch::Tensor &a = saved[0], &b = saved[1], &g = grads[0]; // g [..., M, N]
        torch::Tensor ga, gb;
        if (ctx->needs_input_grad(0))
            ga = product(g, b.transpose(-2, -1)); // [..., M, K]
        if (ctx->needs_input_grad(1))
            gb = product(a.transpose(-2, -1), g); // [..., K, N]
        return {ga, gb};
    }
};

bool blasPathApplies(const torch::Tensor &a, const torch::Tensor &b)
{
    if (!blasSgemm() || a.dim() < 3 || a.dim() != b.dim() || !a.device().is_cpu() || !b.device().is_cpu()
        || a.scalar_type() != torch::kFloat || b.scalar_type() != torch::kFloat || cpuAutocastEnabled())
        return false;
    if (a.sizes().slice(0, size_t(a.dim() - 2)) != b.sizes().slice(0, size_t(b.dim() - 2)) || a.size(-1) != b.size(-2))
        return false;
    // BLAS takes int sizes; empty products are LibTorch's.
    for (int64_t s : {a.size(-2), a.size(-1), b.size(-1)})
        if (s < 1 || s > INT_MAX / 2)
            return false;
    return a.size(-2) * b.size(-1) <= INT_MAX && a.numel() > 0;
}

} // namespace

torch::Tensor batchedMatmul(const torch::Tensor &a, const torch::Tensor &b)
{
    if (!blasPathApplies(a, b))
        return torch::matmul(a, b);
    return BlasBatchedMatmul::apply(a, b);
}

} // namespace cosw

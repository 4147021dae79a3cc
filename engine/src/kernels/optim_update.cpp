// Vectorised optimizer updates (contracts in optim_update.hpp). Whole vectors of simd::W lanes,
// then the last few elements through the reference loop, whose arithmetic is the same.
#include "kernels/optim_update.hpp"

#include "kernels/optim_update_naive.hpp"
#include "kernels/simd.hpp"

namespace ae::kernels {

using namespace simd;

void adam_update(float* w, const float* g, float* m, float* v, std::size_t n, const AdamCoeffs<float>& c) {
    const vf b1 = splat(c.beta1), b2 = splat(c.beta2), ob1 = splat(c.one_minus_beta1);
    const vf ob2 = splat(c.one_minus_beta2), step = splat(c.step), isb = splat(c.inv_sqrt_bc2), eps = splat(c.eps);
    std::size_t k = 0;
    for (; k + W <= n; k += W) {
        const vf gk = load(g + k);
        const vf mk = add(mul(b1, load(m + k)), mul(ob1, gk));
        const vf vk = add(mul(b2, load(v + k)), mul(mul(ob2, gk), gk));
        store(m + k, mk);
        store(v + k, vk);
        store(w + k, sub(load(w + k), div(mul(step, mk), add(mul(sqrt(vk), isb), eps))));
    }
    naive::adam_update(w + k, g + k, m + k, v + k, n - k, c);
}

void sgd_update(float* w, const float* g, float* b, std::size_t n, float lr, float mu, SgdMomentum kind) {
    const vf vlr = splat(lr), vmu = splat(mu);
    std::size_t k = 0;
    switch (kind) {
        case SgdMomentum::None:
            for (; k + W <= n; k += W) store(w + k, sub(load(w + k), mul(vlr, load(g + k))));
            break;
        case SgdMomentum::Classic:
            for (; k + W <= n; k += W) {
                const vf bk = add(mul(vmu, load(b + k)), load(g + k));
                store(b + k, bk);
                store(w + k, sub(load(w + k), mul(vlr, bk)));
            }
            break;
        case SgdMomentum::Nesterov:
            for (; k + W <= n; k += W) {
                const vf gk = load(g + k);
                const vf bk = add(mul(vmu, load(b + k)), gk);
                store(b + k, bk);
                store(w + k, sub(load(w + k), mul(vlr, add(gk, mul(vmu, bk)))));
            }
            break;
    }
    naive::sgd_update(w + k, g + k, b ? b + k : b, n - k, lr, mu, kind);
}

void rmsprop_update(float* w, const float* g, float* v, float* b, std::size_t n, float lr, float alpha,
                    float one_minus_alpha, float eps, float mu, bool momentum) {
    const vf vlr = splat(lr), va = splat(alpha), voa = splat(one_minus_alpha), veps = splat(eps), vmu = splat(mu);
    std::size_t k = 0;
    for (; k + W <= n; k += W) {
        const vf gk = load(g + k);
        const vf vk = add(mul(va, load(v + k)), mul(mul(voa, gk), gk));
        store(v + k, vk);
        const vf s = div(gk, add(sqrt(vk), veps));
        if (momentum) {
            const vf bk = add(mul(vmu, load(b + k)), s);
            store(b + k, bk);
            store(w + k, sub(load(w + k), mul(vlr, bk)));
        } else {
            store(w + k, sub(load(w + k), mul(vlr, s)));
        }
    }
    naive::rmsprop_update(w + k, g + k, v + k, b ? b + k : b, n - k, lr, alpha, one_minus_alpha, eps, mu, momentum);
}

// ---- double: the references ------------------------------------------------------------------
void adam_update(double* w, const double* g, double* m, double* v, std::size_t n, const AdamCoeffs<double>& c) {
    naive::adam_update(w, g, m, v, n, c);
}
void sgd_update(double* w, const double* g, double* b, std::size_t n, double lr, double mu, SgdMomentum kind) {
    naive::sgd_update(w, g, b, n, lr, mu, kind);
}
void rmsprop_update(double* w, const double* g, double* v, double* b, std::size_t n, double lr, double alpha,
                    double one_minus_alpha, double eps, double mu, bool momentum) {
    naive::rmsprop_update(w, g, v, b, n, lr, alpha, one_minus_alpha, eps, mu, momentum);
}

}  // namespace ae::kernels

// Vectorised optimizer updates (contracts in optim_update.hpp). Whole vectors of simd::W lanes,
// then the last few elements through the reference loop, whose arithmetic is the same, so a
// tensor is cut among the threads (core/parallel.hpp) without changing a bit.
#include "kernels/optim_update.hpp"

#include <atomic>

#include "core/parallel.hpp"
#include "kernels/optim_update_naive.hpp"
#include "kernels/simd.hpp"

namespace ae::kernels {

using namespace simd;

namespace {
// 0 while every x given to `track` is finite, NaN from the first one that is not (0·x).
struct FiniteTracker {
    vf zero = splat(0.0f), acc = splat(0.0f);
    void track(vf x) { acc = add(acc, mul(zero, x)); }
    bool all_finite() const {
        float lanes[W];
        store(lanes, acc);
        for (float l : lanes)
            if (l != 0.0f) return false;
        return true;
    }
};
constexpr std::size_t kMinPart = std::size_t(1) << 14;  // shorter tensors stay on the caller

bool adam_range(float* w, const float* g, float* m, float* v, std::size_t n, const AdamCoeffs<float>& c) {
    const vf b1 = splat(c.beta1), b2 = splat(c.beta2), ob1 = splat(c.one_minus_beta1);
    const vf ob2 = splat(c.one_minus_beta2), step = splat(c.step), isb = splat(c.inv_sqrt_bc2), eps = splat(c.eps);
    FiniteTracker f;
    std::size_t k = 0;
    for (; k + W <= n; k += W) {
        const vf gk = load(g + k);
        const vf mk = add(mul(b1, load(m + k)), mul(ob1, gk));
        const vf vk = add(mul(b2, load(v + k)), mul(mul(ob2, gk), gk));
        store(m + k, mk);
        store(v + k, vk);
        const vf wk = sub(load(w + k), div(mul(step, mk), add(mul(sqrt(vk), isb), eps)));
        store(w + k, wk);
        f.track(wk);
        f.track(mk);
        f.track(vk);
    }
    return naive::adam_update(w + k, g + k, m + k, v + k, n - k, c) && f.all_finite();
}

bool sgd_range(float* w, const float* g, float* b, std::size_t n, float lr, float mu, SgdMomentum kind) {
    const vf vlr = splat(lr), vmu = splat(mu);
    FiniteTracker f;
    std::size_t k = 0;
    switch (kind) {
        case SgdMomentum::None:
            for (; k + W <= n; k += W) {
                const vf wk = sub(load(w + k), mul(vlr, load(g + k)));
                store(w + k, wk);
                f.track(wk);
            }
            break;
        case SgdMomentum::Classic:
            for (; k + W <= n; k += W) {
                const vf bk = add(mul(vmu, load(b + k)), load(g + k));
                store(b + k, bk);
                const vf wk = sub(load(w + k), mul(vlr, bk));
                store(w + k, wk);
                f.track(wk);
                f.track(bk);
            }
            break;
        case SgdMomentum::Nesterov:
            for (; k + W <= n; k += W) {
                const vf gk = load(g + k);
                const vf bk = add(mul(vmu, load(b + k)), gk);
                store(b + k, bk);
                const vf wk = sub(load(w + k), mul(vlr, add(gk, mul(vmu, bk))));
                store(w + k, wk);
                f.track(wk);
                f.track(bk);
            }
            break;
    }
    return naive::sgd_update(w + k, g + k, b ? b + k : b, n - k, lr, mu, kind) && f.all_finite();
}

bool rmsprop_range(float* w, const float* g, float* v, float* b, std::size_t n, float lr, float alpha,
                    float one_minus_alpha, float eps, float mu, bool momentum) {
    const vf vlr = splat(lr), va = splat(alpha), voa = splat(one_minus_alpha), veps = splat(eps), vmu = splat(mu);
    FiniteTracker f;
    std::size_t k = 0;
    for (; k + W <= n; k += W) {
        const vf gk = load(g + k);
        const vf vk = add(mul(va, load(v + k)), mul(mul(voa, gk), gk));
        store(v + k, vk);
        f.track(vk);
        const vf s = div(gk, add(sqrt(vk), veps));
        if (momentum) {
            const vf bk = add(mul(vmu, load(b + k)), s);
            store(b + k, bk);
            f.track(bk);
            const vf wk = sub(load(w + k), mul(vlr, bk));
            store(w + k, wk);
            f.track(wk);
        } else {
            const vf wk = sub(load(w + k), mul(vlr, s));
            store(w + k, wk);
            f.track(wk);
        }
    }
    return naive::rmsprop_update(w + k, g + k, v + k, b ? b + k : b, n - k, lr, alpha, one_minus_alpha, eps, mu,
                                 momentum) &&
           f.all_finite();
}

// Every part's finite check, ANDed: the same answer however the tensor was cut.
template <class F>
bool in_parts(std::size_t n, F part) {
    std::atomic<bool> finite{true};
    parallel_for(n, kMinPart, 4 * W, [&](std::size_t b, std::size_t e) {
        if (!part(b, e)) finite.store(false, std::memory_order_relaxed);
    });
    return finite.load();
}
}  // namespace

bool adam_update(float* w, const float* g, float* m, float* v, std::size_t n, const AdamCoeffs<float>& c) {
    return in_parts(n, [&](std::size_t b, std::size_t e) { return adam_range(w + b, g + b, m + b, v + b, e - b, c); });
}

bool sgd_update(float* w, const float* g, float* b, std::size_t n, float lr, float mu, SgdMomentum kind) {
    return in_parts(n, [&](std::size_t i, std::size_t e) {
        return sgd_range(w + i, g + i, b ? b + i : nullptr, e - i, lr, mu, kind);
    });
}

bool rmsprop_update(float* w, const float* g, float* v, float* b, std::size_t n, float lr, float alpha,
                    float one_minus_alpha, float eps, float mu, bool momentum) {
    return in_parts(n, [&](std::size_t i, std::size_t e) {
        return rmsprop_range(w + i, g + i, v + i, b ? b + i : nullptr, e - i, lr, alpha, one_minus_alpha, eps, mu, momentum);
    });
}

// ---- double: the references ------------------------------------------------------------------
bool adam_update(double* w, const double* g, double* m, double* v, std::size_t n, const AdamCoeffs<double>& c) {
    return naive::adam_update(w, g, m, v, n, c);
}
bool sgd_update(double* w, const double* g, double* b, std::size_t n, double lr, double mu, SgdMomentum kind) {
    return naive::sgd_update(w, g, b, n, lr, mu, kind);
}
bool rmsprop_update(double* w, const double* g, double* v, double* b, std::size_t n, double lr, double alpha,
                    double one_minus_alpha, double eps, double mu, bool momentum) {
    return naive::rmsprop_update(w, g, v, b, n, lr, alpha, one_minus_alpha, eps, mu, momentum);
}

}  // namespace ae::kernels

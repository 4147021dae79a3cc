// The reference optimizer updates: one element at a time, the formulas of optim_update.hpp in
// the order the fast kernels evaluate them. Each returns whether every value written is finite.
#pragma once
#include <cmath>
#include <cstddef>

#include "kernels/optim_update.hpp"

namespace ae::kernels::naive {

template <class T>
bool adam_update(T* w, const T* g, T* m, T* v, std::size_t n, const AdamCoeffs<T>& c) {
    bool finite = true;
    for (std::size_t k = 0; k < n; ++k) {
        m[k] = c.beta1 * m[k] + c.one_minus_beta1 * g[k];
        v[k] = c.beta2 * v[k] + c.one_minus_beta2 * g[k] * g[k];
        w[k] -= c.step * m[k] / (std::sqrt(v[k]) * c.inv_sqrt_bc2 + c.eps);
        finite = finite && std::isfinite(w[k]) && std::isfinite(m[k]) && std::isfinite(v[k]);
    }
    return finite;
}

template <class T>
bool sgd_update(T* w, const T* g, T* b, std::size_t n, T lr, T mu, SgdMomentum kind) {
    bool finite = true;
    for (std::size_t k = 0; k < n; ++k) {
        switch (kind) {
            case SgdMomentum::None: w[k] -= lr * g[k]; break;
            case SgdMomentum::Classic:
                b[k] = mu * b[k] + g[k];
                w[k] -= lr * b[k];
                break;
            case SgdMomentum::Nesterov:
                b[k] = mu * b[k] + g[k];
                w[k] -= lr * (g[k] + mu * b[k]);
                break;
        }
        finite = finite && std::isfinite(w[k]) && (kind == SgdMomentum::None || std::isfinite(b[k]));
    }
    return finite;
}

template <class T>
bool rmsprop_update(T* w, const T* g, T* v, T* b, std::size_t n, T lr, T alpha, T one_minus_alpha, T eps, T mu,
                    bool momentum) {
    bool finite = true;
    for (std::size_t k = 0; k < n; ++k) {
        v[k] = alpha * v[k] + one_minus_alpha * g[k] * g[k];
        const T s = g[k] / (std::sqrt(v[k]) + eps);
        if (momentum) {
            b[k] = mu * b[k] + s;
            w[k] -= lr * b[k];
        } else {
            w[k] -= lr * s;
        }
        finite = finite && std::isfinite(w[k]) && std::isfinite(v[k]) && (!momentum || std::isfinite(b[k]));
    }
    return finite;
}

}  // namespace ae::kernels::naive

#include "losses/bce.hpp"

#include <cmath>

#include "core/error.hpp"

namespace ae {

double bce_with_logits(const Mat& z, const Mat& t, Mat* dz) {
    require(z.shape() == t.shape(), "bce: logits (", rows(z), "x", cols(z), ") and targets (", rows(t), "x",
            cols(t), ") differ in shape");
    const std::size_t N = rows(z), n = z.size();
    if (N == 0) return 0.0;
    const Scalar* zp = z.data();
    const Scalar* tp = t.data();
    Scalar* g = nullptr;
    if (dz) {
        ensure_shape(*dz, rows(z), cols(z));
        g = dz->data();
    }
    const Scalar inv_n = Scalar(1) / Scalar(N);
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const Scalar zi = zp[i], ti = tp[i];
        const Scalar e = std::exp(-std::fabs(zi));  // in (0, 1]
        total += double((zi > 0 ? zi : Scalar(0)) - zi * ti + std::log1p(e));
        if (g) {
            const Scalar p = zi >= 0 ? Scalar(1) / (Scalar(1) + e) : e / (Scalar(1) + e);
            g[i] = (p - ti) * inv_n;
        }
    }
    return total / double(N);
}

}  // namespace ae

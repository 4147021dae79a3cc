#include "losses/bce.hpp"

#include "core/error.hpp"
#include "kernels/elementwise.hpp"

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
    // Vectorised (kernels/elementwise.hpp); the reference loop is kernels::naive::bce_logits.
    return kernels::bce_logits(zp, tp, g, n, Scalar(1) / Scalar(N)) / double(N);
}

}  // namespace ae

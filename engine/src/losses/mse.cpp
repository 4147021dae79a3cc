#include "losses/mse.hpp"

#include "core/error.hpp"
#include "kernels/elementwise.hpp"

namespace ae {

double mse(const Mat& y, const Mat& t, Mat* dy) {
    require(y.shape() == t.shape(), "mse: outputs (", rows(y), "x", cols(y), ") and targets (", rows(t), "x",
            cols(t), ") differ in shape");
    const std::size_t N = rows(y), n = y.size();
    if (N == 0) return 0.0;
    const Scalar* yp = y.data();
    const Scalar* tp = t.data();
    Scalar* g = nullptr;
    if (dy) {
        ensure_shape(*dy, rows(y), cols(y));
        g = dy->data();
    }
    // Vectorised (kernels/elementwise.hpp); the reference loop is kernels::naive::squared_error.
    return kernels::squared_error(yp, tp, g, n, Scalar(2) / Scalar(N)) / double(N);
}

}  // namespace ae

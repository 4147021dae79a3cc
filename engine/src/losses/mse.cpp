#include "losses/mse.hpp"

#include "core/error.hpp"

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
    const Scalar scale = Scalar(2) / Scalar(N);
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const Scalar d = yp[i] - tp[i];
        total += double(d) * double(d);
        if (g) g[i] = scale * d;
    }
    return total / double(N);
}

}  // namespace ae

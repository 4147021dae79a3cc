#include "losses/kl_normal.hpp"

#include <cmath>

#include "core/error.hpp"

namespace ae {

double kl_normal(const Mat& s, double weight, Mat* ds) {
    require(cols(s) % 2 == 0 && cols(s) > 0, "kl_normal: expects [mu | log_var] rows of even width, got ", cols(s));
    const std::size_t N = rows(s), Z = cols(s) / 2;
    if (ds) ensure_shape(*ds, N, 2 * Z);
    if (N == 0) return 0.0;
    const Scalar g = Scalar(weight / double(N));
    double total = 0.0;
    for (std::size_t n = 0; n < N; ++n) {
        const Scalar* mu = s.data() + n * 2 * Z;
        const Scalar* lv = mu + Z;
        for (std::size_t j = 0; j < Z; ++j) {
            const Scalar var = std::exp(lv[j]);
            total += -0.5 * (1.0 + double(lv[j]) - double(mu[j]) * double(mu[j]) - double(var));
            if (ds) {
                Scalar* d = ds->data() + n * 2 * Z;
                d[j] = g * mu[j];
                d[Z + j] = g * Scalar(0.5) * (var - Scalar(1));
            }
        }
    }
    return weight * total / double(N);
}

}  // namespace ae

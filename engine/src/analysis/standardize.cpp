#include "analysis/standardize.hpp"

#include <cmath>

#include "core/error.hpp"

namespace ae {

Standardizer Standardizer::fit(const float* x, std::size_t n, std::size_t f) {
    require(n >= 1 && f >= 1, "standardize: needs at least one sample of at least one feature");
    Standardizer s;
    s.mean.assign(f, 0.0);
    s.scale.assign(f, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < f; ++j) s.mean[j] += x[i * f + j];
    for (double& m : s.mean) m /= double(n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < f; ++j) {
            const double t = x[i * f + j] - s.mean[j];
            s.scale[j] += t * t;
        }
    for (double& v : s.scale) {
        v = std::sqrt(v / double(n));

        if (v < 10.0 * 2.220446049250313e-16) v = 1.0;
    }
    return s;
}

Standardizer Standardizer::identity(std::size_t f) {
    Standardizer s;
    s.mean.assign(f, 0.0);
    s.scale.assign(f, 1.0);
    return s;
}

void Standardizer::apply(const float* x, std::size_t n, float* out) const {
    const std::size_t f = features();
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < f; ++j) out[i * f + j] = float((x[i * f + j] - mean[j]) / scale[j]);
}

}  // namespace ae

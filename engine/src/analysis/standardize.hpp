// Feature standardisation, as sklearn.preprocessing.StandardScaler: each feature minus its mean,
// divided by its standard deviation (divisor N); a feature that does not vary is divided by 1.
// Fitted on the labelled images only (the probe's protocol), then applied to any features.
// Shape letters: N samples, F features.
#pragma once
#include <cstddef>
#include <vector>

namespace ae {

struct Standardizer {
    std::vector<double> mean, scale;  // (F) each

    std::size_t features() const { return mean.size(); }
    // x (N, F), N ≥ 1, accumulated in double.
    static Standardizer fit(const float* x, std::size_t n, std::size_t f);
    // The identity on F features (no standardisation).
    static Standardizer identity(std::size_t f);
    // x (N, F) → out (N, F); out may be x.
    void apply(const float* x, std::size_t n, float* out) const;
};

}  // namespace ae

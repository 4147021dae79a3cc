#include "analysis/recon_scores.hpp"

#include <algorithm>
#include <cmath>

namespace ae {

namespace {
// PyTorch's binary_cross_entropy clamps each log at −100, so a certain wrong pixel costs 100.
double clamped_log(double v) { return std::max(-100.0, std::log(v)); }
}  // namespace

double image_bce(const float* x, const float* y, std::size_t d) {
    double s = 0;
    for (std::size_t p = 0; p < d; ++p) {
        const double t = x[p], q = std::min(1.0, std::max(0.0, double(y[p])));
        s -= t * clamped_log(q) + (1.0 - t) * clamped_log(1.0 - q);
    }
    return s;
}

double image_entropy(const float* x, std::size_t d) {
    double s = 0;
    for (std::size_t p = 0; p < d; ++p) {
        const double t = x[p];
        if (t > 0 && t < 1) s -= t * std::log(t) + (1.0 - t) * std::log(1.0 - t);
    }
    return s;
}

void score_reconstructions(const float* x, const float* y, std::size_t n, std::size_t d, ReconScores& out) {
    for (std::size_t i = 0; i < n; ++i) {
        const float* xi = x + i * d;
        const float* yi = y + i * d;
        double se = 0;
        for (std::size_t p = 0; p < d; ++p) {
            const double e = double(yi[p]) - double(xi[p]);
            se += e * e;
        }
        out.mse.push_back(float(se / double(d)));
        out.bce.push_back(float(image_bce(xi, yi, d)));
        out.entropy.push_back(float(image_entropy(xi, d)));
    }
}

}  // namespace ae

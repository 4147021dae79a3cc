#include "losses/sparsity.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace ae {

double sparsity_kl(const Mat& c, double rho, double weight, Mat* dc) {
    require(rho > 0 && rho < 1, "sparsity: the target activation must be in (0, 1), got ", rho);
    const std::size_t N = rows(c), Z = cols(c);
    if (dc) ensure_shape(*dc, N, Z);
    if (N == 0) return 0.0;
    double total = 0.0;
    for (std::size_t j = 0; j < Z; ++j) {
        double mean = 0.0;  // ρ̂_j
        for (std::size_t n = 0; n < N; ++n) mean += double(c(n, j));
        mean /= double(N);
        const double r = std::min(std::max(mean, 1e-6), 1.0 - 1e-6);
        total += rho * std::log(rho / r) + (1.0 - rho) * std::log((1.0 - rho) / (1.0 - r));
        if (dc) {
            const bool clamped = r != mean;
            const Scalar g = clamped ? Scalar(0) : Scalar(weight * (-rho / r + (1.0 - rho) / (1.0 - r)) / double(N));
            for (std::size_t n = 0; n < N; ++n) (*dc)(n, j) = g;
        }
    }
    return weight * total;
}

double activity_l1(const Mat& c, double weight, Mat* dc) {
    const std::size_t N = rows(c);
    if (dc) ensure_shape(*dc, N, cols(c));
    if (N == 0) return 0.0;
    const Scalar g = Scalar(weight / double(N));
    double total = 0.0;
    for (std::size_t i = 0; i < c.size(); ++i) {
        const Scalar v = c.data()[i];
        total += std::fabs(double(v));
        if (dc) dc->data()[i] = v > 0 ? g : (v < 0 ? -g : Scalar(0));
    }
    return weight * total / double(N);
}

}  // namespace ae

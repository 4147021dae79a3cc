// The page's 2-D latent map: where each code lands on a plane.
//
//   Z ≤ 2  the map shows the code itself (method Axes): x = z₀, y = z₁ (0 when Z = 1).
//   Z > 2  the map shows the codes' first two principal components (method Pca): the
//          covariance of the codes is decomposed in double precision and each code is
//          projected onto the two directions of largest variance, after centring.
//
// Shape letters: N codes, Z latent size, K components (here 2).
// The two directions come from eigen_top (analysis/eigen.hpp: subspace iteration, cheap for two
// components of any latent size), oriented by its sign convention, so the same codes always
// give the same picture. PCA of images with any number of components is analysis/pca.hpp.
#pragma once
#include <array>
#include <cstddef>
#include <vector>

#include "analysis/eigen.hpp"

namespace ae {

// codes: (N, Z) row-major → the covariance (Z, Z) with divisor N − 1, and the mean (Z).
void covariance(const float* codes, std::size_t n, std::size_t z, std::vector<double>& mean, MatD& cov);

struct LatentProjection {
    enum class Method { Axes, Pca };
    Method method = Method::Axes;
    std::size_t z = 0;                // Z
    std::vector<double> mean;         // (Z) subtracted before projecting (zeros for Axes)
    MatD components;                  // (2, Z) unit rows (the second is zero when Z = 1)
    std::array<double, 2> variance{}; // variance of the codes along each map axis
    double total_variance = 0;        // sum of the per-dimension variances (trace of the covariance)

    bool fitted() const { return z > 0; }
    // Fraction of the codes' total variance shown on each axis (0 when the codes do not vary).
    double explained(int axis) const { return total_variance > 0 ? variance[std::size_t(axis)] / total_variance : 0.0; }
    const char* method_name() const { return method == Method::Pca ? "pca" : "axes"; }
};

// codes: (N, Z), N ≥ 2, all finite.
LatentProjection fit_latent_projection(const float* codes, std::size_t n, std::size_t z);

// codes (N, Z) → points (N, 2) with the same fit.
void project(const LatentProjection& p, const float* codes, std::size_t n, float* points);
// points (N, 2) → codes (N, Z) on the map's plane: mean + x·c₀ + y·c₁.
void unproject(const LatentProjection& p, const float* points, std::size_t n, float* codes);

}  // namespace ae

// The page's 2-D latent map: where each code lands on a plane.
//
//   Z ≤ 2  the map shows the code itself (method Axes): x = z₀, y = z₁ (0 when Z = 1).
//   Z > 2  the map shows the codes' first two principal components (method Pca): the
//          covariance of the codes is decomposed in double precision and each code is
//          projected onto the two directions of largest variance, after centring.
//
// Shape letters: N codes, Z latent size, K components (here 2).
//
// Two eigen-solvers stand side by side, like the GEMM kernels:
//   eigen_jacobi       every eigenpair by cyclic Jacobi rotations: slow (O(Z³) per sweep),
//                      simple and exact to rounding: the reference in tests
//   eigen_top          the K leading eigenpairs by orthogonal (subspace) iteration and a
//                      final Rayleigh–Ritz rotation: O(Z²·K) per iteration; what the map uses
// Both sort eigenvalues in descending order and use one sign convention, so the same codes
// always give the same picture: in each eigenvector, the entry of largest magnitude (the
// first such entry on a tie) is positive.
#pragma once
#include <array>
#include <cstddef>
#include <vector>

#include <xtensor/xtensor.hpp>

namespace ae {

using MatD = xt::xtensor<double, 2>;

struct SymEigen {
    std::vector<double> values;  // (K) descending
    MatD vectors;                // (K, Z) one unit eigenvector per row
};

// a: (Z, Z) symmetric. All Z eigenpairs.
SymEigen eigen_jacobi(const MatD& a);
// a: (Z, Z) symmetric, 1 ≤ k ≤ Z. The k eigenpairs of largest eigenvalue.
SymEigen eigen_top(const MatD& a, std::size_t k);

// Makes the largest-magnitude entry of each row positive (first such entry on a tie).
void orient_rows(MatD& vectors);

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

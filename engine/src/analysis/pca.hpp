// Principal component analysis of images (or any vectors), with any number of components:
// the classic linear autoencoder the applications lab compares ours with.
//
//   fit          mean μ (D) = the training mean; components V (K, D) = the eigenvectors of the
//                scatter matrix Σ (x − μ)(x − μ)ᵀ with the K largest eigenvalues (as
//                numpy.linalg.eigh of (X − μ)ᵀ(X − μ), sorted), oriented by eigen.hpp's sign
//                convention; variance (K) = those eigenvalues / (N − 1)
//   project      c = (x − μ) Vᵀ                         (N, D) → (N, K)
//   reconstruct  x̂ = μ + c V, optionally clipped to [0, 1]  (N, K) → (N, D), with any K' ≤ K
//   error curve  ‖x − x̂_k‖² for every k = 0 … K at once: ‖x − μ‖² − Σ_{j≤k} c_j² (unclipped)
//
// Shape letters: N images, D values per image, K components.
//
// The scatter matrix is accumulated in double precision over chunks of 128 images: each chunk's
// (x − s)ᵀ(x − s) is float GEMMs (kernels/gemm.hpp, SIMD) around a shift s, added into double
// sums; the exact scatter about μ is then S − N·δδᵀ with δ = mean(x) − s. The shift is, per
// column, the first chunk's majority value if it has one (0 for a digit's background), else its
// mean, so the values are small and about centred. Two savings make 60,000 MNIST images about
// four times cheaper: only the lower triangle is computed (by blocks of 128 rows), and a chunk's
// columns that never leave their shift (a digit's empty border: 265 of 784 on average) are
// skipped. Accumulation takes images in any slices (PcaAccumulator::add), so the page's worker
// can fit 60,000 images in budgeted steps. The eigen-decomposition is eigen_symmetric_top
// (Householder + QL, K eigenvectors only) for D ≤ 2048, eigen_top above.
#pragma once
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "analysis/eigen.hpp"

namespace ae {

struct Pca {
    std::size_t d = 0, k = 0;           // D, K
    std::size_t fitted_on = 0;          // N
    std::vector<double> mean;           // (D)
    MatD components;                    // (K, D) unit rows, orthogonal
    std::vector<double> variance;       // (K) eigenvalues of the covariance (divisor N − 1)
    double total_variance = 0;          // trace of the covariance
    std::vector<float> mean_f, comp_f;  // float copies for the GEMMs: (D), (K, D)

    bool fitted() const { return k > 0; }
    // Fraction of the total variance the first k components explain.
    double explained(std::size_t k_used) const;

    // x (N, D) → c (N, K).
    void project(const float* x, std::size_t n, float* c) const;
    // c (N, k_used), the first k_used ≤ K coefficients of each image → x̂ (N, D).
    void reconstruct(const float* c, std::size_t n, std::size_t k_used, bool clip, float* out) const;
    // x (N, D) → errors (N, K + 1): column k is ‖x − x̂‖² (summed, unclipped) with k components.
    void error_curve(const float* x, std::size_t n, double* errors) const;
};

class PcaAccumulator {
public:
    explicit PcaAccumulator(std::size_t d);
    // x (N, D): more images to fit on. Throws ae::Error on NaN or infinity.
    void add(const float* x, std::size_t n);
    std::size_t count() const { return n_; }
    std::size_t dims() const { return d_; }
    // The fit with k components, 1 ≤ k ≤ D; needs at least 2 images. The accumulator stays
    // usable (more images may be added and fitted again).
    Pca fit(std::size_t k) const;

private:
    void choose_shift(const float* x, std::size_t n);
    void add_chunk(const float* x, std::size_t n);

    std::size_t d_, n_ = 0;
    std::vector<float> shift_;      // (D) s
    std::vector<double> sum_;       // (D) Σ (x − s)
    std::vector<double> scatter_;   // (D, D) Σ (x − s)(x − s)ᵀ, lower triangle only (row ≥ column)
    std::vector<std::uint32_t> moved_;  // (D) 1 where one chunk's column has a value other than s
    std::vector<std::size_t> active_;   // (A) those columns
    std::vector<std::pair<std::size_t, std::size_t>> runs_;  // their runs of consecutive columns
    std::vector<float> centred_;    // (128, A) one chunk minus s, its active columns
    std::vector<float> product_;    // (128, A) one block of rows of the chunk's GEMM
};

// One call: fit on x (N, D) with k components.
Pca fit_pca(const float* x, std::size_t n, std::size_t d, std::size_t k);

}  // namespace ae

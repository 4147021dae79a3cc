#include "analysis/pca.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "kernels/gemm.hpp"

namespace ae {

namespace {
constexpr std::size_t kChunk = 128;
constexpr std::size_t kDenseSolverMax = 2048;
}  // namespace

double Pca::explained(std::size_t k_used) const {
    if (total_variance <= 0) return 0.0;
    double s = 0;
    for (std::size_t j = 0; j < std::min(k_used, k); ++j) s += variance[j];
    return s / total_variance;
}

void Pca::project(const float* x, std::size_t n, float* c) const {
    require(fitted(), "PCA: not fitted yet");
    std::vector<float> centred(std::min(n, kChunk) * d);  // (chunk, D)
    for (std::size_t i0 = 0; i0 < n; i0 += kChunk) {
        const std::size_t b = std::min(kChunk, n - i0);
        for (std::size_t i = 0; i < b; ++i)
            for (std::size_t j = 0; j < d; ++j) centred[i * d + j] = x[(i0 + i) * d + j] - mean_f[j];
        // c (b, K) = centred (b, D) · Vᵀ, V stored (K, D)
        kernels::gemm(kernels::Op::N, kernels::Op::T, int(b), int(k), int(d), centred.data(), int(d), comp_f.data(),
                      int(d), 0.0f, c + i0 * k, int(k));
    }
}

void Pca::reconstruct(const float* c, std::size_t n, std::size_t k_used, bool clip, float* out) const {
    require(fitted(), "PCA: not fitted yet");
    require(k_used <= k, "PCA: ", k_used, " components asked for, but the fit has ", k);
    for (std::size_t i = 0; i < n; ++i) std::copy(mean_f.begin(), mean_f.end(), out + i * d);
    if (k_used > 0)  // out (N, D) += c (N, k_used) · V[:k_used] (k_used, D)
        kernels::gemm(kernels::Op::N, kernels::Op::N, int(n), int(d), int(k_used), c, int(k_used), comp_f.data(),
                      int(d), 1.0f, out, int(d));
    if (clip)
        for (std::size_t i = 0; i < n * d; ++i) out[i] = std::min(1.0f, std::max(0.0f, out[i]));
}

void Pca::error_curve(const float* x, std::size_t n, double* errors) const {
    std::vector<float> c(n * k);
    project(x, n, c.data());
    for (std::size_t i = 0; i < n; ++i) {
        double e = 0;
        for (std::size_t j = 0; j < d; ++j) {
            const double t = double(x[i * d + j]) - mean[j];
            e += t * t;
        }
        double* row = errors + i * (k + 1);
        row[0] = e;
        for (std::size_t j = 0; j < k; ++j) {
            const double cj = c[i * k + j];
            e -= cj * cj;
            row[j + 1] = std::max(0.0, e);
        }
    }
}

PcaAccumulator::PcaAccumulator(std::size_t d) : d_(d) {
    require(d >= 1, "PCA: each image needs at least 1 value");
    require(d <= 4096, "PCA: at most 4096 values per image, got ", d);
    sum_.assign(d, 0.0);
    scatter_.assign(d * d, 0.0);
}

void PcaAccumulator::add(const float* x, std::size_t n) {
    for (std::size_t i = 0; i < n * d_; ++i)
        require(std::isfinite(x[i]), "PCA: image ", n_ + i / d_, " contains NaN or infinity");
    if (n_ == 0 && n > 0) {  // the shift: the first images' mean
        const std::size_t b = std::min(n, kChunk);
        shift_.assign(d_, 0.0f);
        for (std::size_t j = 0; j < d_; ++j) {
            double s = 0;
            for (std::size_t i = 0; i < b; ++i) s += x[i * d_ + j];
            shift_[j] = float(s / double(b));
        }
    }
    for (std::size_t i0 = 0; i0 < n; i0 += kChunk) add_chunk(x + i0 * d_, std::min(kChunk, n - i0));
}

void PcaAccumulator::add_chunk(const float* x, std::size_t b) {
    centred_.resize(b * d_);
    product_.resize(d_ * d_);
    for (std::size_t i = 0; i < b; ++i)
        for (std::size_t j = 0; j < d_; ++j) {
            const float t = x[i * d_ + j] - shift_[j];
            centred_[i * d_ + j] = t;
            sum_[j] += t;
        }
    // product (D, D) = centredᵀ (D, b) · centred (b, D)
    kernels::gemm(kernels::Op::T, kernels::Op::N, int(d_), int(d_), int(b), centred_.data(), int(d_), centred_.data(),
                  int(d_), 0.0f, product_.data(), int(d_));
    for (std::size_t i = 0; i < d_ * d_; ++i) scatter_[i] += double(product_[i]);
    n_ += b;
}

Pca PcaAccumulator::fit(std::size_t k) const {
    require(n_ >= 2, "PCA: needs at least 2 images to fit, got ", n_);
    require(k >= 1 && k <= d_, "PCA: the number of components must be in [1, ", d_, "], got ", k);
    Pca p;
    p.d = d_;
    p.k = k;
    p.fitted_on = n_;
    std::vector<double> delta(d_);  // mean − s
    p.mean.resize(d_);
    for (std::size_t j = 0; j < d_; ++j) {
        delta[j] = sum_[j] / double(n_);
        p.mean[j] = double(shift_[j]) + delta[j];
    }
    MatD cov = MatD::from_shape({d_, d_});  // scatter about the mean / (N − 1), symmetrised
    const double inv = 1.0 / double(n_ - 1);
    for (std::size_t r = 0; r < d_; ++r)
        for (std::size_t c = 0; c <= r; ++c) {
            const double s = 0.5 * (scatter_[r * d_ + c] + scatter_[c * d_ + r]) - double(n_) * delta[r] * delta[c];
            cov(r, c) = cov(c, r) = s * inv;
        }
    p.total_variance = 0;
    for (std::size_t j = 0; j < d_; ++j) p.total_variance += cov(j, j);
    const SymEigen e = d_ <= kDenseSolverMax ? eigen_symmetric(cov) : eigen_top(cov, k);
    p.components = MatD::from_shape({k, d_});
    p.variance.resize(k);
    for (std::size_t i = 0; i < k; ++i) {
        p.variance[i] = std::max(0.0, e.values[i]);
        for (std::size_t j = 0; j < d_; ++j) p.components(i, j) = e.vectors(i, j);
    }
    p.mean_f.assign(p.mean.begin(), p.mean.end());
    p.comp_f.assign(p.components.begin(), p.components.end());
    return p;
}

Pca fit_pca(const float* x, std::size_t n, std::size_t d, std::size_t k) {
    PcaAccumulator acc(d);
    acc.add(x, n);
    return acc.fit(k);
}

}  // namespace ae

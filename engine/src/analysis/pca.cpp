#include "analysis/pca.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

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
    // NaN or infinity anywhere refuses the whole call before anything is added. (The exponent
    // bits test vectorises; std::isfinite with a throw in the loop did not: a quarter of the time.)
    std::uint32_t bad = 0;
    for (std::size_t i = 0; i < n * d_; ++i) {
        std::uint32_t u;
        std::memcpy(&u, x + i, sizeof u);
        bad |= std::uint32_t((u & 0x7f800000u) == 0x7f800000u);
    }
    if (bad)
        for (std::size_t i = 0; i < n * d_; ++i)
            require(std::isfinite(x[i]), "PCA: image ", n_ + i / d_, " contains NaN or infinity");
    if (n_ == 0 && n > 0) choose_shift(x, std::min(n, kChunk));
    for (std::size_t i0 = 0; i0 < n; i0 += kChunk) add_chunk(x + i0 * d_, std::min(kChunk, n - i0));
}

void PcaAccumulator::choose_shift(const float* x, std::size_t b) {
    // Per column: the value most of the first b images share, when at least half of them do
    // (an image's background, 0 for most of an MNIST digit's pixels: those entries stay exactly
    // zero after the shift, and a chunk's all-zero columns drop out of its product); else the
    // column's mean. Either keeps the values small and about centred.
    shift_.assign(d_, 0.0f);
    std::vector<float> col(b);
    for (std::size_t j = 0; j < d_; ++j) {
        double s = 0;
        for (std::size_t i = 0; i < b; ++i) s += col[i] = x[i * d_ + j];
        std::sort(col.begin(), col.end());
        float mode = col[0];
        std::size_t best = 0;
        for (std::size_t i = 0, run = 0; i < b; ++i) {
            run = (i > 0 && col[i] == col[i - 1]) ? run + 1 : 1;
            if (run > best) best = run, mode = col[i];
        }
        shift_[j] = 2 * best >= b ? mode : float(s / double(b));
    }
}

void PcaAccumulator::add_chunk(const float* x, std::size_t b) {
    // The chunk's active columns: those with a value off the shift. The others add nothing to
    // the scatter or the sums.
    moved_.assign(d_, 0);
    for (std::size_t i = 0; i < b; ++i)
        for (std::size_t j = 0; j < d_; ++j) moved_[j] |= std::uint32_t(x[i * d_ + j] != shift_[j]);
    active_.clear();
    runs_.clear();  // runs of consecutive active columns: (first compact index, first column)
    for (std::size_t j = 0; j < d_; ++j)
        if (moved_[j]) {
            if (active_.empty() || active_.back() + 1 != j) runs_.push_back({active_.size(), j});
            active_.push_back(j);
        }
    const std::size_t a = active_.size();
    centred_.resize(b * a);  // (b, A)
    for (std::size_t i = 0; i < b; ++i)
        for (std::size_t c = 0; c < a; ++c) {
            const std::size_t j = active_[c];
            const float t = x[i * d_ + j] - shift_[j];
            centred_[i * a + c] = t;
            sum_[j] += t;
        }
    // The lower triangle of product (A, A) = centredᵀ (A, b) · centred (b, A), by blocks of rows:
    // rows [r0, r1) against columns [0, r1), about half the full product's work.
    product_.resize(kChunk * a);
    for (std::size_t r0 = 0; r0 < a; r0 += kChunk) {
        const std::size_t r1 = std::min(a, r0 + kChunk);
        kernels::gemm(kernels::Op::T, kernels::Op::N, int(r1 - r0), int(r1), int(b), centred_.data() + r0, int(a),
                      centred_.data(), int(a), 0.0f, product_.data(), int(a));
        for (std::size_t r = r0; r < r1; ++r) {  // row r's columns c ≤ r, a run at a time
            double* out = scatter_.data() + active_[r] * d_;
            const float* in = product_.data() + (r - r0) * a;
            for (std::size_t u = 0; u < runs_.size() && runs_[u].first <= r; ++u) {
                const std::size_t c0 = runs_[u].first;
                const std::size_t c1 = std::min(r + 1, u + 1 < runs_.size() ? runs_[u + 1].first : a);
                double* o = out + runs_[u].second - c0;
                for (std::size_t c = c0; c < c1; ++c) o[c] += double(in[c]);
            }
        }
    }
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
    MatD cov = MatD::from_shape({d_, d_});  // scatter about the mean / (N − 1)
    const double inv = 1.0 / double(n_ - 1);
    for (std::size_t r = 0; r < d_; ++r)
        for (std::size_t c = 0; c <= r; ++c) {
            const double s = scatter_[r * d_ + c] - double(n_) * delta[r] * delta[c];  // (lower triangle, r ≥ c)
            cov(r, c) = cov(c, r) = s * inv;
        }
    p.total_variance = 0;
    for (std::size_t j = 0; j < d_; ++j) p.total_variance += cov(j, j);
    const SymEigen e = d_ <= kDenseSolverMax ? eigen_symmetric_top(cov, k) : eigen_top(cov, k);
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

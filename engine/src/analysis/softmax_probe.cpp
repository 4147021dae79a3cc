#include "analysis/softmax_probe.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "kernels/gemm.hpp"

namespace ae {

namespace {
constexpr std::size_t kChunk = 256;
constexpr std::size_t kMemory = 10;
constexpr double kGradTol = 1e-7;  // on the mean objective's gradient
constexpr double kArmijo = 1e-4;

double dot(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
}
}  // namespace

SoftmaxProbe::SoftmaxProbe(const float* x, const std::uint8_t* y, std::size_t n, std::size_t f, std::size_t classes,
                           double C, bool standardize, std::size_t max_iterations)
    : n_(n), f_(f), k_(classes), max_iterations_(max_iterations) {
    require(n >= 1, "probe: needs at least 1 labelled sample");
    require(f >= 1, "probe: needs at least 1 feature");
    require(classes >= 2 && classes <= 256, "probe: needs 2 to 256 classes, got ", classes);
    require(std::isfinite(C) && C > 0, "probe: C must be > 0, got ", C);
    inv_c_ = 1.0 / C;
    for (std::size_t i = 0; i < n; ++i) require(y[i] < classes, "probe: label ", int(y[i]), " of sample ", i, " is not below ", classes);
    for (std::size_t i = 0; i < n * f; ++i)
        require(std::isfinite(x[i]), "probe: feature ", i % f, " of sample ", i / f, " is NaN or infinite");
    scaler_ = standardize ? Standardizer::fit(x, n, f) : Standardizer::identity(f);
    x_.resize(n * f);
    scaler_.apply(x, n, x_.data());
    y_.assign(y, y + n);
    theta_.assign(f * k_ + k_, 0.0);
    status_.loss = objective(theta_, grad_);
    status_.grad_max = grad_max_mean(grad_);
    status_.converged = status_.grad_max <= kGradTol;
    status_.done = status_.converged;
}

double SoftmaxProbe::grad_max_mean(const std::vector<double>& g) const {
    double m = 0;
    for (double v : g) m = std::max(m, std::abs(v));
    return m / double(n_);
}

void SoftmaxProbe::logits(const std::vector<float>& w, const std::vector<double>& theta, const float* x, std::size_t n,
                          float* z) const {
    // z (n, K) = x (n, F) · W (F, K) + b
    const double* b = theta.data() + f_ * k_;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t c = 0; c < k_; ++c) z[i * k_ + c] = float(b[c]);
    kernels::gemm(kernels::Op::N, kernels::Op::N, int(n), int(k_), int(f_), x, int(f_), w.data(), int(k_), 1.0f, z,
                  int(k_));
}

double SoftmaxProbe::objective(const std::vector<double>& theta, std::vector<double>& grad) {
    wf_.assign(theta.begin(), theta.begin() + long(f_ * k_));
    grad.assign(theta.size(), 0.0);
    zf_.resize(kChunk * k_);
    pf_.resize(kChunk * k_);
    std::vector<float> gw(f_ * k_);
    double loss = 0;
    for (std::size_t i0 = 0; i0 < n_; i0 += kChunk) {
        const std::size_t b = std::min(kChunk, n_ - i0);
        const float* x = x_.data() + i0 * f_;
        logits(wf_, theta, x, b, zf_.data());
        for (std::size_t i = 0; i < b; ++i) {  // softmax in double; p − onehot(y) into pf_
            const float* z = zf_.data() + i * k_;
            double mx = z[0];
            for (std::size_t c = 1; c < k_; ++c) mx = std::max(mx, double(z[c]));
            double sum = 0;
            for (std::size_t c = 0; c < k_; ++c) sum += std::exp(double(z[c]) - mx);
            const double lse = mx + std::log(sum);
            const std::uint8_t yi = y_[i0 + i];
            loss += lse - double(z[yi]);
            for (std::size_t c = 0; c < k_; ++c) {
                const double p = std::exp(double(z[c]) - lse) - (c == yi ? 1.0 : 0.0);
                pf_[i * k_ + c] = float(p);
                grad[f_ * k_ + c] += p;
            }
        }
        // dW (F, K) += xᵀ (F, b) · (p − y) (b, K), summed in double across chunks
        kernels::gemm(kernels::Op::T, kernels::Op::N, int(f_), int(k_), int(b), x, int(f_), pf_.data(), int(k_), 0.0f,
                      gw.data(), int(k_));
        for (std::size_t j = 0; j < f_ * k_; ++j) grad[j] += gw[j];
    }
    double pen = 0;
    for (std::size_t j = 0; j < f_ * k_; ++j) {
        pen += theta[j] * theta[j];
        grad[j] += inv_c_ * theta[j];
    }
    ++status_.evaluations;
    return loss + 0.5 * inv_c_ * pen;
}

ProbeStatus SoftmaxProbe::iterate(std::size_t max_steps) {
    const std::size_t dim = theta_.size();
    std::vector<double> dir(dim), next(dim), next_grad, alpha(kMemory);
    for (std::size_t step = 0; step < max_steps && !status_.done; ++step) {
        if (status_.iterations >= max_iterations_) {
            status_.done = true;
            break;
        }
        // Two-loop recursion: dir = −H g.
        for (std::size_t i = 0; i < dim; ++i) dir[i] = -grad_[i];
        for (std::size_t m = s_.size(); m-- > 0;) {
            alpha[m] = rho_[m] * dot(s_[m], dir);
            for (std::size_t i = 0; i < dim; ++i) dir[i] -= alpha[m] * y_hist_[m][i];
        }
        if (!s_.empty()) {
            const double gamma = dot(s_.back(), y_hist_.back()) / dot(y_hist_.back(), y_hist_.back());
            for (double& v : dir) v *= gamma;
        } else {  // first step: a unit step along −g scaled to length 1
            const double norm = std::sqrt(dot(grad_, grad_));
            for (double& v : dir) v /= norm;
        }
        for (std::size_t m = 0; m < s_.size(); ++m) {
            const double beta = rho_[m] * dot(y_hist_[m], dir);
            for (std::size_t i = 0; i < dim; ++i) dir[i] += (alpha[m] - beta) * s_[m][i];
        }
        double slope = dot(grad_, dir);
        if (!(slope < 0)) {  // not a descent direction (rounding): restart from steepest descent
            s_.clear();
            y_hist_.clear();
            rho_.clear();
            const double norm = std::sqrt(dot(grad_, grad_));
            for (std::size_t i = 0; i < dim; ++i) dir[i] = -grad_[i] / norm;
            slope = dot(grad_, dir);
        }
        // Backtracking line search (Armijo), halving.
        double t = 1.0, f_new = 0;
        bool accepted = false;
        for (int ls = 0; ls < 40; ++ls) {
            for (std::size_t i = 0; i < dim; ++i) next[i] = theta_[i] + t * dir[i];
            f_new = objective(next, next_grad);
            if (std::isfinite(f_new) && f_new <= status_.loss + kArmijo * t * slope) {
                accepted = true;
                break;
            }
            t *= 0.5;
        }
        if (!accepted) {  // no decrease left in float precision: as converged as it gets
            status_.converged = status_.done = true;
            break;
        }
        std::vector<double> s(dim), yv(dim);
        for (std::size_t i = 0; i < dim; ++i) {
            s[i] = next[i] - theta_[i];
            yv[i] = next_grad[i] - grad_[i];
        }
        const double sy = dot(s, yv);
        if (sy > 1e-12 * std::sqrt(dot(s, s) * dot(yv, yv))) {  // curvature: keep the pair
            if (s_.size() == kMemory) {
                s_.pop_front();
                y_hist_.pop_front();
                rho_.pop_front();
            }
            s_.push_back(std::move(s));
            y_hist_.push_back(std::move(yv));
            rho_.push_back(1.0 / sy);
        }
        theta_.swap(next);
        grad_.swap(next_grad);
        status_.loss = f_new;
        status_.grad_max = grad_max_mean(grad_);
        ++status_.iterations;
        if (status_.grad_max <= kGradTol) status_.converged = status_.done = true;
        else if (status_.iterations >= max_iterations_) status_.done = true;
    }
    return status_;
}

void SoftmaxProbe::probabilities(const float* x, std::size_t n, float* p) const {
    std::vector<float> w(theta_.begin(), theta_.begin() + long(f_ * k_)), xs(std::min(n, kChunk) * f_);
    for (std::size_t i0 = 0; i0 < n; i0 += kChunk) {
        const std::size_t b = std::min(kChunk, n - i0);
        scaler_.apply(x + i0 * f_, b, xs.data());
        float* z = p + i0 * k_;
        logits(w, theta_, xs.data(), b, z);
        for (std::size_t i = 0; i < b; ++i) {
            float* zi = z + i * k_;
            const float mx = *std::max_element(zi, zi + k_);
            double sum = 0;
            for (std::size_t c = 0; c < k_; ++c) sum += std::exp(double(zi[c] - mx));
            for (std::size_t c = 0; c < k_; ++c) zi[c] = float(std::exp(double(zi[c] - mx)) / sum);
        }
    }
}

void SoftmaxProbe::predict(const float* x, std::size_t n, std::uint8_t* labels) const {
    std::vector<float> p(n * k_);
    probabilities(x, n, p.data());
    for (std::size_t i = 0; i < n; ++i)
        labels[i] = std::uint8_t(std::max_element(p.begin() + long(i * k_), p.begin() + long((i + 1) * k_)) -
                                 (p.begin() + long(i * k_)));
}

}  // namespace ae

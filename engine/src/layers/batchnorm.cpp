#include "layers/batchnorm.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace ae {

BatchNorm::BatchNorm(FeatureShape in, double momentum, double eps)
    : C_(in.c),
      S_(in.h * in.w),
      momentum_(momentum),
      eps_(eps),
      gamma_({in.c}, false),
      beta_({in.c}, false),
      running_mean_({in.c}, false),
      running_var_({in.c}, false),
      sum_(in.c),
      sum2_(in.c) {
    require(in.size() > 0, "batchnorm: the input must have at least 1 channel, row and column, got ", in.c, "x",
            in.h, "x", in.w, " (CxHxW)");
    require(momentum >= 0.0 && momentum <= 1.0, "batchnorm: momentum must be in [0, 1], got ", momentum);
    require(eps > 0.0 && std::isfinite(eps), "batchnorm: eps must be a positive number, got ", eps);
    in_ = in;
    out_ = in;
    ensure_shape(rstd_, C_);
    reset();
}

void BatchNorm::init(Rng&) { reset(); }

void BatchNorm::reset() {
    std::fill(gamma_.value.begin(), gamma_.value.end(), Scalar(1));
    std::fill(beta_.value.begin(), beta_.value.end(), Scalar(0));
    std::fill(running_mean_.value.begin(), running_mean_.value.end(), Scalar(0));
    std::fill(running_var_.value.begin(), running_var_.value.end(), Scalar(1));
}

const Mat& BatchNorm::forward(const Mat& x, const Context& ctx) {
    require(cols(x) == in_.size(), "batchnorm expects rows of ", in_.size(), " values (", in_.c, "x", in_.h, "x",
            in_.w, "), got ", cols(x));
    const std::size_t N = rows(x), D = in_.size(), M = N * S_;
    mode_ = ctx.mode;
    ensure_shape(xhat_, N, D);
    ensure_shape(y_, N, D);
    Scalar* rm = running_mean_.data();
    Scalar* rv = running_var_.data();

    if (mode_ == Mode::Train) {
        require(M > 1, "batchnorm: expected more than 1 value per channel when training, got ", M, " (batch of ", N,
                ", ", in_.h, "x", in_.w, " per channel); train with a batch of at least 2");
        // mean[c] (kept in sum_), then var[c] = Σ (x − mean)² / M, two passes for accuracy.
        std::fill(sum_.begin(), sum_.end(), 0.0);
        std::fill(sum2_.begin(), sum2_.end(), 0.0);
        for (std::size_t n = 0; n < N; ++n)
            for (std::size_t c = 0; c < C_; ++c) {
                const Scalar* v = x.data() + n * D + c * S_;
                double s = 0;
                for (std::size_t q = 0; q < S_; ++q) s += v[q];
                sum_[c] += s;
            }
        for (double& s : sum_) s /= double(M);
        for (std::size_t n = 0; n < N; ++n)
            for (std::size_t c = 0; c < C_; ++c) {
                const Scalar* v = x.data() + n * D + c * S_;
                const double mean = sum_[c];
                double s = 0;
                for (std::size_t q = 0; q < S_; ++q) s += (v[q] - mean) * (v[q] - mean);
                sum2_[c] += s;
            }
        const double m = momentum_;
        for (std::size_t c = 0; c < C_; ++c) {
            const double var = sum2_[c] / double(M);
            rstd_[c] = Scalar(1.0 / std::sqrt(var + eps_));
            rm[c] = Scalar((1 - m) * rm[c] + m * sum_[c]);
            rv[c] = Scalar((1 - m) * rv[c] + m * var * double(M) / double(M - 1));
        }
    } else {
        for (std::size_t c = 0; c < C_; ++c) {
            sum_[c] = rm[c];
            rstd_[c] = Scalar(1.0 / std::sqrt(double(rv[c]) + eps_));
        }
    }

    // x̂ = (x − mean)·rstd,  y = gamma·x̂ + beta   (mean in sum_)
    const Scalar* g = gamma_.data();
    const Scalar* b = beta_.data();
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t c = 0; c < C_; ++c) {
            const std::size_t off = n * D + c * S_;
            const Scalar mean = Scalar(sum_[c]), r = rstd_[c];
            const Scalar* v = x.data() + off;
            Scalar* xh = xhat_.data() + off;
            Scalar* out = y_.data() + off;
            for (std::size_t q = 0; q < S_; ++q) {
                xh[q] = (v[q] - mean) * r;
                out[q] = g[c] * xh[q] + b[c];
            }
        }
    return y_;
}

const Mat& BatchNorm::backward(const Mat& dy) {
    require(rows(dy) == rows(xhat_) && cols(dy) == cols(xhat_), "batchnorm backward expects dy of shape (",
            rows(xhat_), ", ", cols(xhat_), ") like the last forward, got (", rows(dy), ", ", cols(dy), ")");
    const std::size_t N = rows(dy), D = in_.size(), M = N * S_;
    // dbeta[c] = Σ dy (in sum_),  dgamma[c] = Σ dy·x̂ (in sum2_)
    std::fill(sum_.begin(), sum_.end(), 0.0);
    std::fill(sum2_.begin(), sum2_.end(), 0.0);
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t c = 0; c < C_; ++c) {
            const std::size_t off = n * D + c * S_;
            const Scalar* g = dy.data() + off;
            const Scalar* xh = xhat_.data() + off;
            double sb = 0, sg = 0;
            for (std::size_t q = 0; q < S_; ++q) {
                sb += g[q];
                sg += double(g[q]) * xh[q];
            }
            sum_[c] += sb;
            sum2_[c] += sg;
        }
    for (std::size_t c = 0; c < C_; ++c) {
        beta_.grad[c] = Scalar(sum_[c]);
        gamma_.grad[c] = Scalar(sum2_[c]);
    }
    if (!needs_input_grad_) return dx_;

    ensure_shape(dx_, N, D);
    const bool train = mode_ == Mode::Train;
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t c = 0; c < C_; ++c) {
            const std::size_t off = n * D + c * S_;
            const Scalar k = gamma_.value[c] * rstd_[c];
            const Scalar* g = dy.data() + off;
            const Scalar* xh = xhat_.data() + off;
            Scalar* out = dx_.data() + off;
            if (train) {
                // dx = gamma·rstd · (dy − dbeta/M − x̂·dgamma/M)
                const Scalar mb = Scalar(sum_[c] / double(M)), mg = Scalar(sum2_[c] / double(M));
                for (std::size_t q = 0; q < S_; ++q) out[q] = k * (g[q] - mb - xh[q] * mg);
            } else {
                for (std::size_t q = 0; q < S_; ++q) out[q] = k * g[q];
            }
        }
    return dx_;
}

}  // namespace ae

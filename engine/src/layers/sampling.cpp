#include "layers/sampling.hpp"

#include <cmath>

#include "core/error.hpp"

namespace ae {

Sampling::Sampling(std::size_t latent) : Z_(latent) {
    require(latent >= 1, "sampling layer needs a latent size of at least 1, got ", latent);
    in_ = FeatureShape::flat(2 * latent);
    out_ = FeatureShape::flat(latent);
}

const Mat& Sampling::forward(const Mat& s, const Context& ctx) {
    require(cols(s) == 2 * Z_, "sampling layer expects [mu | log_var] rows of ", 2 * Z_, " values, got ", cols(s));
    const std::size_t N = rows(s);
    require(ctx.eps != nullptr || ctx.rng != nullptr,
            "sampling layer needs a random generator (Context::rng) or a given eps (Context::eps)");
    require(ctx.eps == nullptr || (rows(*ctx.eps) == N && cols(*ctx.eps) == Z_),
            "sampling layer: the given eps must be (", N, ", ", Z_, "), one row of ", Z_, " per image, got (",
            ctx.eps ? rows(*ctx.eps) : 0, ", ", ctx.eps ? cols(*ctx.eps) : 0, ")");
    ensure_shape(eps_, N, Z_);
    ensure_shape(sigma_, N, Z_);
    ensure_shape(z_, N, Z_);
    for (std::size_t n = 0; n < N; ++n) {
        const Scalar* mu = s.data() + n * 2 * Z_;
        const Scalar* lv = mu + Z_;
        for (std::size_t j = 0; j < Z_; ++j) {
            const Scalar e = ctx.eps ? (*ctx.eps)(n, j) : Scalar(ctx.rng->normal());
            const Scalar sd = std::exp(Scalar(0.5) * lv[j]);
            eps_(n, j) = e;
            sigma_(n, j) = sd;
            z_(n, j) = mu[j] + sd * e;
        }
    }
    return z_;
}

const Mat& Sampling::backward(const Mat& dz) {
    const std::size_t N = rows(dz);
    ensure_shape(dx_, N, 2 * Z_);
    for (std::size_t n = 0; n < N; ++n) {
        Scalar* dmu = dx_.data() + n * 2 * Z_;
        Scalar* dlv = dmu + Z_;
        for (std::size_t j = 0; j < Z_; ++j) {
            dmu[j] = dz(n, j);
            dlv[j] = dz(n, j) * eps_(n, j) * sigma_(n, j) * Scalar(0.5);
        }
    }
    return dx_;
}

}  // namespace ae

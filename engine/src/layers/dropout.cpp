#include "layers/dropout.hpp"

#include <cmath>

#include "core/error.hpp"

namespace ae {

Dropout::Dropout(FeatureShape in, double p) : p_(p) {
    require(in.size() > 0, "dropout: the input must have at least 1 value, got ", in.c, "x", in.h, "x", in.w,
            " (CxHxW)");
    require(std::isfinite(p) && p >= 0.0 && p < 1.0, "dropout: p must be in [0, 1), got ", p);
    in_ = in;
    out_ = in;
}

const Mat& Dropout::forward(const Mat& x, const Context& ctx) {
    require(cols(x) == in_.size(), "dropout expects rows of ", in_.size(), " values, got ", cols(x));
    masked_ = ctx.mode == Mode::Train && p_ > 0.0;
    if (!masked_) return x;
    require(ctx.rng != nullptr, "dropout: Train mode needs a random generator (Context::rng is null)");
    Rng& rng = *ctx.rng;
    ensure_shape(mask_, rows(x), cols(x));
    ensure_shape(y_, rows(x), cols(x));
    const Scalar scale = Scalar(1.0 / (1.0 - p_));
    const std::size_t n = x.size();
    Scalar* m = mask_.data();
    Scalar* y = y_.data();
    const Scalar* v = x.data();
    for (std::size_t i = 0; i < n; ++i) {
        m[i] = rng.uniform() >= p_ ? scale : Scalar(0);
        y[i] = v[i] * m[i];
    }
    return y_;
}

const Mat& Dropout::backward(const Mat& dy) {
    if (!needs_input_grad_) return dx_;
    if (!masked_) return dy;
    require(rows(dy) == rows(mask_) && cols(dy) == cols(mask_), "dropout backward expects dy of shape (",
            rows(mask_), ", ", cols(mask_), ") like the last forward, got (", rows(dy), ", ", cols(dy), ")");
    ensure_shape(dx_, rows(dy), cols(dy));
    const std::size_t n = dy.size();
    for (std::size_t i = 0; i < n; ++i) dx_.data()[i] = dy.data()[i] * mask_.data()[i];
    return dx_;
}

}  // namespace ae

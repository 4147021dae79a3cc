#include "layers/repeat.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace ae {

Repeat::Repeat(std::size_t size, std::size_t steps) : D_(size), T_(steps) {
    require(size > 0 && steps > 0, "repeat layer needs positive sizes, got ", steps, " steps of ", size, " values");
    in_ = FeatureShape::flat(size);
    out_ = FeatureShape::flat(size * steps);
}

const Mat& Repeat::forward(const Mat& x, const Context&) {
    require(cols(x) == D_, "repeat layer expects ", D_, " features per row, got ", cols(x));
    const std::size_t N = rows(x);
    ensure_shape(y_, N, T_ * D_);
    for (std::size_t n = 0; n < N; ++n) {
        const Scalar* src = x.data() + n * D_;
        for (std::size_t t = 0; t < T_; ++t) std::copy(src, src + D_, y_.data() + (n * T_ + t) * D_);
    }
    return y_;
}

const Mat& Repeat::backward(const Mat& dy) {
    require(cols(dy) == T_ * D_, "repeat backward expects rows of ", T_ * D_, " values, got ", cols(dy));
    if (!needs_input_grad_) return dx_;
    const std::size_t N = rows(dy);
    ensure_shape(dx_, N, D_);
    for (std::size_t n = 0; n < N; ++n) {
        Scalar* dx = dx_.data() + n * D_;
        const Scalar* g = dy.data() + n * T_ * D_;
        std::copy(g, g + D_, dx);
        for (std::size_t t = 1; t < T_; ++t)
            for (std::size_t d = 0; d < D_; ++d) dx[d] += g[t * D_ + d];
    }
    return dx_;
}

}  // namespace ae

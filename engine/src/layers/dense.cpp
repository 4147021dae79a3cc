#include "layers/dense.hpp"

#include <cmath>

#include "core/error.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/gemm.hpp"
#include "layers/activation.hpp"

namespace ae {

using kernels::Op;

Dense::Dense(FeatureShape in, std::size_t d_out, std::size_t steps)
    : d_in_(steps ? in.size() / steps : 0),
      d_out_(d_out),
      steps_(steps),
      W_({d_in_, d_out}, true),
      b_({d_out}, false) {
    require(steps >= 1 && in.size() % steps == 0, "dense layer: ", in.size(), " features per row do not split into ",
            steps, " steps");
    require(d_in_ > 0 && d_out_ > 0, "dense layer needs positive sizes, got ", d_in_, " -> ", d_out_);
    in_ = in;
    out_ = FeatureShape::flat(steps * d_out);
}

void Dense::init(Rng& rng) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(d_in_));
    for (auto& w : W_.value) w = static_cast<Scalar>(rng.uniform(-bound, bound));
    for (auto& b : b_.value) b = static_cast<Scalar>(rng.uniform(-bound, bound));
}

void Dense::fuse_activation(kernels::Act act, Scalar slope) {
    require(!(act == kernels::Act::LeakyReLU && slope < 0), "dense: a leaky ReLU with a negative slope (", slope,
            ") cannot be fused: its backward needs the sign of x·W + b");
    act_ = act;
    slope_ = slope;
}

const Mat& Dense::forward(const Mat& x, const Context&) {
    require(cols(x) == in_.size(), "dense layer expects ", in_.size(), " features per row, got ", cols(x));
    const std::size_t N = rows(x) * steps_;  // rows of D_in: one per image and step
    x_ = &x;
    ensure_shape(y_, rows(x), steps_ * d_out_);
    // y (N, D_out) = f(x (N, D_in) · W (D_in, D_out) + b)
    kernels::Epilogue<Scalar> ep;
    ep.bias = b_.data();
    ep.act = act_;
    ep.slope = slope_;
    kernels::gemm(Op::N, Op::N, int(N), int(d_out_), int(d_in_), x.data(), int(d_in_), W_.data(), int(d_out_),
                  Scalar(0), y_.data(), int(d_out_), ep);
    return y_;
}

const Mat& Dense::backward(const Mat& dy) {
    require(x_ != nullptr, "dense backward called before forward");
    const Mat& x = *x_;
    require(cols(dy) == out_.size() && rows(dy) == rows(x), "dense backward expects dy of shape (", rows(x), ", ",
            out_.size(), ") like the last forward, got (", rows(dy), ", ", cols(dy), ")");
    const std::size_t N = rows(dy) * steps_;
    // dW (D_in, D_out) = xᵀ (D_in, N) · dy (N, D_out)
    kernels::gemm(Op::T, Op::N, int(d_in_), int(d_out_), int(N), x.data(), int(d_in_), dy.data(),
                  int(d_out_), Scalar(0), W_.gdata(), int(d_out_));
    // db (D_out) = Σ_n dy[n, :]
    kernels::column_sums(dy.data(), N, d_out_, b_.gdata());
    if (!needs_input_grad_) return dx_;
    // dx (N, D_in) = dy (N, D_out) · Wᵀ (D_out, D_in)
    ensure_shape(dx_, rows(dy), in_.size());
    kernels::gemm(Op::N, Op::T, int(N), int(d_in_), int(d_out_), dy.data(), int(d_out_), W_.data(),
                  int(d_out_), Scalar(0), dx_.data(), int(d_in_));
    return dx_;
}

const Mat* Dense::absorb_activation(kernels::Act act, Scalar slope) {
    if (act_ != kernels::Act::Identity || (act == kernels::Act::LeakyReLU && slope < 0)) return nullptr;
    fuse_activation(act, slope);
    return &y_;
}

}  // namespace ae

#include "layers/conv2d.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "kernels/conv_taps.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/gemm.hpp"
#include "layers/per_image.hpp"

namespace ae {

using kernels::Op;

Conv2D::Conv2D(FeatureShape in, std::size_t out_channels, std::size_t kernel, std::size_t stride,
               std::size_t padding)
    : oc_(out_channels) {
    require(in.c > 0 && in.h > 0 && in.w > 0, "conv2d: the input must have at least 1 channel, row and column, got ",
            in.c, "x", in.h, "x", in.w, " (CxHxW)");
    require(out_channels > 0, "conv2d: out_channels must be at least 1, got 0");
    require(kernel > 0, "conv2d: kernel must be at least 1, got 0");
    require(stride > 0, "conv2d: stride must be at least 1, got 0");
    require(kernel <= in.h + 2 * padding && kernel <= in.w + 2 * padding, "conv2d: kernel ", kernel,
            " is larger than the padded input ", in.h + 2 * padding, "x", in.w + 2 * padding, " (padding ", padding,
            ")");
    g_ = kernels::make_conv_geom(in.c, in.h, in.w, kernel, stride, padding);
    in_ = in;
    out_ = {oc_, g_.oh, g_.ow};
    W_ = Param({oc_, in.c, kernel, kernel}, true);
    b_ = Param({oc_}, false);
    direct_ = g_.col_rows() <= kernels::kDirectTaps;
}

void Conv2D::init(Rng& rng) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(g_.col_rows()));  // fan_in = C·K·K
    for (auto& w : W_.value) w = static_cast<Scalar>(rng.uniform(-bound, bound));
    for (auto& b : b_.value) b = static_cast<Scalar>(rng.uniform(-bound, bound));
}

const Mat& Conv2D::forward(const Mat& x, const Context&) {
    require(cols(x) == in_.size(), "conv2d expects rows of ", in_.size(), " values (", in_.c, "x", in_.h, "x", in_.w,
            " images), got ", cols(x));
    const std::size_t N = rows(x), D = in_.size(), CKK = g_.col_rows(), P = g_.col_cols();
    x_ = &x;
    if (direct_) {
        forward_direct(x);
        return y_;
    }
    const std::size_t G = kernels::conv_group_size(N, P);
    ensure_shape(yg_, oc_, G * P);
    ensure_shape(y_, N, oc_ * P);
    for (std::size_t n0 = 0; n0 < N; n0 += G) {
        const std::size_t g = std::min(G, N - n0), ld = g * P;
        // cols (C·K·K, g·P): image n0 + i in columns [i·P, (i+1)·P), gathered by the GEMM itself
        im2col_.load(g_, x.data() + n0 * D, D, g);
        // Yg (OC, g·P) = W (OC, C·K·K) · cols (C·K·K, g·P)
        kernels::gemm(Op::N, int(oc_), int(ld), int(CKK), W_.data(), int(CKK), im2col_.as_b(), Scalar(0), yg_.data(),
                      int(ld));
        // y[n0 + i, o, :] = f(Yg[o, i·P : (i+1)·P] + b[o])
        kernels::bias_act_planes(act_, slope_, b_.data(), yg_.data(), {P, ld}, g, oc_, P, y_.data() + n0 * oc_ * P,
                                 {oc_ * P, P});
    }
    return y_;
}

const Mat* Conv2D::absorb_activation(kernels::Act act, Scalar slope) {
    if (act_ != kernels::Act::Identity || (act == kernels::Act::LeakyReLU && slope < 0)) return nullptr;
    act_ = act;
    slope_ = slope;
    return &y_;
}

const Mat& Conv2D::backward(const Mat& dy) {
    require(x_ != nullptr, "conv2d backward called before forward");
    const Mat& x = *x_;
    const std::size_t N = rows(dy), D = in_.size(), CKK = g_.col_rows(), P = g_.col_cols();
    require(cols(dy) == out_.size() && N == rows(y_), "conv2d backward expects dy of shape (", rows(y_), ", ",
            out_.size(), ") like the last forward, got (", N, ", ", cols(dy), ")");
    if (direct_) {
        backward_direct(dy);
        return dx_;
    }
    const std::size_t G = kernels::conv_group_size(N, P);
    if (needs_input_grad_) {
        ensure_shape(dx_, N, D);
        ensure_shape(cols_, CKK, G * P);
    }
    ensure_shape(shares_, G, oc_);
    Scalar* db = b_.gdata();
    std::fill(db, db + oc_, Scalar(0));
    if (N == 0) std::fill(W_.grad.begin(), W_.grad.end(), Scalar(0));
    for (std::size_t n0 = 0; n0 < N; n0 += G) {
        const std::size_t g = std::min(G, N - n0), ld = g * P;
        // dYg[o, i·P + q] = dy[n0 + i, o·P + q] (· f'(y) there, f fused);  db[o] += Σ of it, image by image
        const std::size_t at = n0 * oc_ * P;
        kernels::act_backward_planes(act_, slope_, y_.data() + at, dy.data() + at, {oc_ * P, P}, g, oc_, P, yg_.data(),
                                     {P, ld}, shares_.data());
        add_shares(shares_, g, oc_, db);
        // dW (OC, C·K·K) (+)= dYg (OC, g·P) · colsᵀ (g·P, C·K·K)
        im2col_.load(g_, x.data() + n0 * D, D, g);
        kernels::gemm(Op::N, int(oc_), int(CKK), int(ld), yg_.data(), int(ld), im2col_.as_bt(), Scalar(n0 == 0 ? 0 : 1),
                      W_.gdata(), int(CKK));
        if (!needs_input_grad_) continue;
        // dcols (C·K·K, g·P) = Wᵀ (C·K·K, OC) · dYg (OC, g·P);
        // dx[n0 + i] = col2im(dcols[:, i·P : (i+1)·P])
        kernels::gemm(Op::T, Op::N, int(CKK), int(ld), int(oc_), W_.data(), int(CKK), yg_.data(), int(ld), Scalar(0),
                      cols_.data(), int(ld));
        kernels::col2im(g_, cols_.data(), ld, g, dx_.data() + n0 * D, D);
    }
    return dx_;
}

void Conv2D::forward_direct(const Mat& x) {
    const std::size_t N = rows(x), D = in_.size(), T = g_.col_rows(), P = g_.col_cols();
    ensure_shape(y_, N, oc_ * P);
    // y[n] (OC, P) = f(W (OC, T) · cols (T, P) + b)
    // (scratch rows the size backward needs, so that the two never reallocate each other's)
    for_each_image(N, scratch_, 2 * T * P + oc_ * P, [&](std::size_t n, Scalar* cols) {
        kernels::im2col(g_, x.data() + n * D, cols, P);
        kernels::taps_product(oc_, T, P, W_.data(), T, 1, cols, P, b_.data(), act_, slope_,
                              y_.data() + n * oc_ * P, P);
    });
}

void Conv2D::backward_direct(const Mat& dy) {
    const Mat& x = *x_;
    const std::size_t N = rows(dy), D = in_.size(), T = g_.col_rows(), P = g_.col_cols(), WT = oc_ * T;
    if (needs_input_grad_) ensure_shape(dx_, N, D);
    ensure_shape(partial_, N, WT + oc_);
    for_each_image(N, scratch_, 2 * T * P + oc_ * P, [&](std::size_t n, Scalar* cols) {
        Scalar* share = partial_.data() + n * (WT + oc_);  // dW_n (OC, T), then db_n (OC)
        // db_n[o] = Σ dy[n, o, :] (· f'(y), f fused: then dy · f'(y) is what the products read)
        const Scalar* dyn = fused_bias_share(act_, slope_, y_.data() + n * oc_ * P, dy.data() + n * oc_ * P, oc_, P,
                                             cols + 2 * T * P, share + WT);
        // dW_n (OC, T) = dy[n] (OC, P) · colsᵀ
        kernels::im2col(g_, x.data() + n * D, cols, P);
        kernels::taps_gram(oc_, T, P, dyn, P, cols, P, share);
        if (!needs_input_grad_) return;
        // dcols (T, P) = Wᵀ (T, OC) · dy[n];  dx[n] = col2im(dcols)
        Scalar* dcols = cols + T * P;
        kernels::taps_product(T, oc_, P, W_.data(), 1, T, dyn, P, nullptr, kernels::Act::Identity, Scalar(0), dcols,
                              P);
        kernels::col2im(g_, dcols, P, dx_.data() + n * D);
    });
    add_image_shares(partial_, N, 0, W_.gdata(), WT);
    add_image_shares(partial_, N, WT, b_.gdata(), oc_);
}

}  // namespace ae

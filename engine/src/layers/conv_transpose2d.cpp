#include "layers/conv_transpose2d.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/conv_taps.hpp"
#include "kernels/gemm.hpp"
#include "layers/per_image.hpp"

namespace ae {

using kernels::Op;

ConvTranspose2D::ConvTranspose2D(FeatureShape in, std::size_t out_channels, std::size_t kernel, std::size_t stride,
                                 std::size_t padding, std::size_t output_padding)
    : c_in_(in.c) {
    require(in.c > 0 && in.h > 0 && in.w > 0,
            "conv_transpose2d: the input must have at least 1 channel, row and column, got ", in.c, "x", in.h, "x",
            in.w, " (CxHxW)");
    require(out_channels > 0, "conv_transpose2d: out_channels must be at least 1, got 0");
    require(kernel > 0, "conv_transpose2d: kernel must be at least 1, got 0");
    require(stride > 0, "conv_transpose2d: stride must be at least 1, got 0");
    require(output_padding < stride, "conv_transpose2d: output_padding ", output_padding,
            " must be smaller than stride ", stride);
    // (H − 1)·S − 2P + K + output_padding, signed: a large padding makes it negative.
    auto out_size = [&](std::size_t h) {
        return (long long)(h - 1) * (long long)stride - 2 * (long long)padding + (long long)kernel +
               (long long)output_padding;
    };
    const long long oh = out_size(in.h), ow = out_size(in.w);
    require(oh > 0 && ow > 0, "conv_transpose2d: the output size (H-1)*stride - 2*padding + kernel + output_padding ",
            "must be positive, got ", oh, "x", ow, " for input ", in.h, "x", in.w, ", kernel ", kernel, ", stride ",
            stride, ", padding ", padding, ", output_padding ", output_padding);
    // The adjoint convolution over the output image (OC, OH, OW); its grid is (H, W).
    g_ = kernels::make_conv_geom(out_channels, std::size_t(oh), std::size_t(ow), kernel, stride, padding);
    in_ = in;
    out_ = {out_channels, std::size_t(oh), std::size_t(ow)};
    W_ = Param({c_in_, out_channels, kernel, kernel}, true);
    b_ = Param({out_channels}, false);
    direct_ = g_.col_rows() <= kernels::kDirectTaps;
}

void ConvTranspose2D::init(Rng& rng) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(g_.col_rows()));  // fan_in = OC·K·K
    for (auto& w : W_.value) w = static_cast<Scalar>(rng.uniform(-bound, bound));
    for (auto& b : b_.value) b = static_cast<Scalar>(rng.uniform(-bound, bound));
}

const Mat& ConvTranspose2D::forward(const Mat& x, const Context&) {
    require(cols(x) == in_.size(), "conv_transpose2d expects rows of ", in_.size(), " values (", in_.c, "x", in_.h,
            "x", in_.w, " images), got ", cols(x));
    const std::size_t N = rows(x), D_out = out_.size(), OCKK = g_.col_rows();
    const std::size_t P = g_.col_cols() /* H·W */, G = kernels::conv_group_size(N, P);
    x_ = &x;
    if (direct_) {
        forward_direct(x);
        return y_;
    }
    ensure_shape(xg_, c_in_, G * P);
    ensure_shape(cols_, OCKK, G * P);
    ensure_shape(y_, N, D_out);
    for (std::size_t n0 = 0; n0 < N; n0 += G) {
        const std::size_t g = std::min(G, N - n0), ld = g * P;
        gather_group(x, n0, g);
        // cols (OC·K·K, g·P) = Wᵀ (OC·K·K, C) · Xg (C, g·P)
        kernels::gemm(Op::T, Op::N, int(OCKK), int(ld), int(c_in_), W_.data(), int(OCKK), xg_.data(), int(ld),
                      Scalar(0), cols_.data(), int(ld));
        // y[n0 + i] = f(col2im(cols[:, i·P : (i+1)·P]) + b)
        kernels::col2im(g_, cols_.data(), ld, g, y_.data() + n0 * D_out, D_out, b_.data(), act_, slope_);
    }
    return y_;
}

// Xg[c, i·P + q] = x[n0 + i, c·P + q] for the g images from n0.
void ConvTranspose2D::gather_group(const Mat& x, std::size_t n0, std::size_t g) {
    const std::size_t P = g_.col_cols(), D = c_in_ * P;
    kernels::copy_planes(x.data() + n0 * D, {D, P}, g, c_in_, P, xg_.data(), {P, g * P});
}

const Mat* ConvTranspose2D::absorb_activation(kernels::Act act, Scalar slope) {
    if (act_ != kernels::Act::Identity || (act == kernels::Act::LeakyReLU && slope < 0)) return nullptr;
    act_ = act;
    slope_ = slope;
    return &y_;
}

const Mat& ConvTranspose2D::backward(const Mat& dy) {
    require(x_ != nullptr, "conv_transpose2d backward called before forward");
    const Mat& x = *x_;
    const std::size_t N = rows(dy), D = in_.size(), D_out = out_.size(), OCKK = g_.col_rows();
    const std::size_t P = g_.col_cols(), G = kernels::conv_group_size(N, P), plane = out_.h * out_.w;
    require(cols(dy) == D_out && N == rows(y_), "conv_transpose2d backward expects dy of shape (", rows(y_), ", ",
            D_out, ") like the last forward, got (", N, ", ", cols(dy), ")");
    if (direct_) {
        backward_direct(dy);
        return dx_;
    }
    if (needs_input_grad_) ensure_shape(dx_, N, D);
    if (act_ != kernels::Act::Identity) ensure_shape(dyg_, G, D_out);
    ensure_shape(shares_, G, out_.c);
    Scalar* db = b_.gdata();
    std::fill(db, db + out_.c, Scalar(0));
    if (N == 0) std::fill(W_.grad.begin(), W_.grad.end(), Scalar(0));
    for (std::size_t n0 = 0; n0 < N; n0 += G) {
        const std::size_t g = std::min(G, N - n0), ld = g * P;
        // The group's dy (· f'(y), f fused: into dyg_, still in cache for the load below);
        // db[o] += Σ dy[n0 + i, o, :]
        const Scalar* dyg = dy.data() + n0 * D_out;
        const bool fused = act_ != kernels::Act::Identity;
        kernels::act_backward_planes(act_, slope_, y_.data() + n0 * D_out, dyg, {D_out, plane}, g, out_.c, plane,
                                     fused ? dyg_.data() : nullptr, {D_out, plane}, shares_.data());
        add_shares(shares_, g, out_.c, db);
        if (fused) dyg = dyg_.data();
        // dcols (OC·K·K, g·P): im2col of each dy[n0 + i], gathered by the GEMMs' packing
        im2col_.load(g_, dyg, D_out, g);
        // dW (C, OC·K·K) (+)= Xg (C, g·P) · dcolsᵀ (g·P, OC·K·K)
        gather_group(x, n0, g);
        kernels::gemm(Op::N, int(c_in_), int(OCKK), int(ld), xg_.data(), int(ld), im2col_.as_bt(),
                      Scalar(n0 == 0 ? 0 : 1), W_.gdata(), int(OCKK));
        if (!needs_input_grad_) continue;
        // dXg (C, g·P) = W (C, OC·K·K) · dcols (OC·K·K, g·P), into xg_ (done with it);
        // dx[n0 + i, c·P + q] = dXg[c, i·P + q]
        kernels::gemm(Op::N, int(c_in_), int(ld), int(OCKK), W_.data(), int(OCKK), im2col_.as_b(), Scalar(0),
                      xg_.data(), int(ld));
        kernels::copy_planes(xg_.data(), {P, ld}, g, c_in_, P, dx_.data() + n0 * D, {D, P});
    }
    return dx_;
}

void ConvTranspose2D::forward_direct(const Mat& x) {
    const std::size_t N = rows(x), D = in_.size(), D_out = out_.size(), T = g_.col_rows(), P = g_.col_cols();
    ensure_shape(y_, N, D_out);
    // cols (OC·K·K, P) = Wᵀ (OC·K·K, C) · x[n] (C, P);  y[n] = f(col2im(cols) + b)
    // (scratch rows the size backward needs, so that the two never reallocate each other's)
    for_each_image(N, scratch_, T * P + D_out, [&](std::size_t n, Scalar* cols) {
        kernels::taps_product(T, c_in_, P, W_.data(), 1, T, x.data() + n * D, P, nullptr, kernels::Act::Identity,
                              Scalar(0), cols, P);
        kernels::col2im(g_, cols, P, 1, y_.data() + n * D_out, D_out, b_.data(), act_, slope_);
    });
}

void ConvTranspose2D::backward_direct(const Mat& dy) {
    const Mat& x = *x_;
    const std::size_t N = rows(dy), D = in_.size(), D_out = out_.size(), T = g_.col_rows(), P = g_.col_cols();
    const std::size_t WT = c_in_ * T;
    if (needs_input_grad_) ensure_shape(dx_, N, D);
    ensure_shape(partial_, N, WT + out_.c);
    for_each_image(N, scratch_, T * P + D_out, [&](std::size_t n, Scalar* dcols) {
        Scalar* share = partial_.data() + n * (WT + out_.c);  // dW_n (C, OC·K·K), then db_n (OC)
        // db_n[o] = Σ dy[n, o, :] (· f'(y), f fused: then dy · f'(y) is what the products read)
        const Scalar* dyn = fused_bias_share(act_, slope_, y_.data() + n * D_out, dy.data() + n * D_out, out_.c,
                                             out_.h * out_.w, dcols + T * P, share + WT);
        // dcols (OC·K·K, P) = im2col(dy[n]);  dW_n (C, OC·K·K) = x[n] (C, P) · dcolsᵀ
        kernels::im2col(g_, dyn, dcols, P);
        kernels::taps_gram(c_in_, T, P, x.data() + n * D, P, dcols, P, share);
        // dx[n] (C, P) = W (C, OC·K·K) · dcols
        if (needs_input_grad_)
            kernels::taps_product(c_in_, T, P, W_.data(), T, 1, dcols, P, nullptr, kernels::Act::Identity,
                                  Scalar(0), dx_.data() + n * D, P);
    });
    add_image_shares(partial_, N, 0, W_.gdata(), WT);
    add_image_shares(partial_, N, WT, b_.gdata(), out_.c);
}

}  // namespace ae

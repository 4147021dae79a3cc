// 2-D transposed convolution, PyTorch's nn.ConvTranspose2d with a square kernel, no dilation,
// no groups: the input gradient of a Conv2D, used as an upsampling layer.
//
//   x (N, C·H·W) rows read as (C, H, W), weight (C, OC, K, K), bias (OC) → y (N, OC·OH·OW)
//   OH = (H − 1)·S − 2P + K + output_padding,  output_padding < S    (likewise OW)
//   y[n,o, i·S−P+ki, j·S−P+kj] += w[c,o,ki,kj] · x[n,c,i,j]   (taps outside the output cropped), + b[o]
//
// Seen from the output, this is the adjoint of a Conv2D from (OC, OH, OW) back to (C, H, W)
// with the same K, S, P, whose im2col geometry (kernels/im2col.hpp) has exactly (H, W) as its
// output grid (output_padding < S makes the floor land on H). The weight read as (C, OC·K·K)
// is that convolution's weight. Images go through in groups of G (kernels::conv_group_size),
// one GEMM per group and direction; with P = H·W:
//
//   forward    Xg (C, G·P)          = the group's x regrouped by channel
//              cols (OC·K·K, G·P)   = Wᵀ (OC·K·K, C) · Xg,    y[n] = f(col2im(cols[:, n]) + b)
//                                   (f: a fused activation, else identity)
//   backward   dcols (OC·K·K, G·P)  = im2col of the group's dy[n], side by side;  db[o] = Σ dy[:, o, :]
//                                   (dy · f'(y) first when f is fused: dy is then d(loss)/d(f's output))
//              Xg                   = regrouped again from the cached input
//              dW (C, OC·K·K)      += Xg · dcolsᵀ
//              dXg (C, G·P)         = W · dcols,   then dx regrouped by image
//
// With few taps (OC·K·K ≤ kernels::kDirectTaps: the last layer back to one channel) each image
// goes through kernels/conv_taps.hpp's products instead (layers/per_image.hpp):
//   forward    y[n] = f(col2im(Wᵀ · x[n]) + b)
//   backward   dcols = im2col(dy[n]),  dW = Σ_n x[n] · dcolsᵀ (in image order),  dx[n] = W · dcols
//              (dy · f'(y) when f is fused: dy is then d(loss)/d(f's output))
//
// kernels/conv_naive.hpp holds the direct loops this is tested against.
#pragma once
#include "core/layer.hpp"
#include "kernels/conv_cols.hpp"

namespace ae {

class ConvTranspose2D : public Layer {
public:
    // in = (C, H, W). Throws ae::Error for zero sizes, output_padding ≥ stride, or an output
    // size that is not positive.
    ConvTranspose2D(FeatureShape in, std::size_t out_channels, std::size_t kernel, std::size_t stride,
                    std::size_t padding, std::size_t output_padding);

    std::string kind() const override { return "conv_transpose2d"; }
    const Mat& forward(const Mat& x, const Context& ctx) override;
    const Mat& backward(const Mat& dy) override;
    std::vector<Param*> params() override { return {&W_, &b_}; }
    // PyTorch's default: fan_in = weight.size(1)·K·K = OC·K·K, weight and bias ~ U(±1/√fan_in).
    void init(Rng& rng) override;

    Param& weight() { return W_; }
    Param& bias() { return b_; }
    // The adjoint convolution: image (OC, OH, OW), output grid (H, W).
    const kernels::ConvGeom& geom() const { return g_; }
    // True when this layer runs the few-taps products instead of the GEMM (see above).
    bool direct() const { return direct_; }
    // y = f(convT(x) + b) from now on, f applied in the bias pass (layers/activation.hpp: fusion).
    const Mat* absorb_activation(kernels::Act act, Scalar slope) override;
    // f' is applied to each group's dy (each image's on the few-taps path) before its im2col.
    bool applies_activation_grad() const override { return true; }

private:
    void gather_group(const Mat& x, std::size_t n0, std::size_t g);  // → xg_
    void forward_direct(const Mat& x);
    void backward_direct(const Mat& dy);

    kernels::ConvGeom g_;     // (OC, OH, OW) → (H, W), see above
    std::size_t c_in_;        // C
    Param W_;                 // (C, OC, K, K)
    Param b_;                 // (OC)
    const Mat* x_ = nullptr;  // cached input (N, C·H·W), owned by the previous layer
    Mat xg_;                  // (C, G·P) one group's input by channel; dXg in backward
    Mat cols_;                // (OC·K·K, G·P) one group's product
    Mat dyg_;                 // (G, OC·OH·OW) one group's dy · f'(y) when f is fused
    Mat shares_;              // (G, OC) one group's per-image shares of db
    kernels::ConvCols im2col_;  // backward: one group's dcols = im2col of dy, gathered by the GEMMs
    Mat y_;                   // (N, OC·OH·OW)
    bool direct_ = false;     // OC·K·K ≤ kDirectTaps: the few-taps path
    Mat scratch_;             // direct path: (parts, OC·K·K·P + OC·OH·OW) one image's cols or dcols, f'·dy
    Mat partial_;             // direct path: (N, C·OC·K·K + OC) each image's share of dW and db
    kernels::Act act_ = kernels::Act::Identity;  // fused activation
    Scalar slope_ = Scalar(0.01);
};

}  // namespace ae

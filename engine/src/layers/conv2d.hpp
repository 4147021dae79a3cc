// 2-D convolution, PyTorch's nn.Conv2d with a square kernel, no dilation, no groups.
//
//   x (N, C·H·W) rows read as (C, H, W) · weight (OC, C, K, K) + bias (OC) → y (N, OC·OH·OW)
//   OH = (H + 2P − K)/S + 1 (floor), likewise OW
//   y[n,o,i,j] = b[o] + Σ_{c,ki,kj} w[o,c,ki,kj] · x[n,c, i·S−P+ki, j·S−P+kj]   (zero padding)
//
// The weight layout is PyTorch's, so its state_dict loads as is; read as (OC, C·K·K) it is the
// left operand of the im2col product (kernels/im2col.hpp). Images go through in groups of G
// (kernels::conv_group_size), one GEMM per group and direction; with P = OH·OW:
//
//   forward    cols (C·K·K, G·P)  = im2col of the group's images, side by side (never stored:
//                                   kernels::ConvCols packs the GEMM's panels from the images)
//              Yg (OC, G·P)       = W (OC, C·K·K) · cols           then y[n,o,:] = f(Yg[o, n,:] + b[o])
//                                   (f: a fused activation, else identity)
//   backward   dYg (OC, G·P)      = the group's dy regrouped by channel (times f'(y) when f is
//                                   fused: dy is then d(loss)/d(f's output));  db[o] = Σ dYg[o, :]
//              cols               = im2col again (rather than keeping N·C·K·K·P values)
//              dW (OC, C·K·K)    += dYg · colsᵀ
//              dcols (C·K·K, G·P) = Wᵀ · dYg,   dx[n] = col2im(dcols[:, n])
//
// With few taps (C·K·K ≤ kernels::kDirectTaps: the one-channel first layer) the GEMM's panels
// are mostly padding, so each image goes through kernels/conv_taps.hpp's products instead:
//   forward    y[n] = f(W · im2col(x[n]) + b)
//   backward   dW = Σ_n dy[n] · im2col(x[n])ᵀ (one partial per image, added in image order),
//              dx[n] = col2im(Wᵀ · dy[n])
//
// kernels/conv_naive.hpp holds the direct loops this is tested against.
#pragma once
#include "core/layer.hpp"
#include "kernels/conv_cols.hpp"

namespace ae {

class Conv2D : public Layer {
public:
    // in = (C, H, W). Throws ae::Error for zero sizes or a kernel larger than the padded input.
    Conv2D(FeatureShape in, std::size_t out_channels, std::size_t kernel, std::size_t stride, std::size_t padding);

    std::string kind() const override { return "conv2d"; }
    const Mat& forward(const Mat& x, const Context& ctx) override;
    const Mat& backward(const Mat& dy) override;
    std::vector<Param*> params() override { return {&W_, &b_}; }
    // PyTorch's default: weight and bias ~ U(−1/√(C·K·K), 1/√(C·K·K)).
    void init(Rng& rng) override;

    Param& weight() { return W_; }
    Param& bias() { return b_; }
    const kernels::ConvGeom& geom() const { return g_; }
    // True when this layer runs the few-taps products instead of the GEMM (see above).
    bool direct() const { return direct_; }
    // y = f(conv(x) + b) from now on, f applied in the bias pass (layers/activation.hpp: fusion).
    const Mat* absorb_activation(kernels::Act act, Scalar slope) override;
    // f' is applied in backward's regrouping pass (or to each image's dy on the few-taps path).
    bool applies_activation_grad() const override { return true; }

private:
    void forward_direct(const Mat& x);
    void backward_direct(const Mat& dy);

    kernels::ConvGeom g_;     // input (C, H, W) → output grid (OH, OW)
    std::size_t oc_;          // OC
    Param W_;                 // (OC, C, K, K)
    Param b_;                 // (OC)
    const Mat* x_ = nullptr;  // cached input (N, C·H·W), owned by the previous layer
    kernels::ConvCols im2col_;  // one group's im2col (C·K·K, G·P), gathered by the GEMM's packing
    Mat cols_;                // (C·K·K, G·P) one group's dcols in backward
    Mat yg_;                  // (OC, G·P) one group's product; dYg in backward
    Mat shares_;              // (G, OC) one group's per-image shares of db
    Mat y_;                   // (N, OC·OH·OW)
    bool direct_ = false;     // C·K·K ≤ kDirectTaps: the few-taps path
    Mat scratch_;             // direct path: (parts, 2·C·K·K·P + OC·P) one image's im2col, dcols, f'·dy
    Mat partial_;             // direct path: (N, OC·C·K·K + OC) each image's share of dW and db
    kernels::Act act_ = kernels::Act::Identity;  // fused activation
    Scalar slope_ = Scalar(0.01);
};

}  // namespace ae

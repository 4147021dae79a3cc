// Fully connected layer:  y = x·W + b
//   x (N, D_in) · W (D_in, D_out) + b (D_out) → y (N, D_out)
// W is stored (D_in, D_out) so the forward product needs no transpose; PyTorch's
// nn.Linear stores the transpose (D_out, D_in).
//
// The three products go through kernels::gemm without materialising a transpose:
//   forward  y (N, D_out)   = x · W          bias (and a fused activation) in the GEMM's epilogue
//   backward dW (D_in, D_out) = xᵀ · dy       db = column sums of dy
//            dx (N, D_in)   = dy · Wᵀ
//
// Per step: Dense(in, D_out, T) reads each row as T steps of D_in = in.size() / T values and
// applies the same W and b to every step, (N, T·D_in) → (N, T·D_out), as nn.Linear does on an
// (N, T, D_in) tensor: the products above with x viewed as (N·T, D_in), still one GEMM each.
// The sequence autoencoder's decoder writes its image row by row this way.
//
// Fusion: fuse_activation (layers/activation.hpp, called by Sequential::add) lets a Dense
// followed by an Activation compute y = f(x·W + b) in one pass; the Activation then passes y
// through and still does the backward half. Parameters, names and results are those of the two
// separate layers.
#pragma once
#include "core/layer.hpp"
#include "kernels/act.hpp"

namespace ae {

class Dense : public Layer {
public:
    Dense(FeatureShape in, std::size_t d_out, std::size_t steps = 1);

    std::string kind() const override { return "dense"; }
    const Mat& forward(const Mat& x, const Context& ctx) override;
    const Mat& backward(const Mat& dy) override;
    std::vector<Param*> params() override { return {&W_, &b_}; }
    // PyTorch's nn.Linear default: W, b ~ U(-1/√D_in, 1/√D_in).
    void init(Rng& rng) override;

    Param& weight() { return W_; }
    Param& bias() { return b_; }

    // From now on forward returns f(x·W + b); backward still expects d(loss)/d(x·W + b), which
    // the Activation layer after it computes. Identity undoes the fusion.
    void fuse_activation(kernels::Act act, Scalar slope);
    kernels::Act fused_activation() const { return act_; }
    const Mat* absorb_activation(kernels::Act act, Scalar slope) override;

private:
    std::size_t d_in_, d_out_;
    std::size_t steps_;  // T: rows of D_in per image
    Param W_;          // (D_in, D_out)
    Param b_;          // (D_out)
    kernels::Act act_ = kernels::Act::Identity;  // fused activation
    Scalar slope_ = Scalar(0.01);
    const Mat* x_ = nullptr;  // cached input (N, D_in), owned by the previous layer
    Mat y_;            // (N, D_out)
};

}  // namespace ae

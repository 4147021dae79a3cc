// Fully connected layer:  y = x·W + b
//   x (N, D_in) · W (D_in, D_out) + b (D_out) → y (N, D_out)
// W is stored (D_in, D_out) so the forward product needs no transpose; PyTorch's
// nn.Linear stores the transpose (D_out, D_in).
#pragma once
#include "core/layer.hpp"

namespace ae {

class Dense : public Layer {
public:
    Dense(FeatureShape in, std::size_t d_out);

    std::string kind() const override { return "dense"; }
    const Mat& forward(const Mat& x, const Context& ctx) override;
    const Mat& backward(const Mat& dy) override;
    std::vector<Param*> params() override { return {&W_, &b_}; }
    // PyTorch's nn.Linear default: W, b ~ U(-1/√D_in, 1/√D_in).
    void init(Rng& rng) override;

    Param& weight() { return W_; }
    Param& bias() { return b_; }

private:
    std::size_t d_in_, d_out_;
    Param W_;          // (D_in, D_out)
    Param b_;          // (D_out)
    const Mat* x_ = nullptr;  // cached input (N, D_in), owned by the previous layer
    Mat y_;            // (N, D_out)
};

}  // namespace ae

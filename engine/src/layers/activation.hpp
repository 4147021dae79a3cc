// Elementwise activations. A function and its derivative travel together as one type,
// and the derivative is written in terms of what forward cached (x or y) so nothing is
// recomputed in backward.
//
//   identity  y = x                      dy/dx = 1
//   relu      y = max(x, 0)              dy/dx = [x > 0] = [y > 0]
//   leaky     y = x>0 ? x : a·x          dy/dx = x>0 ? 1 : a      (a = 0.01 by default)
//   sigmoid   y = 1 / (1 + e^-x)         dy/dx = y (1 - y)
//   tanh      y = tanh x                 dy/dx = 1 - y²
//
// The loops are the vectorised kernels of kernels/elementwise.hpp (references beside them).
//
// Fused with the layer before: when a Sequential puts an Activation right after a layer that can
// absorb it (fuse_activation below: Dense, applying f in its GEMM's epilogue; Conv2D and
// ConvTranspose2D, in their bias pass), that layer applies f and this layer's forward hands the
// output through without a copy; backward then reads the sign of y for LeakyReLU (the same test
// as x > 0, the slope being ≥ 0). Where the layer also applies f' in its own backward
// (Layer::applies_activation_grad: Conv2D and ConvTranspose2D, in a pass they make over dy anyway
// or on one group's dy while it stays in cache), this layer's backward hands dy through too.
#pragma once
#include <string>

#include "core/layer.hpp"
#include "kernels/act.hpp"

namespace ae {

using ActKind = kernels::Act;  // Identity, ReLU, LeakyReLU, Sigmoid, Tanh

// "relu", "leaky_relu", "sigmoid", "tanh", "identity"; throws ae::Error naming the options.
ActKind parse_activation(const std::string& name);
std::string to_string(ActKind kind);

// y[i] = f(x[i]) for i < n; in-place (y == x) is allowed.
void activation_forward(ActKind kind, const Scalar* x, Scalar* y, std::size_t n, Scalar slope = Scalar(0.01));
// dx[i] = dy[i] · f'(x[i]) given x and y = f(x); in-place (dx == dy) is allowed.
void activation_backward(ActKind kind, const Scalar* x, const Scalar* y, const Scalar* dy, Scalar* dx,
                         std::size_t n, Scalar slope = Scalar(0.01));

class Activation;

// If `next` is an Activation not yet fused (any kind; LeakyReLU with a slope ≥ 0) and `prev`
// absorbs it (Layer::absorb_activation), fuses them and returns true; otherwise changes nothing
// and returns false.
bool fuse_activation(Layer& prev, Layer& next);

class Activation : public Layer {
public:
    Activation(FeatureShape in, ActKind kind, Scalar slope = Scalar(0.01));

    std::string kind() const override { return to_string(kind_); }
    ActKind act() const { return kind_; }
    Scalar slope() const { return slope_; }
    const Mat& forward(const Mat& x, const Context& ctx) override;
    const Mat& backward(const Mat& dy) override;

    // The buffer a fused Dense writes f(x·W + b) into; forward passes exactly that buffer
    // through (any other input is computed here as usual). Null: not fused.
    // grad_by_producer: that layer applies f' in its backward (Layer::applies_activation_grad).
    void set_fused_input(const Mat* dense_output, bool grad_by_producer = false) {
        fused_ = dense_output;
        grad_by_producer_ = grad_by_producer;
    }
    bool fused() const { return fused_ != nullptr; }

private:
    ActKind kind_;
    Scalar slope_;
    const Mat* fused_ = nullptr;  // the fused Dense's output, already activated
    bool grad_by_producer_ = false;
    const Mat* x_ = nullptr;      // (N, D) cached input; null when the input was fused
    const Mat* y_out_ = nullptr;  // (N, D) the output forward returned: y_ or the fused buffer
    Mat y_;                       // (N, D)
};

}  // namespace ae

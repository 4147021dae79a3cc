// Elementwise activations. A function and its derivative travel together as one type,
// and the derivative is written in terms of what forward cached (x or y) so nothing is
// recomputed in backward.
//
//   identity  y = x                      dy/dx = 1
//   relu      y = max(x, 0)              dy/dx = [x > 0]
//   leaky     y = x>0 ? x : a·x          dy/dx = x>0 ? 1 : a      (a = 0.01 by default)
//   sigmoid   y = 1 / (1 + e^-x)         dy/dx = y (1 - y)
//   tanh      y = tanh x                 dy/dx = 1 - y²
#pragma once
#include <string>

#include "core/layer.hpp"

namespace ae {

enum class ActKind { Identity, ReLU, LeakyReLU, Sigmoid, Tanh };

// "relu", "leaky_relu", "sigmoid", "tanh", "identity"; throws ae::Error naming the options.
ActKind parse_activation(const std::string& name);
std::string to_string(ActKind kind);

// y[i] = f(x[i]) for i < n; in-place (y == x) is allowed.
void activation_forward(ActKind kind, const Scalar* x, Scalar* y, std::size_t n, Scalar slope = Scalar(0.01));
// dx[i] = dy[i] · f'(x[i]) given x and y = f(x); in-place (dx == dy) is allowed.
void activation_backward(ActKind kind, const Scalar* x, const Scalar* y, const Scalar* dy, Scalar* dx,
                         std::size_t n, Scalar slope = Scalar(0.01));

class Activation : public Layer {
public:
    Activation(FeatureShape in, ActKind kind, Scalar slope = Scalar(0.01));

    std::string kind() const override { return to_string(kind_); }
    ActKind act() const { return kind_; }
    const Mat& forward(const Mat& x, const Context& ctx) override;
    const Mat& backward(const Mat& dy) override;

private:
    ActKind kind_;
    Scalar slope_;
    const Mat* x_ = nullptr;  // (N, D) cached input
    Mat y_;                   // (N, D)
};

}  // namespace ae

#include "layers/activation.hpp"

#include <cmath>

#include "core/error.hpp"

namespace ae {

ActKind parse_activation(const std::string& name) {
    if (name == "relu") return ActKind::ReLU;
    if (name == "leaky_relu") return ActKind::LeakyReLU;
    if (name == "sigmoid") return ActKind::Sigmoid;
    if (name == "tanh") return ActKind::Tanh;
    if (name == "identity" || name == "linear") return ActKind::Identity;
    fail("unknown activation '", name, "' (expected relu, leaky_relu, sigmoid, tanh or identity)");
}

std::string to_string(ActKind kind) {
    switch (kind) {
        case ActKind::ReLU: return "relu";
        case ActKind::LeakyReLU: return "leaky_relu";
        case ActKind::Sigmoid: return "sigmoid";
        case ActKind::Tanh: return "tanh";
        case ActKind::Identity: return "identity";
    }
    return "identity";
}

static inline Scalar sigmoid(Scalar x) {
    // Stable for large |x|: never evaluates exp of a large positive number.
    if (x >= 0) return Scalar(1) / (Scalar(1) + std::exp(-x));
    const Scalar e = std::exp(x);
    return e / (Scalar(1) + e);
}

void activation_forward(ActKind kind, const Scalar* x, Scalar* y, std::size_t n, Scalar slope) {
    switch (kind) {
        case ActKind::Identity:
            if (y != x) for (std::size_t i = 0; i < n; ++i) y[i] = x[i];
            break;
        case ActKind::ReLU:
            for (std::size_t i = 0; i < n; ++i) y[i] = x[i] > 0 ? x[i] : Scalar(0);
            break;
        case ActKind::LeakyReLU:
            for (std::size_t i = 0; i < n; ++i) y[i] = x[i] > 0 ? x[i] : slope * x[i];
            break;
        case ActKind::Sigmoid:
            for (std::size_t i = 0; i < n; ++i) y[i] = sigmoid(x[i]);
            break;
        case ActKind::Tanh:
            for (std::size_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
            break;
    }
}

void activation_backward(ActKind kind, const Scalar* x, const Scalar* y, const Scalar* dy, Scalar* dx,
                         std::size_t n, Scalar slope) {
    switch (kind) {
        case ActKind::Identity:
            if (dx != dy) for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i];
            break;
        case ActKind::ReLU:
            for (std::size_t i = 0; i < n; ++i) dx[i] = y[i] > 0 ? dy[i] : Scalar(0);
            break;
        case ActKind::LeakyReLU:
            for (std::size_t i = 0; i < n; ++i) dx[i] = x[i] > 0 ? dy[i] : slope * dy[i];
            break;
        case ActKind::Sigmoid:
            for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * y[i] * (Scalar(1) - y[i]);
            break;
        case ActKind::Tanh:
            for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * (Scalar(1) - y[i] * y[i]);
            break;
    }
}

Activation::Activation(FeatureShape in, ActKind kind, Scalar slope) : kind_(kind), slope_(slope) {
    in_ = in;
    out_ = in;
}

const Mat& Activation::forward(const Mat& x, const Context&) {
    require(cols(x) == in_.size(), kind(), " layer expects ", in_.size(), " features per row, got ", cols(x));
    x_ = &x;
    ensure_shape(y_, rows(x), cols(x));
    activation_forward(kind_, x.data(), y_.data(), x.size(), slope_);
    return y_;
}

const Mat& Activation::backward(const Mat& dy) {
    if (!needs_input_grad_) return dx_;
    ensure_shape(dx_, rows(dy), cols(dy));
    activation_backward(kind_, x_->data(), y_.data(), dy.data(), dx_.data(), dy.size(), slope_);
    return dx_;
}

}  // namespace ae

#include "layers/activation.hpp"

#include <cmath>

#include "core/error.hpp"
#include "kernels/elementwise.hpp"

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

void activation_forward(ActKind kind, const Scalar* x, Scalar* y, std::size_t n, Scalar slope) {
    kernels::act_forward(kind, x, y, n, slope);
}

void activation_backward(ActKind kind, const Scalar* x, const Scalar* y, const Scalar* dy, Scalar* dx,
                         std::size_t n, Scalar slope) {
    kernels::act_backward(kind, x, y, dy, dx, n, slope);
}

bool fuse_activation(Layer& prev, Layer& next) {
    auto* act = dynamic_cast<Activation*>(&next);
    if (!act || act->fused() || (act->act() == ActKind::LeakyReLU && act->slope() < 0)) return false;
    const Mat* out = prev.absorb_activation(act->act(), act->slope());
    if (!out) return false;
    act->set_fused_input(out, prev.applies_activation_grad());
    return true;
}

Activation::Activation(FeatureShape in, ActKind kind, Scalar slope) : kind_(kind), slope_(slope) {
    in_ = in;
    out_ = in;
}

const Mat& Activation::forward(const Mat& x, const Context&) {
    require(cols(x) == in_.size(), kind(), " layer expects ", in_.size(), " features per row, got ", cols(x));
    if (&x == fused_) {  // f already applied by the Dense before us: y is x
        x_ = nullptr;
        y_out_ = &x;
        return x;
    }
    x_ = &x;
    ensure_shape(y_, rows(x), cols(x));
    activation_forward(kind_, x.data(), y_.data(), x.size(), slope_);
    y_out_ = &y_;
    return y_;
}

const Mat& Activation::backward(const Mat& dy) {
    require(y_out_ != nullptr, kind(), " backward called before forward");
    const Mat& y = *y_out_;
    require(dy.shape() == y.shape(), kind(), " backward expects dy of shape (", rows(y), ", ", cols(y),
            ") like the last forward, got (", rows(dy), ", ", cols(dy), ")");
    if (!needs_input_grad_) return dx_;
    if (x_ == nullptr && grad_by_producer_) return dy;  // the fused layer applies f' itself
    ensure_shape(dx_, rows(dy), cols(dy));
    activation_backward(kind_, x_ ? x_->data() : nullptr, y.data(), dy.data(), dx_.data(), dy.size(), slope_);
    return dx_;
}

}  // namespace ae

// The layer interface. Every layer maps a batch of rows (N, in.size()) to (N, out.size());
// images travel as rows laid out (C, H, W), so reshape/flatten cost nothing.
//
//   forward(x, ctx)  caches exactly what backward needs and returns its own output buffer,
//                    valid until the next forward call.
//   backward(dy)     overwrites the gradients of the layer's Params and returns dx in its
//                    own buffer (empty when the layer was told its input needs no gradient).
//
// Buffers are kept between steps and resized only when the batch size changes, so a
// training step at a fixed batch size allocates nothing.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/param.hpp"
#include "core/rng.hpp"
#include "core/tensor.hpp"
#include "kernels/act.hpp"

namespace ae {

// Per-sample layout of one row.
struct FeatureShape {
    std::size_t c = 1, h = 1, w = 1;
    std::size_t size() const { return c * h * w; }
    bool operator==(const FeatureShape& o) const { return c == o.c && h == o.h && w == o.w; }
    static FeatureShape flat(std::size_t d) { return {d, 1, 1}; }
};

enum class Mode { Train, Eval };

// What a forward pass may need besides its input.
struct Context {
    Mode mode = Mode::Eval;
    Rng* rng = nullptr;  // dropout, sampling, noise; required in Train mode
    // The VAE sampling layer's ε (N, Z), given instead of drawn from rng: lets a test feed the
    // same ε to the engine and to an independent reference (tests/engine/test_golden.cpp).
    const Mat* eps = nullptr;
};

class Layer {
public:
    virtual ~Layer() = default;

    virtual std::string kind() const = 0;
    const FeatureShape& in_shape() const { return in_; }
    const FeatureShape& out_shape() const { return out_; }

    virtual const Mat& forward(const Mat& x, const Context& ctx) = 0;  // (N, in) → (N, out)
    virtual const Mat& backward(const Mat& dy) = 0;                    // (N, out) → (N, in)

    virtual std::vector<Param*> params() { return {}; }
    // The name of params()[k] in model files, after "<part>.<layer index>.": "weight", "bias" by
    // default (Dense, convolutions; batch norm's γ and β), PyTorch's own names where they differ
    // (nn.GRU's "weight_ih_l0", ...), so that .npz exports are state_dict keys.
    virtual std::string param_name(std::size_t k) const {
        return k == 0 ? "weight" : k == 1 ? "bias" : "p" + std::to_string(k);
    }
    // Non-trainable state stored in model files (batch-norm running statistics).
    virtual std::vector<Param*> buffers() { return {}; }
    virtual void init(Rng& rng) {}

    // Fusion with the Activation after it (fuse_activation, layers/activation.hpp): a layer that
    // can apply f to its output in its own last pass over it does so from now on and returns the
    // buffer its forward fills (what the Activation will be handed); backward still expects
    // d(loss)/d(output before f), which the Activation computes. Null: it cannot (the default).
    virtual const Mat* absorb_activation(kernels::Act act, Scalar slope) { return nullptr; }
    // After absorb_activation: true when backward takes d(loss)/d(f's output) instead and applies
    // f' itself, in a pass it makes over dy anyway; the Activation then hands dy straight through.
    virtual bool applies_activation_grad() const { return false; }

    // The model switches this off for its first layer: nothing consumes that gradient.
    void set_needs_input_grad(bool v) { needs_input_grad_ = v; }
    bool needs_input_grad() const { return needs_input_grad_; }

protected:
    FeatureShape in_, out_;
    bool needs_input_grad_ = true;
    Mat dx_;  // (N, in) returned by backward
};

using LayerPtr = std::unique_ptr<Layer>;

}  // namespace ae

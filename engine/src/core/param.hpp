// A trainable tensor: value and gradient side by side, stored flat.
//
// Layers own their Params; a model lists them in a fixed order, and everything that keeps
// per-parameter state (optimizer slots, model files) is indexed by that order or by name,
// never by address.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace ae {

struct Param {
    std::string name;                 // "encoder.0.weight"; set by the model
    std::vector<std::size_t> shape;   // logical shape, e.g. {D_in, D_out}
    Vec value;                        // (prod(shape))
    Vec grad;                         // (prod(shape)), written by backward
    bool decay = true;                // L1/L2 weight decay applies (weights yes, biases no)

    Param() = default;
    Param(std::vector<std::size_t> shape_, bool decay_ = true) : shape(std::move(shape_)), decay(decay_) {
        std::size_t n = 1;
        for (auto d : shape) n *= d;
        value = xt::zeros<Scalar>({n});
        grad = xt::zeros<Scalar>({n});
    }
    std::size_t size() const { return value.size(); }
    Scalar* data() { return value.data(); }
    const Scalar* data() const { return value.data(); }
    Scalar* gdata() { return grad.data(); }
};

}  // namespace ae

// Weight decay as loss penalties over the weights (Params with decay = true: dense and
// convolution weights; not biases, not batch-norm parameters):
//   value = λ₂ · ½ Σ w²  +  λ₁ · Σ |w|
//   dw    = λ₂ · w       +  λ₁ · sign(w)
// The L2 gradient equals PyTorch's `weight_decay` argument of SGD (coupled decay).
#pragma once
#include <vector>

#include "core/param.hpp"

namespace ae {

// Returns the penalty; when add_grad is set, adds its gradient to each weight's grad (which
// backward has just written).
double weight_decay(const std::vector<Param*>& params, double l2, double l1, bool add_grad);

}  // namespace ae

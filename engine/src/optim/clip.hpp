// Gradient clipping by global L2 norm, as PyTorch's torch.nn.utils.clip_grad_norm_:
//   ‖g‖ = √(Σ over every Param of Σ g²)
//   if max_norm / (‖g‖ + 1e-6) < 1:  every g ← g · max_norm / (‖g‖ + 1e-6)
#pragma once
#include <vector>

#include "core/param.hpp"

namespace ae {

// Returns the norm before clipping. max_norm 0 means off (the norm is still returned).
double clip_by_global_norm(const std::vector<Param*>& params, double max_norm);
double global_grad_norm(const std::vector<Param*>& params);

}  // namespace ae

// A training step that diverged, as one coded ae::Error (code "diverged") that the page reads as
// data: the parameters step, value ("nan" | "inf"), term (the loss term, or "weights"), phase
// ("training" | "evaluation"), lr (the step's learning rate) and, for weights, tensor. Every
// message starts "training diverged:" and names the step ("at step N").
#pragma once
#include <cstdint>
#include <vector>

#include "core/layer.hpp"
#include "models/loss_terms.hpp"
#include "optim/optimizer.hpp"

namespace ae {

// The loss t.total() became NaN or infinite (its first non-finite term is named).
[[noreturn]] void loss_diverged(const LossTerms& t, std::uint64_t step, double lr, const char* phase);

// One named term that is not part of total() (the AAE's "disc", "gen") became NaN or infinite in
// training, before its phase's update.
[[noreturn]] void term_diverged(const char* term, double value, std::uint64_t step, double lr);

// The loss was finite but the update that followed it was not (Optimizer::last_step_finite):
// names the first non-finite value among params, then among opt's slots.
[[noreturn]] void update_diverged(const std::vector<Param*>& params, Optimizer& opt, std::uint64_t step, double lr);

}  // namespace ae

// Learning-rate schedules, as functions of the fractional epoch e = steps / steps_per_epoch,
// evaluated before every step (so a schedule changes lr smoothly within an epoch, except
// "step", which is a staircase):
//   constant     lr(e) = lr
//   step         lr(e) = lr · γ^⌊e / k⌋                      k = step_epochs, γ default 0.5
//   exponential  lr(e) = lr · γ^e                            γ default 0.95
//   cosine       lr(e) = min_lr + (lr − min_lr) · ½ (1 + cos(π · min(e, T) / T))
//                (T = cosine_epochs; stays at min_lr after T, no restarts)
// The schedule only scales the optimizer's step: optimizer state is untouched when lr or the
// schedule changes mid-training.
#pragma once
#include <cstddef>
#include <optional>
#include <string>

namespace ae {

struct ScheduleConfig {
    std::string name = "constant";  // "constant" | "step" | "exponential" | "cosine"
    std::size_t step_epochs = 1;    // k
    std::optional<double> gamma;    // γ; when unset, 0.5 for step, 0.95 for exponential
    double cosine_epochs = 10;      // T
    double min_lr = 0;

    double effective_gamma() const { return gamma ? *gamma : (name == "step" ? 0.5 : 0.95); }
};

// Throws ae::Error naming the field when a value is out of range.
void validate(const ScheduleConfig& cfg, double base_lr);
double scheduled_lr(double base_lr, const ScheduleConfig& cfg, double epoch);

}  // namespace ae

#include "optim/lr_schedule.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace ae {

void validate(const ScheduleConfig& c, double base_lr) {
    require(c.name == "constant" || c.name == "step" || c.name == "exponential" || c.name == "cosine",
            "schedule: unknown schedule '", c.name, "' (expected constant, step, exponential or cosine)");
    require(c.step_epochs >= 1, "schedule: step_epochs must be >= 1, got ", c.step_epochs);
    const double g = c.effective_gamma();
    require(std::isfinite(g) && g > 0 && g <= 1, "schedule: gamma must be in (0, 1], got ", g);
    require(std::isfinite(c.cosine_epochs) && c.cosine_epochs > 0, "schedule: cosine_epochs must be > 0, got ",
            c.cosine_epochs);
    require(std::isfinite(c.min_lr) && c.min_lr >= 0, "schedule: min_lr must be >= 0, got ", c.min_lr);
    require(c.name != "cosine" || c.min_lr <= base_lr, "schedule: min_lr (", c.min_lr,
            ") must not exceed lr (", base_lr, ") for the cosine schedule");
}

double scheduled_lr(double lr, const ScheduleConfig& c, double epoch) {
    const double e = std::max(epoch, 0.0);
    if (c.name == "step") return lr * std::pow(c.effective_gamma(), std::floor(e / double(c.step_epochs)));
    if (c.name == "exponential") return lr * std::pow(c.effective_gamma(), e);
    if (c.name == "cosine") {
        const double t = std::min(e, c.cosine_epochs) / c.cosine_epochs;
        return c.min_lr + (lr - c.min_lr) * 0.5 * (1.0 + std::cos(3.14159265358979323846 * t));
    }
    return lr;
}

}  // namespace ae

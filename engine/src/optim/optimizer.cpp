#include "optim/optimizer.hpp"

#include <cmath>

#include "core/error.hpp"
#include "optim/adam.hpp"
#include "optim/rmsprop.hpp"
#include "optim/sgd.hpp"

namespace ae {

static void require_finite_in(const char* field, double v, double lo, double hi, bool lo_open) {
    require(std::isfinite(v), "optimizer: ", field, " must be a finite number, got ", v);
    require(lo_open ? v > lo : v >= lo, "optimizer: ", field, " must be ", lo_open ? "> " : ">= ", lo, ", got ", v);
    require(v <= hi, "optimizer: ", field, " must be <= ", hi, ", got ", v);
}

void validate(const OptimizerConfig& c) {
    require_finite_in("lr", c.lr, 0.0, 10.0, true);
    require_finite_in("beta1", c.beta1, 0.0, 0.999999, false);
    require(c.beta1 < 1.0, "optimizer: beta1 must be < 1, got ", c.beta1);
    require_finite_in("beta2", c.beta2, 0.0, 0.99999999, false);
    require(c.beta2 < 1.0, "optimizer: beta2 must be < 1, got ", c.beta2);
    require_finite_in("eps", c.eps, 0.0, 1.0, true);
    require_finite_in("momentum", c.momentum, 0.0, 0.9999, false);
    require_finite_in("alpha", c.alpha, 0.0, 0.99999999, false);
    require(!(c.name == "sgd" && c.nesterov && c.momentum == 0),
            "optimizer: nesterov needs a momentum > 0 (as in PyTorch's SGD), got momentum 0");
}

std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& cfg) {
    validate(cfg);
    if (cfg.name == "adam") return std::make_unique<Adam>(cfg);
    if (cfg.name == "sgd") return std::make_unique<Sgd>(cfg);
    if (cfg.name == "rmsprop") return std::make_unique<RmsProp>(cfg);
    fail("unknown optimizer '", cfg.name, "' (expected adam, sgd or rmsprop)");
}

}  // namespace ae

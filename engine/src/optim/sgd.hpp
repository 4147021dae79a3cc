// Stochastic gradient descent with momentum and Nesterov momentum, exactly as PyTorch's
// torch.optim.SGD (dampening 0; weight decay is a loss penalty here, see losses/weight_decay):
//   momentum μ = 0:   θ ← θ − lr · g
//   otherwise:        b ← g on the first step, then b ← μ b + g
//                     θ ← θ − lr · (g + μ b)   (nesterov)   or   θ ← θ − lr · b
// Starting b at zero and applying b ← μ b + g gives the same first value, so one formula
// serves every step.
#pragma once
#include "optim/optimizer.hpp"

namespace ae {

class Sgd : public Optimizer {
public:
    explicit Sgd(const OptimizerConfig& cfg) : Optimizer(cfg) {}
    std::string name() const override { return "sgd"; }
    void attach(const std::vector<Param*>& params) override;
    void step(const std::vector<Param*>& params, double lr) override;
    std::vector<std::pair<std::string, Vec*>> slots() override;

private:
    std::vector<Vec> buf_;  // momentum buffers, parallel to params
};

}  // namespace ae

// RMSprop exactly as PyTorch's torch.optim.RMSprop (not centered):
//   v ← α v + (1−α) g²                 (α = alpha, the smoothing constant)
//   a = √v + ε
//   momentum μ = 0:  θ ← θ − lr · g / a
//   otherwise:       b ← μ b + g / a ;  θ ← θ − lr · b
#pragma once
#include "optim/optimizer.hpp"

namespace ae {

class RmsProp : public Optimizer {
public:
    explicit RmsProp(const OptimizerConfig& cfg) : Optimizer(cfg) {}
    std::string name() const override { return "rmsprop"; }
    void attach(const std::vector<Param*>& params) override;
    void step(const std::vector<Param*>& params, double lr) override;
    std::vector<std::pair<std::string, Vec*>> slots() override;

private:
    std::vector<Vec> sq_, buf_;  // square averages and momentum buffers, parallel to params
};

}  // namespace ae

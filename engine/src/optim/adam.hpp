// Adam (Kingma & Ba, 2015), with PyTorch's bias correction:
//   m ← β1 m + (1−β1) g          v ← β2 v + (1−β2) g²
//   θ ← θ − lr · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε)
#pragma once
#include "optim/optimizer.hpp"

namespace ae {

class Adam : public Optimizer {
public:
    explicit Adam(const OptimizerConfig& cfg) : Optimizer(cfg) {}
    std::string name() const override { return "adam"; }
    void attach(const std::vector<Param*>& params) override;
    void step(const std::vector<Param*>& params, double lr) override;
    std::vector<std::pair<std::string, Vec*>> slots() override;

private:
    std::vector<Vec> m_, v_;  // parallel to params
};

}  // namespace ae

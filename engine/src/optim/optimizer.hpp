// Optimizers update Params from their gradients. Per-parameter state ("slots": Adam's m and v,
// momentum buffers) lives in vectors parallel to the model's parameter list, built by attach(),
// so it survives a change of learning rate or hyperparameters and is saved in model files.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/param.hpp"

namespace ae {

struct OptimizerConfig {
    std::string name = "adam";  // "adam", "sgd", "rmsprop"
    double lr = 1e-3;
    double beta1 = 0.9, beta2 = 0.999;  // Adam
    double eps = 1e-8;                  // Adam, RMSprop
    double momentum = 0.0;              // SGD, RMSprop
    bool nesterov = false;              // SGD (needs momentum > 0)
    double alpha = 0.99;                // RMSprop smoothing constant
};

// Throws ae::Error naming the field when a value is out of range or not finite.
void validate(const OptimizerConfig& cfg);

class Optimizer {
public:
    virtual ~Optimizer() = default;
    virtual std::string name() const = 0;

    // Creates zeroed slots matching params (same order, same sizes).
    virtual void attach(const std::vector<Param*>& params) = 0;
    // One update with learning rate lr (the schedule's value for this step).
    virtual void step(const std::vector<Param*>& params, double lr) = 0;
    // Hyperparameters may change between steps; slots are kept.
    void set_config(const OptimizerConfig& cfg) { cfg_ = cfg; }
    const OptimizerConfig& config() const { return cfg_; }

    // Named state tensors for model files, e.g. {"adam.m.3", &m_[3]}; the number is the
    // parameter's index in the model's parameter list.
    virtual std::vector<std::pair<std::string, Vec*>> slots() = 0;
    std::uint64_t steps() const { return t_; }
    void set_steps(std::uint64_t t) { t_ = t; }
    // Whether every weight and slot the last step wrote is finite (the update kernels say so
    // as they write; an optimizer that does not track it reports true).
    bool last_step_finite() const { return finite_; }

protected:
    explicit Optimizer(const OptimizerConfig& cfg) : cfg_(cfg) {}
    OptimizerConfig cfg_;
    std::uint64_t t_ = 0;
    bool finite_ = true;
};

std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& cfg);

}  // namespace ae

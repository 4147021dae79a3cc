// Everything that may change while a model trains, read from flat JSON; keys that are absent
// keep their current values:
//   { "optimizer": "adam", "lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8,
//     "momentum": 0, "nesterov": false, "alpha": 0.99,
//     "schedule": "constant", "step_epochs": 1, "gamma": 0.5, "cosine_epochs": 10, "min_lr": 0,
//     "clip_norm": 0, "weight_decay_l2": 0, "weight_decay_l1": 0,
//     "sparsity_target": 0.05, "sparsity_weight": 0, "activity_l1": 0, "kl_weight": 1,
//     "noise": "none", "noise_amount": 0.5, "batch_size": 128, "seed": 1,
//     "class_filter": "all", "filter_class": 0, "adversarial_lr": 0.001 }
// Defaults follow PyTorch (optimizers) and the team's schema; gamma, when absent, is 0.5 for
// the step schedule and 0.95 for the exponential one.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "data/dataset_view.hpp"
#include "data/noise.hpp"
#include "models/config.hpp"
#include "models/penalties.hpp"
#include "optim/lr_schedule.hpp"
#include "optim/optimizer.hpp"

namespace ae {

struct TrainConfig {
    OptimizerConfig optimizer;
    ScheduleConfig schedule;
    double clip_norm = 0;  // 0 = off
    Penalties penalties;
    std::string noise = "none";  // "none" | "gaussian" | "masking" | "salt_pepper"; any variant
                                 // may use it, the denoising variant must
    double noise_amount = 0.5;   // σ for gaussian, a probability otherwise
    std::size_t batch_size = 128;
    std::uint64_t seed = 1;
    // Which training images the model learns from (data/dataset_view.hpp): "all", all classes
    // "except" filter_class (the anomaly lab's normal set), or "only" filter_class. Stored in
    // model files with the rest of this config, so a model says what it was trained on.
    ClassFilter class_filter;
    // aae: the learning rate of the discriminator and generator phases (train/adversarial_step.hpp),
    // scaled by the schedule as lr is; absent, the same as lr (and absent from to_json).
    std::optional<double> adversarial_lr;
    double adversarial_base_lr() const { return adversarial_lr ? *adversarial_lr : optimizer.lr; }
};

// Strict, like parse_model_config. Keys that are absent keep the values of `base`.
TrainConfig parse_train_config(const std::string& json, const TrainConfig& base = {});
std::string to_json(const TrainConfig& cfg);

// Checks every value, alone (ranges) and together with the model it trains (a denoising
// model needs noise, a sparsity penalty needs a sigmoid code, ...) and the memory training it at
// this batch size needs (train/cost.hpp). Throws ae::Error.
void validate(const TrainConfig& cfg);
void validate(const TrainConfig& cfg, const ModelConfig& model);

}  // namespace ae

// Everything that may change while a model trains, read from flat JSON:
//   { "optimizer": "adam", "lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8,
//     "batch_size": 128, "seed": 1 }
#pragma once
#include <cstdint>
#include <string>

#include "optim/optimizer.hpp"

namespace ae {

struct TrainConfig {
    OptimizerConfig optimizer;
    std::size_t batch_size = 128;
    std::uint64_t seed = 1;
};

// Strict, like parse_model_config. Keys that are absent keep the values of `base`.
TrainConfig parse_train_config(const std::string& json, const TrainConfig& base = {});
std::string to_json(const TrainConfig& cfg);

}  // namespace ae

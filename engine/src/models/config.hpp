// The architecture of a model, read from JSON. Changing any of it means new weights;
// everything that can change while training runs lives in TrainConfig instead.
//
//   { "variant": "dense", "input": [1, 28, 28], "encoder": [400], "latent": 20,
//     "activation": "relu", "output": "sigmoid", "loss": "bce" }
#pragma once
#include <string>
#include <vector>

#include "core/layer.hpp"

namespace ae {

struct ModelConfig {
    std::string variant = "dense";
    FeatureShape input{1, 28, 28};
    std::vector<std::size_t> encoder{400};  // hidden widths; the decoder mirrors them
    std::size_t latent = 20;                // Z
    std::string activation = "relu";        // hidden layers
    std::string output = "sigmoid";         // applied to the decoder's last layer
    std::string loss = "bce";               // "bce" (needs sigmoid output) or "mse"
};

// Strict: unknown keys, wrong types and out-of-range values throw ae::Error saying which.
ModelConfig parse_model_config(const std::string& json);
std::string to_json(const ModelConfig& cfg);
void validate(const ModelConfig& cfg);

}  // namespace ae

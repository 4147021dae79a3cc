// The penalty weights a model adds to its reconstruction loss. They belong to the training
// config (they may change while training runs) and are handed to the model by the trainer.
//   kl_weight          β · KL(N(μ, σ²) ‖ N(0, 1))               VAE variants
//   sparsity_weight    β · Σ_j KL(ρ ‖ ρ̂_j), ρ = sparsity_target  code in (0, 1): sigmoid code
//   activity_l1        λ · mean over images of Σ_j |code_j|      non-VAE variants
//   weight_decay_l2/l1 λ₂ · ½ Σ w² + λ₁ · Σ |w| over weights      every variant
#pragma once
#include "models/config.hpp"

namespace ae {

struct Penalties {
    double kl_weight = 1;
    double sparsity_target = 0.05;
    double sparsity_weight = 0;
    double activity_l1 = 0;
    double weight_decay_l2 = 0;
    double weight_decay_l1 = 0;
};

// Throws ae::Error when a weight is out of range or does not fit the model (a sparsity
// penalty on a code that is not a sigmoid, an activity penalty on a VAE).
void validate(const Penalties& p, const ModelConfig& model);

}  // namespace ae

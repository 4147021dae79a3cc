// KL divergence of the VAE's posterior from the standard normal prior, per image.
//   s (N, 2Z) = [μ | log σ²]  (the encoder's last Dense), β the weight (kl_weight)
//   value   = β · (1/N) Σ_n Σ_j −½ (1 + log σ² − μ² − σ²)
//   dμ      = β · μ / N
//   dlog σ² = β · ½ (σ² − 1) / N
// Same formula as PyTorch's VAE example (pytorch/examples vae/main.py), averaged over images.
#pragma once
#include "core/tensor.hpp"

namespace ae {

// Returns the weighted per-image term; writes ds (resized to s's shape) when it is not null.
double kl_normal(const Mat& mu_logvar, double weight, Mat* ds);

}  // namespace ae

// Penalties on the code (N, Z) of non-VAE autoencoders, per image.
//
// KL sparsity (Ng's sparse autoencoder notes): ρ target activation, β weight,
// ρ̂_j = (1/N) Σ_n c[n, j] the batch mean of code unit j (the code must lie in (0, 1)):
//   value   = β · Σ_j  ρ log(ρ/ρ̂_j) + (1−ρ) log((1−ρ)/(1−ρ̂_j))
//   dc[n,j] = β · (−ρ/ρ̂_j + (1−ρ)/(1−ρ̂_j)) / N
// ρ̂_j is clamped to [1e-6, 1 − 1e-6] so a saturated sigmoid gives a large finite penalty,
// not infinity (the gradient is then that of the clamped value).
//
// L1 activity: λ weight
//   value   = λ · (1/N) Σ_n Σ_j |c[n, j]|
//   dc[n,j] = λ · sign(c[n, j]) / N
#pragma once
#include "core/tensor.hpp"

namespace ae {

// Each returns its own weighted term and writes dc (resized to c's shape) when it is not null.
double sparsity_kl(const Mat& code, double target, double weight, Mat* dc);
double activity_l1(const Mat& code, double weight, Mat* dc);

}  // namespace ae

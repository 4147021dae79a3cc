// Binary cross-entropy computed from logits, numerically stable.
//   z (N, D) logits, t (N, D) targets in [0, 1], p = σ(z)
//   value  = (1/N) Σ_n Σ_d  max(z,0) − z·t + log(1 + e^−|z|)     (= −t log p − (1−t) log(1−p))
//   dz     = (σ(z) − t) / N
// Summed over pixels and averaged over images, like PyTorch's VAE example and the seed model.
#pragma once
#include "core/tensor.hpp"

namespace ae {

// Returns the per-image loss; writes dz when it is not null (resized to z's shape).
double bce_with_logits(const Mat& z, const Mat& t, Mat* dz);

}  // namespace ae

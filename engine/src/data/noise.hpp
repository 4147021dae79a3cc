// Input corruption for denoising autoencoders: the model sees corrupt(x) and is trained
// against the clean x. Every draw comes from the trainer's Rng, so runs repeat.
//   gaussian     x̃ = clip(x + σ ε, 0, 1),  ε ~ N(0, 1)            amount = σ
//   masking      x̃ = 0 with probability p, else x                  amount = p
//   salt_pepper  with probability p, x̃ = 0 or 1 (equally likely)   amount = p
//   none         x̃ = x
#pragma once
#include <string>

#include "core/rng.hpp"
#include "core/tensor.hpp"

namespace ae {

enum class NoiseKind { None, Gaussian, Masking, SaltPepper };

// "none", "gaussian", "masking", "salt_pepper"; throws ae::Error naming the options.
NoiseKind parse_noise(const std::string& name);
std::string to_string(NoiseKind kind);

// clean (N, D) → noisy (N, D), resized only when the shape differs.
void corrupt(NoiseKind kind, double amount, const Mat& clean, Mat& noisy, Rng& rng);

}  // namespace ae

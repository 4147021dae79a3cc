// The adversarial autoencoder's prior p(z): the distribution its discriminator pushes the codes
// towards (models/adversary.hpp). Two shapes, for a code of Z values:
//
//   normal    N(0, I)
//   mixture   ten Gaussians on a circle in every pair of code dimensions (Z even): component k
//             (k = 0…9, each with weight 1/10) is, in each pair (z₂ᵢ, z₂ᵢ₊₁), the elongated
//             Gaussian  u ~ N(R, σ_r²) along the direction θ_k = 2πk/10,  v ~ N(0, σ_t²) across
//             it:  (z₂ᵢ, z₂ᵢ₊₁) = (u cos θ_k − v sin θ_k,  u sin θ_k + v cos θ_k),
//             R = 2, σ_r = 0.5, σ_t = 0.1: ten arms around the origin, one per class when the
//             class is fed to the discriminator (ModelConfig::prior_labels). The same component
//             holds for every pair of one sample.
//
// log_density is log p(z); its mean over a test set's codes says how well the codes fit the
// prior (Session::prior_log_likelihood; tests/reference/torch_quality.py computes the same).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/rng.hpp"
#include "core/tensor.hpp"

namespace ae {

enum class PriorKind { Normal, Mixture };
PriorKind parse_prior(const std::string& name);  // "normal" | "mixture"; throws ae::Error naming them

constexpr std::size_t kMixtureComponents = 10;
constexpr double kMixtureRadius = 2.0;         // R
constexpr double kMixtureRadialSd = 0.5;       // σ_r, along the arm
constexpr double kMixtureTangentialSd = 0.1;   // σ_t, across it

// n samples of Z values into out (n·Z). For the mixture, sample i comes from component
// components[i] when components is not null (each < 10), else from one drawn uniformly; the
// component used is written to drawn[i] when drawn is not null (0 for the normal prior).
void sample_prior(PriorKind kind, std::size_t n, std::size_t Z, const std::uint8_t* components, Rng& rng,
                  Scalar* out, std::uint8_t* drawn = nullptr);

// log p(z) of one code of Z values (natural log).
double prior_log_density(PriorKind kind, const Scalar* z, std::size_t Z);

}  // namespace ae

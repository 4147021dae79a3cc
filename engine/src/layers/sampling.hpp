// The VAE's reparameterisation: the encoder's last Dense gives s = [μ | log σ²] and
//   forward   ε ~ N(0, 1) (N, Z) from ctx.rng (or ctx.eps when given),  σ = exp(½ log σ²),  z = μ + σ ⊙ ε
//   backward  dμ = dz,   dlog σ² = dz ⊙ ε ⊙ σ · ½
//   s (N, 2Z) → z (N, Z)
// It samples in every mode: PyTorch's VAE example samples at test time too, and so does
// Trainer::evaluate. Deterministic uses (Autoencoder::encode, the page's reconstructions)
// take μ instead and never call this layer.
#pragma once
#include "core/layer.hpp"

namespace ae {

class Sampling : public Layer {
public:
    explicit Sampling(std::size_t latent);  // Z: input 2Z, output Z

    std::string kind() const override { return "sampling"; }
    const Mat& forward(const Mat& s, const Context& ctx) override;
    const Mat& backward(const Mat& dz) override;

    const Mat& eps() const { return eps_; }  // (N, Z) the last draw

private:
    std::size_t Z_;
    Mat eps_;    // (N, Z) ε, cached for backward
    Mat sigma_;  // (N, Z) σ = exp(½ log σ²), cached for backward
    Mat z_;      // (N, Z)
};

}  // namespace ae

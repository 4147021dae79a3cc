// The loss reported term by term, per image, so the page can plot each one apart.
#pragma once

namespace ae {

struct LossTerms {
    double recon = 0;         // reconstruction (BCE or squared error), summed over pixels
    double kl = 0;            // VAE: β · KL(N(μ, σ²) ‖ N(0, 1))
    double sparsity = 0;      // sparse AE: β · Σ KL(ρ ‖ ρ̂_j) and the L1 activity penalty
    double weight_decay = 0;  // L1 and L2 penalties on weights
    // Adversarial AE (models/adversary.hpp): the two players' own objectives, each minimised by
    // its own phase of the step. They are not part of total(), the autoencoder's loss: at the
    // balance they hover near 2 ln 2 and ln 2, whatever the reconstruction does.
    double disc = 0;          // L_D = BCE(D(prior), 1) + BCE(D(codes), 0)
    double gen = 0;           // L_G = BCE(D(codes), 1)
    double total() const { return recon + kl + sparsity + weight_decay; }

    LossTerms& operator+=(const LossTerms& o) {
        recon += o.recon;
        kl += o.kl;
        sparsity += o.sparsity;
        weight_decay += o.weight_decay;
        disc += o.disc;
        gen += o.gen;
        return *this;
    }
    LossTerms scaled(double s) const {
        return {recon * s, kl * s, sparsity * s, weight_decay * s, disc * s, gen * s};
    }
};

}  // namespace ae

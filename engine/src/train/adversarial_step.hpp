// One training step of the adversarial autoencoder (Makhzani et al. 2015, §2): three phases, each
// minimising its own objective with its own optimizer (and optimizer state):
//
//   1 reconstruction  L = recon (+ weight decay) of input → target       encoder + decoder, lr
//   2 discriminator   q = encoder(input), with the encoder just updated;
//                     L_D(p, q) with p the given prior samples           discriminator, adversarial_lr
//   3 generator       L_G(q) through the discriminator just updated      encoder, adversarial_lr
//
// (models/adversary.hpp defines L_D and L_G.) q is computed once for phases 2 and 3: the encoder
// does not change between them. Each phase's gradients are clipped by their global norm when
// clip_norm > 0, and checked before its update: a non-finite loss stops the step with the coded
// ae::Error "diverged" (train/diverged.hpp; term recon…, disc or gen), the phase's weights
// untouched; an update that leaves a weight or slot non-finite stops it too (term "weights").
// Returns the per-image terms recon and weight_decay (phase 1), disc (phase 2) and gen (phase 3).
#pragma once
#include <cstdint>

#include "models/autoencoder.hpp"
#include "optim/optimizer.hpp"

namespace ae {

struct AdversarialOptimizers {
    Optimizer& recon;  // attached to model.params()
    Optimizer& disc;   // attached to model.adversary_params()
    Optimizer& gen;    // attached to model.encoder_params()
};

struct AdversarialBatch {
    const Mat& input;               // (N, D) what the encoder sees
    const Mat& target;              // (N, D) what the decoder should give back
    const std::uint8_t* labels;     // (N) the images' classes (read with prior_labels only)
    const Mat& prior;               // (N, Z) samples of the prior (of each image's class with prior_labels)
};

LossTerms adversarial_step(Autoencoder& model, const AdversarialBatch& batch, const Context& ctx,
                           const AdversarialOptimizers& opt, double lr, double adversarial_lr, double clip_norm,
                           std::uint64_t step);

}  // namespace ae

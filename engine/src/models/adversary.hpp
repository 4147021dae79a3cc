// The adversarial autoencoder's discriminator and its two losses (Makhzani et al. 2015, §2).
// D is an MLP on the latent space (models/factory.hpp) that gives the logit of "this code was
// drawn from the prior"; with prior_labels it also reads the image's class, one-hot, so each class
// is matched to its own Gaussian of the mixture (the semi-supervised variant, §5).
//
//   input     [z | one-hot class] (N, Z (+10))
//   D loss    L_D = mean_n softplus(−D(p_n)) + mean_n softplus(D(q_n))     p ~ prior, q = codes
//             = BCE(D(p), 1) + BCE(D(q), 0): prior samples and codes go through D as one batch
//             of 2N rows, each half averaged over its N rows
//   G loss    L_G = mean_n softplus(−D(q_n)) = BCE(D(q), 1): the encoder (the generator) learns
//             to make codes D takes for prior samples; its gradient dL_G/dq reaches the encoder
//             through D's backward (D's own gradients from that pass are not used)
//
// Both are reported per image (models/loss_terms.hpp: disc, gen). The training step that uses them,
// three phases each with its own optimizer, is train/adversarial_step.hpp.
#pragma once
#include <cstdint>

#include "models/config.hpp"
#include "models/prior.hpp"
#include "models/sequential.hpp"

namespace ae {

class Adversary {
public:
    Adversary(const ModelConfig& cfg, Sequential discriminator);

    Sequential& discriminator() { return disc_; }
    PriorKind prior() const { return prior_; }
    bool uses_labels() const { return labels_; }
    std::size_t latent() const { return Z_; }

    // L_D on prior samples and codes (both (N, Z)); labels (N) are the images' classes (needed
    // with prior_labels, else ignored). with_grad: the discriminator's Params' gradients.
    double discriminator_loss(const Mat& prior, const Mat& code, const std::uint8_t* labels, const Context& ctx,
                              bool with_grad);
    // L_G on codes (N, Z); with_grad: dcode() = dL_G/dcode (N, Z).
    double generator_loss(const Mat& code, const std::uint8_t* labels, const Context& ctx, bool with_grad);
    const Mat& dcode() const { return dcode_; }

    // D's logits (N, 1) for codes (N, Z), e.g. to draw what the discriminator believes where.
    const Mat& logits(const Mat& code, const std::uint8_t* labels, const Context& ctx);

private:
    // in_ (rows, Z (+10)) ← [z | one-hot label] of `code`'s rows, from row `at` on.
    void put_rows(const Mat& code, const std::uint8_t* labels, std::size_t at);

    Sequential disc_;
    PriorKind prior_;
    bool labels_;
    std::size_t Z_, D_;  // code size, discriminator input size
    Mat in_;       // (2N or N, D) the discriminator's input
    Mat target_;   // (2N or N, 1) 1 for prior samples, 0 for codes
    Mat dlogit_;   // (2N or N, 1)
    Mat dcode_;    // (N, Z)
};

}  // namespace ae

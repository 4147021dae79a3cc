#include "train/adversarial_step.hpp"

#include <cmath>

#include "core/error.hpp"
#include "optim/clip.hpp"
#include "train/diverged.hpp"

namespace ae {

namespace {

// Each phase's update, then the check that it left every weight and slot finite.
void update(Optimizer& opt, const std::vector<Param*>& params, double lr, double clip_norm, std::uint64_t step) {
    if (clip_norm > 0) clip_by_global_norm(params, clip_norm);
    opt.step(params, lr);
    if (!opt.last_step_finite()) update_diverged(params, opt, step, lr);
}

}  // namespace

LossTerms adversarial_step(Autoencoder& model, const AdversarialBatch& b, const Context& ctx,
                           const AdversarialOptimizers& opt, double lr, double adversarial_lr, double clip_norm,
                           std::uint64_t step) {
    Adversary& adv = model.adversary();
    // 1 · reconstruction: encoder and decoder.
    LossTerms terms = model.forward_backward(b.input, b.target, ctx);
    if (!std::isfinite(terms.total())) loss_diverged(terms, step, lr, "training");
    update(opt.recon, model.params(), lr, clip_norm, step);

    // 2 · discriminator: prior samples against the codes of the updated encoder.
    const Mat& q = model.encode(b.input, ctx);
    terms.disc = adv.discriminator_loss(b.prior, q, b.labels, ctx, true);
    if (!std::isfinite(terms.disc)) term_diverged("disc", terms.disc, step, adversarial_lr);
    update(opt.disc, model.adversary_params(), adversarial_lr, clip_norm, step);

    // 3 · generator: the encoder learns to pass its codes off as prior samples.
    terms.gen = adv.generator_loss(q, b.labels, ctx, true);
    if (!std::isfinite(terms.gen)) term_diverged("gen", terms.gen, step, adversarial_lr);
    model.encoder().backward(adv.dcode());
    update(opt.gen, model.encoder_params(), adversarial_lr, clip_norm, step);
    return terms;
}

}  // namespace ae

// An autoencoder built from a ModelConfig by models/factory:
//   encoder   x (N, D) → code (N, Z)                 non-VAE variants (code activation included)
//             x (N, D) → s (N, 2Z) = [μ | log σ²]     VAE variants, then sampling z = μ + σ ε (N, Z)
//   decoder   code (N, Z) → logits (N, D) → output activation → x̂ (N, D)
// The decoder's last layer returns logits so that BCE is computed from them, stably.
//
// The loss, per image: recon + kl (VAE) + sparsity (KL sparsity, L1 activity on the code) +
// weight_decay, with the weights of the Penalties the trainer hands over (models/penalties.hpp).
//
// The adversarial variant (aae) also holds a discriminator on the code (models/adversary.hpp):
// its parameters are apart from params() (the autoencoder's, which the reconstruction phase
// trains), in adversary_params(); train/adversarial_step.hpp runs the three phases of its step.
#pragma once
#include <memory>
#include <vector>

#include "core/layer.hpp"
#include "layers/activation.hpp"
#include "layers/sampling.hpp"
#include "models/adversary.hpp"
#include "models/config.hpp"
#include "models/loss_terms.hpp"
#include "models/penalties.hpp"
#include "models/sequential.hpp"

namespace ae {

class Autoencoder {
public:
    explicit Autoencoder(const ModelConfig& cfg);

    const ModelConfig& config() const { return cfg_; }
    std::size_t input_size() const { return cfg_.input.size(); }  // D = C·H·W
    std::size_t latent_size() const { return cfg_.latent; }       // Z
    bool is_vae() const { return cfg_.is_vae(); }
    bool is_adversarial() const { return adversary_ != nullptr; }

    void init(Rng& rng);
    // Every trainable tensor, encoder first, in a fixed order, named "encoder.<layer>.weight",
    // "encoder.<layer>.bias" (batch norm: weight = γ, bias = β), "decoder.…".
    const std::vector<Param*>& params() const { return params_; }
    // Non-trainable state saved in model files: "encoder.<layer>.running_mean|running_var".
    const std::vector<Param*>& buffers() const { return buffers_; }
    // The encoder's parameters alone (the first ones of params()): what the AAE's generator phase trains.
    const std::vector<Param*>& encoder_params() const { return encoder_params_; }
    // aae: the discriminator's, "discriminator.<layer>.weight|bias"; empty otherwise.
    const std::vector<Param*>& adversary_params() const { return adversary_params_; }
    // Every trainable value: params() and adversary_params().
    std::size_t parameter_count() const;

    // Throws ae::Error when the weights do not fit this model (see validate(Penalties, …)).
    void set_penalties(const Penalties& p);
    const Penalties& penalties() const { return pen_; }

    // Deterministic given ctx.mode: for VAEs the code is μ (no sampling).
    const Mat& encode(const Mat& x, const Context& ctx);  // (N, D) → (N, Z)
    const Mat& decode(const Mat& z, const Context& ctx);  // (N, Z) → x̂ (N, D)
    // VAE only: the encoder's output, each row [μ | log σ²] (N, 2Z), before any sampling.
    const Mat& posterior(const Mat& x, const Context& ctx);
    const Mat& reconstruct(const Mat& x, const Context& ctx) { return decode(encode(x, ctx), ctx); }

    // Forward, loss (every term) and backward on one batch: every Param's grad is overwritten.
    // VAEs sample z from ctx.rng.
    LossTerms forward_backward(const Mat& input, const Mat& target, const Context& ctx);
    // The same loss without gradients (evaluation). VAEs sample z here too.
    LossTerms loss(const Mat& input, const Mat& target, const Context& ctx);

    Sequential& encoder() { return encoder_; }
    Sequential& decoder() { return decoder_; }
    // aae only (throws ae::Error naming the variant otherwise).
    Adversary& adversary();

private:
    LossTerms run(const Mat& input, const Mat& target, const Context& ctx, bool with_grad);
    const Mat& decode_logits(const Mat& z, const Context& ctx);
    double reconstruction(const Mat& logits, const Mat& target, bool with_grad);
    void add_to(Mat& acc, const Mat& g);

    ModelConfig cfg_;
    ActKind out_act_;
    Penalties pen_;
    Sequential encoder_, decoder_;
    std::unique_ptr<Sampling> sampling_;  // VAE only
    std::unique_ptr<Adversary> adversary_;  // aae only
    std::vector<Param*> params_, buffers_, encoder_params_, adversary_params_;
    Mat mu_;       // (N, Z) μ, the VAE's deterministic code
    Mat y_;        // (N, D) outputs
    Mat dlogits_;  // (N, D)
    Mat dcode_;    // (N, Z) or (N, 2Z): gradient reaching the encoder's output
    Mat dpen_;     // (N, Z) or (N, 2Z): one penalty's gradient
};

}  // namespace ae

// An autoencoder built from a ModelConfig:
//   encoder  x (N, D) → code (N, Z)
//   decoder  code (N, Z) → logits (N, D) → output activation → x̂ (N, D)
// The decoder's last layer returns logits so that BCE is computed from them, stably.
#pragma once
#include <vector>

#include "core/layer.hpp"
#include "layers/activation.hpp"
#include "models/config.hpp"
#include "models/loss_terms.hpp"
#include "models/sequential.hpp"

namespace ae {

class Autoencoder {
public:
    explicit Autoencoder(const ModelConfig& cfg);

    const ModelConfig& config() const { return cfg_; }
    std::size_t input_size() const { return cfg_.input.size(); }  // D
    std::size_t latent_size() const { return cfg_.latent; }       // Z

    void init(Rng& rng);
    // Every trainable tensor, encoder first, in a fixed order, named "encoder.0.weight" etc.
    const std::vector<Param*>& params() const { return params_; }
    std::size_t parameter_count() const;

    const Mat& encode(const Mat& x, const Context& ctx);  // (N, D) → (N, Z)
    const Mat& decode(const Mat& z, const Context& ctx);  // (N, Z) → x̂ (N, D)
    const Mat& reconstruct(const Mat& x, const Context& ctx) { return decode(encode(x, ctx), ctx); }

    // Forward, loss and backward on one batch: every Param's grad is overwritten.
    LossTerms forward_backward(const Mat& input, const Mat& target, const Context& ctx);
    // Loss only (evaluation).
    LossTerms loss(const Mat& input, const Mat& target, const Context& ctx);

private:
    const Mat& decode_logits(const Mat& z, const Context& ctx);
    double reconstruction(const Mat& logits, const Mat& target, bool with_grad);

    ModelConfig cfg_;
    ActKind out_act_;
    Sequential encoder_, decoder_;
    std::vector<Param*> params_;
    Mat y_;        // (N, D) outputs
    Mat dlogits_;  // (N, D)
};

}  // namespace ae

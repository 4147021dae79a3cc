// Builds the layers of every variant from a ModelConfig (see models/config.hpp):
//
//   MLP encoder   [Dense(w) → (BatchNorm) → act → (Dropout)] per width → Dense(→ Z | 2Z) → (code act)
//   MLP decoder   [Dense(w) → (BatchNorm) → act → (Dropout)] per mirrored width → Dense(→ C·H·W) logits
//   conv encoder  [Conv2D(c, k, s, p) → (BatchNorm) → act → (Dropout)] per channel count
//                 → [dense widths as above] → Dense(→ Z | 2Z) → (code act)
//   conv decoder  [mirrored dense widths] → Dense(→ C_L·H_L·W_L) → (BatchNorm) → act → (Dropout)
//                 → Reshape(C_L, H_L, W_L) → [ConvTranspose2D → (BatchNorm) → act → (Dropout)] per
//                 mirrored stage, the last one to the input's channels, giving logits
//   aae disc      [Dense(w) → act] per discriminator width → Dense(→ 1)   on [code | (one-hot class)]
//   sequence enc  [GRU(W → w)] per width, every step's state to the next, the last one's final
//                 state → Dense(→ Z) → (code act)                      (H steps of W pixels)
//   sequence dec  Repeat(Z, H) → [GRU(→ w), every step's state] per mirrored width
//                 → Dense(→ W) per step: logits, row by row
//
// (C_L, H_L, W_L) is the last convolution's output; each transposed convolution's output
// padding makes its output the shape of the matching convolution's input, so the decoder
// returns exactly the input shape. VAE encoders end in 2Z = [μ | log σ²]; the sampling layer
// between encoder and decoder belongs to the Autoencoder. The code activation is omitted when
// it is the identity.
#pragma once
#include <cstdint>

#include "models/config.hpp"
#include "models/sequential.hpp"

namespace ae {

struct Network {
    Sequential encoder;  // x (N, C·H·W) → code (N, Z), or [μ | log σ²] (N, 2Z) for VAEs
    Sequential decoder;  // code (N, Z) → logits (N, C·H·W)
    Sequential discriminator;  // aae: [code | one-hot class] (N, Z (+10)) → logit (N, 1); else empty
};

Network build_network(const ModelConfig& cfg);

// What the layers build_network makes would hold and compute, counted from the config alone
// (nothing is allocated; the config must pass conv_stages). validate(ModelConfig) refuses a
// model above the playground's caps (models/config.hpp); train/cost.hpp turns these counts into
// the memory and the arithmetic of training at a given batch size.
struct ModelSize {
    std::uint64_t parameters = 0;   // weights, biases, batch-norm γ and β
    std::uint64_t activations = 0;  // per image: every layer's output (a reshape has none of its
                                    // own) and each convolution's unfolded im2col matrix
    std::uint64_t buffers = 0;      // batch-norm running means and variances (not per image)
    // What a training step keeps per image of the batch, in values: outputs and the caches
    // forward keeps for backward (batch norm's x̂, dropout's mask), and the input gradients
    // backward returns (none for the first layer).
    std::uint64_t forward_values = 0;
    std::uint64_t backward_values = 0;
    std::uint64_t group_values = 0;  // the convolutions' one-group buffers, whatever the batch
    // Multiply-adds of one image's forward pass (GEMMs only), and of the first layer's input
    // gradient (which training never computes: all of the first layer's products for a dense or
    // conv layer, the input product's share T·I·3H for a GRU).
    std::uint64_t forward_macs = 0;
    std::uint64_t first_layer_macs = 0;
    // The adversarial autoencoder's extra work and state: its encoder, which a second optimizer
    // also trains (the generator phase), and its discriminator's multiply-adds per row (not in
    // forward_macs: encoding and decoding do not use it; its parameters are in parameters).
    std::uint64_t encoder_parameters = 0;
    std::uint64_t encoder_macs = 0;
    std::uint64_t discriminator_macs = 0;
};
ModelSize model_size(const ModelConfig& cfg);

}  // namespace ae

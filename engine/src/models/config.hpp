// The architecture of a model, read from JSON. Changing any of it means new weights;
// everything that can change while training runs lives in TrainConfig instead.
//
//   { "variant": "dense", "input": [1, 28, 28], "encoder": [400], "latent": 20,
//     "activation": "relu", "output": "sigmoid", "loss": "bce" }
//
// Variants (models/factory.hpp builds them):
//   dense, deep   MLP  x → widths → Z → mirrored widths → x̂
//   sparse        the same MLP, code_activation defaults to "sigmoid"; trained with the KL
//                 sparsity penalty (the training config must set sparsity_weight > 0)
//   denoising     the same MLP, trained on corrupted inputs against clean targets (the
//                 training config must set a noise type)
//   vae           MLP encoder ending in Dense(→ 2Z) = [μ | log σ²], sampling, MLP decoder
//   conv          conv encoder (+ dense widths) → Z, mirrored transposed-conv decoder
//   conv_vae      conv encoder → Dense(→ 2Z) → sampling → mirrored decoder
//   sequence      recurrent: a GRU reads the image row by row (H steps of W pixels; one channel),
//                 its last state → Dense(→ Z); the decoder repeats the code at every step into
//                 a GRU (the mirrored widths) whose every state → Dense(→ W) writes one row
//   aae           adversarial autoencoder (Makhzani et al. 2015): the dense MLP, and a
//                 discriminator MLP on the code, Z (+ 10 one-hot class values with prior_labels)
//                 → widths → 1 logit, trained against samples of the prior (models/prior.hpp)
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/layer.hpp"

namespace ae {

struct ConvConfig {
    std::vector<std::size_t> channels{32, 64};  // output channels of each encoder convolution
    std::size_t kernel = 3, stride = 2, padding = 1;
};

struct ModelConfig {
    std::string variant = "dense";
    FeatureShape input{1, 28, 28};          // C, H, W
    std::vector<std::size_t> encoder{400};  // dense hidden widths (after the convolutions for
                                            // conv variants, default []; the GRUs' state sizes
                                            // for sequence, default [128]); the decoder mirrors them
    ConvConfig conv;                        // conv variants only
    std::size_t latent = 20;                // Z
    std::string activation = "relu";        // hidden layers
    std::string code_activation = "identity";  // on the code of non-VAE variants ("sigmoid" for sparse)
    std::string output = "sigmoid";         // applied to the decoder's last layer
    std::string loss = "bce";               // "bce" (needs sigmoid output) or "mse"
    bool batchnorm = false;                 // after each hidden Dense/Conv, before its activation
    double dropout = 0;                     // after each hidden activation, p in [0, 1)
    // aae only (to_json writes them for aae alone):
    std::string prior = "mixture";          // "normal" | "mixture" (models/prior.hpp)
    bool prior_labels = false;              // the class label, one-hot, as the discriminator's
                                            // extra input: each class on its own arm (mixture)
    std::vector<std::size_t> discriminator{128, 128};  // its hidden widths (activation as above)

    bool is_vae() const { return variant == "vae" || variant == "conv_vae"; }
    bool is_conv() const { return variant == "conv" || variant == "conv_vae"; }
    bool is_sequence() const { return variant == "sequence"; }
    bool is_adversarial() const { return variant == "aae"; }
    // Values the discriminator reads per image: the code, and the one-hot class with prior_labels.
    std::size_t discriminator_input() const { return latent + (prior_labels ? 10 : 0); }
};

// The variants' names and the defaults each one starts from (parse_model_config applies them
// before reading the keys given).
const std::vector<std::string>& model_variants();
ModelConfig default_model_config(const std::string& variant);

// Strict: unknown keys, wrong types and out-of-range values throw ae::Error saying which.
ModelConfig parse_model_config(const std::string& json);
std::string to_json(const ModelConfig& cfg);
// Also refuses a model larger than the caps below, counted from the config before anything is
// allocated (model_size in models/factory.hpp), so no source — the page, the CLI, a crafted
// model file — can ask for gigabytes.
void validate(const ModelConfig& cfg);

// The playground's caps on one model (model_size counts both).
//   parameters   64 M floats are 256 MB of weights, 1 GB with their gradients and Adam's two
//                moments: half of WebAssembly's 2 GB heap, leaving room for the batch and for
//                saving a model file. Six widths of 2048 with latent 128 have 46 M, the seed
//                model 0.64 M.
//   activations  per image, every layer's output and each convolution's im2col: 2 M floats
//                are 8 MB, 1 GB for a batch of 128. Four convolutions of 256 channels with
//                batch norm and dropout need 0.87 M, the default conv model 70 k, six widths
//                of 2048 99 k.
constexpr std::uint64_t kMaxModelParameters = 64'000'000;
constexpr std::uint64_t kMaxActivationsPerImage = 2'000'000;

// Geometry of one encoder convolution and the transposed convolution that mirrors it:
//   Conv2D           in (C, H, W) → out (C', H', W'),  H' = ⌊(H + 2p − k) / s⌋ + 1
//   ConvTranspose2D  out → in,  H = (H' − 1) s − 2p + k + output_padding
struct ConvStage {
    FeatureShape in, out;
    std::size_t output_padding = 0;  // the same in height and width
};
// Throws ae::Error when a kernel is larger than its (padded) input or when no single output
// padding in [0, stride) makes the decoder's output the size of the encoder's input.
std::vector<ConvStage> conv_stages(const ModelConfig& cfg);

}  // namespace ae

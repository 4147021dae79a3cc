#include "train/cost.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <string>

#include "core/error.hpp"

namespace ae {

namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
std::uint64_t mul(std::uint64_t a, std::uint64_t b) { return a != 0 && b > kMax / a ? kMax : a * b; }
std::uint64_t add(std::uint64_t a, std::uint64_t b) { return b > kMax - a ? kMax : a + b; }

constexpr std::uint64_t kHeaderAllowance = 4u << 20;  // a model file's JSON header and history
constexpr std::uint64_t kScratchAllowance = 2u << 20;  // the GEMM's packing buffers (kernels/gemm.cpp)

// 3100000000 → "3.10 GB", 740000000 → "740 MB"
std::string bytes_text(std::uint64_t b) {
    char buf[32];
    if (b >= 1'000'000'000) std::snprintf(buf, sizeof buf, "%.2f GB", double(b) / 1e9);
    else std::snprintf(buf, sizeof buf, "%.0f MB", double(b) / 1e6);
    return buf;
}

// 46137984 → "46.1 M", 99000 → "99 k"
std::string count_text(std::uint64_t n) {
    char buf[32];
    if (n >= 1'000'000) std::snprintf(buf, sizeof buf, "%.1f M", double(n) / 1e6);
    else if (n >= 1'000) std::snprintf(buf, sizeof buf, "%.0f k", double(n) / 1e3);
    else std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(n));
    return buf;
}

const char* slot_words(const std::string& optimizer) {
    if (optimizer == "adam") return "with their gradients and Adam's two moments";
    if (optimizer == "rmsprop") return "with their gradients and RMSprop's two averages";
    return "with their gradients and SGD's momentum";
}

}  // namespace

std::size_t eval_rows(const ModelSize& size) {
    const std::uint64_t per_image = mul(4, std::max<std::uint64_t>(size.forward_values, 1));
    return std::size_t(std::clamp<std::uint64_t>(kEvalChunkBytes / per_image, 1, kEvalRows));
}

TrainingCost training_cost(const ModelConfig& model, const TrainConfig& train) {
    TrainingCost c;
    c.size = model_size(model);
    c.batch_size = train.batch_size;
    c.optimizer_slots = train.optimizer.name == "sgd" ? 1 : 2;
    const ModelSize& s = c.size;
    c.train_flops_per_sample = 2.0 * (3.0 * double(s.forward_macs) - double(s.first_layer_macs));
    if (model.is_adversarial()) {
        // train/adversarial_step.hpp, after the reconstruction phase: the codes again (encoder
        // forward); the discriminator's forward and backward on 2 rows per image (prior samples
        // and codes); the generator's discriminator forward and backward, and the encoder's
        // backward (weights, and input gradients past the first layer).
        const double enc = double(s.encoder_macs), disc = double(s.discriminator_macs);
        c.train_flops_per_sample += 2.0 * (enc + 2.0 * 3.0 * disc + 3.0 * disc + 2.0 * enc - double(s.first_layer_macs));
    }
    c.reconstruct_flops_per_sample = 2.0 * double(s.forward_macs);

    // The autoencoder's own per-image buffers besides its layers' (models/autoencoder.hpp):
    // forward x̂ (D) and μ (Z), the VAE's sampling ε, σ, z (3Z); backward d(logits) (D), the code's
    // gradient and one penalty's (2 · 2Z at most), the sampling layer's input gradient (2Z).
    const std::uint64_t d = model.input.c * model.input.h * model.input.w, z = model.latent;
    // The AAE's: the prior samples (Z) and the code's gradient from the generator (Z); its
    // discriminator's targets and logit gradients (2 rows of 1 each).
    const std::uint64_t adversarial = model.is_adversarial() ? add(mul(2, z), 4) : 0;
    const std::uint64_t forward = add(s.forward_values, add(add(d, mul(z, model.is_vae() ? 4 : 1)), adversarial));
    const std::uint64_t backward = add(s.backward_values, add(d, mul(z, model.is_vae() ? 6 : 4)));
    const std::uint64_t e = eval_rows(s), b = train.batch_size, rows = std::max<std::uint64_t>(b, e);

    // The AAE's three optimizers: the reconstruction's (encoder and decoder), the discriminator's
    // and the generator's (the encoder again), each with its own slots.
    const std::uint64_t slotted = add(s.parameters, model.is_adversarial() ? s.encoder_parameters : 0);
    const std::uint64_t slot_values = mul(slotted, c.optimizer_slots);
    c.model_bytes = mul(4, add(mul(s.parameters, 2), add(slot_values, s.buffers)));
    c.batch_bytes = add(mul(4, add(add(mul(forward, rows), mul(backward, b)),
                                   add(mul(d, add(mul(2, b), mul(3, e))), s.group_values))),
                        kScratchAllowance);
    c.save_bytes = add(mul(4, add(s.parameters, add(slot_values, s.buffers))), kHeaderAllowance);
    c.restore_bytes = add(mul(2, c.save_bytes), c.model_bytes);
    c.peak_bytes = add(c.model_bytes, add(c.batch_bytes, c.restore_bytes));
    return c;
}

void check_training_memory(const ModelConfig& model, const TrainConfig& train) {
    const TrainingCost c = training_cost(model, train);
    if (c.peak_bytes <= kMaxTrainingBytes) return;
    const ModelSize& s = c.size;
    fail_coded("too_much_memory",
               {{"bytes", double(c.peak_bytes)},
                {"limitBytes", double(kMaxTrainingBytes)},
                {"batchSize", double(c.batch_size)},
                {"parameters", double(s.parameters)},
                {"activationsPerImage", double(s.activations)},
                {"modelBytes", double(c.model_bytes)},
                {"batchBytes", double(c.batch_bytes)},
                {"saveBytes", double(c.save_bytes)},
                {"restoreBytes", double(c.restore_bytes)}},
               "this model would need ", bytes_text(c.peak_bytes), " to train with a batch of ", c.batch_size, " (",
               count_text(s.parameters), " parameters ", slot_words(train.optimizer.name), ": ",
               bytes_text(c.model_bytes), "; ", count_text(s.activations), " activation values per image, for the batch and for evaluation: ",
               bytes_text(c.batch_bytes),
               "; restoring a saved copy, as a rollback does: ", bytes_text(c.restore_bytes),
               "); the playground allows at most ",
               bytes_text(kMaxTrainingBytes), " — lower the batch size, or use fewer channels, fewer or narrower "
               "layers or a smaller latent size");
}

}  // namespace ae

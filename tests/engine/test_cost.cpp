// What training a model costs (train/cost.hpp): the arithmetic of a step and of a
// reconstruction, checked against the hand counts the benchmark's GFLOP/s figures use, and the
// memory cap that refuses a model and batch too large for WebAssembly before anything is built.
#include <doctest/doctest.h>

#include <string>

#include "core/error.hpp"
#include "train/cost.hpp"
#include "train/session.hpp"

#include "error_of.hpp"
#include "toy_data.hpp"

using namespace ae;

namespace {

TrainingCost cost_of(const std::string& model, const std::string& train) {
    return training_cost(parse_model_config(model), parse_train_config(train));
}

// The link of issue 10 that met std::bad_alloc two seconds after Start: a conv model with four
// convolutions of 256 channels and six dense widths of 2048, batch 512 (49.8 M parameters,
// 0.96 M activation values per image). Each cap alone let it through.
const char* kHugeConv =
    R"({"variant":"conv","conv":{"channels":[256,256,256,256]},"encoder":[2048,2048,2048,2048,2048,2048],"latent":20})";

}  // namespace

TEST_CASE("cost: FLOPs per sample match the benchmark's hand counts") {
    // README "Performance": 3,232,000 FLOP per training sample for the seed model, 12,155,136
    // for the conv AE (2·MACs of the forward, weight-gradient and input-gradient products, none
    // for the first layer's input).
    const TrainingCost seed = cost_of(R"({"encoder":[400],"latent":20})", "{}");
    CHECK(seed.train_flops_per_sample == 3232000.0);
    CHECK(seed.reconstruct_flops_per_sample == 2.0 * (784 * 400 + 400 * 20 + 20 * 400 + 400 * 784));
    CHECK(seed.size.parameters == 644804);
    const TrainingCost conv = cost_of(R"({"variant":"conv"})", "{}");
    CHECK(conv.train_flops_per_sample == 12155136.0);
    // A VAE's encoder ends in 2Z: 784·256 + 256·128 + 128·4, then 2·128 + 128·256 + 256·784.
    const TrainingCost vae = cost_of(R"({"variant":"vae","encoder":[256,128],"latent":2})", "{}");
    CHECK(vae.reconstruct_flops_per_sample == 2.0 * (784 * 256 + 256 * 128 + 128 * 4 + 2 * 128 + 128 * 256 + 256 * 784));
}

TEST_CASE("cost: the memory counts grow with the batch and the optimizer's slots") {
    const char* seed = R"({"encoder":[400],"latent":20})";
    const TrainingCost adam = cost_of(seed, R"({"batch_size":128})");
    const TrainingCost sgd = cost_of(seed, R"({"batch_size":128,"optimizer":"sgd"})");
    const TrainingCost big = cost_of(seed, R"({"batch_size":4096})");
    CHECK(adam.optimizer_slots == 2);
    CHECK(sgd.optimizer_slots == 1);
    CHECK(adam.model_bytes == 4 * 644804 * 4);  // weights, gradients, m, v
    CHECK(sgd.model_bytes == 4 * 644804 * 3);
    CHECK(adam.model_bytes - sgd.model_bytes == adam.save_bytes - sgd.save_bytes);
    CHECK(big.batch_bytes > 8 * adam.batch_bytes);  // 4096 rows instead of max(128, 500)
    CHECK(adam.restore_bytes == 2 * adam.save_bytes + adam.model_bytes);
    CHECK(adam.peak_bytes == adam.model_bytes + adam.batch_bytes + adam.restore_bytes);
    CHECK(adam.peak_bytes < 64'000'000);
}

TEST_CASE("cost: a model and batch above the memory cap are refused before anything is built, with the numbers") {
    Session s;
    s.configure(toy::kSmallModel, toy::kSmallTrain);
    const Error e = thrown([&] { s.configure(kHugeConv, R"({"batch_size":512})"); });
    CHECK(e.code() == "too_much_memory");
    CHECK(e.number("batchSize") == 512);
    CHECK(e.number("limitBytes") == double(kMaxTrainingBytes));
    CHECK(e.number("bytes") > double(kMaxTrainingBytes));
    CHECK(e.number("bytes") == e.number("modelBytes") + e.number("batchBytes") + e.number("restoreBytes"));
    const std::string m = e.what();
    CHECK(m.rfind("this model would need ", 0) == 0);
    CHECK(m.find(" to train with a batch of 512 (") != std::string::npos);
    CHECK(m.find("the playground allows at most 1.50 GB — lower the batch size, or use fewer channels") != std::string::npos);
    CHECK(s.model().latent_size() == 2);  // the model it had is kept
}

TEST_CASE("cost: a batch size that would not fit is refused when training settings change, keeping the old one") {
    // Fits at batch 8, not at 4096: 3 convolutions of 32 channels on 28×28 at stride 1.
    const char* model = R"({"variant":"conv","conv":{"channels":[32,32,32],"stride":1},"latent":8})";
    Session s;
    s.configure(model, R"({"batch_size":8})");
    const Error e = thrown([&] { s.set_training(R"({"batch_size":4096})"); });
    CHECK(e.code() == "too_much_memory");
    CHECK(e.number("batchSize") == 4096);
    CHECK(s.trainer().config().batch_size == 8);
}

TEST_CASE("cost: evaluation and inference of a heavy model go in smaller chunks, counted as such") {
    // Four convolutions of 256 channels with batch norm and dropout hold about 1 M values per
    // image forward: 500 images at a time would be 2 GB, so they go 64 at a time.
    const TrainingCost c = cost_of(R"({"variant":"conv","conv":{"channels":[256,256,256,256]},"batchnorm":true,"dropout":0.1})",
                                   R"({"batch_size":16,"optimizer":"sgd"})");
    const std::size_t rows = eval_rows(c.size);
    CHECK(rows < kEvalRows);
    CHECK(4 * c.size.forward_values * rows <= kEvalChunkBytes);
    CHECK(4 * c.size.forward_values * (rows + 1) > kEvalChunkBytes);
    CHECK(c.peak_bytes <= kMaxTrainingBytes);  // trainable at a small batch
    CHECK(eval_rows(cost_of(R"({"variant":"conv"})", "{}").size) == kEvalRows);
}

TEST_CASE("cost: the sequence AE's GRUs, counted through time") {
    // Default sequence model: GRU(28 → 128) over 28 rows, Dense(128 → 20); Repeat(20, 28),
    // GRU(20 → 128) over 28 steps, Dense(128 → 28) per step. A GRU step multiplies its input
    // by W_ih (I, 3H) and its state by W_hh (H, 3H).
    const TrainingCost c = cost_of(R"({"variant":"sequence"})", "{}");
    const std::uint64_t enc_gru = 28 * (28 + 128) * 384, dec_gru = 28 * (20 + 128) * 384;
    const std::uint64_t macs = enc_gru + 128 * 20 + dec_gru + 28 * 128 * 28;
    // The first GRU's input gradient is only its input product (x·W_ih over 28 steps): the
    // state's gradient through time (28 · 128 · 384) is computed anyway, for W_hh's.
    const std::uint64_t enc_input_grad = 28 * 28 * 384;
    CHECK(c.size.forward_macs == macs);
    CHECK(c.size.first_layer_macs == enc_input_grad);
    CHECK(c.reconstruct_flops_per_sample == 2.0 * double(macs));
    CHECK(c.train_flops_per_sample == 2.0 * (3.0 * double(macs) - double(enc_input_grad)));
    CHECK(c.train_flops_per_sample == 19627008.0);  // scripts/bench/common.mjs counts the same by hand
    CHECK(c.size.parameters == 384 * (28 + 128 + 2) + (128 * 20 + 20) + 384 * (20 + 128 + 2) + (128 * 28 + 28));
    // The model's own count agrees with the layers it builds.
    Session s;
    s.configure(R"({"variant":"sequence"})", "{}");
    CHECK(s.model().parameter_count() == c.size.parameters);
    // Per image: each GRU keeps T·(3H + 3H + H) forward (gates, h·W_hh + b_hh, states) and
    // T·(3H + 3H) + 2H for its backward, whether or not it returns dx.
    CHECK(c.size.forward_values > 2 * 28 * (7 * 128 + 6 * 128));
}

TEST_CASE("cost: the AAE's discriminator and its three optimizers") {
    // Default aae: 784-400-2-400-784 and a discriminator 2-128-128-1.
    const TrainingCost c = cost_of(R"({"variant":"aae"})", "{}");
    const std::uint64_t enc = 784 * 400 + 400 * 2, dec = 2 * 400 + 400 * 784, disc = 2 * 128 + 128 * 128 + 128;
    CHECK(c.size.forward_macs == enc + dec);  // encoding and decoding do not use the discriminator
    CHECK(c.size.encoder_macs == enc);
    CHECK(c.size.discriminator_macs == disc);
    CHECK(c.reconstruct_flops_per_sample == 2.0 * double(enc + dec));
    // Reconstruction (forward, both gradients but the first layer's dx); the codes again; the
    // discriminator on two rows per image, forward and backward; the generator's pass through
    // it and back through the encoder.
    const double first = 784.0 * 400;
    CHECK(c.train_flops_per_sample == 2.0 * (3.0 * double(enc + dec) - first) +
                                          2.0 * (double(enc) + 6.0 * double(disc) + 3.0 * double(disc) +
                                                 2.0 * double(enc) - first));
    const std::uint64_t p_enc = 784 * 400 + 400 + 400 * 2 + 2, p_dec = 2 * 400 + 400 + 400 * 784 + 784;
    const std::uint64_t p_disc = 2 * 128 + 128 + 128 * 128 + 128 + 128 + 1;
    CHECK(c.size.parameters == p_enc + p_dec + p_disc);
    CHECK(c.size.encoder_parameters == p_enc);
    // Weights and gradients of all three parts, Adam's two slots for each, and two more for the
    // encoder (the generator phase's own optimizer).
    CHECK(c.model_bytes == 4 * (2 * (p_enc + p_dec + p_disc) + 2 * (p_enc + p_dec + p_disc + p_enc)));
    Session s;
    s.configure(R"({"variant":"aae"})", "{}");
    CHECK(s.model().parameter_count() == c.size.parameters);
}

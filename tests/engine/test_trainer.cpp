// The trainer: determinism from the seed for every variant, noise on inputs only, the
// learning rate following its schedule, evaluation that never disturbs training, resuming
// from a saved position, and training steps that allocate nothing.
#include <doctest/doctest.h>

#include <cstdlib>
#include <new>

#include "core/error.hpp"
#include "data/noise.hpp"
#include "losses/bce.hpp"
#include "optim/lr_schedule.hpp"
#include "train/cost.hpp"
#include "train/session.hpp"
#include "train/trainer.hpp"

#include "toy_data.hpp"

// Counts every allocation through the global operator new, so a test can assert that a
// window of code allocates nothing, and the bytes live at any moment (each block carries its
// size in a 16-byte prefix), so a test can measure a peak.
namespace {
std::size_t g_allocations = 0;
std::size_t g_live_bytes = 0, g_peak_bytes = 0;
constexpr std::size_t kPrefix = 16;  // keeps malloc's alignment
}  // namespace
// Not inlined: GCC would otherwise see the prefix arithmetic at each call site and warn about
// a free() of a pointer operator new returned.
[[gnu::noinline]] void* operator new(std::size_t n) {
    ++g_allocations;
    if (n <= std::size_t(-1) - kPrefix)
        if (auto* p = static_cast<unsigned char*>(std::malloc(n + kPrefix))) {
            *reinterpret_cast<std::size_t*>(p) = n;
            g_live_bytes += n;
            if (g_live_bytes > g_peak_bytes) g_peak_bytes = g_live_bytes;
            return p + kPrefix;
        }
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
[[gnu::noinline]] void operator delete(void* p) noexcept {
    if (!p) return;
    auto* block = static_cast<unsigned char*>(p) - kPrefix;
    g_live_bytes -= *reinterpret_cast<std::size_t*>(block);
    std::free(block);
}
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { operator delete(p); }

using namespace ae;

namespace {

// n images of 6×6: a bar, horizontal or vertical, at one of six positions.
DatasetFile bars6(std::uint32_t n) { return toy::bars(n, 6, toy::Bars::RowsAndColumns, 200); }

struct Setup {
    const char* model;
    const char* train;
};

// Every variant, each with the randomness it can have switched on (dropout, noise, sampling).
const Setup kSetups[] = {
    {R"({"variant":"dense","input":[1,6,6],"encoder":[12],"latent":3,"dropout":0.2})", "{}"},
    {R"({"variant":"deep","input":[1,6,6],"encoder":[16,8],"latent":3,"batchnorm":true})",
     R"({"optimizer":"sgd","momentum":0.9,"nesterov":true,"lr":0.05})"},
    {R"({"variant":"sparse","input":[1,6,6],"encoder":[12],"latent":6})",
     R"({"sparsity_weight":0.2,"activity_l1":0.01,"weight_decay_l2":0.001})"},
    {R"({"variant":"denoising","input":[1,6,6],"encoder":[12],"latent":3})",
     R"({"noise":"gaussian","noise_amount":0.3,"optimizer":"rmsprop","lr":0.003})"},
    {R"({"variant":"vae","input":[1,6,6],"encoder":[12],"latent":2,"dropout":0.1})",
     R"({"kl_weight":0.5,"clip_norm":5,"schedule":"cosine","cosine_epochs":2})"},
    {R"({"variant":"conv","input":[1,6,6],"conv":{"channels":[2,3]},"latent":3,"batchnorm":true})",
     R"({"noise":"salt_pepper","noise_amount":0.1,"weight_decay_l1":0.0001})"},
    {R"({"variant":"conv_vae","input":[1,6,6],"conv":{"channels":[2]},"encoder":[6],"latent":2,"dropout":0.1})",
     R"({"noise":"masking","noise_amount":0.2,"schedule":"exponential"})"},
};

TrainConfig with_seed(const char* train, std::uint64_t seed) {
    TrainConfig t = parse_train_config(R"({"batch_size":8,"lr":0.01})");
    t = parse_train_config(train, t);
    t.seed = seed;
    return t;
}

std::vector<double> loss_sequence(const Setup& s, std::uint64_t seed, const DatasetFile& data, int steps) {
    Trainer t(parse_model_config(s.model), with_seed(s.train, seed));
    t.set_data(&data);
    std::vector<double> out;
    for (int i = 0; i < steps; ++i) {
        const StepStats st = t.train_steps(1);
        out.push_back(st.loss.recon);
        out.push_back(st.loss.total());
    }
    return out;
}

}  // namespace

TEST_CASE("the same seed gives the same loss sequence for every variant; another seed does not") {
    const DatasetFile data = bars6(20);  // 8 + 8 + 4: partial batches included
    for (const Setup& s : kSetups) {
        INFO(s.model << " " << s.train);
        const auto a = loss_sequence(s, 11, data, 12);
        CHECK(a == loss_sequence(s, 11, data, 12));
        CHECK(a != loss_sequence(s, 12, data, 12));
    }
}

TEST_CASE("noise is applied to the inputs only: the target stays clean") {
    const DatasetFile data = bars6(8);
    for (const char* noise : {"gaussian", "masking", "salt_pepper"}) {
        INFO("noise " << noise);
        const ModelConfig mc = parse_model_config(R"({"variant":"denoising","input":[1,6,6],"encoder":[10],"latent":3})");
        const TrainConfig tc = with_seed((std::string(R"({"noise_amount":0.4,"noise":")") + noise + "\"}").c_str(), 4);
        Trainer t(mc, tc);
        t.set_data(&data);

        // Replay the step's draws: the epoch's shuffle, then the corruption of the batch.
        Rng replay;
        replay.set_state(t.rng().state());
        std::vector<std::uint32_t> order{0, 1, 2, 3, 4, 5, 6, 7};
        replay.shuffle(order);
        Mat clean({8, 36}), noisy;
        for (std::size_t i = 0; i < 8; ++i) pixels_to_unit(data.pixels.data() + order[i] * 36, 1, 36, clean.data() + i * 36);
        corrupt(parse_noise(noise), 0.4, clean, noisy, replay);
        CHECK(noisy != clean);

        // The same model, evaluated by hand on (noisy input, clean target) before the update.
        Autoencoder& m = t.model();
        const Context ctx{Mode::Eval, &replay};
        const double noisy_to_clean = m.loss(noisy, clean, ctx).recon;
        const double noisy_to_noisy = m.loss(noisy, noisy, ctx).recon;
        const double clean_to_clean = m.loss(clean, clean, ctx).recon;

        const double reported = t.train_steps(1).loss.recon;
        CHECK(reported == doctest::Approx(noisy_to_clean).epsilon(1e-6));
        CHECK(reported != doctest::Approx(noisy_to_noisy).epsilon(1e-6));
        CHECK(reported != doctest::Approx(clean_to_clean).epsilon(1e-6));
    }
}

TEST_CASE("the reported learning rate follows the schedule, step by step") {
    const DatasetFile data = bars6(40);  // batch 10: 4 steps per epoch
    const ModelConfig mc = parse_model_config(R"({"input":[1,6,6],"encoder":[8],"latent":2})");
    SUBCASE("step: halves every epoch") {
        Trainer t(mc, parse_train_config(R"({"lr":0.1,"schedule":"step","batch_size":10})"));
        t.set_data(&data);
        const double expect[] = {0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025};
        for (double e : expect) CHECK(t.train_steps(1).lr == doctest::Approx(e));
    }
    SUBCASE("cosine: a function of the fractional epoch steps / 4") {
        ScheduleConfig s;
        s.name = "cosine";
        s.cosine_epochs = 2;
        s.min_lr = 0.001;
        Trainer t(mc, parse_train_config(R"({"lr":0.1,"schedule":"cosine","cosine_epochs":2,"min_lr":0.001,"batch_size":10})"));
        t.set_data(&data);
        for (int k = 0; k < 12; ++k) {
            INFO("step " << k);
            CHECK(t.lr() == doctest::Approx(scheduled_lr(0.1, s, k / 4.0)));
            CHECK(t.train_steps(1).lr == doctest::Approx(scheduled_lr(0.1, s, k / 4.0)));
        }
        CHECK(t.lr() == doctest::Approx(0.001));
    }
    SUBCASE("a schedule set mid-training applies from the current epoch") {
        Trainer t(mc, parse_train_config(R"({"lr":0.1,"batch_size":10})"));
        t.set_data(&data);
        t.train_steps(6);  // epoch 1.5
        t.set_config(parse_train_config(R"({"schedule":"exponential","gamma":0.5})", t.config()));
        CHECK(t.train_steps(1).lr == doctest::Approx(0.1 * std::pow(0.5, 1.5)));
        CHECK(t.train_steps(3).lr == doctest::Approx(0.1 * std::pow(0.5, 2.25)));
    }
}

TEST_CASE("evaluation repeats exactly and does not disturb the training stream") {
    const DatasetFile data = bars6(24);
    for (const Setup& s : kSetups) {
        INFO(s.model << " " << s.train);
        Trainer a(parse_model_config(s.model), with_seed(s.train, 3));
        Trainer b(parse_model_config(s.model), with_seed(s.train, 3));
        a.set_data(&data);
        b.set_data(&data);
        for (int i = 0; i < 5; ++i) {
            const LossTerms e1 = b.evaluate(data, 0, 10);
            const LossTerms e2 = b.evaluate(data, 0, 10);
            CHECK(e1.total() == e2.total());
            CHECK(a.train_steps(1).loss.total() == b.train_steps(1).loss.total());
        }
    }
}

TEST_CASE("a VAE's evaluation samples z; its reconstructions use mu") {
    const DatasetFile data = bars6(12);
    Trainer t(parse_model_config(R"({"variant":"vae","input":[1,6,6],"encoder":[12],"latent":2})"),
              with_seed("{}", 5));
    t.set_data(&data);
    t.train_steps(20);
    Mat x({12, 36});
    pixels_to_unit(data.pixels.data(), 12, 36, x.data());
    const Context ctx{Mode::Eval, &t.rng()};
    // The deterministic reconstruction decodes μ; the BCE of its logits is not what evaluate reports.
    const Mat mu = t.model().encode(x, ctx);
    Mat logits = t.model().decoder().forward(mu, ctx);
    const double recon_at_mu = bce_with_logits(logits, x, nullptr);
    const LossTerms e = t.evaluate(data);
    CHECK(e.kl > 0);
    CHECK(e.recon != doctest::Approx(recon_at_mu).epsilon(1e-6));
    // Two different seeds' evaluation draws give different values for the same weights.
    TrainConfig other = t.config();
    other.seed = 99;
    t.set_config(other);
    CHECK(t.evaluate(data).recon != doctest::Approx(e.recon).epsilon(1e-9));
}

TEST_CASE("restoring a saved position continues training exactly") {
    const DatasetFile data = bars6(20);
    for (const Setup& s : kSetups) {
        INFO(s.model << " " << s.train);
        Trainer a(parse_model_config(s.model), with_seed(s.train, 8));
        a.set_data(&data);
        a.train_steps(4);  // mid-epoch: 20 images, batch 8 → 3 steps per epoch

        // What a model file keeps: params, buffers, optimizer slots and steps, position.
        Trainer b(parse_model_config(s.model), with_seed(s.train, 1234));
        auto copy = [](const std::vector<Param*>& from, const std::vector<Param*>& to) {
            for (std::size_t i = 0; i < from.size(); ++i) to[i]->value = from[i]->value;
        };
        copy(a.model().params(), b.model().params());
        copy(a.model().buffers(), b.model().buffers());
        auto sa = a.optimizer().slots(), sb = b.optimizer().slots();
        for (std::size_t i = 0; i < sa.size(); ++i) *sb[i].second = *sa[i].second;
        b.optimizer().set_steps(a.optimizer().steps());
        b.restore_position(a.position());  // before the data is loaded, as a model file does
        b.set_data(&data);
        CHECK(b.step() == 4);
        CHECK(b.epoch() == 1);
        CHECK(b.lr() == a.lr());

        for (int i = 0; i < 7; ++i) {
            const StepStats x = a.train_steps(1), y = b.train_steps(1);
            CHECK(x.loss.total() == y.loss.total());
            CHECK(x.epoch_progress == y.epoch_progress);
        }
    }
    SUBCASE("a position past the end of the set is refused") {
        Trainer a(parse_model_config(kSetups[0].model), with_seed("{}", 1));
        a.set_data(&data);
        a.train_steps(2);
        Trainer::Position p = a.position();
        CHECK(p.position == 16);
        const DatasetFile small = bars6(10);
        Trainer b(parse_model_config(kSetups[0].model), with_seed("{}", 1));
        b.set_data(&small);
        CHECK_THROWS_WITH_AS(b.restore_position(p), doctest::Contains("past the end of the training set (10 images)"),
                             Error);
    }
}

TEST_CASE("with batch norm, a last batch of a single image is skipped, not an error") {
    const DatasetFile data = bars6(17);  // 8 + 8 + 1
    Trainer t(parse_model_config(R"({"input":[1,6,6],"encoder":[8],"latent":2,"batchnorm":true})"),
              with_seed("{}", 2));
    t.set_data(&data);
    CHECK_FALSE(t.train_steps(1).epoch_end);
    const StepStats s = t.train_steps(1);
    CHECK(s.epoch_end);
    CHECK(s.epoch == 1);
    CHECK(t.train_steps(2).samples == 16);
}

TEST_CASE("a training step at a fixed batch size allocates nothing") {
    const DatasetFile data = bars6(32);  // batch 8 divides it: every batch has the same size
    {
        const std::size_t before = g_allocations;  // the counter sees allocations
        const Mat m({3, 3});
        CHECK(g_allocations > before);
    }
    for (const Setup& s : kSetups) {
        INFO(s.model << " " << s.train);
        Trainer t(parse_model_config(s.model), with_seed(s.train, 5));
        t.set_data(&data);
        t.train_steps(2);  // buffers sized
        const std::size_t before = g_allocations;
        t.train_steps(9);  // across an epoch boundary
        CHECK(g_allocations - before == 0);
    }
}

TEST_CASE("the memory estimate bounds what training, evaluation, inference, saving and restoring really hold") {
    // Every variant at a batch above and below the evaluation chunk: the bytes live at the
    // peak of configure, three steps, an evaluation of 600 images (500 + 100), a reconstruction
    // of 100, a save with optimizer state and loading it back, above what the loaded datasets
    // hold, stay within
    // train/cost.hpp's peak_bytes, and reach a fair share of it (the count is not a wild guess).
    const char* models[] = {
        R"({"variant":"dense","encoder":[256],"latent":16,"dropout":0.2})",
        R"({"variant":"deep","encoder":[256,128],"latent":8,"batchnorm":true})",
        R"({"variant":"vae","encoder":[128],"latent":4})",
        R"({"variant":"conv","conv":{"channels":[8,16]},"latent":8,"batchnorm":true,"dropout":0.1})",
        R"({"variant":"conv_vae","conv":{"channels":[8,16],"stride":1},"encoder":[32],"latent":4})",
    };
    const char* trains[] = {R"({"batch_size":32,"noise":"gaussian"})", R"({"batch_size":640,"optimizer":"sgd"})"};
    Session s;
    s.set_dataset(Split::Train, toy::bars(700, 28));
    s.set_dataset(Split::Test, toy::bars(600, 28));
    std::vector<std::uint32_t> first(100);
    for (std::uint32_t i = 0; i < 100; ++i) first[i] = i;
    const std::vector<float> x = s.images(Split::Test, first);
    for (const char* model : models)
        for (const char* train : trains) {
            INFO(model << " " << train);
            const TrainingCost c = training_cost(parse_model_config(model), parse_train_config(train));
            Session fresh;  // nothing of the previous model left
            fresh.set_dataset(Split::Train, toy::bars(700, 28));
            fresh.set_dataset(Split::Test, toy::bars(600, 28));
            const std::size_t base = g_live_bytes;
            g_peak_bytes = base;
            fresh.configure(model, train);
            fresh.train_steps(3);
            fresh.evaluate(Split::Test);
            const std::vector<float> y = fresh.reconstruct(x, 100);
            const std::vector<std::uint8_t> file = fresh.save_model("{}");
            fresh.load_model(file.data(), file.size());  // a rollback to that copy
            const double used = double(g_peak_bytes - base);
            INFO("measured peak " << used << " bytes, estimated " << c.peak_bytes);
            CHECK(used <= double(c.peak_bytes));
            CHECK(used >= 0.25 * double(c.peak_bytes));
        }
}

// The engine's public face: configs, training, inference, and the errors a caller can cause.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "train/cost.hpp"
#include "train/session.hpp"

#include "error_of.hpp"
#include "toy_data.hpp"

using namespace ae;

namespace {

const char* kSeedModel =
    R"({"variant":"dense","input":[1,28,28],"encoder":[400],"latent":20,"activation":"relu","output":"sigmoid","loss":"bce"})";
using toy::kSmallModel;
using toy::kSmallTrain;

// An AEDS file of n 4×4 images: bars in one of four rows, labelled by row.
std::vector<std::uint8_t> bars_dataset(std::uint32_t n) { return toy::aeds_bytes(toy::bars(n, 4)); }

}  // namespace

TEST_CASE("the seed model has the seed documents' shape: 644,804 parameters") {
    Session s;
    s.configure(kSeedModel, "{}");
    CHECK(s.model().input_size() == 784);
    CHECK(s.model().latent_size() == 20);
    CHECK(s.model().parameter_count() == 644804);
}

TEST_CASE("training on a toy dataset lowers the loss, and inference has the right shapes") {
    Session s;
    s.configure(kSmallModel, kSmallTrain);
    const auto bytes = bars_dataset(64);
    s.load_dataset(Split::Train, bytes.data(), bytes.size());
    s.load_dataset(Split::Test, bytes.data(), bytes.size());
    const double before = s.evaluate(Split::Test).recon;
    StepStats st = s.train_steps(200);
    CHECK(st.steps == 200);
    CHECK(st.samples == 200 * 8);
    CHECK(st.step == 200);
    CHECK(st.epoch == 200 * 8 / 64);
    const double after = s.evaluate(Split::Test).recon;
    CHECK(after < 0.5 * before);

    const auto x = s.images(Split::Test, {0, 1, 2});
    CHECK(x.size() == 3 * 16);
    CHECK(s.reconstruct(x, 3).size() == 3 * 16);
    const auto z = s.encode(x, 3);
    CHECK(z.size() == 3 * 2);
    CHECK(s.decode(z, 3).size() == 3 * 16);
    CHECK(s.labels(Split::Test, {0, 1, 2, 3}) == std::vector<std::uint8_t>{0, 1, 2, 3});
}

TEST_CASE("the same seed gives the same loss sequence; another seed does not") {
    const auto bytes = bars_dataset(40);
    auto run = [&](const char* train) {
        Session s;
        s.configure(kSmallModel, train);
        s.load_dataset(Split::Train, bytes.data(), bytes.size());
        std::vector<double> losses;
        for (int i = 0; i < 12; ++i) losses.push_back(s.train_steps(1).loss.recon);
        return losses;
    };
    CHECK(run(kSmallTrain) == run(kSmallTrain));
    CHECK(run(kSmallTrain) != run(R"({"lr":0.01,"batch_size":8,"seed":6})"));
}

TEST_CASE("epochs: the last partial batch is kept and epoch_end is reported once per pass") {
    Session s;
    s.configure(kSmallModel, R"({"batch_size":16})");
    const auto bytes = bars_dataset(40);  // 16 + 16 + 8
    s.load_dataset(Split::Train, bytes.data(), bytes.size());
    StepStats a = s.train_steps(2);
    CHECK_FALSE(a.epoch_end);
    CHECK(a.epoch_progress == doctest::Approx(32.0 / 40));
    StepStats b = s.train_steps(1);
    CHECK(b.epoch_end);
    CHECK(b.samples == 8);
    CHECK(b.epoch == 1);
}

TEST_CASE("changing the learning rate keeps weights and optimizer state") {
    Session s;
    s.configure(kSmallModel, kSmallTrain);
    const auto bytes = bars_dataset(32);
    s.load_dataset(Split::Train, bytes.data(), bytes.size());
    s.train_steps(5);
    const auto x = s.images(Split::Train, {0});
    const auto before = s.reconstruct(x, 1);
    s.set_training(R"({"lr":0.0001})");
    CHECK(s.reconstruct(x, 1) == before);
    CHECK(s.trainer().config().optimizer.lr == doctest::Approx(1e-4));
    CHECK(s.trainer().config().batch_size == 8);  // untouched keys keep their values
    CHECK(s.trainer().step() == 5);
}

TEST_CASE("bad configs are refused with a message that says what is wrong") {
    Session s;
    CHECK(error_of([&] { s.configure(R"({"latent":0})", "{}"); }).find("'latent' must be an integer in [1") !=
          std::string::npos);
    CHECK(error_of([&] { s.configure(R"({"encoder":[400,-3]})", "{}"); }).find("'encoder' must be in [1") !=
          std::string::npos);
    CHECK(error_of([&] { s.configure(R"({"variant":"banana"})", "{}"); }).find("unknown variant 'banana'") !=
          std::string::npos);
    CHECK(error_of([&] { s.configure(R"({"laten":3})", "{}"); }).find("unknown key 'laten'") != std::string::npos);
    CHECK(error_of([&] { s.configure(R"({"activation":"swish"})", "{}"); }).find("unknown activation 'swish'") !=
          std::string::npos);
    CHECK(error_of([&] { s.configure(R"({"loss":"bce","output":"tanh"})", "{}"); }).find("needs output 'sigmoid'") !=
          std::string::npos);
    CHECK(error_of([&] { s.configure(kSmallModel, R"({"lr":null})"); }).find("'lr' is null") != std::string::npos);
    CHECK(error_of([&] { s.configure(kSmallModel, R"({"lr":-1})"); }).find("'lr' must be a number in") !=
          std::string::npos);
    CHECK(error_of([&] { s.configure(kSmallModel, R"({"batch_size":0})"); }).find("'batch_size'") !=
          std::string::npos);
    CHECK(error_of([&] { s.configure("{not json", "{}"); }).find("model config is not valid JSON") !=
          std::string::npos);
    CHECK_FALSE(s.configured());  // nothing half-built was kept
}

TEST_CASE("a failed reconfiguration keeps the previous model") {
    Session s;
    s.configure(kSmallModel, kSmallTrain);
    CHECK_THROWS_AS(s.configure(R"({"latent":-1})", "{}"), Error);
    CHECK(s.configured());
    CHECK(s.model().latent_size() == 2);
}

TEST_CASE("shape mismatches and missing data are errors, not crashes") {
    Session s;
    CHECK(error_of([&] { s.train_steps(1); }).find("no model") != std::string::npos);
    s.configure(kSmallModel, kSmallTrain);
    CHECK(error_of([&] { s.train_steps(1); }).find("no training data") != std::string::npos);
    const std::vector<float> wrong(7, 0.f);  // one image of this model has 16 pixels, a code 2 values
    CHECK(error_of([&] { s.reconstruct(wrong, 1); }) == "reconstruct: expected 1 x 16 = 16 values, got 7");
    CHECK(error_of([&] { s.encode(wrong, 1); }) == "encode: expected 1 x 16 = 16 values, got 7");
    CHECK(error_of([&] { s.decode(wrong, 3); }) == "decode: expected 3 x 2 = 6 values, got 7");
    const auto seed_sized = toy::aeds_bytes(toy::bars(1, 28));
    CHECK(error_of([&] { s.load_dataset(Split::Train, seed_sized.data(), seed_sized.size()); })
              .find("model expects 16") != std::string::npos);
    CHECK(error_of([&] { s.images(Split::Test, {0}); }).find("no test set") != std::string::npos);
}

TEST_CASE("a count times a size that overflows size_t is refused, and the session keeps working") {
    Session s;
    s.configure(kSmallModel, kSmallTrain);
    // n · 16 wraps around to 16 in size_t (32 bits in WebAssembly, 64 natively): without the
    // check, one image's buffer would pass for n images and the model would write past it.
    const std::size_t n = std::numeric_limits<std::size_t>::max() / 16 + 2;
    const std::vector<float> one(16, 0.5f);
    const Error e = thrown([&] { s.reconstruct(one, n); });
    CHECK(e.code() == "count_overflow");
    CHECK(e.text("what") == "reconstruct");
    CHECK(e.number("size") == 16);
    CHECK(std::string(e.what()).rfind("reconstruct: " + std::to_string(n) + " x 16 values is more than this engine ", 0) == 0);
    CHECK(thrown([&] { s.decode(one, std::numeric_limits<std::size_t>::max() / 2 + 1); }).code() == "count_overflow");
    CHECK(s.reconstruct(one, 1).size() == 16);
}

TEST_CASE("inference of any number of images goes through the model a chunk at a time") {
    Session s;
    s.configure(kSmallModel, kSmallTrain);
    const std::size_t chunk = s.trainer().eval_rows();
    CHECK(chunk == kEvalRows);  // a small model's forward buffers fit any chunk
    const std::size_t n = 2 * chunk + 200;
    std::vector<float> x(n * 16);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = float((i * 7919) % 256) / 255.0f;
    const std::vector<float> all = s.reconstruct(x, n);
    REQUIRE(all.size() == n * 16);
    // The first and the last chunk, reconstructed alone, give the same values.
    const std::vector<float> head(x.begin(), x.begin() + chunk * 16);
    const std::vector<float> tail(x.begin() + 2 * chunk * 16, x.end());
    CHECK(s.reconstruct(head, chunk) == std::vector<float>(all.begin(), all.begin() + chunk * 16));
    CHECK(s.reconstruct(tail, 200) == std::vector<float>(all.begin() + 2 * chunk * 16, all.end()));
    CHECK(s.encode(x, n).size() == n * 2);
}

TEST_CASE("a diverging run stops with an explanation, as a coded error, and leaves the weights untouched") {
    Session s;
    s.configure(kSmallModel, R"({"lr":10,"batch_size":8,"seed":1,"optimizer":"adam"})");
    const auto bytes = bars_dataset(32);
    s.load_dataset(Split::Train, bytes.data(), bytes.size());
    // Poison the output bias: the next forward pass produces a NaN loss.
    s.model().params().back()->value[0] = std::nanf("");
    const Error e = thrown([&] { s.train_steps(1); });
    CHECK(std::string(e.what()) ==
          "training diverged: the loss became nan at step 1 (its recon term); the weights were not updated. Lower the "
          "learning rate or reset the model.");
    CHECK(e.code() == "diverged");
    CHECK(e.number("step") == 1);
    CHECK(e.text("value") == "nan");
    CHECK(e.text("term") == "recon");
    CHECK(e.text("phase") == "training");
    CHECK(e.number("lr") == 10);
    CHECK(s.trainer().step() == 0);
}

TEST_CASE("posterior: a VAE's mean and log-variance per image; its mean is the code encode gives") {
    Session s;
    s.configure(R"({"variant":"vae","input":[1,4,4],"encoder":[8],"latent":3,"activation":"relu","output":"sigmoid","loss":"bce"})", kSmallTrain);
    const auto bytes = bars_dataset(16);
    s.load_dataset(Split::Test, bytes.data(), bytes.size());
    const auto x = s.images(Split::Test, {0, 1});
    const auto post = s.posterior(x, 2);
    const auto mu = s.encode(x, 2);
    REQUIRE(post.size() == 2 * 6);
    for (std::size_t n = 0; n < 2; ++n)
        for (std::size_t j = 0; j < 3; ++j) {
            CHECK(post[n * 6 + j] == doctest::Approx(mu[n * 3 + j]));  // μ
            CHECK(std::isfinite(post[n * 6 + 3 + j]));                   // log σ²
        }
    // Not a VAE: refused with a message naming the variant.
    s.configure(kSmallModel, kSmallTrain);
    CHECK(error_of([&] { s.posterior(x, 2); }).find("only a VAE") != std::string::npos);
}

TEST_CASE("an update that makes a weight or an optimizer value non-finite is divergence, though the loss was finite") {
    const auto bytes = bars_dataset(32);
    SUBCASE("a weight: SGD's momentum buffer poisoned with infinity carries it into the weights") {
        Session s;
        s.configure(kSmallModel, R"({"lr":0.1,"batch_size":8,"optimizer":"sgd","momentum":0.9})");
        s.load_dataset(Split::Train, bytes.data(), bytes.size());
        s.train_steps(2);
        s.trainer().optimizer().slots()[1].second->data()[3] = std::numeric_limits<float>::infinity();
        const Error e = thrown([&] { s.train_steps(1); });
        CHECK(e.code() == "diverged");
        CHECK(e.text("term") == "weights");
        CHECK(e.text("tensor") == "encoder.0.bias");
        CHECK(e.number("step") == 3);
        CHECK(std::string(e.what()).rfind("training diverged: the weights became ", 0) == 0);
        CHECK(std::string(e.what()).find(" at step 3 (encoder.0.bias[3]) although the loss was finite.") !=
              std::string::npos);
        // Nothing saves it.
        const Error save = thrown([&] { s.save_model(""); });
        CHECK(save.code() == "nonfinite_model");
        CHECK(save.text("tensor") == "encoder.0.bias");
        CHECK(save.number("index") == 3);
    }
    SUBCASE("an optimizer value: Adam's second moment poisoned with infinity leaves the weights finite") {
        Session s;
        s.configure(kSmallModel, R"({"lr":0.01,"batch_size":8,"optimizer":"adam"})");
        s.load_dataset(Split::Train, bytes.data(), bytes.size());
        s.train_steps(1);
        auto slots = s.trainer().optimizer().slots();
        Vec* v0 = nullptr;
        for (auto& [name, vec] : slots)
            if (name == "adam.v.0") v0 = vec;
        REQUIRE(v0 != nullptr);
        (*v0)[5] = std::numeric_limits<float>::infinity();
        const Error e = thrown([&] { s.train_steps(1); });
        CHECK(e.code() == "diverged");
        CHECK(e.text("tensor") == "optimizer.adam.v.0");
        CHECK(e.text("value") == "inf");
        CHECK(thrown([&] { s.save_model(""); }).text("tensor") == "optimizer.adam.v.0");
    }
}

TEST_CASE("a non-finite evaluation loss is divergence too") {
    Session s;
    s.configure(kSmallModel, kSmallTrain);
    const auto bytes = bars_dataset(16);
    s.load_dataset(Split::Test, bytes.data(), bytes.size());
    s.model().params().front()->value[0] = std::numeric_limits<float>::infinity();
    const Error e = thrown([&] { s.evaluate(Split::Test); });
    CHECK(e.code() == "diverged");
    CHECK(e.text("phase") == "evaluation");
    CHECK(e.number("step") == 0);
    CHECK(std::string(e.what()).rfind("training diverged: the evaluation loss became ", 0) == 0);
}

// The adversarial autoencoder around its golden values (test_golden.cpp) and gradient checks
// (grad_adversary.cpp): the priors' samples and densities, training on toy data (codes move
// towards the prior, the same seed gives the same run), and what the session offers the page
// (prior samples, the codes' fit to the prior, the discriminator's view; the sequence
// variant's step-by-step decoding).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "models/prior.hpp"
#include "train/session.hpp"

#include "error_of.hpp"
#include "toy_data.hpp"

using namespace ae;

namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<Scalar> draw(PriorKind kind, std::size_t n, std::size_t Z, const std::uint8_t* components, std::uint64_t seed,
                         std::vector<std::uint8_t>* drawn = nullptr) {
    std::vector<Scalar> z(n * Z);
    Rng rng(seed);
    std::vector<std::uint8_t> k(n);
    sample_prior(kind, n, Z, components, rng, z.data(), k.data());
    if (drawn) *drawn = k;
    return z;
}

// ∫∫ p over [−6, 6]² by the midpoint rule.
double mass_2d(PriorKind kind) {
    const int steps = 600;
    const double h = 12.0 / steps;
    double sum = 0;
    for (int i = 0; i < steps; ++i)
        for (int j = 0; j < steps; ++j) {
            const Scalar z[2] = {Scalar(-6 + (i + 0.5) * h), Scalar(-6 + (j + 0.5) * h)};
            sum += std::exp(prior_log_density(kind, z, 2));
        }
    return sum * h * h;
}

}  // namespace

TEST_CASE("priors: the normal prior's samples have mean 0 and variance 1, its density is N(0, I)") {
    const std::size_t n = 20000, Z = 3;
    const std::vector<Scalar> z = draw(PriorKind::Normal, n, Z, nullptr, 7);
    for (std::size_t j = 0; j < Z; ++j) {
        double m = 0, v = 0;
        for (std::size_t i = 0; i < n; ++i) m += z[i * Z + j];
        m /= n;
        for (std::size_t i = 0; i < n; ++i) v += (z[i * Z + j] - m) * (z[i * Z + j] - m);
        v /= n;
        CHECK(std::fabs(m) < 0.03);  // 4 standard errors (1/√20000 = 0.007)
        CHECK(std::fabs(v - 1) < 0.04);
    }
    const Scalar at[3] = {Scalar(0.5), Scalar(-1), Scalar(2)};
    CHECK(prior_log_density(PriorKind::Normal, at, 3) ==
          doctest::Approx(-0.5 * (0.25 + 1 + 4) - 1.5 * std::log(2 * kPi)).epsilon(1e-6));
    CHECK(mass_2d(PriorKind::Normal) == doctest::Approx(1).epsilon(1e-3));
}

TEST_CASE("priors: the mixture puts each component on its own arm, and its density integrates to 1") {
    const std::size_t n = 5000, Z = 4;
    std::vector<std::uint8_t> comp(n);
    for (std::size_t i = 0; i < n; ++i) comp[i] = std::uint8_t(i % 10);
    const std::vector<Scalar> z = draw(PriorKind::Mixture, n, Z, comp.data(), 8);
    double radius = 0, across = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double th = 2 * kPi * comp[i] / 10;
        for (std::size_t p = 0; p < Z; p += 2) {
            const double x = z[i * Z + p], y = z[i * Z + p + 1];
            radius += x * std::cos(th) + y * std::sin(th);      // along the arm: mean R
            across += std::pow(-x * std::sin(th) + y * std::cos(th), 2);  // across it: variance σ_t²
        }
    }
    CHECK(radius / (n * 2) == doctest::Approx(kMixtureRadius).epsilon(0.01));
    CHECK(std::sqrt(across / (n * 2)) == doctest::Approx(kMixtureTangentialSd).epsilon(0.03));

    // Without components given, each of the ten is drawn about equally often.
    std::vector<std::uint8_t> drawn;
    draw(PriorKind::Mixture, 10000, 2, nullptr, 9, &drawn);
    std::vector<int> count(10, 0);
    for (std::uint8_t k : drawn) ++count[k];
    for (int c : count) CHECK(std::abs(c - 1000) < 130);  // 4 standard errors

    CHECK(mass_2d(PriorKind::Mixture) == doctest::Approx(1).epsilon(1e-3));
    // At the centre of arm 3, component 3 alone: log(1/10) + the two Gaussians' peaks.
    const double th = 2 * kPi * 3 / 10;
    const Scalar centre[2] = {Scalar(kMixtureRadius * std::cos(th)), Scalar(kMixtureRadius * std::sin(th))};
    CHECK(prior_log_density(PriorKind::Mixture, centre, 2) ==
          doctest::Approx(-std::log(10.0) - std::log(kMixtureRadialSd) - std::log(kMixtureTangentialSd) -
                          std::log(2 * kPi))
              .epsilon(1e-5));
}

TEST_CASE("priors: bad names, odd sizes and missing components are refused") {
    CHECK_ERROR(parse_prior("laplace"), "unknown prior 'laplace' (expected normal or mixture)");
    std::vector<Scalar> z(3);
    Rng rng(1);
    CHECK_ERROR(sample_prior(PriorKind::Mixture, 1, 3, nullptr, rng, z.data()),
                "prior 'mixture' needs an even code size, got 3");
    const std::uint8_t eleven = 11;
    CHECK_ERROR(sample_prior(PriorKind::Mixture, 1, 2, &eleven, rng, z.data()),
                "prior 'mixture' has 10 components; component 11 does not exist");
}

TEST_CASE("aae training: the codes move towards the prior, and the same seed gives the same run") {
    const DatasetFile data = toy::bars(80, 6, toy::Bars::Rows, toy::kShaded);  // 6 classes
    const char* model = R"({"variant":"aae","input":[1,6,6],"encoder":[24],"latent":2,"prior_labels":true,
                            "discriminator":[16,16]})";
    const char* train = R"({"lr":0.005,"batch_size":16,"seed":4})";
    auto run = [&](Session& s) {
        s.configure(model, train);
        s.set_dataset(Split::Train, data);
        s.set_dataset(Split::Test, data);
    };
    Session a, b;
    run(a);
    run(b);
    const double fit_before = a.prior_log_likelihood(Split::Test);
    const LossTerms before = a.evaluate(Split::Test);
    CHECK(before.disc > 0);
    CHECK(before.gen > 0);
    for (int i = 0; i < 400; ++i) {
        const StepStats sa = a.train_steps(1), sb = b.train_steps(1);
        REQUIRE(sa.loss.total() == sb.loss.total());
        REQUIRE(sa.loss.disc == sb.loss.disc);
        REQUIRE(sa.loss.gen == sb.loss.gen);
        REQUIRE(std::isfinite(sa.loss.disc));
    }
    const LossTerms after = a.evaluate(Split::Test);
    const double fit_after = a.prior_log_likelihood(Split::Test);
    INFO("recon " << before.recon << " → " << after.recon << ", log p(codes) " << fit_before << " → " << fit_after);
    CHECK(after.recon < 0.6 * before.recon);
    CHECK(fit_after > fit_before + 2);  // freshly initialised codes sit near the origin, far from the arms
    // Neither player wins outright: the discriminator's loss stays near its balance 2 ln 2.
    CHECK(after.disc > 0.5);
    CHECK(after.disc < 2.5);
    CHECK(after.total() == after.recon + after.weight_decay);  // the adversarial terms are apart
}

TEST_CASE("session: prior samples, the discriminator's view and the codes' fit, for the page") {
    Session s;
    s.configure(R"({"variant":"aae","input":[1,4,4],"encoder":[8],"latent":2,"prior_labels":true})", "{}");
    std::vector<std::uint8_t> comp;
    const std::vector<std::uint8_t> classes{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    const std::vector<float> z = s.sample_prior(10, 3, comp, classes.data());
    CHECK(z.size() == 20);
    CHECK(comp == classes);
    std::vector<std::uint8_t> comp2;
    CHECK(s.sample_prior(10, 3, comp2, classes.data()) == z);  // its own seed: the same samples again
    const std::vector<float> p = s.discriminate(z, 10, classes.data());
    REQUIRE(p.size() == 10);
    for (float v : p) CHECK((v > 0 && v < 1));
    CHECK_ERROR(s.discriminate(z, 10), "the discriminator of a model with prior_labels needs each image's class");
    CHECK_ERROR(s.prior_log_likelihood(Split::Test), "no test set loaded");
    s.set_dataset(Split::Test, toy::bars(12, 4));
    CHECK(std::isfinite(s.prior_log_likelihood(Split::Test)));
    CHECK(s.prior_log_likelihood(Split::Test, 2, 3) != s.prior_log_likelihood(Split::Test, 5, 3));

    Session d;
    d.configure(R"({"input":[1,4,4],"encoder":[8],"latent":2})", "{}");
    CHECK_ERROR(d.sample_prior(2, 1, comp), "variant 'dense' has no discriminator (only variant 'aae' has one)");
    CHECK_ERROR(d.decode_sequence(z, 1),
                "decoding step by step needs a recurrent model (variant 'sequence'), not 'dense'");
}

TEST_CASE("session: the sequence variant decodes row by row, each row from the steps before it") {
    Session s;
    s.configure(R"({"variant":"sequence","input":[1,5,4],"encoder":[6],"latent":3})", "{}");
    const std::vector<float> z{0.5f, -1.f, 2.f, 0.f, 0.3f, -0.2f};
    const Session::SequenceDecoding d = s.decode_sequence(z, 2);
    CHECK(d.steps == 5);
    CHECK(d.step_size == 4);
    CHECK(d.hidden == 6);
    CHECK(d.rows == s.decode(z, 2));
    CHECK(d.states.size() == 2 * 5 * 6);
    // A GRU state stays in (−1, 1).
    for (float h : d.states) CHECK((h > -1 && h < 1));
    // More codes than the model takes at a time (Trainer::eval_rows): every code's states are
    // its own, as when it is decoded alone.
    const std::size_t n = s.trainer().eval_rows() + 3;
    std::vector<float> many(n * 3);
    for (std::size_t i = 0; i < many.size(); ++i) many[i] = float(i % 7) * 0.25f - 0.75f;
    const Session::SequenceDecoding all = s.decode_sequence(many, n);
    const std::vector<float> last(many.end() - 3, many.end());
    const Session::SequenceDecoding one = s.decode_sequence(last, 1);
    CHECK(std::equal(one.states.begin(), one.states.end(), all.states.end() - 30));
    CHECK(std::equal(one.rows.begin(), one.rows.end(), all.rows.end() - 20));
    CHECK_ERROR(s.decode_sequence(z, 3), "decodeSteps: expected 3 x 3 = 9 values, got 6");
}

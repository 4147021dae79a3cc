// The softmax probe (analysis/softmax_probe.hpp) against scikit-learn's LogisticRegression
// (multinomial, lbfgs, tol 1e-10) after a StandardScaler (fixtures/applications.json), for C = 1
// and C = 0.05; standardisation; budgeted iterations; refusals.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "analysis/softmax_probe.hpp"
#include "apps_fixture.hpp"
#include "error_of.hpp"

using namespace ae;

TEST_CASE("the probe reaches scikit-learn's optimum: weights, intercepts, probabilities, predictions") {
    for (const auto& f : apps::fixture()["probe"]) {
        const double C = f["C"];
        CAPTURE(C);
        const std::size_t n = f["n"], nf = f["f"], k = f["classes"];
        const std::vector<float> x = apps::floats(f["x"]), test = apps::floats(f["test"]);
        const std::vector<std::uint8_t> y = apps::bytes(f["y"]);
        SoftmaxProbe p(x.data(), y.data(), n, nf, k, C, true);
        const std::vector<double> mean = apps::doubles(f["scaler_mean"]), scale = apps::doubles(f["scaler_scale"]);
        for (std::size_t j = 0; j < nf; ++j) {
            CHECK(p.scaler().mean[j] == doctest::Approx(mean[j]).epsilon(1e-6));
            CHECK(p.scaler().scale[j] == doctest::Approx(scale[j]).epsilon(1e-6));
        }
        // In budgeted calls of 7 iterations until done.
        ProbeStatus st;
        for (int calls = 0; calls < 1000 && !st.done; ++calls) {
            st = p.iterate(7);
            CHECK(st.iterations <= std::size_t(7 * (calls + 1)));
        }
        CHECK(st.converged);
        const std::vector<double> coef = apps::doubles(f["coef"]), b = apps::doubles(f["intercept"]);
        const std::vector<double>& theta = p.parameters();
        for (std::size_t i = 0; i < nf * k; ++i) CHECK(theta[i] == doctest::Approx(coef[i]).epsilon(1e-4).scale(1.0));
        for (std::size_t c = 0; c < k; ++c) CHECK(theta[nf * k + c] == doctest::Approx(b[c]).epsilon(1e-4).scale(1.0));
        const std::size_t m = test.size() / nf;
        std::vector<float> prob(m * k);
        p.probabilities(test.data(), m, prob.data());
        const std::vector<double> ref = apps::doubles(f["test_prob"]);
        for (std::size_t i = 0; i < m * k; ++i) CHECK(prob[i] == doctest::Approx(ref[i]).epsilon(1e-4).scale(1.0));
        std::vector<std::uint8_t> pred(m);
        p.predict(test.data(), m, pred.data());
        CHECK(pred == apps::bytes(f["test_pred"]));
    }
}

TEST_CASE("without standardisation the features are used as they are; refusals say what is wrong") {
    const std::vector<float> x = {0, 0, 1, 1, 2, 2, 3, 3};  // (4, 2)
    const std::vector<std::uint8_t> y = {0, 0, 1, 1};
    SoftmaxProbe p(x.data(), y.data(), 4, 2, 2, 1.0, false);
    CHECK(p.scaler().mean[0] == 0.0);
    CHECK(p.scaler().scale[1] == 1.0);
    while (!p.iterate(50).done) {}
    std::vector<std::uint8_t> pred(4);
    p.predict(x.data(), 4, pred.data());
    CHECK(pred == y);
    const std::vector<std::uint8_t> bad = {0, 3, 1, 1};
    CHECK(error_of([&] { SoftmaxProbe(x.data(), bad.data(), 4, 2, 2, 1.0, true); }) == "probe: label 3 of sample 1 is not below 2");
    CHECK(error_of([&] { SoftmaxProbe(x.data(), y.data(), 4, 2, 2, 0.0, true); }) == "probe: C must be > 0, got 0");
}

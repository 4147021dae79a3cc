// Gradient checks and closed-form values: the penalties (double-precision engine).
//   KL(N(μ, σ²) ‖ N(0, 1)) w.r.t. μ and log σ²; KL sparsity and L1 activity w.r.t. the code;
//   L1 and L2 weight decay w.r.t. the weights.
#include <xtensor/xview.hpp>

#include "core/error.hpp"
#include "gradcheck.hpp"
#include "losses/kl_normal.hpp"
#include "losses/sparsity.hpp"
#include "losses/weight_decay.hpp"

using namespace ae;
using namespace ae::test;

TEST_CASE("kl_normal: gradient w.r.t. mu and log_var") {
    Rng rng(21);
    const Mat s = random_mat(rng, 5, 2 * 3);  // (N, 2Z), Z = 3
    for (double beta : {1.0, 0.25}) {
        INFO("beta=" << beta);
        gradcheck_loss([&](const Mat& ss, Mat* ds) { return kl_normal(ss, beta, ds); }, s, "kl ds");
    }
}

TEST_CASE("kl_normal: closed-form values") {
    // One image, Z = 2: KL = Σ_j −½ (1 + lv − μ² − e^lv)
    Mat s({1, 4});
    SUBCASE("the prior itself: mu = 0, log_var = 0 gives 0") {
        s.fill(0);
        CHECK(kl_normal(s, 1.0, nullptr) == doctest::Approx(0.0));
    }
    SUBCASE("mu = (1, -2), log_var = (0, log 4)") {
        s(0, 0) = 1;
        s(0, 1) = -2;
        s(0, 2) = 0;
        s(0, 3) = Scalar(std::log(4.0));
        // j=0: −½ (1 + 0 − 1 − 1) = 0.5;  j=1: −½ (1 + ln 4 − 4 − 4) = 3.5 − ½ ln 4
        const double expect = 0.5 + 3.5 - 0.5 * std::log(4.0);
        CHECK(kl_normal(s, 1.0, nullptr) == doctest::Approx(expect).epsilon(1e-12));
        CHECK(kl_normal(s, 0.5, nullptr) == doctest::Approx(0.5 * expect).epsilon(1e-12));
    }
    SUBCASE("averaged over images: two copies of one row give the same value") {
        Mat two({2, 4});
        for (std::size_t j = 0; j < 4; ++j) two(0, j) = two(1, j) = Scalar(0.3 * double(j) - 0.4);
        const Mat one = xt::view(two, xt::range(0, 1), xt::all());
        CHECK(kl_normal(two, 1.0, nullptr) == doctest::Approx(kl_normal(one, 1.0, nullptr)).epsilon(1e-12));
    }
    CHECK_THROWS_AS(kl_normal(Mat({2, 3}), 1.0, nullptr), Error);  // odd width: not [mu | log_var]
}

TEST_CASE("sparsity KL: gradient w.r.t. the code, and the value of Ng's formula") {
    Rng rng(22);
    Mat c({6, 4});  // a sigmoid code: values in (0, 1)
    for (auto& v : c) v = Scalar(rng.uniform(0.05, 0.95));
    for (double rho : {0.05, 0.3}) {
        INFO("rho=" << rho);
        gradcheck_loss([&](const Mat& cc, Mat* dc) { return sparsity_kl(cc, rho, 0.7, dc); }, c, "sparsity dc");
    }
    double expect = 0;
    for (std::size_t j = 0; j < 4; ++j) {
        double mean = 0;
        for (std::size_t n = 0; n < 6; ++n) mean += c(n, j) / 6.0;
        expect += 0.1 * std::log(0.1 / mean) + 0.9 * std::log(0.9 / (1 - mean));
    }
    CHECK(sparsity_kl(c, 0.1, 2.0, nullptr) == doctest::Approx(2.0 * expect).epsilon(1e-12));

    Mat at_target({3, 2});
    at_target.fill(Scalar(0.2));
    CHECK(sparsity_kl(at_target, 0.2, 1.0, nullptr) == doctest::Approx(0.0));

    Mat saturated({2, 1});
    saturated.fill(Scalar(1));
    CHECK(std::isfinite(sparsity_kl(saturated, 0.05, 1.0, nullptr)));
}

TEST_CASE("L1 activity: gradient w.r.t. the code and its value") {
    Rng rng(23);
    Mat c = random_mat(rng, 5, 3);
    for (auto& v : c)
        if (std::fabs(v) < 1e-3) v = Scalar(0.5);  // keep away from the kink at 0
    gradcheck_loss([&](const Mat& cc, Mat* dc) { return activity_l1(cc, 0.3, dc); }, c, "activity dc");
    double expect = 0;
    for (auto v : c) expect += std::fabs(double(v));
    CHECK(activity_l1(c, 0.3, nullptr) == doctest::Approx(0.3 * expect / 5).epsilon(1e-12));
}

TEST_CASE("weight decay: L1 and L2 gradients w.r.t. the weights; biases are not decayed") {
    Rng rng(24);
    Param w({3, 4}, true), b({4}, false);
    for (auto& v : w.value) v = Scalar(rng.normal());
    for (auto& v : b.value) v = Scalar(rng.normal());
    std::vector<Param*> ps{&w, &b};
    for (const auto& rates : {std::pair{0.1, 0.0}, {0.0, 0.05}, {0.3, 0.02}}) {
        const double l2 = rates.first, l1 = rates.second;  // not a structured binding: INFO captures it
        INFO("l2=" << l2 << " l1=" << l1);
        w.grad.fill(0);
        b.grad.fill(0);
        const double value = weight_decay(ps, l2, l1, true);
        double sq = 0, abs = 0;
        for (auto v : w.value) sq += double(v) * double(v), abs += std::fabs(double(v));
        CHECK(value == doctest::Approx(l2 * 0.5 * sq + l1 * abs).epsilon(1e-12));
        for (std::size_t i = 0; i < w.size(); ++i) {
            const Scalar keep = w.value[i];
            const double h = 1e-6;
            w.value[i] = keep + h;
            const double lp = weight_decay(ps, l2, l1, false);
            w.value[i] = keep - h;
            const double lm = weight_decay(ps, l2, l1, false);
            w.value[i] = keep;
            check_close(w.grad[i], (lp - lm) / (2 * h), "weight decay dw[" + std::to_string(i) + "]");
        }
        for (auto g : b.grad) CHECK(g == 0);
    }
    SUBCASE("the gradient is added to what backward wrote") {
        w.grad.fill(Scalar(1));
        weight_decay(ps, 0.5, 0.0, true);
        for (std::size_t i = 0; i < w.size(); ++i) CHECK(w.grad[i] == doctest::Approx(1 + 0.5 * w.value[i]));
    }
}

// Gradient checks: reconstruction losses (double-precision engine).
#include "gradcheck.hpp"
#include "losses/bce.hpp"
#include "losses/mse.hpp"

using namespace ae;
using namespace ae::test;

TEST_CASE("bce_with_logits: value and gradient") {
    Rng rng(11);
    Mat z = random_mat(rng, 4, 9, 3.0);
    Mat t({4, 9});
    for (auto& v : t) v = Scalar(rng.uniform());
    gradcheck_loss([&](const Mat& zz, Mat* dz) { return bce_with_logits(zz, t, dz); }, z, "bce dz");

    SUBCASE("equals -t log p - (1-t) log(1-p) per image") {
        double expect = 0;
        for (std::size_t i = 0; i < z.size(); ++i) {
            const double p = 1 / (1 + std::exp(-double(z.data()[i])));
            const double ti = t.data()[i];
            expect -= ti * std::log(p) + (1 - ti) * std::log(1 - p);
        }
        CHECK(bce_with_logits(z, t, nullptr) == doctest::Approx(expect / 4).epsilon(1e-12));
    }
    SUBCASE("stable for huge logits") {
        Mat big({1, 2});
        big(0, 0) = 800;
        big(0, 1) = -800;
        Mat tt({1, 2});
        tt(0, 0) = 0;
        tt(0, 1) = 1;
        const double v = bce_with_logits(big, tt, nullptr);
        CHECK(std::isfinite(v));
        CHECK(v == doctest::Approx(1600));
    }
}

TEST_CASE("mse: value and gradient") {
    Rng rng(12);
    Mat y = random_mat(rng, 3, 6);
    Mat t = random_mat(rng, 3, 6);
    gradcheck_loss([&](const Mat& yy, Mat* dy) { return mse(yy, t, dy); }, y, "mse dy");
    double expect = 0;
    for (std::size_t i = 0; i < y.size(); ++i) expect += std::pow(double(y.data()[i] - t.data()[i]), 2);
    CHECK(mse(y, t, nullptr) == doctest::Approx(expect / 3).epsilon(1e-12));
}

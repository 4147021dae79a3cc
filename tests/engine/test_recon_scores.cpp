// Per-image reconstruction scores (analysis/recon_scores.hpp), computed by hand.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "analysis/recon_scores.hpp"

using namespace ae;

TEST_CASE("MSE, BCE with PyTorch's clamp at -100, and the entropy floor, by hand") {
    // image 0: x = (0, 1, 0.5, 0.25), y = (0.1, 0.8, 0.5, 0.25)
    // image 1: x = (1, 0, 0, 1),      y = (0, 1, 0, 1.2)   (1.2 is clipped to 1)
    const std::vector<float> x = {0, 1, 0.5f, 0.25f, 1, 0, 0, 1};
    const std::vector<float> y = {0.1f, 0.8f, 0.5f, 0.25f, 0, 1, 0, 1.2f};
    ReconScores s;
    score_reconstructions(x.data(), y.data(), 2, 4, s);
    REQUIRE(s.size() == 2);
    CHECK(s.mse[0] == doctest::Approx((0.01 + 0.04) / 4).epsilon(1e-6));
    CHECK(s.mse[1] == doctest::Approx((1.0 + 1.0 + 0.04) / 4).epsilon(1e-6));
    const double h = -(0.5 * std::log(0.5) * 2) - (0.25 * std::log(0.25) + 0.75 * std::log(0.75));
    const double bce0 = -std::log(0.9) - std::log(0.8f) + h;  // the two grey pixels cost exactly H
    CHECK(s.bce[0] == doctest::Approx(bce0).epsilon(1e-6));
    CHECK(s.entropy[0] == doctest::Approx(h).epsilon(1e-6));
    CHECK(s.kl(0) == doctest::Approx(-std::log(0.9) - std::log(0.8f)).epsilon(1e-5));
    // Two certain wrong pixels cost 100 each (log clamped), the rest 0.
    CHECK(s.bce[1] == doctest::Approx(200.0).epsilon(1e-6));
    CHECK(s.entropy[1] == 0.0);
}

// PSNR and SSIM against scikit-image (fixtures/applications.json: peak_signal_noise_ratio and
// structural_similarity with Gaussian weights, σ 1.5, data_range 1).
#include <doctest/doctest.h>

#include <vector>

#include "analysis/image_quality.hpp"
#include "apps_fixture.hpp"
#include "error_of.hpp"

using namespace ae;

TEST_CASE("PSNR and SSIM match scikit-image on six pairs of 28x28 images") {
    for (const auto& c : apps::fixture()["quality"]) {
        const std::vector<float> x = apps::floats(c["x"]), y = apps::floats(c["y"]);
        CAPTURE(c["ssim"].get<double>());
        CHECK(psnr(x.data(), y.data(), 784) == doctest::Approx(c["psnr"].get<double>()).epsilon(1e-6));
        CHECK(ssim(x.data(), y.data(), 28, 28) == doctest::Approx(c["ssim"].get<double>()).epsilon(1e-6));
    }
}

TEST_CASE("PSNR by hand, and its 100 dB cap") {
    std::vector<float> x(100, 0.5f), y(100, 0.5f);
    CHECK(psnr(x.data(), y.data(), 100) == kPsnrCap);
    y[0] = 0.6f;  // MSE = 0.01 / 100 = 1e-4 → 40 dB
    CHECK(psnr(x.data(), y.data(), 100) == doctest::Approx(40.0).epsilon(1e-5));
    y[0] = 0.5f + 1e-6f;  // would be about 140 dB
    CHECK(psnr(x.data(), y.data(), 100) == kPsnrCap);
    CHECK(error_of([&] { ssim(x.data(), x.data(), 10, 10); }) == "SSIM: the image must be at least 11 x 11 pixels, got 10 x 10");
}

// 8-bit codes with per-dimension ranges from the training codes (analysis/quantize.hpp) against
// the anchors' NumPy formula (fixtures/applications.json), including a constant dimension.
#include <doctest/doctest.h>

#include <vector>

#include "analysis/quantize.hpp"
#include "apps_fixture.hpp"
#include "error_of.hpp"

using namespace ae;

TEST_CASE("quantize and dequantize match NumPy's float32 formula, round half to even") {
    const auto& f = apps::fixture()["quantize"];
    const std::size_t z = f["z"];
    const std::vector<float> train = apps::floats(f["train"]), codes = apps::floats(f["codes"]);
    CodeRanges r;
    r.update(train.data(), 20, z);  // in two slices
    r.update(train.data() + 20 * z, train.size() / z - 20, z);
    const std::vector<float> lo = apps::floats(f["lo"]), hi = apps::floats(f["hi"]);
    for (std::size_t j = 0; j < z; ++j) {
        CHECK(r.lo[j] == lo[j]);
        CHECK(r.hi[j] == hi[j]);
    }
    const std::size_t n = codes.size() / z;
    std::vector<std::uint8_t> q(n * z);
    quantize(r, codes.data(), n, q.data());
    CHECK(q == apps::bytes(f["q"]));
    std::vector<float> back(n * z);
    dequantize(r, q.data(), n, back.data());
    const std::vector<float> dec = apps::floats(f["decoded"]);
    for (std::size_t i = 0; i < n * z; ++i) CHECK(back[i] == doctest::Approx(dec[i]).epsilon(1e-6));
}

TEST_CASE("halves round to even; values outside the range clip to 0 and 255") {
    CodeRanges r;
    const float train[2] = {0.0f, 255.0f};
    r.update(train, 2, 1);
    const float codes[5] = {0.5f, 1.5f, 2.5f, -10.0f, 300.0f};
    std::uint8_t q[5];
    quantize(r, codes, 5, q);
    CHECK(int(q[0]) == 0);
    CHECK(int(q[1]) == 2);
    CHECK(int(q[2]) == 2);
    CHECK(int(q[3]) == 0);
    CHECK(int(q[4]) == 255);
    CodeRanges empty;
    CHECK(error_of([&] { quantize(empty, codes, 1, q); }) ==
          "quantize: no code ranges yet (measure them on the training codes first)");
    CHECK(error_of([&] { r.update(codes, 1, 2); }) == "code ranges: codes of 2 values, but the ranges have 1");
}

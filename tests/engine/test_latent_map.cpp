// The latent map's projection: the covariance, and the fit the page draws (axes for Z ≤ 2, PCA
// above). The eigen-solvers it uses are tested in test_eigen.cpp.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "analysis/latent_map.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"

#include "error_of.hpp"

using namespace ae;

namespace {

double dot_rows(const MatD& m, std::size_t i, std::size_t j) {
    double s = 0;
    for (std::size_t k = 0; k < m.shape(1); ++k) s += m(i, k) * m(j, k);
    return s;
}

// n codes (N, 3) spread mostly along `dir`, less along `dir2`, barely along the third axis.
std::vector<float> elongated_codes(std::size_t n, const double dir[3], const double dir2[3], std::uint64_t seed) {
    Rng rng(seed);
    std::vector<float> codes(n * 3);
    for (std::size_t i = 0; i < n; ++i) {
        const double a = rng.normal(0, 3.0), b = rng.normal(0, 1.0), c = rng.normal(0, 0.05);
        const double third[3] = {dir[1] * dir2[2] - dir[2] * dir2[1], dir[2] * dir2[0] - dir[0] * dir2[2],
                                 dir[0] * dir2[1] - dir[1] * dir2[0]};
        for (int j = 0; j < 3; ++j) codes[i * 3 + j] = float(5.0 + a * dir[j] + b * dir2[j] + c * third[j]);
    }
    return codes;
}

}  // namespace

TEST_CASE("covariance matches its definition, with divisor N - 1") {
    const std::vector<float> codes = {1, 2, 3, 4, 5, 7, 2, 0, -1, 0, 1, 1};  // (4, 3)
    std::vector<double> mean;
    MatD cov;
    covariance(codes.data(), 4, 3, mean, cov);
    const double m[3] = {(1 + 4 + 2 + 0) / 4.0, (2 + 5 + 0 + 1) / 4.0, (3 + 7 - 1 + 1) / 4.0};
    for (int j = 0; j < 3; ++j) CHECK(mean[j] == doctest::Approx(m[j]));
    for (int p = 0; p < 3; ++p)
        for (int q = 0; q < 3; ++q) {
            double s = 0;
            for (int i = 0; i < 4; ++i) s += (codes[i * 3 + p] - m[p]) * (codes[i * 3 + q] - m[q]);
            CHECK(cov(p, q) == doctest::Approx(s / 3.0));
        }
}

TEST_CASE("Z > 2: the map's axes are the codes' directions of largest spread") {
    const double dir[3] = {0.6, -0.8, 0.0}, dir2[3] = {0.0, 0.0, 1.0};
    const std::vector<float> codes = elongated_codes(2000, dir, dir2, 7);
    const LatentProjection p = fit_latent_projection(codes.data(), 2000, 3);
    CHECK(p.method == LatentProjection::Method::Pca);
    CHECK(std::string(p.method_name()) == "pca");
    // First axis ≈ ±dir, oriented so that its largest entry (−0.8) becomes positive.
    CHECK(p.components(0, 0) == doctest::Approx(-0.6).epsilon(0.01));
    CHECK(p.components(0, 1) == doctest::Approx(0.8).epsilon(0.01));
    CHECK(p.components(1, 2) == doctest::Approx(1.0).epsilon(0.01));
    CHECK(p.variance[0] == doctest::Approx(9.0).epsilon(0.1));
    CHECK(p.variance[1] == doctest::Approx(1.0).epsilon(0.1));
    CHECK(p.explained(0) + p.explained(1) > 0.999);
    CHECK(p.explained(0) > 0.85);

    // The projected points are centred, uncorrelated, and spread by the reported variances.
    std::vector<float> pts(2000 * 2);
    project(p, codes.data(), 2000, pts.data());
    double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
    for (std::size_t i = 0; i < 2000; ++i) mx += pts[2 * i], my += pts[2 * i + 1];
    mx /= 2000, my /= 2000;
    for (std::size_t i = 0; i < 2000; ++i) {
        const double dx = pts[2 * i] - mx, dy = pts[2 * i + 1] - my;
        sxx += dx * dx, syy += dy * dy, sxy += dx * dy;
    }
    CHECK(std::abs(mx) < 1e-4);
    CHECK(std::abs(my) < 1e-4);
    CHECK(sxx / 1999 == doctest::Approx(p.variance[0]).epsilon(1e-4));
    CHECK(syy / 1999 == doctest::Approx(p.variance[1]).epsilon(1e-4));
    CHECK(std::abs(sxy / 1999) < 1e-4);
}

TEST_CASE("the fit is deterministic and does not depend on the order of the codes") {
    const double dir[3] = {0.6, 0.8, 0.0}, dir2[3] = {0.0, 0.0, 1.0};
    std::vector<float> codes = elongated_codes(500, dir, dir2, 3);
    const LatentProjection a = fit_latent_projection(codes.data(), 500, 3);
    const LatentProjection b = fit_latent_projection(codes.data(), 500, 3);
    for (std::size_t i = 0; i < 6; ++i) CHECK(a.components.data()[i] == b.components.data()[i]);  // bit for bit
    std::vector<float> reversed(codes.size());
    for (std::size_t i = 0; i < 500; ++i)
        for (int j = 0; j < 3; ++j) reversed[(499 - i) * 3 + j] = codes[i * 3 + j];
    const LatentProjection c = fit_latent_projection(reversed.data(), 500, 3);
    for (std::size_t i = 0; i < 6; ++i) CHECK(c.components.data()[i] == doctest::Approx(a.components.data()[i]).epsilon(1e-9));
}

TEST_CASE("a code on the map's plane survives project → unproject; a 20-d fit is orthonormal") {
    Rng rng(21);
    const std::size_t n = 300, z = 20;
    std::vector<float> codes(n * z);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < z; ++j) codes[i * z + j] = float(rng.normal(0.0, 1.0 + double(j % 5)));
    const LatentProjection p = fit_latent_projection(codes.data(), n, z);
    CHECK(dot_rows(p.components, 0, 0) == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(dot_rows(p.components, 1, 1) == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(std::abs(dot_rows(p.components, 0, 1)) < 1e-12);
    const float pts[4] = {1.5f, -2.0f, 0.0f, 0.25f};
    std::vector<float> back(2 * z), again(4);
    unproject(p, pts, 2, back.data());
    project(p, back.data(), 2, again.data());
    for (int i = 0; i < 4; ++i) CHECK(again[i] == doctest::Approx(pts[i]).epsilon(1e-5));
    // The map's centre is the codes' mean.
    const float origin[2] = {0, 0};
    unproject(p, origin, 1, back.data());
    for (std::size_t j = 0; j < z; ++j) CHECK(back[j] == doctest::Approx(p.mean[j]).epsilon(1e-6));
}

TEST_CASE("Z = 2 and Z = 1: the map shows the codes themselves") {
    const std::vector<float> two = {0.5f, -1.0f, 2.0f, 3.0f, -4.0f, 0.25f};  // (3, 2)
    const LatentProjection p2 = fit_latent_projection(two.data(), 3, 2);
    CHECK(p2.method == LatentProjection::Method::Axes);
    CHECK(std::string(p2.method_name()) == "axes");
    std::vector<float> pts(6);
    project(p2, two.data(), 3, pts.data());
    for (int i = 0; i < 6; ++i) CHECK(pts[i] == two[i]);
    CHECK(p2.explained(0) + p2.explained(1) == doctest::Approx(1.0));

    const std::vector<float> one = {0.5f, -1.0f, 2.0f};  // (3, 1)
    const LatentProjection p1 = fit_latent_projection(one.data(), 3, 1);
    project(p1, one.data(), 3, pts.data());
    for (int i = 0; i < 3; ++i) {
        CHECK(pts[2 * i] == one[i]);
        CHECK(pts[2 * i + 1] == 0.0f);
    }
    CHECK(p1.explained(0) == doctest::Approx(1.0));
    CHECK(p1.explained(1) == 0.0);
}

TEST_CASE("identical codes give a fit with zero variance, not a failure") {
    const std::vector<float> same(4 * 5, 0.75f);
    const LatentProjection p = fit_latent_projection(same.data(), 4, 5);
    CHECK(p.total_variance == 0.0);
    CHECK(p.explained(0) == 0.0);
    std::vector<float> pts(8);
    project(p, same.data(), 4, pts.data());
    for (float v : pts) CHECK(v == 0.0f);
}

TEST_CASE("bad input to the latent map is refused with a message saying what is wrong") {
    const std::vector<float> one_code = {1, 2, 3};
    CHECK(error_of([&] { fit_latent_projection(one_code.data(), 1, 3); }) ==
          "latent map: needs at least 2 codes to measure their spread, got 1");
    std::vector<float> bad = {1, 2, 3, 4, 5, NAN};
    CHECK(error_of([&] { fit_latent_projection(bad.data(), 2, 3); }) ==
          "latent map: code 1 contains NaN or infinity; the model has probably diverged (reset it, or lower the "
          "learning rate)");
    LatentProjection empty;
    float pt[2];
    CHECK(error_of([&] { project(empty, one_code.data(), 1, pt); }) ==
          "latent map: nothing to project onto yet; compute the latent map first");
    MatD a = MatD::from_shape({3, 3});
    a.fill(1.0);
    CHECK(error_of([&] { eigen_top(a, 4); }) == "eigen_top: k must be in [1, 3], got 4");
    MatD rect = MatD::from_shape({2, 3});
    CHECK(error_of([&] { eigen_jacobi(rect); }) == "eigen_jacobi: the matrix must be square, got 2 x 3");
}

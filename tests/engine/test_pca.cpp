// PCA with any number of components (analysis/pca.hpp) against NumPy (fixtures/applications.json:
// numpy.linalg.eigh of the scatter matrix in float64), fitted in one call and in slices, its
// projection, reconstruction (clipped and not) and error curve.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "analysis/pca.hpp"
#include "apps_fixture.hpp"
#include "core/rng.hpp"
#include "error_of.hpp"

using namespace ae;

TEST_CASE("PCA with k components matches NumPy: mean, components, variances, coefficients, reconstruction") {
    const auto& f = apps::fixture()["pca"];
    const std::size_t n = f["n"], d = f["d"], k = f["k"];
    const std::vector<float> x = apps::floats(f["x"]), test = apps::floats(f["test"]);
    const Pca p = fit_pca(x.data(), n, d, k);
    REQUIRE(p.k == k);
    const std::vector<double> mean = apps::doubles(f["mean"]), comps = apps::doubles(f["components"]);
    const std::vector<double> var = apps::doubles(f["variance"]);
    for (std::size_t j = 0; j < d; ++j) CHECK(p.mean[j] == doctest::Approx(mean[j]).epsilon(1e-6));
    // float GEMM chunks summed in double: components agree to ~1e-5 (relative to unit vectors)
    for (std::size_t i = 0; i < k; ++i) {
        CHECK(p.variance[i] == doctest::Approx(var[i]).epsilon(1e-5));
        for (std::size_t j = 0; j < d; ++j) CHECK(std::abs(p.components(i, j) - comps[i * d + j]) < 2e-5);
    }
    CHECK(p.total_variance == doctest::Approx(f["total_variance"].get<double>()).epsilon(1e-5));
    const std::size_t m = test.size() / d;
    std::vector<float> c(m * k), r(m * d);
    p.project(test.data(), m, c.data());
    const std::vector<double> coeffs = apps::doubles(f["coefficients"]), recon = apps::doubles(f["reconstruction"]);
    for (std::size_t i = 0; i < m * k; ++i) CHECK(c[i] == doctest::Approx(coeffs[i]).epsilon(1e-4).scale(1.0));
    p.reconstruct(c.data(), m, k, false, r.data());
    for (std::size_t i = 0; i < m * d; ++i) CHECK(r[i] == doctest::Approx(recon[i]).epsilon(1e-4).scale(1.0));
    // Clipped: the same values limited to [0, 1].
    p.reconstruct(c.data(), m, k, true, r.data());
    for (std::size_t i = 0; i < m * d; ++i)
        CHECK(r[i] == doctest::Approx(std::min(1.0, std::max(0.0, recon[i]))).epsilon(1e-4).scale(1.0));
}

TEST_CASE("PCA fitted in slices equals the fit in one call; the error curve matches reconstructions") {
    const auto& f = apps::fixture()["pca"];
    const std::size_t n = f["n"], d = f["d"];
    const std::vector<float> x = apps::floats(f["x"]);
    const Pca whole = fit_pca(x.data(), n, d, 6);
    PcaAccumulator acc(d);
    for (std::size_t i = 0; i < n; i += 37) acc.add(x.data() + i * d, std::min<std::size_t>(37, n - i));
    const Pca sliced = acc.fit(6);
    for (std::size_t j = 0; j < d; ++j) CHECK(sliced.mean[j] == doctest::Approx(whole.mean[j]).epsilon(1e-6));
    for (std::size_t i = 0; i < 6; ++i)
        for (std::size_t j = 0; j < d; ++j) CHECK(std::abs(sliced.components(i, j) - whole.components(i, j)) < 1e-5);

    // ‖x − x̂_k‖² from the error curve = from reconstructing with the first k components.
    const std::size_t m = 5;
    std::vector<double> err(m * 7);
    whole.error_curve(x.data(), m, err.data());
    std::vector<float> c(m * 6), packed(m * 6), r(m * d);
    whole.project(x.data(), m, c.data());
    for (std::size_t kk = 0; kk <= 6; ++kk) {
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < kk; ++j) packed[i * kk + j] = c[i * 6 + j];
        whole.reconstruct(packed.data(), m, kk, false, r.data());
        for (std::size_t i = 0; i < m; ++i) {
            double e = 0;
            for (std::size_t j = 0; j < d; ++j) e += (double(r[i * d + j]) - x[i * d + j]) * (double(r[i * d + j]) - x[i * d + j]);
            CHECK(err[i * 7 + kk] == doctest::Approx(e).epsilon(1e-4));
            if (kk > 0) CHECK(err[i * 7 + kk] <= err[i * 7 + kk - 1] + 1e-12);
        }
    }
    CHECK(whole.explained(6) > whole.explained(1));
    CHECK(whole.explained(6) <= 1.0);
}

TEST_CASE("PCA of sparse images (mostly-zero columns, always-zero ones, an offset one) matches a naive double-precision fit") {
    // 300 images of 300 values: columns 0-9 always 0 (skipped in every chunk), 10-199 zero in
    // about 70% of images (shift 0: a chunk skips those that stay 0), 200-299 dense around 7
    // (shift: the mean). 290 active columns: three blocks of rows in the triangular product.
    const std::size_t n = 300, d = 300, k = 12;
    Rng rng(11);
    std::vector<float> x(n * d, 0.0f);
    for (std::size_t i = 0; i < n; ++i) {
        const double g = rng.normal();  // a shared factor gives the covariance structure
        for (std::size_t j = 10; j < 200; ++j)
            if (rng.uniform() < 0.3 || (j < 40 && i % 7 == 0)) x[i * d + j] = float(std::min(1.0, std::abs(0.5 + 0.2 * g + 0.2 * rng.normal())));
        for (std::size_t j = 200; j < d; ++j) x[i * d + j] = float(7.0 + 0.3 * g * (j % 3) + 0.1 * rng.normal());
    }
    // The naive reference: the covariance in double, every eigenpair by eigen_symmetric.
    std::vector<double> mean(d, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < d; ++j) mean[j] += x[i * d + j] / double(n);
    MatD cov = MatD::from_shape({d, d});
    for (std::size_t r = 0; r < d; ++r)
        for (std::size_t c = 0; c < d; ++c) {
            double s = 0;
            for (std::size_t i = 0; i < n; ++i) s += (x[i * d + r] - mean[r]) * (x[i * d + c] - mean[c]);
            cov(r, c) = s / double(n - 1);
        }
    const SymEigen ref = eigen_symmetric(cov);
    for (std::size_t slice : {n, std::size_t(37)}) {
        CAPTURE(slice);
        PcaAccumulator acc(d);
        for (std::size_t i = 0; i < n; i += slice) acc.add(x.data() + i * d, std::min(slice, n - i));
        const Pca p = acc.fit(k);
        for (std::size_t j = 0; j < d; ++j) CHECK(p.mean[j] == doctest::Approx(mean[j]).epsilon(1e-6));
        double trace = 0;
        for (std::size_t j = 0; j < d; ++j) trace += cov(j, j);
        CHECK(p.total_variance == doctest::Approx(trace).epsilon(1e-6));
        for (std::size_t i = 0; i < k; ++i) {
            CHECK(p.variance[i] == doctest::Approx(ref.values[i]).epsilon(1e-5));
            for (std::size_t j = 0; j < d; ++j) CHECK(std::abs(p.components(i, j) - ref.vectors(i, j)) < 1e-4);
        }
    }
}

TEST_CASE("PCA with every component reconstructs exactly; bad input is refused") {
    Rng rng(4);
    std::vector<float> x(50 * 8);
    for (float& v : x) v = float(rng.uniform());
    const Pca p = fit_pca(x.data(), 50, 8, 8);
    std::vector<float> c(50 * 8), r(50 * 8);
    p.project(x.data(), 50, c.data());
    p.reconstruct(c.data(), 50, 8, false, r.data());
    for (std::size_t i = 0; i < x.size(); ++i) CHECK(r[i] == doctest::Approx(x[i]).epsilon(1e-4));
    CHECK(p.explained(8) == doctest::Approx(1.0));

    CHECK(error_of([&] { fit_pca(x.data(), 1, 8, 2); }) == "PCA: needs at least 2 images to fit, got 1");
    CHECK(error_of([&] { fit_pca(x.data(), 50, 8, 9); }) == "PCA: the number of components must be in [1, 8], got 9");
    CHECK(error_of([&] { p.reconstruct(c.data(), 1, 9, false, r.data()); }) ==
          "PCA: 9 components asked for, but the fit has 8");
    x[17] = NAN;
    CHECK(error_of([&] { fit_pca(x.data(), 50, 8, 2); }) == "PCA: image 2 contains NaN or infinity");
    Pca none;
    CHECK(error_of([&] { none.project(x.data(), 1, c.data()); }) == "PCA: not fitted yet");
}

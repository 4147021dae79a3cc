// The eigen-solvers: the Jacobi reference, subspace iteration and the Householder + QL solver
// checked against it, on random, repeated and degenerate spectra.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "analysis/eigen.hpp"
#include "core/rng.hpp"
#include "error_of.hpp"

using namespace ae;

namespace {

// A random symmetric positive semi-definite matrix (Z, Z) = Bᵀ B / Z with B (Z, Z) normal.
MatD random_psd(std::size_t z, std::uint64_t seed) {
    Rng rng(seed);
    MatD b = MatD::from_shape({z, z});
    for (double& x : b) x = rng.normal();
    MatD a = MatD::from_shape({z, z});
    for (std::size_t i = 0; i < z; ++i)
        for (std::size_t j = 0; j < z; ++j) {
            double s = 0;
            for (std::size_t k = 0; k < z; ++k) s += b(k, i) * b(k, j);
            a(i, j) = s / double(z);
        }
    return a;
}

// ‖A v − λ v‖∞ for eigenpair i.
double eigen_residual(const MatD& a, const SymEigen& e, std::size_t i) {
    const std::size_t z = a.shape(0);
    double worst = 0;
    for (std::size_t r = 0; r < z; ++r) {
        double av = 0;
        for (std::size_t j = 0; j < z; ++j) av += a(r, j) * e.vectors(i, j);
        worst = std::max(worst, std::abs(av - e.values[i] * e.vectors(i, r)));
    }
    return worst;
}

double dot_rows(const MatD& m, std::size_t i, std::size_t j) {
    double s = 0;
    for (std::size_t k = 0; k < m.shape(1); ++k) s += m(i, k) * m(j, k);
    return s;
}

}  // namespace

TEST_CASE("Jacobi: a 2x2 matrix with known eigenpairs, in descending order, signs by convention") {
    MatD a = {{2.0, 1.0}, {1.0, 2.0}};
    const SymEigen e = eigen_jacobi(a);
    REQUIRE(e.values.size() == 2);
    CHECK(e.values[0] == doctest::Approx(3.0).epsilon(1e-14));
    CHECK(e.values[1] == doctest::Approx(1.0).epsilon(1e-14));
    const double h = std::sqrt(0.5);
    CHECK(e.vectors(0, 0) == doctest::Approx(h));
    CHECK(e.vectors(0, 1) == doctest::Approx(h));
    // (1, −1)/√2: both entries tie in magnitude, so the first one is made positive.
    CHECK(e.vectors(1, 0) == doctest::Approx(h));
    CHECK(e.vectors(1, 1) == doctest::Approx(-h));
}

TEST_CASE("Jacobi: every eigenpair of a random symmetric matrix satisfies A v = λ v, orthonormally") {
    for (std::size_t z : {1, 3, 8, 17}) {
        CAPTURE(z);
        const MatD a = random_psd(z, 11 + z);
        const SymEigen e = eigen_jacobi(a);
        double trace = 0, sum = 0;
        for (std::size_t i = 0; i < z; ++i) {
            trace += a(i, i);
            sum += e.values[i];
            CHECK(eigen_residual(a, e, i) < 1e-12);
            if (i > 0) CHECK(e.values[i - 1] >= e.values[i]);
            for (std::size_t j = 0; j < z; ++j) CHECK(dot_rows(e.vectors, i, j) == doctest::Approx(i == j ? 1.0 : 0.0).epsilon(1e-12));
        }
        CHECK(sum == doctest::Approx(trace).epsilon(1e-12));
    }
}

TEST_CASE("subspace iteration finds the same leading eigenpairs as Jacobi") {
    for (std::size_t z : {2, 3, 5, 20, 64}) {
        for (std::size_t k : {std::size_t(1), std::size_t(2)}) {
            if (k > z) continue;
            CAPTURE(z);
            CAPTURE(k);
            const MatD a = random_psd(z, 100 + z);
            const SymEigen ref = eigen_jacobi(a);
            const SymEigen top = eigen_top(a, k);
            REQUIRE(top.values.size() == k);
            for (std::size_t i = 0; i < k; ++i) {
                CHECK(top.values[i] == doctest::Approx(ref.values[i]).epsilon(1e-10));
                CHECK(eigen_residual(a, top, i) < 1e-9);
                for (std::size_t j = 0; j < z; ++j) CHECK(top.vectors(i, j) == doctest::Approx(ref.vectors(i, j)).epsilon(1e-7));
            }
        }
    }
}

TEST_CASE("subspace iteration handles a zero matrix and repeated eigenvalues") {
    MatD zero = MatD::from_shape({4, 4});
    zero.fill(0.0);
    const SymEigen e0 = eigen_top(zero, 2);
    CHECK(e0.values[0] == 0.0);
    CHECK(e0.values[1] == 0.0);
    CHECK(dot_rows(e0.vectors, 0, 0) == doctest::Approx(1.0));
    CHECK(dot_rows(e0.vectors, 0, 1) == doctest::Approx(0.0).epsilon(1e-12));

    // diag(5, 5, 1): the leading plane is the first two axes, whatever basis is returned in it.
    MatD a = {{5.0, 0.0, 0.0}, {0.0, 5.0, 0.0}, {0.0, 0.0, 1.0}};
    const SymEigen e = eigen_top(a, 2);
    CHECK(e.values[0] == doctest::Approx(5.0));
    CHECK(e.values[1] == doctest::Approx(5.0));
    for (std::size_t i = 0; i < 2; ++i) CHECK(std::abs(e.vectors(i, 2)) < 1e-9);
}

TEST_CASE("Householder + QL finds every eigenpair of Jacobi's, for any size") {
    for (std::size_t z : {1, 2, 3, 8, 31, 64, 100}) {
        CAPTURE(z);
        const MatD a = random_psd(z, 300 + z);
        const SymEigen ref = eigen_jacobi(a);
        const SymEigen e = eigen_symmetric(a);
        REQUIRE(e.values.size() == z);
        double scale = std::abs(ref.values[0]);
        for (std::size_t i = 0; i < z; ++i) {
            CHECK(std::abs(e.values[i] - ref.values[i]) <= 1e-12 * scale);
            CHECK(eigen_residual(a, e, i) < 1e-11 * scale);
            for (std::size_t j = 0; j < z; ++j)
                CHECK(dot_rows(e.vectors, i, j) == doctest::Approx(i == j ? 1.0 : 0.0).epsilon(1e-12));
        }
        // Distinct eigenvalues: the same vectors under the same sign convention.
        for (std::size_t i = 0; i < std::min<std::size_t>(z, 10); ++i)
            for (std::size_t j = 0; j < z; ++j) CHECK(e.vectors(i, j) == doctest::Approx(ref.vectors(i, j)).epsilon(1e-7));
    }
}

TEST_CASE("Householder + QL: repeated eigenvalues, a zero matrix and a diagonal one stay orthonormal") {
    MatD a = {{5.0, 0.0, 0.0, 0.0}, {0.0, 5.0, 0.0, 0.0}, {0.0, 0.0, 1.0, 0.0}, {0.0, 0.0, 0.0, 5.0}};
    const SymEigen e = eigen_symmetric(a);
    CHECK(e.values[0] == doctest::Approx(5.0));
    CHECK(e.values[2] == doctest::Approx(5.0));
    CHECK(e.values[3] == doctest::Approx(1.0));
    for (std::size_t i = 0; i < 3; ++i) CHECK(std::abs(e.vectors(i, 2)) < 1e-12);
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j < 4; ++j) CHECK(dot_rows(e.vectors, i, j) == doctest::Approx(i == j ? 1.0 : 0.0));
    MatD zero = MatD::from_shape({6, 6});
    zero.fill(0.0);
    const SymEigen z = eigen_symmetric(zero);
    for (std::size_t i = 0; i < 6; ++i) {
        CHECK(z.values[i] == 0.0);
        CHECK(dot_rows(z.vectors, i, i) == doctest::Approx(1.0));
    }
    // rank one: v vᵀ with v = (1, 2, 2)/3 has eigenvalue 1 on v, 0 elsewhere
    MatD r1 = MatD::from_shape({3, 3});
    const double v[3] = {1 / 3.0, 2 / 3.0, 2 / 3.0};
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) r1(i, j) = v[i] * v[j];
    const SymEigen o = eigen_symmetric(r1);
    CHECK(o.values[0] == doctest::Approx(1.0));
    CHECK(std::abs(o.values[1]) < 1e-15);
    CHECK(o.vectors(0, 1) == doctest::Approx(2 / 3.0));
}

TEST_CASE("Householder + QL for the k leading eigenpairs only gives eigen_symmetric's, for any size and k") {
    for (std::size_t z : {1, 2, 3, 8, 31, 100, 257}) {
        const MatD a = random_psd(z, 900 + z);
        const SymEigen all = eigen_symmetric(a);
        for (std::size_t k : {std::size_t(1), std::min<std::size_t>(z, 5), z}) {
            CAPTURE(z);
            CAPTURE(k);
            const SymEigen e = eigen_symmetric_top(a, k);
            REQUIRE(e.values.size() == k);
            REQUIRE(e.vectors.shape(0) == k);
            REQUIRE(e.vectors.shape(1) == z);
            const double scale = std::abs(all.values[0]);
            for (std::size_t i = 0; i < k; ++i) {
                CHECK(e.values[i] == all.values[i]);  // the same QL arithmetic on the same T
                CHECK(eigen_residual(a, e, i) < 1e-11 * scale);
                for (std::size_t j = 0; j < k; ++j)
                    CHECK(dot_rows(e.vectors, i, j) == doctest::Approx(i == j ? 1.0 : 0.0).epsilon(1e-12));
                for (std::size_t j = 0; j < z; ++j) CHECK(e.vectors(i, j) == doctest::Approx(all.vectors(i, j)).epsilon(1e-9).scale(1.0));
            }
        }
    }
}

TEST_CASE("Householder + QL, leading pairs only: repeated eigenvalues, a zero matrix, a rank-one matrix") {
    const MatD a = {{5.0, 0.0, 0.0, 0.0}, {0.0, 5.0, 0.0, 0.0}, {0.0, 0.0, 1.0, 0.0}, {0.0, 0.0, 0.0, 5.0}};
    const SymEigen e = eigen_symmetric_top(a, 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(e.values[i] == doctest::Approx(5.0));
        CHECK(std::abs(e.vectors(i, 2)) < 1e-12);  // none of the 5s is the 1's direction
        for (std::size_t j = 0; j < 3; ++j) CHECK(dot_rows(e.vectors, i, j) == doctest::Approx(i == j ? 1.0 : 0.0));
    }
    MatD zero = MatD::from_shape({6, 6});
    zero.fill(0.0);
    const SymEigen z = eigen_symmetric_top(zero, 4);
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(z.values[i] == 0.0);
        for (std::size_t j = 0; j < 4; ++j) CHECK(dot_rows(z.vectors, i, j) == doctest::Approx(i == j ? 1.0 : 0.0));
    }
    MatD r1 = MatD::from_shape({3, 3});
    const double v[3] = {1 / 3.0, 2 / 3.0, 2 / 3.0};
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) r1(i, j) = v[i] * v[j];
    const SymEigen o = eigen_symmetric_top(r1, 1);
    CHECK(o.values[0] == doctest::Approx(1.0));
    for (int j = 0; j < 3; ++j) CHECK(o.vectors(0, j) == doctest::Approx(v[j]));
    CHECK(error_of([&] { eigen_symmetric_top(r1, 4); }) == "eigen_symmetric_top: k must be in [1, 3], got 4");
}

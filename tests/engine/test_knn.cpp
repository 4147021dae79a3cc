// kNN (analysis/knn.hpp): the GEMM version against the naive double-precision reference, and
// against scikit-learn's KNeighborsClassifier(5, brute) (fixtures/applications.json).
#include <doctest/doctest.h>

#include <vector>

#include "analysis/knn.hpp"
#include "apps_fixture.hpp"
#include "core/rng.hpp"
#include "error_of.hpp"

using namespace ae;

TEST_CASE("kNN-5 matches scikit-learn, and the GEMM path matches the naive one") {
    const auto& f = apps::fixture()["knn"];
    const std::size_t r = f["r"], nf = f["f"], q = f["q"], classes = f["classes"];
    const std::vector<float> ref = apps::floats(f["ref"]), queries = apps::floats(f["queries"]);
    const std::vector<std::uint8_t> labels = apps::bytes(f["labels"]);
    KnnClassifier knn(ref.data(), labels.data(), r, nf, classes);
    std::vector<std::uint8_t> fast(q), naive(q);
    knn.predict(queries.data(), q, 5, fast.data());
    knn_predict_naive(ref.data(), labels.data(), r, nf, classes, queries.data(), q, 5, naive.data());
    CHECK(fast == apps::bytes(f["pred"]));
    CHECK(naive == fast);
}

TEST_CASE("kNN on odd sizes (several blocks of queries, k = 1 and 3); ties go to the smaller label") {
    Rng rng(9);
    const std::size_t r = 131, nf = 7, q = 150;
    std::vector<float> ref(r * nf), queries(q * nf);
    std::vector<std::uint8_t> labels(r);
    for (float& v : ref) v = float(rng.normal());
    for (float& v : queries) v = float(rng.normal());
    for (auto& l : labels) l = std::uint8_t(rng.below(3));
    KnnClassifier knn(ref.data(), labels.data(), r, nf, 3);
    for (std::size_t k : {1, 3}) {
        std::vector<std::uint8_t> fast(q), naive(q);
        knn.predict(queries.data(), q, k, fast.data());
        knn_predict_naive(ref.data(), labels.data(), r, nf, 3, queries.data(), q, k, naive.data());
        CHECK(fast == naive);
    }
    // Two neighbours, one of each label: the smaller label wins.
    const std::vector<float> two = {0.0f, 2.0f};
    const std::vector<std::uint8_t> lab = {1, 0};
    const float at = 1.0f;
    std::uint8_t out = 9;
    KnnClassifier(two.data(), lab.data(), 2, 1, 2).predict(&at, 1, 2, &out);
    CHECK(int(out) == 0);
    CHECK(error_of([&] { knn.predict(queries.data(), 1, 0, &out); }) == "kNN: k must be in [1, 131], got 0");
}

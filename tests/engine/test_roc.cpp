// ROC curve and AUC (ties count one half, as sklearn's roc_auc_score), precision / recall / F1 at
// a threshold, the best-F1 threshold (sklearn's precision_recall_curve) and histograms: against a
// hand-worked example and against scikit-learn (fixtures/applications.json).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "analysis/roc.hpp"
#include "apps_fixture.hpp"
#include "error_of.hpp"

using namespace ae;

TEST_CASE("AUC of a hand-worked example with ties") {
    // scores    0.9  0.8  0.8  0.5  0.5  0.5  0.1
    // positive   1    1    0    1    0    0    0        P = 3, N = 4
    // Pairs (pos, neg) ranked right: 0.9 beats all 4 negatives: 4; 0.8 (pos) beats 0.5, 0.5, 0.1
    // and ties 0.8: 3 + ½; 0.5 (pos) ties two 0.5 and beats 0.1: 1 + 2·½ = 2. AUC = 9.5 / 12.
    const std::vector<float> s = {0.5f, 0.9f, 0.1f, 0.8f, 0.5f, 0.8f, 0.5f};
    const std::vector<std::uint8_t> y = {1, 1, 0, 1, 0, 0, 0};
    const RocCurve c = roc_curve(s.data(), y.data(), s.size());
    CHECK(c.auc == doctest::Approx(9.5 / 12.0).epsilon(1e-15));
    CHECK(c.positives == 3);
    CHECK(c.negatives == 4);
    // Points: (0,0) at +∞, then thresholds 0.9, 0.8, 0.5, 0.1.
    const std::vector<double> fpr = {0, 0, 0.25, 0.75, 1}, tpr = {0, 1 / 3.0, 2 / 3.0, 1, 1};
    REQUIRE(c.fpr.size() == 5);
    for (std::size_t i = 0; i < 5; ++i) {
        CHECK(c.fpr[i] == doctest::Approx(fpr[i]));
        CHECK(c.tpr[i] == doctest::Approx(tpr[i]));
    }
    CHECK(std::isinf(c.thresholds[0]));
    CHECK(c.thresholds[2] == doctest::Approx(0.8f));
    // At t = 0.8: flagged 0.9, 0.8, 0.8 → TP 2, FP 1, FN 1, TN 3.
    const ThresholdStats t = at_threshold(s.data(), y.data(), s.size(), 0.8f);
    CHECK(t.tp == 2);
    CHECK(t.fp == 1);
    CHECK(t.fn == 1);
    CHECK(t.tn == 3);
    CHECK(t.precision == doctest::Approx(2 / 3.0));
    CHECK(t.recall == doctest::Approx(2 / 3.0));
    CHECK(t.f1 == doctest::Approx(2 / 3.0));
    CHECK(t.fpr == doctest::Approx(0.25));
    // Best F1: t=0.9 → P 1, R ⅓, F1 ½; t=0.8 → ⅔; t=0.5 → P ½, R 1, F1 ⅔ (tie: the lower wins);
    // t=0.1 → P 3/7, R 1, F1 0.6.
    const ThresholdStats b = best_f1(s.data(), y.data(), s.size());
    CHECK(b.threshold == doctest::Approx(0.5));
    CHECK(b.f1 == doctest::Approx(2 / 3.0));
    CHECK(b.precision == doctest::Approx(0.5));
    CHECK(b.recall == doctest::Approx(1.0));
    // Nothing flagged: precision 0, F1 0.
    const ThresholdStats none = at_threshold(s.data(), y.data(), s.size(), 2.0);
    CHECK(none.tp + none.fp == 0);
    CHECK(none.precision == 0.0);
    CHECK(none.f1 == 0.0);
}

TEST_CASE("perfect, inverted and constant scores give AUC 1, 0 and 1/2") {
    const std::vector<std::uint8_t> y = {0, 0, 1, 1};
    const std::vector<float> up = {1, 2, 3, 4}, down = {4, 3, 2, 1}, flat = {7, 7, 7, 7};
    CHECK(roc_auc(up.data(), y.data(), 4) == 1.0);
    CHECK(roc_auc(down.data(), y.data(), 4) == 0.0);
    CHECK(roc_auc(flat.data(), y.data(), 4) == 0.5);
}

TEST_CASE("ROC, AUC and best F1 match scikit-learn on 300 scores with many ties") {
    const auto& f = apps::fixture()["roc"];
    const std::vector<float> s = apps::floats(f["scores"]);
    const std::vector<std::uint8_t> y = apps::bytes(f["labels"]);
    const RocCurve c = roc_curve(s.data(), y.data(), s.size());
    CHECK(c.auc == doctest::Approx(f["auc"].get<double>()).epsilon(1e-12));
    const std::vector<double> fpr = apps::doubles(f["fpr"]), tpr = apps::doubles(f["tpr"]), thr = apps::doubles(f["thresholds"]);
    REQUIRE(c.fpr.size() == fpr.size());
    for (std::size_t i = 0; i < fpr.size(); ++i) {
        CHECK(c.fpr[i] == doctest::Approx(fpr[i]).epsilon(1e-12));
        CHECK(c.tpr[i] == doctest::Approx(tpr[i]).epsilon(1e-12));
    }
    for (std::size_t i = 0; i < thr.size(); ++i) CHECK(c.thresholds[i + 1] == doctest::Approx(thr[i]).epsilon(1e-7));
    const ThresholdStats b = best_f1(s.data(), y.data(), s.size());
    const auto& ref = f["best_f1"];
    CHECK(b.threshold == doctest::Approx(ref["threshold"].get<double>()).epsilon(1e-7));
    CHECK(b.f1 == doctest::Approx(ref["f1"].get<double>()).epsilon(1e-12));
    CHECK(b.precision == doctest::Approx(ref["precision"].get<double>()).epsilon(1e-12));
    CHECK(b.recall == doctest::Approx(ref["recall"].get<double>()).epsilon(1e-12));
}

TEST_CASE("histogram: equal bins, values outside the range in the end bins, NaN skipped") {
    const std::vector<float> v = {0.0f, 0.1f, 0.25f, 0.5f, 0.99f, 1.0f, -3.0f, 7.0f, NAN};
    const std::vector<std::uint32_t> h = histogram(v.data(), v.size(), 0.0, 1.0, 4);
    REQUIRE(h.size() == 4);
    CHECK(h[0] == 3);  // 0, 0.1, −3
    CHECK(h[1] == 1);  // 0.25
    CHECK(h[2] == 1);  // 0.5
    CHECK(h[3] == 3);  // 0.99, 1.0, 7
}

TEST_CASE("ROC refuses what has no answer") {
    const std::vector<float> s = {1, 2, NAN};
    const std::vector<std::uint8_t> y = {0, 1, 1}, all = {1, 1, 1};
    CHECK(error_of([&] { roc_curve(s.data(), y.data(), 3); }) == "ROC: score 2 is NaN; the model has probably diverged");
    CHECK(error_of([&] { roc_curve(s.data(), all.data(), 2); }) ==
          "ROC: needs both positive and negative images, got 2 positive and 0 negative");
    CHECK(error_of([&] { histogram(s.data(), 3, 1.0, 1.0, 4); }) == "histogram: needs a range lo < hi, got [1, 1]");
}

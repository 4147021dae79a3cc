#include "analysis/roc.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.hpp"

namespace ae {

namespace {

// Indices sorted by score, highest first (ties keep index order: the result does not depend on it).
std::vector<std::uint32_t> by_score_desc(const float* scores, std::size_t n) {
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return scores[a] > scores[b]; });
    return order;
}

void check_scores(const float* scores, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        require(!std::isnan(scores[i]), "ROC: score ", i, " is NaN; the model has probably diverged");
}

ThresholdStats rates(std::size_t tp, std::size_t fp, std::size_t pos, std::size_t neg, double threshold) {
    ThresholdStats s;
    s.threshold = threshold;
    s.tp = tp;
    s.fp = fp;
    s.fn = pos - tp;
    s.tn = neg - fp;
    s.precision = tp + fp ? double(tp) / double(tp + fp) : 0.0;
    s.recall = pos ? double(tp) / double(pos) : 0.0;
    s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0.0;
    s.fpr = neg ? double(fp) / double(neg) : 0.0;
    return s;
}

}  // namespace

RocCurve roc_curve(const float* scores, const std::uint8_t* positive, std::size_t n) {
    check_scores(scores, n);
    RocCurve c;
    for (std::size_t i = 0; i < n; ++i) (positive[i] ? c.positives : c.negatives) += 1;
    require(c.positives > 0 && c.negatives > 0, "ROC: needs both positive and negative images, got ", c.positives,
            " positive and ", c.negatives, " negative");
    const std::vector<std::uint32_t> order = by_score_desc(scores, n);
    const double P = double(c.positives), N = double(c.negatives);
    c.fpr.push_back(0);
    c.tpr.push_back(0);
    c.thresholds.push_back(std::numeric_limits<double>::infinity());
    std::size_t tp = 0, fp = 0;
    double area = 0;  // in units of (positives × negatives)
    for (std::size_t i = 0; i < n;) {
        const float s = scores[order[i]];
        std::size_t dtp = 0, dfp = 0;
        for (; i < n && scores[order[i]] == s; ++i) (positive[order[i]] ? dtp : dfp) += 1;
        area += double(dfp) * (double(tp) + 0.5 * double(dtp));  // trapezoid of this tie group
        tp += dtp;
        fp += dfp;
        c.fpr.push_back(double(fp) / N);
        c.tpr.push_back(double(tp) / P);
        c.thresholds.push_back(s);
    }
    c.auc = area / (P * N);
    return c;
}

double roc_auc(const float* scores, const std::uint8_t* positive, std::size_t n) {
    return roc_curve(scores, positive, n).auc;
}

ThresholdStats at_threshold(const float* scores, const std::uint8_t* positive, std::size_t n, double threshold) {
    check_scores(scores, n);
    std::size_t tp = 0, fp = 0, pos = 0;
    for (std::size_t i = 0; i < n; ++i) {
        pos += positive[i] ? 1 : 0;
        if (double(scores[i]) >= threshold) (positive[i] ? tp : fp) += 1;
    }
    return rates(tp, fp, pos, n - pos, threshold);
}

ThresholdStats best_f1(const float* scores, const std::uint8_t* positive, std::size_t n) {
    check_scores(scores, n);
    std::size_t pos = 0;
    for (std::size_t i = 0; i < n; ++i) pos += positive[i] ? 1 : 0;
    require(pos > 0, "best F1: needs at least one positive image");
    const std::vector<std::uint32_t> order = by_score_desc(scores, n);
    ThresholdStats best;
    bool have = false;
    std::size_t tp = 0, fp = 0;
    for (std::size_t i = 0; i < n;) {
        const float s = scores[order[i]];
        for (; i < n && scores[order[i]] == s; ++i) (positive[order[i]] ? tp : fp) += 1;
        const ThresholdStats t = rates(tp, fp, pos, n - pos, s);
        if (!have || t.f1 >= best.f1) {  // ≥: on a tie the lower threshold, met later, wins
            best = t;
            have = true;
        }
    }
    return best;
}

std::vector<std::uint32_t> histogram(const float* values, std::size_t n, double lo, double hi, std::size_t bins) {
    require(bins >= 1 && bins <= 100000, "histogram: bins must be in [1, 100000], got ", bins);
    require(std::isfinite(lo) && std::isfinite(hi) && hi > lo, "histogram: needs a range lo < hi, got [", lo, ", ", hi,
            "]");
    std::vector<std::uint32_t> out(bins, 0);
    const double width = (hi - lo) / double(bins);
    for (std::size_t i = 0; i < n; ++i) {
        const double v = values[i];
        if (std::isnan(v)) continue;
        const double b = std::floor((v - lo) / width);
        const std::size_t k = b < 0 ? 0 : b >= double(bins) ? bins - 1 : std::size_t(b);
        ++out[k];
    }
    return out;
}

}  // namespace ae

#include "analysis/knn.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/error.hpp"
#include "kernels/gemm.hpp"

namespace ae {

namespace {

constexpr std::size_t kBlock = 64;

// Keeps the k smallest (distance, index) pairs seen, sorted; a later index never displaces an
// equal distance.
struct TopK {
    explicit TopK(std::size_t k) : k_(k) { best_.reserve(k + 1); }
    void offer(double d, std::uint32_t i) {
        if (best_.size() == k_ && !(d < best_.back().first)) return;
        auto pos = std::upper_bound(best_.begin(), best_.end(), std::make_pair(d, i),
                                    [](const auto& a, const auto& b) { return a.first < b.first; });
        best_.insert(pos, {d, i});
        if (best_.size() > k_) best_.pop_back();
    }
    std::size_t k_;
    std::vector<std::pair<double, std::uint32_t>> best_;
};

std::uint8_t vote(const TopK& top, const std::uint8_t* labels, std::size_t classes) {
    std::vector<std::uint32_t> count(classes, 0);
    for (const auto& p : top.best_) ++count[labels[p.second]];
    return std::uint8_t(std::max_element(count.begin(), count.end()) - count.begin());  // first max: smallest label
}

void check(std::size_t r, std::size_t f, std::size_t classes, std::size_t k) {
    require(r >= 1 && f >= 1, "kNN: needs at least one reference sample of at least one feature");
    require(classes >= 1 && classes <= 256, "kNN: needs 1 to 256 classes, got ", classes);
    require(k >= 1 && k <= r, "kNN: k must be in [1, ", r, "], got ", k);
}

}  // namespace

KnnClassifier::KnnClassifier(const float* ref, const std::uint8_t* labels, std::size_t r, std::size_t f,
                             std::size_t classes)
    : r_(r), f_(f), classes_(classes), ref_(ref, ref + r * f), norms_(r), labels_(labels, labels + r) {
    check(r, f, classes, 1);
    for (std::size_t i = 0; i < r; ++i) {
        require(labels[i] < classes, "kNN: label ", int(labels[i]), " of sample ", i, " is not below ", classes);
        double s = 0;
        for (std::size_t j = 0; j < f; ++j) s += double(ref[i * f + j]) * ref[i * f + j];
        norms_[i] = float(s);
    }
}

void KnnClassifier::predict(const float* queries, std::size_t q, std::size_t k, std::uint8_t* out) const {
    check(r_, f_, classes_, k);
    std::vector<float> dots(std::min(q, kBlock) * r_);  // (block, R)
    for (std::size_t q0 = 0; q0 < q; q0 += kBlock) {
        const std::size_t b = std::min(kBlock, q - q0);
        // dots (b, R) = queries (b, F) · refᵀ
        kernels::gemm(kernels::Op::N, kernels::Op::T, int(b), int(r_), int(f_), queries + q0 * f_, int(f_), ref_.data(),
                      int(f_), 0.0f, dots.data(), int(r_));
        for (std::size_t i = 0; i < b; ++i) {
            TopK top(k);
            const float* row = dots.data() + i * r_;
            for (std::size_t j = 0; j < r_; ++j) top.offer(double(norms_[j]) - 2.0 * double(row[j]), std::uint32_t(j));
            out[q0 + i] = vote(top, labels_.data(), classes_);
        }
    }
}

void knn_predict_naive(const float* ref, const std::uint8_t* labels, std::size_t r, std::size_t f, std::size_t classes,
                       const float* queries, std::size_t q, std::size_t k, std::uint8_t* out) {
    check(r, f, classes, k);
    for (std::size_t i = 0; i < q; ++i) {
        TopK top(k);
        for (std::size_t j = 0; j < r; ++j) {
            double d = 0;
            for (std::size_t m = 0; m < f; ++m) {
                const double t = double(queries[i * f + m]) - ref[j * f + m];
                d += t * t;
            }
            top.offer(d, std::uint32_t(j));
        }
        out[i] = vote(top, labels, classes);
    }
}

}  // namespace ae

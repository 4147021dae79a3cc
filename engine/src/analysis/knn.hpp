// k-nearest-neighbour classification, as sklearn's KNeighborsClassifier(k) with uniform weights,
// Euclidean distance and brute-force search: each query's label is the most common label among
// its k nearest reference samples (a tie between labels goes to the smallest label, as
// scipy.stats.mode; a tie in distance to the earlier reference sample).
//
// Distances: ‖q − r‖² = ‖r‖² − 2 q·r + ‖q‖² with all q·r of a block of 64 queries from one
// float GEMM (kernels/gemm.hpp) against every reference sample (‖q‖² does not change a query's
// ranking, so it is left out). Queries can be classified in any slices (budgeted calls).
// Shape letters: R reference samples, Q queries, F features.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ae {

class KnnClassifier {
public:
    // ref (R, F), labels (R) < classes. Copies them.
    KnnClassifier(const float* ref, const std::uint8_t* labels, std::size_t r, std::size_t f, std::size_t classes);

    // queries (Q, F) → labels (Q), with k neighbours (1 ≤ k ≤ R).
    void predict(const float* queries, std::size_t q, std::size_t k, std::uint8_t* out) const;

    std::size_t size() const { return r_; }
    std::size_t features() const { return f_; }

private:
    std::size_t r_, f_, classes_;
    std::vector<float> ref_;        // (R, F)
    std::vector<float> norms_;      // (R) ‖r‖²
    std::vector<std::uint8_t> labels_;
};

// The naive reference: exact squared distances in double, one query at a time.
void knn_predict_naive(const float* ref, const std::uint8_t* labels, std::size_t r, std::size_t f, std::size_t classes,
                       const float* queries, std::size_t q, std::size_t k, std::uint8_t* out);

}  // namespace ae

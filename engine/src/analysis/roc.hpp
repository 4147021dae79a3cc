// Judging a detector that flags an image when its score is at least a threshold t, given which
// images really are positive (the anomaly lab: positives are the classes the model never saw).
// Shape letters: N scored images.
//
//   roc_curve      one point per distinct score, from the highest down (flag if score ≥ t):
//                  (FPR, TPR) starting at (0, 0) with t = +∞, as sklearn.metrics.roc_curve with
//                  drop_intermediate=False; auc = the trapezoidal area under it, which counts
//                  a tied positive–negative pair as one half: exactly sklearn's roc_auc_score
//   at_threshold   confusion counts and precision, recall, F1, FPR when flagging score ≥ t;
//                  precision is 0 when nothing is flagged (sklearn's precision_score with
//                  zero_division=0), F1 is 0 when precision + recall is 0
//   best_f1        over every threshold of sklearn's precision_recall_curve (each distinct
//                  score), the one with the highest F1; on a tie, the lowest such threshold
//                  (the first in precision_recall_curve's increasing order, as numpy.argmax)
//   histogram      counts of values in `bins` equal bins over [lo, hi] (values outside are
//                  counted in the first or last bin; NaN is not counted)
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ae {

struct RocCurve {
    std::vector<double> fpr, tpr;      // (M + 1) from (0, 0) to (1, 1)
    std::vector<double> thresholds;    // (M + 1), thresholds[0] = +∞, then distinct scores descending
    double auc = 0;
    std::size_t positives = 0, negatives = 0;
};

// scores (N), positive (N) 0/1. Throws ae::Error when a score is NaN or when either class is
// missing (the AUC is then undefined, as sklearn refuses too).
RocCurve roc_curve(const float* scores, const std::uint8_t* positive, std::size_t n);
double roc_auc(const float* scores, const std::uint8_t* positive, std::size_t n);

struct ThresholdStats {
    double threshold = 0;
    std::size_t tp = 0, fp = 0, tn = 0, fn = 0;
    double precision = 0, recall = 0, f1 = 0, fpr = 0;
};

ThresholdStats at_threshold(const float* scores, const std::uint8_t* positive, std::size_t n, double threshold);
ThresholdStats best_f1(const float* scores, const std::uint8_t* positive, std::size_t n);

std::vector<std::uint32_t> histogram(const float* values, std::size_t n, double lo, double hi, std::size_t bins);

}  // namespace ae

// Inverted dropout: in Train mode each value is kept with probability 1 − p and scaled by
// 1/(1 − p), so the expected output equals the input and Eval mode is the identity.
//
//   Train   mask[n, d] = (u ≥ p) / (1 − p),  u ~ U[0, 1) from ctx.rng, one draw per value in
//           row-major order (same generator state → same mask)
//           y = x ⊙ mask                        dx = dy ⊙ mask
//   Eval    y = x                               dx = dy
//
// The identity cases (Eval mode, and p = 0, which draws nothing) return the caller's buffer
// unchanged: it stays valid as long as the layer's own output would.
#pragma once
#include "core/layer.hpp"

namespace ae {

class Dropout : public Layer {
public:
    // p in [0, 1): the probability of dropping each value.
    Dropout(FeatureShape in, double p);

    std::string kind() const override { return "dropout"; }
    const Mat& forward(const Mat& x, const Context& ctx) override;
    const Mat& backward(const Mat& dy) override;

    double p() const { return p_; }
    // (N, D): 0 for dropped values, 1/(1 − p) for kept ones; meaningful after a Train forward.
    const Mat& mask() const { return mask_; }

private:
    double p_;
    bool masked_ = false;  // the last forward applied a mask (Train mode, p > 0)
    Mat mask_;             // (N, D)
    Mat y_;                // (N, D)
};

}  // namespace ae

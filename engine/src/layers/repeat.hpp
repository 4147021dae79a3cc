// Repeat a row T times: the same value at every step of a sequence (Keras' RepeatVector).
//   forward   x (N, D) → y (N, T·D),  y[n, t·D + d] = x[n, d]
//   backward  dx[n, d] = Σ_t dy[n, t·D + d]
// The sequence autoencoder's decoder feeds its code to the recurrent layer at every step this way.
#pragma once
#include "core/layer.hpp"

namespace ae {

class Repeat : public Layer {
public:
    Repeat(std::size_t size, std::size_t steps);  // D, T

    std::string kind() const override { return "repeat"; }
    const Mat& forward(const Mat& x, const Context& ctx) override;
    const Mat& backward(const Mat& dy) override;

private:
    std::size_t D_, T_;
    Mat y_;  // (N, T·D)
};

}  // namespace ae

// Batch normalisation, PyTorch's nn.BatchNorm2d for images and nn.BatchNorm1d for flat rows.
//
// Rows are read as (C, H, W) and statistics are taken per channel over the M = N·H·W values
// of that channel in the batch; a flat row (C, 1, 1) thus normalises each of its C features
// over the batch (BatchNorm1d), an image (C, H, W) each channel (BatchNorm2d).
//
//   Train   mean[c] = Σ x / M,  var[c] = Σ (x − mean)² / M          (biased, as PyTorch)
//           x̂ = (x − mean[c]) · rstd[c],  rstd = 1/√(var + eps),    y = gamma[c]·x̂ + beta[c]
//           running_mean ← (1 − m)·running_mean + m·mean
//           running_var  ← (1 − m)·running_var  + m·var·M/(M − 1)   (unbiased, as PyTorch)
//   Eval    the same with mean, var := running_mean, running_var; nothing is updated.
//
// Backward (the full gradient: mean and var depend on every x of the channel):
//   dbeta[c]  = Σ dy                 dgamma[c] = Σ dy·x̂
//   Train     dx = gamma·rstd · (dy − dbeta/M − x̂·dgamma/M)
//   Eval      dx = gamma·rstd · dy
#pragma once
#include <vector>

#include "core/layer.hpp"

namespace ae {

class BatchNorm : public Layer {
public:
    // momentum in [0, 1], eps > 0. Train mode needs M = N·H·W > 1 values per channel.
    BatchNorm(FeatureShape in, double momentum = 0.1, double eps = 1e-5);

    std::string kind() const override { return "batchnorm"; }
    const Mat& forward(const Mat& x, const Context& ctx) override;
    const Mat& backward(const Mat& dy) override;
    std::vector<Param*> params() override { return {&gamma_, &beta_}; }
    std::vector<Param*> buffers() override { return {&running_mean_, &running_var_}; }
    // gamma = 1, beta = 0, running_mean = 0, running_var = 1 (draws nothing from rng).
    void init(Rng& rng) override;

    Param& gamma() { return gamma_; }
    Param& beta() { return beta_; }
    Param& running_mean() { return running_mean_; }
    Param& running_var() { return running_var_; }
    double momentum() const { return momentum_; }
    double eps() const { return eps_; }

private:
    void reset();  // the initial values above

    std::size_t C_, S_;              // channels, values per channel per row (H·W)
    double momentum_, eps_;
    Param gamma_, beta_;             // (C) weight and bias, no weight decay
    Param running_mean_, running_var_;  // (C) buffers, no gradient
    Mode mode_ = Mode::Eval;         // mode of the last forward, for backward
    Mat xhat_;                       // (N, C·H·W) normalised input
    Mat y_;                          // (N, C·H·W)
    Vec rstd_;                       // (C) 1/√(var + eps) used by the last forward
    std::vector<double> sum_, sum2_;  // (C) accumulators
};

}  // namespace ae

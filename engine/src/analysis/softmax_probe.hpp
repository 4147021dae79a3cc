// A linear probe: how much of the labels a set of features (autoencoder codes, PCA coefficients,
// raw pixels) carries, measured by a multinomial logistic regression trained on few labels.
//
// The model and objective are sklearn's LogisticRegression(C, multinomial, lbfgs):
//   logits z = x W + b              x (F) standardised features, W (F, K), b (K)
//   minimise  Σ_i CE(softmax(z_i), y_i) + 1/(2C) · ‖W‖²      (the intercept b is not penalised)
// solved by L-BFGS (memory 10, as scipy's L-BFGS-B) from W = 0, b = 0 with a backtracking
// Armijo line search; deterministic. It stops when the largest gradient entry of the mean loss
// is at most 1e-7 (converged), when a line search can no longer decrease the objective in
// float precision (converged as far as it can), or after max_iterations.
//
// Work is done in budgeted calls: iterate(n) runs at most n iterations, so the page's worker
// stays responsive. Logits are float GEMMs (kernels/gemm.hpp); losses and gradients are summed
// in double over chunks of 256 samples.
// Shape letters: N labelled samples, F features, K classes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "analysis/standardize.hpp"

namespace ae {

struct ProbeStatus {
    std::size_t iterations = 0;   // L-BFGS iterations done in all
    std::size_t evaluations = 0;  // objective evaluations
    double loss = 0;              // objective now (summed CE + penalty)
    double grad_max = 0;          // largest |gradient entry| of the mean objective
    bool converged = false;       // stopped by the gradient or line-search criterion
    bool done = false;            // converged or out of iterations
};

class SoftmaxProbe {
public:
    // x (N, F) raw features and y (N) labels < classes. standardize: fit a Standardizer on x
    // (the probe's protocol); otherwise use the features as they are. Copies what it needs.
    SoftmaxProbe(const float* x, const std::uint8_t* y, std::size_t n, std::size_t f, std::size_t classes, double C,
                 bool standardize, std::size_t max_iterations = 20000);

    ProbeStatus iterate(std::size_t max_steps);
    const ProbeStatus& status() const { return status_; }

    // Raw features (N, F) → predicted labels (N).
    void predict(const float* x, std::size_t n, std::uint8_t* labels) const;
    // Raw features (N, F) → class probabilities (N, K).
    void probabilities(const float* x, std::size_t n, float* p) const;

    std::size_t features() const { return f_; }
    std::size_t classes() const { return k_; }
    const Standardizer& scaler() const { return scaler_; }
    // W (F, K) row-major then b (K): the parameters in the original (standardised) feature space.
    const std::vector<double>& parameters() const { return theta_; }

private:
    double objective(const std::vector<double>& theta, std::vector<double>& grad);
    void logits(const std::vector<float>& w, const std::vector<double>& theta, const float* x, std::size_t n,
                float* z) const;
    double grad_max_mean(const std::vector<double>& g) const;

    std::size_t n_, f_, k_, max_iterations_;
    double inv_c_;
    Standardizer scaler_;
    std::vector<float> x_;        // (N, F) standardised
    std::vector<std::uint8_t> y_;  // (N)
    std::vector<double> theta_, grad_;
    std::deque<std::vector<double>> s_, y_hist_;  // L-BFGS pairs (newest last)
    std::deque<double> rho_;
    ProbeStatus status_;
    // scratch
    std::vector<float> wf_, zf_, pf_;
};

}  // namespace ae

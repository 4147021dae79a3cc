// The optimizers' per-element updates over one parameter tensor of n values, vectorised.
// Each function has a float overload (the fast kernel) and a double overload, which is the
// reference loop of kernels/optim_update_naive.hpp (run by the double engine, and compared with
// the float kernels by the tests). The formulas, with the coefficients the optimizer computes
// once per step (optim/adam.hpp, sgd.hpp, rmsprop.hpp):
//
//   adam     m ← β1·m + (1−β1)·g     v ← β2·v + (1−β2)·g·g
//            w ← w − step·m / (√v · inv_sqrt_bc2 + ε)          step = lr / (1 − β1ᵗ)
//   sgd      w ← w − lr·g                                       (no momentum)
//            b ← μ·b + g;  w ← w − lr·b   or, Nesterov,  w ← w − lr·(g + μ·b)
//   rmsprop  v ← α·v + (1−α)·g·g;  s = g / (√v + ε)
//            w ← w − lr·s   or, with momentum,  b ← μ·b + s;  w ← w − lr·b
//
// Each returns whether every value it wrote (weights and slots) is finite: the fast kernels
// accumulate 0·x over what they store, which stays 0 unless some x is NaN or infinite, so the
// trainer learns that an update diverged without another pass over the weights.
#pragma once
#include <cstddef>

namespace ae::kernels {

template <class T>
struct AdamCoeffs {
    T beta1, beta2;          // β1, β2
    T one_minus_beta1, one_minus_beta2;
    T step;                  // lr / (1 − β1ᵗ)
    T inv_sqrt_bc2;          // 1 / √(1 − β2ᵗ)
    T eps;
};

bool adam_update(float* w, const float* g, float* m, float* v, std::size_t n, const AdamCoeffs<float>& c);
bool adam_update(double* w, const double* g, double* m, double* v, std::size_t n, const AdamCoeffs<double>& c);

enum class SgdMomentum { None, Classic, Nesterov };
bool sgd_update(float* w, const float* g, float* b, std::size_t n, float lr, float mu, SgdMomentum kind);
bool sgd_update(double* w, const double* g, double* b, std::size_t n, double lr, double mu, SgdMomentum kind);

// b is only touched when momentum is true.
bool rmsprop_update(float* w, const float* g, float* v, float* b, std::size_t n, float lr, float alpha,
                    float one_minus_alpha, float eps, float mu, bool momentum);
bool rmsprop_update(double* w, const double* g, double* v, double* b, std::size_t n, double lr, double alpha,
                    double one_minus_alpha, double eps, double mu, bool momentum);

}  // namespace ae::kernels

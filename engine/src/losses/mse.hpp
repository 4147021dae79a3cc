// Squared error, summed over pixels and averaged over images.
//   y (N, D) outputs, t (N, D) targets
//   value = (1/N) Σ_n Σ_d (y − t)²        dy = 2 (y − t) / N
#pragma once
#include "core/tensor.hpp"

namespace ae {

double mse(const Mat& y, const Mat& t, Mat* dy);

}  // namespace ae

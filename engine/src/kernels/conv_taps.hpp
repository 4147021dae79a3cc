// Products with few taps: the convolutions whose im2col matrix has only a handful of rows.
//
// A convolution over one input channel (the conv autoencoder's first layer, 1→32, K = 3) has an
// im2col matrix of T = C·K·K = 9 rows, and the transposed convolution back to one channel (its
// last layer, 32→1) one of OC·K·K = 9 rows. As GEMMs these have an inner or an outer dimension of
// 9: the packed GEMM (kernels/gemm.hpp) pads 9 to its 8-wide panels (16, 44 % waste) or runs
// 9-long rank updates that reload the C tile every 9 steps, and its packing dominates. Measured
// in WASM at batch 128 (groups of 5 images, 980 columns): forward M=32 N=980 K=9 16 GFLOP/s,
// weight gradient M=32 N=9 K=980 10 GFLOP/s, against 24 at the model's dense shapes. So the conv
// layers run these two products directly, one image at a time (layers/conv2d.cpp,
// layers/conv_transpose2d.cpp, when T ≤ kDirectTaps):
//
//   taps_product   Y (R, P) = f(A (R, T) · cols (T, P) + bias)      register tile 4 rows × 8
//                  pixels, A's elements pre-splatted once per call; A (r, t) is read at
//                  a[r·a_row + t·a_col], so Wᵀ needs no copy
//   taps_gram      G (R, T) = A (R, P) · cols (T, P)ᵀ                register tile 4 rows × 3 taps,
//                  each a sum of P products kept as vector lanes and added lane 0 first
//
// with P the image's pixels (hundreds) and R, T up to a few dozen. Used as
//   conv (C = 1)          y = f(W · im2col(x) + b)       dW_n = dy · im2col(x)ᵀ
//                         dcols = Wᵀ · dy (then col2im)
//   transposed (OC = 1)   cols = Wᵀ · x (then col2im)    dW_n = x · im2col(dy)ᵀ
//                         dx = W · im2col(dy)
//
// The float overloads are the fast kernels (kernels/simd.hpp); the double overloads are the
// reference loops of kernels/conv_taps_naive.hpp, which the tests compare the float ones against.
// The product adds in the reference's order (bias first, then t ascending); the gram's fast sums
// run as W interleaved lane sums, so the two differ by float rounding. Arrays may not overlap.
#pragma once
#include <cstddef>

#include "kernels/act.hpp"

namespace ae::kernels {

// Up to this many im2col rows the conv layers use the products below instead of the GEMM.
constexpr std::size_t kDirectTaps = 16;

// Y[r, q] = f(bias[r] + Σ_t A(r, t) · cols[t·ldcols + q]) for r < R, q < P, stored at y[r·ldy + q];
// A(r, t) = a[r·a_row + t·a_col]; bias may be null (0).
void taps_product(std::size_t R, std::size_t T, std::size_t P, const float* a, std::size_t a_row,
                  std::size_t a_col, const float* cols, std::size_t ldcols, const float* bias, Act act,
                  float slope, float* y, std::size_t ldy);
void taps_product(std::size_t R, std::size_t T, std::size_t P, const double* a, std::size_t a_row,
                  std::size_t a_col, const double* cols, std::size_t ldcols, const double* bias, Act act,
                  double slope, double* y, std::size_t ldy);

// G[r·T + t] = Σ_q A[r·lda + q] · cols[t·ldcols + q] for r < R, t < T (overwritten).
void taps_gram(std::size_t R, std::size_t T, std::size_t P, const float* a, std::size_t lda, const float* cols,
               std::size_t ldcols, float* g);
void taps_gram(std::size_t R, std::size_t T, std::size_t P, const double* a, std::size_t lda, const double* cols,
               std::size_t ldcols, double* g);

}  // namespace ae::kernels

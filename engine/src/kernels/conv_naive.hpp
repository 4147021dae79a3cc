// The reference convolutions: direct loops straight from the definitions, accumulating in
// double, with no im2col, no GEMM and no shared code with the fast path (kernels/im2col.hpp).
// Slow on purpose; tests compare the layers against them.
//
// Layouts follow PyTorch (all row-major, N batch):
//   conv2d            x (N, C, H, W), weight (OC, C, K, K), bias (OC) → y (N, OC, OH, OW)
//                     OH = (H + 2P − K)/S + 1
//                     y[n,o,i,j] = b[o] + Σ_{c,ki,kj} w[o,c,ki,kj] · x[n,c, i·S−P+ki, j·S−P+kj]
//   conv_transpose2d  x (N, C, H, W), weight (C, OC, K, K), bias (OC) → y (N, OC, OH, OW)
//                     OH = (H − 1)·S − 2P + K + output_padding
//                     y[n,o, i·S−P+ki, j·S−P+kj] += w[c,o,ki,kj] · x[n,c,i,j]   (then + b[o])
//   conv2d_weight_grad  x (N, C, H, W), dy (N, OC, OH, OW) → dW (OC, C, K, K)
//                     dW[o,c,ki,kj] = Σ_{n,i,j} dy[n,o,i,j] · x[n,c, i·S−P+ki, j·S−P+kj]
//
// Taps outside the image (in the zero padding, or cropped by P in the transposed case) are
// skipped. bias may be nullptr. conv_transpose2d is the adjoint of conv2d in x, which is how
// the layers' input gradients are checked.
#pragma once
#include <cstddef>
#include <vector>

namespace ae::kernels {

template <class T>
void conv2d_naive(const T* x, std::size_t N, std::size_t C, std::size_t H, std::size_t W, const T* weight,
                  const T* bias, std::size_t OC, std::size_t K, std::size_t S, std::size_t P, T* y) {
    const long OH = (long(H) + 2 * long(P) - long(K)) / long(S) + 1;
    const long OW = (long(W) + 2 * long(P) - long(K)) / long(S) + 1;
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t o = 0; o < OC; ++o)
            for (long i = 0; i < OH; ++i)
                for (long j = 0; j < OW; ++j) {
                    double acc = bias ? double(bias[o]) : 0.0;
                    for (std::size_t c = 0; c < C; ++c)
                        for (std::size_t ki = 0; ki < K; ++ki)
                            for (std::size_t kj = 0; kj < K; ++kj) {
                                const long h = i * long(S) - long(P) + long(ki);
                                const long w = j * long(S) - long(P) + long(kj);
                                if (h < 0 || h >= long(H) || w < 0 || w >= long(W)) continue;
                                acc += double(weight[((o * C + c) * K + ki) * K + kj]) *
                                       double(x[((n * C + c) * H + std::size_t(h)) * W + std::size_t(w)]);
                            }
                    y[((n * OC + o) * std::size_t(OH) + std::size_t(i)) * std::size_t(OW) + std::size_t(j)] = T(acc);
                }
}

template <class T>
void conv_transpose2d_naive(const T* x, std::size_t N, std::size_t C, std::size_t H, std::size_t W,
                            const T* weight, const T* bias, std::size_t OC, std::size_t K, std::size_t S,
                            std::size_t P, std::size_t output_padding, T* y) {
    const long OH = (long(H) - 1) * long(S) - 2 * long(P) + long(K) + long(output_padding);
    const long OW = (long(W) - 1) * long(S) - 2 * long(P) + long(K) + long(output_padding);
    std::vector<double> acc(N * OC * std::size_t(OH) * std::size_t(OW), 0.0);  // (N, OC, OH, OW)
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t c = 0; c < C; ++c)
            for (std::size_t i = 0; i < H; ++i)
                for (std::size_t j = 0; j < W; ++j) {
                    const double v = double(x[((n * C + c) * H + i) * W + j]);
                    for (std::size_t o = 0; o < OC; ++o)
                        for (std::size_t ki = 0; ki < K; ++ki)
                            for (std::size_t kj = 0; kj < K; ++kj) {
                                const long h = long(i * S) - long(P) + long(ki);
                                const long w = long(j * S) - long(P) + long(kj);
                                if (h < 0 || h >= OH || w < 0 || w >= OW) continue;
                                acc[((n * OC + o) * std::size_t(OH) + std::size_t(h)) * std::size_t(OW) +
                                    std::size_t(w)] += double(weight[((c * OC + o) * K + ki) * K + kj]) * v;
                            }
                }
    const std::size_t plane = std::size_t(OH) * std::size_t(OW);
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t o = 0; o < OC; ++o)
            for (std::size_t q = 0; q < plane; ++q) {
                const std::size_t idx = (n * OC + o) * plane + q;
                y[idx] = T(acc[idx] + (bias ? double(bias[o]) : 0.0));
            }
}

template <class T>
void conv2d_weight_grad_naive(const T* x, const T* dy, std::size_t N, std::size_t C, std::size_t H, std::size_t W,
                              std::size_t OC, std::size_t K, std::size_t S, std::size_t P, T* dweight) {
    const long OH = (long(H) + 2 * long(P) - long(K)) / long(S) + 1;
    const long OW = (long(W) + 2 * long(P) - long(K)) / long(S) + 1;
    for (std::size_t o = 0; o < OC; ++o)
        for (std::size_t c = 0; c < C; ++c)
            for (std::size_t ki = 0; ki < K; ++ki)
                for (std::size_t kj = 0; kj < K; ++kj) {
                    double acc = 0.0;
                    for (std::size_t n = 0; n < N; ++n)
                        for (long i = 0; i < OH; ++i)
                            for (long j = 0; j < OW; ++j) {
                                const long h = i * long(S) - long(P) + long(ki);
                                const long w = j * long(S) - long(P) + long(kj);
                                if (h < 0 || h >= long(H) || w < 0 || w >= long(W)) continue;
                                acc += double(dy[((n * OC + o) * std::size_t(OH) + std::size_t(i)) *
                                                     std::size_t(OW) + std::size_t(j)]) *
                                       double(x[((n * C + c) * H + std::size_t(h)) * W + std::size_t(w)]);
                            }
                    dweight[((o * C + c) * K + ki) * K + kj] = T(acc);
                }
}

}  // namespace ae::kernels

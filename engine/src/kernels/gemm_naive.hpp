// The reference matrix multiply: the textbook triple loop, accumulating in double.
// Same contract as ae::kernels::gemm (gemm.hpp): C[M×N] = beta·C + op(A)·op(B), row-major with
// row strides lda/ldb/ldc; beta = 0 never reads C. Slow on purpose: tests compare the fast
// kernel against it, and the benchmark reports it for scale.
#pragma once
#include <cstddef>

#include "kernels/gemm.hpp"

namespace ae::kernels {

template <class T>
void gemm_naive(Op opA, Op opB, int M, int N, int K, const T* A, int lda, const T* B, int ldb,
                T beta, T* C, int ldc) {
    using std::ptrdiff_t;
    // op(A)(i, k) and op(B)(k, j) as stored.
    auto a = [&](int i, int k) {
        return opA == Op::N ? A[ptrdiff_t(i) * lda + k] : A[ptrdiff_t(k) * lda + i];
    };
    auto b = [&](int k, int j) {
        return opB == Op::N ? B[ptrdiff_t(k) * ldb + j] : B[ptrdiff_t(j) * ldb + k];
    };
    for (int i = 0; i < M; ++i) {
        for (int j = 0; j < N; ++j) {
            double acc = 0.0;
            for (int k = 0; k < K; ++k) acc += double(a(i, k)) * double(b(k, j));
            T& c = C[ptrdiff_t(i) * ldc + j];
            c = beta == T(0) ? T(acc) : T(double(beta) * double(c) + acc);
        }
    }
}

}  // namespace ae::kernels

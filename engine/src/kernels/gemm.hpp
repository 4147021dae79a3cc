// Matrix multiply, the engine's hot kernel.
//
//   C[M×N] = beta·C + op(A)·op(B)      op(A) is (M, K), op(B) is (K, N)
//
// All matrices are row-major; lda/ldb/ldc are the row strides as stored, so a submatrix view is
// passed by pointing at its first element and giving the parent's row stride. An operand with
// Op::T is stored transposed: op(A) = Aᵀ means A is stored (K, M) with lda ≥ M.
//
// beta = 0 overwrites C without reading it (old NaNs do not leak); beta = 1 accumulates; any
// other value scales C first. K = 0 gives C = beta·C.
//
// How the dense layer uses it (N batch, Din → Dout):
//   forward         Y(N, Dout)  = X(N, Din) · W(Din, Dout)      gemm(N, N, ...)
//   input gradient  dX(N, Din)  = dY(N, Dout) · Wᵀ              gemm(N, T, ...)
//   weight gradient dW(Din, Dout) = Xᵀ · dY(N, Dout)            gemm(T, N, ...)
//
// The float path is a packed, register-blocked GEMM (gemm.cpp); which SIMD flavour was compiled
// in is reported by gemm_backend(). The double path (gradient-check builds) shares the packing
// and blocking with a plain scalar micro-kernel. gemm_naive (gemm_naive.hpp) is the reference.
//
// Threads (core/parallel.hpp): a product of more than a few hundred thousand multiply-adds is
// split among the threads by columns of C (by rows when C is taller than wide), cut at multiples
// of the micro-tile. Every element of C is computed exactly as on one thread (the same k blocks
// in the same order), so the result does not depend on the thread count.
//
// An optional epilogue finishes C in the same pass: C[i, j] = f(C[i, j] + bias[j]) with bias (N)
// by column (may be null) and f an activation (kernels/act.hpp). It is applied to each column
// panel of C (up to 128 × 8) as soon as the panel's last rank-kc update is done, while the panel
// is still in L1, so the dense layer's forward  y = f(x·W + b)  is one pass over y
// (kernels/elementwise.hpp: bias_act).
#pragma once

#include "kernels/act.hpp"

namespace ae::kernels {

enum class Op { N, T };

template <class T>
struct Epilogue {
    const T* bias = nullptr;  // (N), added to every row of C; null: no bias
    Act act = Act::Identity;
    T slope = T(0.01);        // LeakyReLU
};

void gemm(Op opA, Op opB, int M, int N, int K, const float* A, int lda, const float* B, int ldb,
          float beta, float* C, int ldc);
void gemm(Op opA, Op opB, int M, int N, int K, const double* A, int lda, const double* B, int ldb,
          double beta, double* C, int ldc);
// The same with an epilogue.
void gemm(Op opA, Op opB, int M, int N, int K, const float* A, int lda, const float* B, int ldb,
          float beta, float* C, int ldc, const Epilogue<float>& epilogue);
void gemm(Op opA, Op opB, int M, int N, int K, const double* A, int lda, const double* B, int ldb,
          double beta, double* C, int ldc, const Epilogue<double>& epilogue);

// A right-hand operand that packs itself instead of being read from memory: the im2col matrix
// of a convolution, gathered straight from the images (kernels/conv_gemm.hpp), is never stored.
// pack(self, p0, kc, j0, nc, nr, dst) writes op(B)[p0:+kc, j0:+nc] as ceil(nc/nr) panels of
// (kc, nr), dst[panel·kc·nr + k·nr + l] = op(B)(p0 + k, j0 + panel·nr + l), zero past column nc.
// It is called from several threads at once for disjoint column ranges.
template <class T>
struct PackedB {
    void (*pack)(const void* self, int p0, int kc, int j0, int nc, int nr, T* dst);
    const void* self;
};
void gemm(Op opA, int M, int N, int K, const float* A, int lda, const PackedB<float>& B, float beta, float* C,
          int ldc);
void gemm(Op opA, int M, int N, int K, const double* A, int lda, const PackedB<double>& B, double beta, double* C,
          int ldc);

// The float path compiled in: "wasm-simd128", "native-vector" or "scalar".
const char* gemm_backend();

namespace detail {
// Exposed only for engine/bench/gemm_bench.cpp, which times the float micro-kernel on its own:
// `repeats` back-to-back calls of C[mr×nr] (row stride ldc) += Ap·Bp, where
//   Ap: (kc, mr) k-major panel, Ap[k·mr + i] = A(i, k)
//   Bp: (kc, nr) k-major panel, Bp[k·nr + j] = B(k, j)
struct MicroTile {
    int mr, nr;
};
MicroTile gemm_micro_tile();
void gemm_micro_kernel(int kc, const float* Ap, const float* Bp, float* C, int ldc, int repeats);
}  // namespace detail

}  // namespace ae::kernels

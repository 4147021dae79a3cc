// Packed, register-blocked GEMM (the Goto/BLIS scheme), float and double.
//
//   for jc over N in steps of NC:                   (the model's widths take one step)
//     for pc over K in steps of KC:                 one rank-kc update of C[:, jc:+nc]
//       pack op(B)[pc:+kc, jc:+nc] → Bp             NR-wide panels, k-major      (L2)
//       for ic over M in steps of MC:
//         pack op(A)[ic:+mc, pc:+kc] → Ap           MR-tall panels, k-major      (L2)
//         for each NR panel of Bp:                  the B panel stays in L1
//           for each MR panel of Ap:
//             micro-kernel: C[MR×NR] (+)= Ap_panel · Bp_panel
//
// Transposed operands are handled entirely by the packing routines: the micro-kernel only ever
// sees k-major panels. Panels are zero-padded to full MR/NR, so the micro-kernel always computes
// a whole tile; edge tiles go through a small buffer and only their valid part is written to C.
//
// Three float micro-kernels, picked at compile time (gemm_backend() reports which):
//   wasm-simd128   <wasm_simd128.h> f32x4 mul+add, 4×8 tile.
//   wasm-relaxed-simd  the same tile with f32x4.relaxed_madd (one fused multiply-add where the
//                  CPU has FMA, as every x86-64 since 2013 and every ARM64 does): the build
//                  compiled with -mrelaxed-simd (engine/CMakeLists.txt, the *_rx targets).
//   native-vector  GCC vector extensions; with -march=native g++ emits AVX-512 (8×32 tile) or
//                  AVX2 (6×16) with FMA (it contracts a*b+c); without it SSE2 (6×8).
//   scalar         plain loops (e.g. WASM built without -msimd128); also the double kernel.
#include "kernels/gemm.hpp"
#include "kernels/elementwise.hpp"
#include "core/parallel.hpp"
#include "kernels/simd4.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define AE_GEMM_WASM_SIMD 1
#if defined(__wasm_relaxed_simd__)
#define AE_GEMM_WASM_RELAXED 1
#endif
#elif defined(__GNUC__) && !defined(__wasm__)
#define AE_GEMM_NATIVE_VECTOR 1
#endif

namespace ae::kernels {
namespace {

using std::ptrdiff_t;

// Cache blocking. Ap (MC×KC) lives in L2, one Bp panel (KC×NR) in L1, all of Bp (KC×NC) in L2/L3.
// K is cut into equal blocks of at most KC (784 → 4 × 196, not 3 × 256 + 16: a thin last block
// would reload and store every tile of C for a few k).
constexpr int KC = 256;
constexpr int MC_TARGET = 128;  // rounded up to a multiple of MR
constexpr int NC = 1024;        // the model's widths (≤ 784) are packed in one go

// ------------------------------------------------------------------------------------------------
// Micro-kernels. Each is a struct with the tile size and two functions:
//   run(kc, a, b, c, ldc, accumulate):  C[MR×NR] = (accumulate ? C : 0) + Ap·Bp
//     a: (kc, MR) k-major, a[k·MR + i] = A(i, k)
//     b: (kc, NR) k-major, b[k·NR + j] = B(k, j)
//     c: row stride ldc; with accumulate = false C is only written, never read.
//   run_half(...): the same for the tile's first NR/2 columns only (c's others untouched), the
//     same arithmetic per element: the last panel of a product whose width is a few columns past
//     a multiple of NR (a dense layer to or from a 20-number code: 8 + 8 + 4) costs half a tile.
// ------------------------------------------------------------------------------------------------

// run and run_half of a kernel K whose tile<CV>(kc, a, b, c, ldc, accumulate) computes the first
// CV of its NV column units (vectors, or columns for the scalar kernel).
template <class K, class T, int NV>
struct TileFront {
    static void run(int kc, const T* __restrict a, const T* __restrict b, T* __restrict c, int ldc, bool accumulate) {
        K::template tile<NV>(kc, a, b, c, ldc, accumulate);
    }
    static void run_half(int kc, const T* __restrict a, const T* __restrict b, T* __restrict c, int ldc,
                         bool accumulate) {
        K::template tile<NV / 2>(kc, a, b, c, ldc, accumulate);
    }
};

// Plain loops: the double kernel, and the float kernel when no SIMD is available.
template <class T, int MR_, int NR_>
struct ScalarKernel : TileFront<ScalarKernel<T, MR_, NR_>, T, NR_> {
    static constexpr int MR = MR_, NR = NR_;
    template <int CN>  // the first CN columns
    static void tile(int kc, const T* __restrict a, const T* __restrict b, T* __restrict c, int ldc, bool accumulate) {
        T acc[MR][CN] = {};
        for (int k = 0; k < kc; ++k, a += MR, b += NR)
            for (int i = 0; i < MR; ++i)
                for (int j = 0; j < CN; ++j) acc[i][j] += a[i] * b[j];
        for (int i = 0; i < MR; ++i)
            for (int j = 0; j < CN; ++j) {
                T& cij = c[ptrdiff_t(i) * ldc + j];
                cij = accumulate ? cij + acc[i][j] : acc[i][j];
            }
    }
};

#if defined(AE_GEMM_WASM_SIMD)
// MR rows × NV f32x4 columns, MR·NV accumulators in registers. Per k: NV panel loads of B,
// MR broadcast loads of A, MR·NV multiply-adds (madd).
//
// The tile is chosen for V8's register allocator, not for the wasm: TurboFan (Node 20, V8 11.3)
// has 15 xmm registers for us and issues every load of an iteration before the arithmetic, so
// the live set is MR·NV accumulators + NV + MR loaded values. 4×8 (8 + 2 + 4) and 2×16 are the
// largest tiles that stay out of the stack; 5×8 and 3×12 spill in the inner loop and measured
// 20–30 % slower on this machine's Zen 4, as did unrolling k (more loads in flight).
// acc + a·b. With relaxed SIMD: f32x4.relaxed_madd, fused (one rounding) on CPUs with FMA.
// Emscripten 3.1.6's clang emits the builtin as the proposal's early opcode (0xfd 0xaf, operands
// in call order); scripts/wasm-relaxed.mjs renumbers it after linking to the standard
// f32x4.relaxed_madd (0xfd 0x105), whose result is operand 0 · operand 1 + operand 2. So the
// call below means a·b + acc in the module that runs (test_gemm checks the numbers).
inline v128_t madd(v128_t acc, v128_t a, v128_t b) {
#if defined(AE_GEMM_WASM_RELAXED)
    return (v128_t)__builtin_wasm_fma_f32x4((__f32x4)a, (__f32x4)b, (__f32x4)acc);
#else
    return wasm_f32x4_add(acc, wasm_f32x4_mul(a, b));
#endif
}

template <int MR_, int NV>
struct WasmSimdKernel : TileFront<WasmSimdKernel<MR_, NV>, float, NV> {
    static constexpr int MR = MR_, NR = 4 * NV;
    template <int CV>  // the first CV vectors of columns
    static void tile(int kc, const float* __restrict a, const float* __restrict b, float* __restrict c, int ldc,
                     bool accumulate) {
        v128_t acc[MR][CV];
        for (int i = 0; i < MR; ++i)
            for (int v = 0; v < CV; ++v) acc[i][v] = wasm_f32x4_const_splat(0.0f);
        for (int k = 0; k < kc; ++k, a += MR, b += NR) {
            v128_t bk[CV];
            for (int v = 0; v < CV; ++v) bk[v] = wasm_v128_load(b + 4 * v);
            for (int i = 0; i < MR; ++i) {
                const v128_t aik = wasm_v128_load32_splat(a + i);
                for (int v = 0; v < CV; ++v)
                    acc[i][v] = madd(acc[i][v], aik, bk[v]);
            }
        }
        for (int i = 0; i < MR; ++i)
            for (int v = 0; v < CV; ++v) {
                float* p = c + ptrdiff_t(i) * ldc + 4 * v;
                wasm_v128_store(p, accumulate ? wasm_f32x4_add(wasm_v128_load(p), acc[i][v])
                                              : acc[i][v]);
            }
    }
};
using FloatKernel = WasmSimdKernel<4, 2>;  // 4×8: 8 accumulators
#if defined(AE_GEMM_WASM_RELAXED)
constexpr const char* kFloatBackend = "wasm-relaxed-simd";
#else
constexpr const char* kFloatBackend = "wasm-simd128";
#endif

#elif defined(AE_GEMM_NATIVE_VECTOR)
// The same kernel in GCC vector extensions, W lanes wide. Loads and stores go through an
// unaligned, may-alias vector type (C rows and Bp offsets are not vector-aligned in general).
#if defined(__AVX512F__)
constexpr int W = 16;  // zmm, 32 registers
#elif defined(__AVX__)
constexpr int W = 8;  // ymm, 16 registers
#else
constexpr int W = 4;  // xmm (SSE2 baseline), 16 registers
#endif
typedef float vfloat __attribute__((vector_size(W * sizeof(float))));
typedef float vfloat_u __attribute__((vector_size(W * sizeof(float)), aligned(4), may_alias));

inline vfloat load(const float* p) { return *reinterpret_cast<const vfloat_u*>(p); }
inline void store(float* p, vfloat v) { *reinterpret_cast<vfloat_u*>(p) = v; }

template <int MR_, int NV>
struct VectorKernel : TileFront<VectorKernel<MR_, NV>, float, NV> {
    static constexpr int MR = MR_, NR = W * NV;
    template <int CV>  // the first CV vectors of columns
    static void tile(int kc, const float* __restrict a, const float* __restrict b, float* __restrict c, int ldc,
                     bool accumulate) {
        vfloat acc[MR][CV];
        for (int i = 0; i < MR; ++i)
            for (int v = 0; v < CV; ++v) acc[i][v] = vfloat{};
        for (int k = 0; k < kc; ++k, a += MR, b += NR) {
            vfloat bk[CV];
            for (int v = 0; v < CV; ++v) bk[v] = load(b + W * v);
            for (int i = 0; i < MR; ++i) {
                const float aik = a[i];  // scalar·vector broadcasts; g++ contracts into FMA
                for (int v = 0; v < CV; ++v) acc[i][v] += aik * bk[v];
            }
        }
        for (int i = 0; i < MR; ++i)
            for (int v = 0; v < CV; ++v) {
                float* p = c + ptrdiff_t(i) * ldc + W * v;
                store(p, accumulate ? load(p) + acc[i][v] : acc[i][v]);
            }
    }
};
// Measured on Zen 4 (AVX-512 double-pumped, 32 KiB L1d): 8×32 zmm, 8×48 zmm, 8×16 ymm and 6×16
// ymm all land within noise of each other at the model's shapes (~85–105 GFLOP/s).
#if defined(__AVX512F__)
using FloatKernel = VectorKernel<8, 2>;  // 8×32: 16 zmm accumulators
#elif defined(__AVX__)
using FloatKernel = VectorKernel<6, 2>;  // 6×16: 12 ymm accumulators
#else
using FloatKernel = VectorKernel<6, 2>;  // 6×8: 12 xmm accumulators
#endif
constexpr const char* kFloatBackend = "native-vector";

#else
using FloatKernel = ScalarKernel<float, 4, 4>;
constexpr const char* kFloatBackend = "scalar";
#endif

using DoubleKernel = ScalarKernel<double, 4, 4>;

// ------------------------------------------------------------------------------------------------
// Packing. Both routines read op(X) through its storage order and write zero-padded panels.
// ------------------------------------------------------------------------------------------------

// One (kc, R) k-major panel, dst[k·R + lane], from `r` ≤ R valid lanes; lanes r..R-1 are zero.
// The source is read in whichever order it is contiguous:
//   Layout::LanesContiguous  element (lane, k) at src[k·ld + lane]: copy R values per k
//   Layout::RunsContiguous   element (lane, k) at src[lane·ld + k]: stream each lane's k-run
enum class Layout { LanesContiguous, RunsContiguous };

#if defined(AE_SIMD4)
// Four lanes of a RunsContiguous panel, four k at a time, transposed in registers:
// runs src[q·ld + k] (q = 0..3) → dst[k·R + q]. Returns how many k it did (kc rounded down to 4).
template <int R>
int pack_runs_x4(int kc, const float* src, int ld, float* dst) {
    using namespace simd4;
    const float* s0 = src;
    const float* s1 = src + ld;
    const float* s2 = src + 2 * ptrdiff_t(ld);
    const float* s3 = src + 3 * ptrdiff_t(ld);
    int k = 0;
    for (; k + 4 <= kc; k += 4)
        store_transposed4(load4(s0 + k), load4(s1 + k), load4(s2 + k), load4(s3 + k), dst + k * R, R);
    return k;
}
#endif

template <int R, class T>
void pack_panel(Layout layout, int kc, int r, const T* src, int ld, T* dst) {
    if (layout == Layout::LanesContiguous) {
        if (r == R) {
            for (int k = 0; k < kc; ++k, src += ld) std::memcpy(dst + k * R, src, sizeof(T) * R);
        } else {
            for (int k = 0; k < kc; ++k, src += ld)
                for (int l = 0; l < R; ++l) dst[k * R + l] = l < r ? src[l] : T(0);
        }
        return;
    }
    int l = 0;
#if defined(AE_SIMD4)
    // Transposing copy, 4×4 blocks at a time (scalar stores would cost one op per element).
    if constexpr (std::is_same_v<T, float> && R % 4 == 0) {
        for (; l + 4 <= r; l += 4) {
            const T* run = src + ptrdiff_t(l) * ld;
            for (int k = pack_runs_x4<R>(kc, run, ld, dst + l); k < kc; ++k)
                for (int q = 0; q < 4; ++q) dst[k * R + l + q] = run[ptrdiff_t(q) * ld + k];
        }
    }
#endif
    for (; l < r; ++l) {
        const T* run = src + ptrdiff_t(l) * ld;
        for (int k = 0; k < kc; ++k) dst[k * R + l] = run[k];
    }
    for (; l < R; ++l)
        for (int k = 0; k < kc; ++k) dst[k * R + l] = T(0);
}

// op(A)[i0:+mc, p0:+kc] → ceil(mc/MR) panels of (kc, MR). op(A)(i, k) is stored at
//   Op::N: A[i·lda + k] (a row is a k-run)      Op::T: A[k·lda + i] (MR rows side by side)
template <int MR, class T>
void pack_a(Op op, int mc, int kc, const T* A, int lda, int i0, int p0, T* dst) {
    const Layout layout = op == Op::N ? Layout::RunsContiguous : Layout::LanesContiguous;
    for (int ir = 0; ir < mc; ir += MR, dst += ptrdiff_t(kc) * MR) {
        const int i = i0 + ir;
        const T* src = op == Op::N ? A + ptrdiff_t(i) * lda + p0 : A + ptrdiff_t(p0) * lda + i;
        pack_panel<MR>(layout, kc, std::min(MR, mc - ir), src, lda, dst);
    }
}

// op(B)[p0:+kc, j0:+nc] → ceil(nc/NR) panels of (kc, NR). op(B)(k, j) is stored at
//   Op::N: B[k·ldb + j] (NR columns side by side)      Op::T: B[j·ldb + k] (a column is a k-run)
template <int NR, class T>
void pack_b(Op op, int kc, int nc, const T* B, int ldb, int p0, int j0, T* dst) {
    const Layout layout = op == Op::N ? Layout::LanesContiguous : Layout::RunsContiguous;
    for (int jr = 0; jr < nc; jr += NR, dst += ptrdiff_t(kc) * NR) {
        const int j = j0 + jr;
        const T* src = op == Op::N ? B + ptrdiff_t(p0) * ldb + j : B + ptrdiff_t(j) * ldb + p0;
        pack_panel<NR>(layout, kc, std::min(NR, nc - jr), src, ldb, dst);
    }
}

// Packing buffers, one pair per thread and element type, grown on first need and then reused:
// no allocation per call in steady state. Returned pointers are 64-byte aligned.
template <class T>
struct Scratch {
    std::vector<T> a, b;
    static T* aligned(std::vector<T>& v, std::size_t n) {
        constexpr std::size_t pad = 64 / sizeof(T);
        if (v.size() < n + pad) v.resize(n + pad);
        const auto addr = reinterpret_cast<std::uintptr_t>(v.data());
        return v.data() + ((64 - addr % 64) % 64) / sizeof(T);
    }
};
template <class T>
Scratch<T>& scratch() {
    thread_local Scratch<T> s;
    return s;
}

// C[m×n] = beta·C, the part of the contract that does not depend on K.
template <class T>
void scale_c(int m, int n, T beta, T* C, int ldc) {
    for (int i = 0; i < m; ++i) {
        T* row = C + ptrdiff_t(i) * ldc;
        if (beta == T(0))
            std::fill(row, row + n, T(0));
        else
            for (int j = 0; j < n; ++j) row[j] *= beta;
    }
}

// ------------------------------------------------------------------------------------------------
// The blocked driver.
// ------------------------------------------------------------------------------------------------
// The epilogue on an (m, n) block of C whose columns start at column j0.
template <class T>
void finish(const Epilogue<T>* ep, T* c, int m, int n, int ldc, int j0) {
    if (ep && (ep->bias || ep->act != Act::Identity))
        bias_act(ep->act, ep->slope, ep->bias ? ep->bias + j0 : nullptr, c, std::size_t(m), std::size_t(n),
                 std::size_t(ldc));
}

// K is cut into equal k blocks of at most KC, a multiple of 4 (the packing transposes 4 k at a
// time): the block length.
inline int k_block(int K) {
    const int k_blocks = (K + KC - 1) / KC;
    return std::min(KC, ((K + k_blocks - 1) / k_blocks + 3) / 4 * 4);
}

// Where all of op(A) (M, K) sits when packed at once, as gemm_blocked would pack it block by
// block: k block b (rows [0, M) of columns [b·KB, b·KB + kc)) starts at b·Mp·KB, Mp = M rounded
// up to MR, and within it the rows' panels follow each other, (kc, MR) each.
template <int MR>
struct PackedA {
    int KB, Mp, blocks;
    PackedA(int M, int K) : KB(k_block(K)), Mp((M + MR - 1) / MR * MR), blocks((K + KB - 1) / KB) {}
    std::size_t size() const { return std::size_t(blocks) * std::size_t(Mp) * std::size_t(KB); }
    int panels() const { return blocks * (Mp / MR); }
    // The block of rows from i (a multiple of MR) in the k block starting at column pc, kc long.
    ptrdiff_t offset(int pc, int i, int kc) const { return ptrdiff_t(pc / KB) * Mp * KB + ptrdiff_t(i) * kc; }
};

// Packs panels [p0, p1) of the layout's panels() (k block major) of op(A); the threads share
// the work by panels.
template <int MR, class T>
void pack_a_all(Op opA, int M, int K, const T* A, int lda, int p0, int p1, T* dst) {
    const PackedA<MR> layout(M, K);
    const int per_block = layout.Mp / MR;
    for (int q = p0; q < p1; ++q) {
        const int pc = q / per_block * layout.KB, i = q % per_block * MR, kc = std::min(layout.KB, K - pc);
        pack_a<MR>(opA, std::min(MR, M - i), kc, A, lda, i, pc, dst + layout.offset(pc, i, kc));
    }
}

// C[M×N] (+)= op(A)·op(B) for one block of columns: C points at the block's first column, and
// pack_b(p0, kc, jc, nc, dst) packs op(B)'s columns [jc, jc + nc) counted from the block's start.
// A_packed, when not null, is all of op(A) already packed (pack_a_all); A is then not read.
template <class T, class Kernel, class PackB>
void gemm_blocked(Op opA, int M, int N, int K, const T* A, int lda, const PackB& pack_b_block, T beta, T* C, int ldc,
                  const Epilogue<T>* ep, const T* A_packed = nullptr) {
    constexpr int MR = Kernel::MR, NR = Kernel::NR;
    constexpr int MC = (MC_TARGET + MR - 1) / MR * MR;
    constexpr int NCB = (NC + NR - 1) / NR * NR;
    if (M <= 0 || N <= 0) return;
    if (K <= 0 || (beta != T(0) && beta != T(1))) scale_c(M, N, beta, C, ldc);
    if (K <= 0) return finish(ep, C, M, N, ldc, 0);
    // From here on beta is 0 (first k block overwrites) or 1 (every k block accumulates).
    const bool overwrite = beta == T(0);
    const PackedA<MR> packed(M, K);  // where op(A)'s blocks sit in A_packed
    const int KB = packed.KB;

    Scratch<T>& s = scratch<T>();
    T* Bp = Scratch<T>::aligned(s.b, std::size_t(KC) * NCB);
    T* Ap = Scratch<T>::aligned(s.a, std::size_t(MC) * KC);
    alignas(64) T edge[MR * NR];  // one edge tile, row stride NR

    for (int jc = 0; jc < N; jc += NCB) {
        const int nc = std::min(NCB, N - jc);
        for (int pc = 0; pc < K; pc += KB) {
            const int kc = std::min(KB, K - pc);
            const bool accumulate = pc > 0 || !overwrite;
            const Epilogue<T>* last = pc + kc >= K ? ep : nullptr;  // the tiles are final
            pack_b_block(pc, kc, jc, nc, Bp);
            for (int ic = 0; ic < M; ic += MC) {
                const int mc = std::min(MC, M - ic);
                const T* Ab = Ap;
                if (A_packed)
                    Ab = A_packed + packed.offset(pc, ic, kc);
                else
                    pack_a<MR>(opA, mc, kc, A, lda, ic, pc, Ap);
                for (int jr = 0; jr < nc; jr += NR) {
                    const int nr = std::min(NR, nc - jr);
                    const T* bp = Bp + ptrdiff_t(jr / NR) * kc * NR;
                    for (int ir = 0; ir < mc; ir += MR) {
                        const int mr = std::min(MR, mc - ir);
                        const T* ap = Ab + ptrdiff_t(ir / MR) * kc * MR;
                        T* c = C + ptrdiff_t(ic + ir) * ldc + jc + jr;
                        if (mr == MR && nr == NR) {
                            Kernel::run(kc, ap, bp, c, ldc, accumulate);
                        } else {
                            if (2 * nr <= NR)
                                Kernel::run_half(kc, ap, bp, edge, NR, false);  // the valid columns' half
                            else
                                Kernel::run(kc, ap, bp, edge, NR, false);
                            for (int i = 0; i < mr; ++i)
                                for (int j = 0; j < nr; ++j) {
                                    T& cij = c[ptrdiff_t(i) * ldc + j];
                                    cij = accumulate ? cij + edge[i * NR + j] : edge[i * NR + j];
                                }
                        }
                    }
                    // The panel's mc × NR block of C is final and still in L1: one epilogue call per
                    // panel (per tile, the call and dispatch cost as much as the dense layer's map).
                    finish(last, C + ptrdiff_t(ic) * ldc + jc + jr, mc, nr, ldc, jc + jr);
                }
            }
        }
    }
}

// Below this many multiply-adds per part (a few microseconds) a product stays on one thread.
constexpr double kMinMacsPerPart = 1 << 17;

// Split by columns, every part reads all of op(A): packed by each part it is packed `parts` times
// (on 2 threads the seed model's step spent 2.6 times as long packing A as on one). From this
// many elements on, the threads first pack it once together, then share the packed copy.
constexpr double kMinSharedA = 1 << 14;

// The whole product, split among the threads: by columns of C (every part uses all of op(A),
// packed once by all the threads together when it is large, and packs its own columns of op(B))
// or, when C is taller than wide, by rows (each part packs its rows of op(A) and all of op(B)).
// pack_b(p0, kc, j0, nc, dst) takes absolute columns.
template <class T, class Kernel, class PackB>
void gemm_parallel(Op opA, int M, int N, int K, const T* A, int lda, const PackB& pack_b_abs, T beta, T* C, int ldc,
                   const Epilogue<T>* ep) {
    constexpr int MR = Kernel::MR, NR = Kernel::NR;
    const bool by_cols = N >= M;
    const int tiles = by_cols ? (N + NR - 1) / NR : (M + MR - 1) / MR;
    const double macs = double(M) * double(N) * double(std::max(K, 1));
    // Split by columns with op(A) shared, a part costs nothing extra (each column of op(B) is
    // packed once either way): several per thread. Otherwise every part packs all of op(A) (by
    // columns, op(A) small) or of op(B) (by rows): one per thread.
    const bool shared_a = by_cols && double(M) * double(K) >= kMinSharedA;
    const int team = threads();
    const int want = shared_a && team > 1 ? team * kPartsPerThread : team;
    const int parts = std::min({want, tiles, int(std::min(macs / kMinMacsPerPart, 1e6))});
    if (parts <= 1) {
        gemm_blocked<T, Kernel>(opA, M, N, K, A, lda, pack_b_abs, beta, C, ldc, ep);
        return;
    }
    const T* A_packed = nullptr;
    if (shared_a) {
        thread_local std::vector<T> shared;  // the caller's; the parts only read it
        const PackedA<MR> layout(M, K);
        T* dst = Scratch<T>::aligned(shared, layout.size());
        const int panels = layout.panels();
        parallel_run(parts, [&](int part, int np) {
            const Range r = split_range(std::size_t(panels), part, np);
            pack_a_all<MR>(opA, M, K, A, lda, int(r.begin), int(r.end), dst);
        });
        A_packed = dst;
    }
    parallel_run(parts, [&](int part, int np) {
        if (by_cols) {
            const Range r = split_range(std::size_t(N), part, np, NR);
            const int j0 = int(r.begin), n = int(r.end - r.begin);
            if (n <= 0) return;
            Epilogue<T> sub = ep ? *ep : Epilogue<T>{};
            if (ep && ep->bias) sub.bias = ep->bias + j0;
            auto pack = [&](int p0, int kc, int jc, int nc, T* dst) { pack_b_abs(p0, kc, j0 + jc, nc, dst); };
            gemm_blocked<T, Kernel>(opA, M, n, K, A, lda, pack, beta, C + j0, ldc, ep ? &sub : nullptr, A_packed);
        } else {
            const Range r = split_range(std::size_t(M), part, np, MR);
            const int i0 = int(r.begin), m = int(r.end - r.begin);
            if (m <= 0) return;
            const T* a = opA == Op::N ? A + ptrdiff_t(i0) * lda : A + i0;
            gemm_blocked<T, Kernel>(opA, m, N, K, a, lda, pack_b_abs, beta, C + ptrdiff_t(i0) * ldc, ldc, ep);
        }
    });
}

template <class T, class Kernel>
void gemm_strided(Op opA, Op opB, int M, int N, int K, const T* A, int lda, const T* B, int ldb, T beta, T* C,
                  int ldc, const Epilogue<T>* ep) {
    auto pack = [&](int p0, int kc, int j0, int nc, T* dst) { pack_b<Kernel::NR>(opB, kc, nc, B, ldb, p0, j0, dst); };
    gemm_parallel<T, Kernel>(opA, M, N, K, A, lda, pack, beta, C, ldc, ep);
}

template <class T, class Kernel>
void gemm_packed(Op opA, int M, int N, int K, const T* A, int lda, const PackedB<T>& B, T beta, T* C, int ldc) {
    auto pack = [&](int p0, int kc, int j0, int nc, T* dst) { B.pack(B.self, p0, kc, j0, nc, Kernel::NR, dst); };
    gemm_parallel<T, Kernel>(opA, M, N, K, A, lda, pack, beta, C, ldc, nullptr);
}

}  // namespace

void gemm(Op opA, Op opB, int M, int N, int K, const float* A, int lda, const float* B, int ldb,
          float beta, float* C, int ldc) {
    gemm_strided<float, FloatKernel>(opA, opB, M, N, K, A, lda, B, ldb, beta, C, ldc, nullptr);
}

void gemm(Op opA, Op opB, int M, int N, int K, const double* A, int lda, const double* B, int ldb,
          double beta, double* C, int ldc) {
    gemm_strided<double, DoubleKernel>(opA, opB, M, N, K, A, lda, B, ldb, beta, C, ldc, nullptr);
}

void gemm(Op opA, Op opB, int M, int N, int K, const float* A, int lda, const float* B, int ldb,
          float beta, float* C, int ldc, const Epilogue<float>& epilogue) {
    gemm_strided<float, FloatKernel>(opA, opB, M, N, K, A, lda, B, ldb, beta, C, ldc, &epilogue);
}

void gemm(Op opA, Op opB, int M, int N, int K, const double* A, int lda, const double* B, int ldb,
          double beta, double* C, int ldc, const Epilogue<double>& epilogue) {
    gemm_strided<double, DoubleKernel>(opA, opB, M, N, K, A, lda, B, ldb, beta, C, ldc, &epilogue);
}

void gemm(Op opA, int M, int N, int K, const float* A, int lda, const PackedB<float>& B, float beta, float* C,
          int ldc) {
    gemm_packed<float, FloatKernel>(opA, M, N, K, A, lda, B, beta, C, ldc);
}

void gemm(Op opA, int M, int N, int K, const double* A, int lda, const PackedB<double>& B, double beta, double* C,
          int ldc) {
    gemm_packed<double, DoubleKernel>(opA, M, N, K, A, lda, B, beta, C, ldc);
}

const char* gemm_backend() { return kFloatBackend; }

namespace detail {
MicroTile gemm_micro_tile() { return {FloatKernel::MR, FloatKernel::NR}; }
void gemm_micro_kernel(int kc, const float* Ap, const float* Bp, float* C, int ldc, int repeats) {
    for (int r = 0; r < repeats; ++r) FloatKernel::run(kc, Ap, Bp, C, ldc, true);
}
}  // namespace detail

}  // namespace ae::kernels

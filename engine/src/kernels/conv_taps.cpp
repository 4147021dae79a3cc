#include "kernels/conv_taps.hpp"

#include <algorithm>
#include <vector>

#include "kernels/conv_taps_naive.hpp"
#include "kernels/simd.hpp"
#include "kernels/vmath.hpp"

namespace ae::kernels {

namespace {

using simd::vf;
using simd::W;

// Rows [0, RB) of Y: ap (T, RB) holds those rows of A t-major, ap[t·RB + i] = A(i, t), like a
// GEMM's packed panel; bias RB values or null. Register tile: RB rows × 2 vectors of pixels,
// then the last pixels one vector at a time. As in the GEMM's kernel (kernels/gemm.cpp), the
// live set (2·RB accumulators, 2 + RB loads) stays within V8's 15 xmm registers for RB = 4.
// f is applied to each tile in registers as it is stored (act_forward's arithmetic, so the
// same values as a pass over Y afterwards, without that pass: 1.05 of 4.4 µs per image of the
// conv AE's first layer in WASM).
template <int RB, Act Kind>
void product_rows(std::size_t T, std::size_t P, const float* ap, const float* cols, std::size_t ldcols,
                  const float* bias, vf slope, float* y, std::size_t ldy) {
    using vmath::act_v;
    std::size_t q = 0;
    for (; q + 2 * W <= P; q += 2 * W) {
        vf acc0[RB], acc1[RB];
        for (int i = 0; i < RB; ++i) acc0[i] = acc1[i] = simd::splat(bias ? bias[i] : 0.0f);
        const float* c = cols + q;
        const float* a = ap;
        for (std::size_t t = 0; t < T; ++t, c += ldcols, a += RB) {
            const vf c0 = simd::load(c), c1 = simd::load(c + W);
            for (int i = 0; i < RB; ++i) {
                const vf w = simd::splat(a[i]);
                acc0[i] = simd::add(acc0[i], simd::mul(w, c0));
                acc1[i] = simd::add(acc1[i], simd::mul(w, c1));
            }
        }
        for (int i = 0; i < RB; ++i) {
            simd::store(y + i * ldy + q, act_v<Kind>(acc0[i], slope));
            simd::store(y + i * ldy + q + W, act_v<Kind>(acc1[i], slope));
        }
    }
    for (; q < P; q += W) {
        const int n = int(std::min<std::size_t>(W, P - q));
        vf acc[RB];
        for (int i = 0; i < RB; ++i) acc[i] = simd::splat(bias ? bias[i] : 0.0f);
        const float* c = cols + q;
        const float* a = ap;
        for (std::size_t t = 0; t < T; ++t, c += ldcols, a += RB) {
            const vf c0 = n == W ? simd::load(c) : simd::load_partial(c, n);
            for (int i = 0; i < RB; ++i) acc[i] = simd::add(acc[i], simd::mul(simd::splat(a[i]), c0));
        }
        for (int i = 0; i < RB; ++i) {
            if (n == W)
                simd::store(y + i * ldy + q, act_v<Kind>(acc[i], slope));
            else
                simd::store_partial(y + i * ldy + q, act_v<Kind>(acc[i], slope), n);
        }
    }
}

// G[i·T + j] for rows [0, RB) of A and taps [0, TB) of cols: RB × TB sums of P products, each
// kept as W lane sums, then added in double lane 0 first, then the last P mod W products.
// 3 × 3 keeps the live set (9 accumulators, 3 + 3 loads) within V8's 15 xmm registers.
template <int RB, int TB>
void gram_block(std::size_t T, std::size_t P, const float* a, std::size_t lda, const float* cols, std::size_t ldcols,
                float* g) {
    vf acc[RB][TB];
    for (int i = 0; i < RB; ++i)
        for (int j = 0; j < TB; ++j) acc[i][j] = simd::zero();
    std::size_t q = 0;
    for (; q + W <= P; q += W) {
        vf c[TB];
        for (int j = 0; j < TB; ++j) c[j] = simd::load(cols + j * ldcols + q);
        for (int i = 0; i < RB; ++i) {
            const vf x = simd::load(a + i * lda + q);
            for (int j = 0; j < TB; ++j) acc[i][j] = simd::add(acc[i][j], simd::mul(x, c[j]));
        }
    }
    for (int i = 0; i < RB; ++i)
        for (int j = 0; j < TB; ++j) {
            double s = simd::hsum(acc[i][j]);
            for (std::size_t k = q; k < P; ++k) s += double(a[i * lda + k] * cols[j * ldcols + k]);
            g[i * T + j] = float(s);
        }
}

template <int RB>
void gram_rows(std::size_t T, std::size_t P, const float* a, std::size_t lda, const float* cols, std::size_t ldcols,
               float* g) {
    std::size_t t = 0;
    for (; t + 3 <= T; t += 3) gram_block<RB, 3>(T, P, a, lda, cols + t * ldcols, ldcols, g + t);
    for (; t < T; ++t) gram_block<RB, 1>(T, P, a, lda, cols + t * ldcols, ldcols, g + t);
}

}  // namespace

void taps_product(std::size_t R, std::size_t T, std::size_t P, const float* a, std::size_t a_row,
                  std::size_t a_col, const float* cols, std::size_t ldcols, const float* bias, Act act,
                  float slope, float* y, std::size_t ldy) {
    // A in panels of 4 rows (then single rows), t-major, whatever its strides: ap[r·T + t·RB + i]
    // = A(r + i, t) for the panel starting at row r.
    thread_local std::vector<float> ap;
    ap.resize(R * T);
    auto pack = [&](std::size_t r, std::size_t rb) {
        for (std::size_t t = 0; t < T; ++t)
            for (std::size_t i = 0; i < rb; ++i) ap[r * T + t * rb + i] = a[(r + i) * a_row + t * a_col];
    };
    const vf sl = simd::splat(slope);
    auto rows = [&](auto kind) {
        constexpr Act Kind = decltype(kind)::value;
        std::size_t r = 0;
        for (; r + 4 <= R; r += 4) {
            pack(r, 4);
            product_rows<4, Kind>(T, P, ap.data() + r * T, cols, ldcols, bias ? bias + r : nullptr, sl, y + r * ldy, ldy);
        }
        for (; r < R; ++r) {
            pack(r, 1);
            product_rows<1, Kind>(T, P, ap.data() + r * T, cols, ldcols, bias ? bias + r : nullptr, sl, y + r * ldy, ldy);
        }
    };
    vmath::with_act(act, rows);
}

void taps_product(std::size_t R, std::size_t T, std::size_t P, const double* a, std::size_t a_row,
                  std::size_t a_col, const double* cols, std::size_t ldcols, const double* bias, Act act,
                  double slope, double* y, std::size_t ldy) {
    taps_product_naive(R, T, P, a, a_row, a_col, cols, ldcols, bias, act, slope, y, ldy);
}

void taps_gram(std::size_t R, std::size_t T, std::size_t P, const float* a, std::size_t lda, const float* cols,
               std::size_t ldcols, float* g) {
    std::size_t r = 0;
    for (; r + 3 <= R; r += 3) gram_rows<3>(T, P, a + r * lda, lda, cols, ldcols, g + r * T);
    for (; r < R; ++r) gram_rows<1>(T, P, a + r * lda, lda, cols, ldcols, g + r * T);
}

void taps_gram(std::size_t R, std::size_t T, std::size_t P, const double* a, std::size_t lda, const double* cols,
               std::size_t ldcols, double* g) {
    taps_gram_naive(R, T, P, a, lda, cols, ldcols, g);
}

}  // namespace ae::kernels

#include "kernels/conv_cols.hpp"

#include <algorithm>

#include "core/parallel.hpp"
#include "kernels/simd4.hpp"

#if defined(AE_SIMD4) && !defined(AE_DOUBLE)
#define AE_CONV_COLS_SIMD4 1  // Scalar is float: the packing copies four floats at a time
#endif

namespace ae::kernels {

namespace {

// One image row src[0..W) → its phase rows: pixel x, at padded column x + P, goes to
// dst[((x + P) mod S)·phase + (x + P)/S]. Only the interior is written; the borders stay zero.
void deal_row(const Scalar* src, std::size_t W, std::size_t P, std::size_t S, std::size_t phase, Scalar* dst) {
    for (std::size_t x = 0; x < W; ++x) dst[((x + P) % S) * phase + (x + P) / S] = src[x];
}

#if defined(AE_CONV_COLS_SIMD4)
// The same for S = 2 and W ≥ 8: eight pixels → four even (to dst + even), four odd (to dst + odd);
// the last block is moved back by an even count to end at W or W − 1, overlapping the one
// before (the same values written twice); an odd W's last pixel on its own.
inline void deal_row2(const float* src, std::size_t W, std::size_t even, std::size_t odd, float* dst) {
    const std::size_t last = (W - 8) & ~std::size_t(1);
    for (std::size_t x = 0;; x += 8) {
        x = std::min(x, last);
        const simd4::f32x4 a = simd4::load4(src + x), b = simd4::load4(src + x + 4);
        simd4::store4(dst + even + x / 2, simd4::shuffle4<0, 2, 4, 6>(a, b));
        simd4::store4(dst + odd + x / 2, simd4::shuffle4<1, 3, 5, 7>(a, b));
        if (x == last) break;
    }
    if (W % 2) dst[even + W / 2] = src[W - 1];
}
#endif

}  // namespace

void ConvCols::load(const ConvGeom& g, const Scalar* imgs, std::size_t img_stride, std::size_t count) {
    const std::size_t S = g.s, hp = g.h + 2 * g.p, wp = g.w + 2 * g.p;
    const std::size_t hph = (hp + S - 1) / S, wph = (wp + S - 1) / S, phase = hph * wph;
    const std::size_t channel = S * S * phase, image = g.c * channel;
    const std::size_t P = g.oh * g.ow;
    const bool same = g.c == g_.c && g.h == g_.h && g.w == g_.w && g.k == g_.k && g.s == g_.s && g.p == g_.p;
    if (!same || padded_.size() < count * image + 2 * kMargin) {
        // New geometry or more images: zero everything once; later loads rewrite only the
        // interiors, so the borders stay zero.
        padded_.assign(std::max(padded_.size(), count * image + 2 * kMargin), Scalar(0));
        tap_.resize(g.col_rows());
        for (std::size_t c = 0, r = 0; c < g.c; ++c)
            for (std::size_t ki = 0; ki < g.k; ++ki)
                for (std::size_t kj = 0; kj < g.k; ++kj)
                    tap_[r++] = int(c * channel + ((ki % S) * S + kj % S) * phase + (ki / S) * wph + kj / S);
        pixel_.clear();
    }
    g_ = g;
    count_ = count;
    if (pixel_.size() < count * P) {
        const std::size_t from = pixel_.size() / P;
        pixel_.resize(count * P);
        for (std::size_t i = from, j = from * P; i < count; ++i)
            for (std::size_t oh = 0; oh < g.oh; ++oh)
                for (std::size_t ow = 0; ow < g.ow; ++ow) pixel_[j++] = int(i * image + oh * wph + ow);
    }
    // Image row y of channel c goes to its S phase rows ((y + P) mod S, ·) at (y + P)/S.
    row_.resize(g.h);
    for (std::size_t y = 0; y < g.h; ++y) row_[y] = ((y + g.p) % S) * S * phase + (y + g.p) / S * wph;
    const std::size_t* row = row_.data();
    Scalar* padded = padded_.data() + kMargin;
    parallel_for(count, 4, 1, [&](std::size_t i0, std::size_t i1) {
        for (std::size_t i = i0; i < i1; ++i)
            for (std::size_t c = 0; c < g.c; ++c) {
                const Scalar* src = imgs + i * img_stride + c * g.h * g.w;  // (H, W)
                Scalar* planes = padded + i * image + c * channel;          // (S, S, Hph, Wph)
                if (S == 1) {
                    for (std::size_t y = 0; y < g.h; ++y, src += g.w) std::copy(src, src + g.w, planes + row[y] + g.p);
                    continue;
                }
#if defined(AE_CONV_COLS_SIMD4)
                if (S == 2 && g.w >= 8) {
                    const std::size_t even = (g.p % 2) * phase + g.p / 2, odd = (1 - g.p % 2) * phase + (g.p + 1) / 2;
                    for (std::size_t y = 0; y < g.h; ++y, src += g.w) deal_row2(src, g.w, even, odd, planes + row[y]);
                    continue;
                }
#endif
                for (std::size_t y = 0; y < g.h; ++y, src += g.w) deal_row(src, g.w, g.p, S, phase, planes + row[y]);
            }
    });
}

namespace {

// op(B) = cols for one panel of NR pixels at `at` (their top-left taps), taps tap[0..kc).
template <int NR>
void gather_pixels(int kc, const int* tap, const Scalar* const* at, Scalar* dst) {
    const Scalar* a[NR];
    for (int l = 0; l < NR; ++l) a[l] = at[l];
    for (int k = 0; k < kc; ++k, dst += NR) {
        const int t = tap[k];
        for (int l = 0; l < NR; ++l) dst[l] = a[l][t];
    }
}

// op(B) = colsᵀ for one panel of NR taps tap[0..NR), pixels pixel[0..kc).
template <int NR>
void gather_taps(int kc, const int* pixel, const int* tap, const Scalar* padded, Scalar* dst) {
    int t[NR];
    for (int l = 0; l < NR; ++l) t[l] = tap[l];
    for (int k = 0; k < kc; ++k, dst += NR) {
        const Scalar* at = padded + pixel[k];
        for (int l = 0; l < NR; ++l) dst[l] = at[t[l]];
    }
}

// Rows k ∈ [k0, k1) of one colsᵀ panel of `lanes` ≤ nr taps tap[0..lanes) (zeros after), pixels
// pixel[k]; dst is the panel.
void gather_taps_rows(int k0, int k1, const int* pixel, const int* tap, int lanes, int nr, const Scalar* padded,
                      Scalar* dst) {
    for (int k = k0; k < k1; ++k) {
        const Scalar* at = padded + pixel[k];
        Scalar* d = dst + std::ptrdiff_t(k) * nr;
        int l = 0;
        for (; l < lanes; ++l) d[l] = at[tap[l]];
        for (; l < nr; ++l) d[l] = Scalar(0);
    }
}

#if defined(AE_CONV_COLS_SIMD4)
using namespace simd4;

// How four positions' offsets o[0..3] split into runs of consecutive floats: 4 when they are one
// run; b ∈ 1..3 when they are two, o[0..b) and o[b..4); 0 when more.
int run_split(const int* o) {
    int b = 4, breaks = 0;
    for (int l = 3; l >= 1; --l)
        if (o[l] != o[l - 1] + 1) b = l, ++breaks;
    return breaks == 0 ? 4 : breaks == 1 ? b : 0;
}

// The four floats of a run_split B: lanes [0, B) from lo[0..B), lanes [B, 4) from hi[B..4)
// (hi = the second run's start − B). Reads up to 3 floats past the first run's end and before
// the second run's start: the padded planes have kMargin floats of slack at both ends.
template <int B>
f32x4 load_runs(const float* lo, const float* hi) {
    if constexpr (B == 4) return load4(lo);
    else if constexpr (B == 3) return shuffle4<0, 1, 2, 7>(load4(lo), load4(hi));
    else if constexpr (B == 2) return shuffle4<0, 1, 6, 7>(load4(lo), load4(hi));
    else return shuffle4<0, 5, 6, 7>(load4(lo), load4(hi));
}

// op(B) = cols, four lanes of a panel (pixels split B as above): one vector per tap.
template <int B>
void gather_pixels_x4(int kc, const int* tap, const float* lo, const float* hi, float* dst, int nr) {
    for (int k = 0; k < kc; ++k, dst += nr) {
        const int t = tap[k];
        store4(dst, load_runs<B>(lo + t, hi + t));
    }
}

// op(B) = colsᵀ, rows k..k+3 (pixels split B as above) of every panel of taps tap[0..nc):
// four taps' runs of four pixels, transposed in registers. dst is row k of the first panel.
template <int B>
void gather_taps_x4(int nc, int nr, int kc, const int* tap, const int* pixel, const float* lo, const float* hi,
                    const float* padded, float* dst) {
    for (int jr = 0; jr < nc; jr += nr, dst += std::ptrdiff_t(kc) * nr) {
        const int lanes = std::min(nr, nc - jr);
        const int* t = tap + jr;
        int l = 0;
        for (; l + 4 <= lanes; l += 4)
            store_transposed4(load_runs<B>(lo + t[l], hi + t[l]), load_runs<B>(lo + t[l + 1], hi + t[l + 1]),
                              load_runs<B>(lo + t[l + 2], hi + t[l + 2]), load_runs<B>(lo + t[l + 3], hi + t[l + 3]),
                              dst + l, nr);
        if (l < nr) {  // the last panel's odd lanes, then zeros
            for (int q = 0; q < 4; ++q) {
                const float* at = padded + pixel[q];
                float* d = dst + q * nr;
                for (int m = l; m < nr; ++m) d[m] = m < lanes ? at[t[m]] : 0.0f;
            }
        }
    }
}
#endif

}  // namespace

// op(B) = cols: k runs over taps [p0, p0 + kc), the panel's lanes over pixels j0 + jr + l.
void ConvCols::pack_b(const void* self, int p0, int kc, int j0, int nc, int nr, Scalar* dst) {
    const auto& s = *static_cast<const ConvCols*>(self);
    const Scalar* padded = s.padded_.data() + kMargin;
    const int* tap = s.tap_.data() + p0;
    constexpr int kMaxLanes = 64;
    const Scalar* at[kMaxLanes];  // the pixels' top-left taps
    for (int jr = 0; jr < nc; jr += nr, dst += std::ptrdiff_t(kc) * nr) {
        const int lanes = std::min(nr, nc - jr);
        const int* pixel = s.pixel_.data() + j0 + jr;
#if defined(AE_CONV_COLS_SIMD4)
        if (lanes == nr && nr % 4 == 0) {
            // Four lanes at a time: one or two vector loads per tap when the pixels are one or two
            // runs of a row (consecutive floats in a phase plane), else lane by lane.
            for (int q = 0; q < nr; q += 4) {
                const int* o = pixel + q;
                const int b = run_split(o);
                const float* lo = padded + o[0];
                const float* hi = padded + o[b % 4] - b % 4;
                switch (b) {
                    case 4: gather_pixels_x4<4>(kc, tap, lo, hi, dst + q, nr); break;
                    case 3: gather_pixels_x4<3>(kc, tap, lo, hi, dst + q, nr); break;
                    case 2: gather_pixels_x4<2>(kc, tap, lo, hi, dst + q, nr); break;
                    case 1: gather_pixels_x4<1>(kc, tap, lo, hi, dst + q, nr); break;
                    default:
                        for (int k = 0; k < kc; ++k)
                            for (int l = 0; l < 4; ++l) dst[std::ptrdiff_t(k) * nr + q + l] = padded[o[l] + tap[k]];
                }
            }
            continue;
        }
#endif
        for (int l = 0; l < lanes; ++l) at[l] = padded + pixel[l];
        if (lanes == nr && nr == 8) {
            gather_pixels<8>(kc, tap, at, dst);
        } else if (lanes == nr && nr == 4) {
            gather_pixels<4>(kc, tap, at, dst);
        } else {
            for (int k = 0; k < kc; ++k) {
                const int t = tap[k];
                Scalar* d = dst + std::ptrdiff_t(k) * nr;
                for (int l = 0; l < nr; ++l) d[l] = l < lanes ? at[l][t] : Scalar(0);
            }
        }
    }
}

// op(B) = colsᵀ: k runs over pixels [p0, p0 + kc), the panel's lanes over taps j0 + jr + l.
void ConvCols::pack_bt(const void* self, int p0, int kc, int j0, int nc, int nr, Scalar* dst) {
    const auto& s = *static_cast<const ConvCols*>(self);
    const int* pixel = s.pixel_.data() + p0;
    const int* tap = s.tap_.data() + j0;
    const Scalar* padded = s.padded_.data() + kMargin;
#if defined(AE_CONV_COLS_SIMD4)
    if (nr % 4 == 0 && nc >= 2 * nr) {
        // Four pixels (k) at a time, all panels: each tap's four pixels are one or two runs of a
        // row (one or two vector loads), and four taps' vectors are transposed in registers.
        // (With fewer than two panels of taps, as the one-channel layers' 9, the dispatch per
        // four pixels costs more than it saves: 40 against 25 µs a group there, in WASM.)
        int k = 0;
        for (; k + 4 <= kc; k += 4) {
            const int* o = pixel + k;
            const int b = run_split(o);
            const float* lo = padded + o[0];
            const float* hi = padded + o[b % 4] - b % 4;
            float* d = dst + std::ptrdiff_t(k) * nr;
            switch (b) {
                case 4: gather_taps_x4<4>(nc, nr, kc, tap, o, lo, hi, padded, d); break;
                case 3: gather_taps_x4<3>(nc, nr, kc, tap, o, lo, hi, padded, d); break;
                case 2: gather_taps_x4<2>(nc, nr, kc, tap, o, lo, hi, padded, d); break;
                case 1: gather_taps_x4<1>(nc, nr, kc, tap, o, lo, hi, padded, d); break;
                default:
                    for (int jr = 0; jr < nc; jr += nr)
                        gather_taps_rows(k, k + 4, pixel, tap + jr, std::min(nr, nc - jr), nr, padded,
                                         dst + std::ptrdiff_t(jr / nr) * kc * nr);
            }
        }
        for (int jr = 0; jr < nc; jr += nr)
            gather_taps_rows(k, kc, pixel, tap + jr, std::min(nr, nc - jr), nr, padded,
                             dst + std::ptrdiff_t(jr / nr) * kc * nr);
        return;
    }
#endif
    for (int jr = 0; jr < nc; jr += nr, dst += std::ptrdiff_t(kc) * nr) {
        const int lanes = std::min(nr, nc - jr);
        if (lanes == nr && nr == 8) {
            gather_taps<8>(kc, pixel, tap + jr, padded, dst);
        } else if (lanes == nr && nr == 4) {
            gather_taps<4>(kc, pixel, tap + jr, padded, dst);
        } else {
            gather_taps_rows(0, kc, pixel, tap + jr, lanes, nr, padded, dst);
        }
    }
}

}  // namespace ae::kernels

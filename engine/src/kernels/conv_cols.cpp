#include "kernels/conv_cols.hpp"

#include <algorithm>

#include "core/parallel.hpp"

namespace ae::kernels {

void ConvCols::load(const ConvGeom& g, const Scalar* imgs, std::size_t img_stride, std::size_t count) {
    const std::size_t hp = g.h + 2 * g.p, wp = g.w + 2 * g.p, plane = hp * wp, image = g.c * plane;
    const std::size_t P = g.oh * g.ow;
    const bool same = g.c == g_.c && g.h == g_.h && g.w == g_.w && g.k == g_.k && g.s == g_.s && g.p == g_.p;
    if (!same || padded_.size() < count * image) {
        // New geometry or more images: zero everything once; later loads rewrite only the
        // interiors, so the borders stay zero.
        padded_.assign(std::max(padded_.size(), count * image), Scalar(0));
        tap_.resize(g.col_rows());
        for (std::size_t c = 0, r = 0; c < g.c; ++c)
            for (std::size_t ki = 0; ki < g.k; ++ki)
                for (std::size_t kj = 0; kj < g.k; ++kj) tap_[r++] = int(c * plane + ki * wp + kj);
        pixel_.clear();
    }
    g_ = g;
    count_ = count;
    if (pixel_.size() < count * P) {
        const std::size_t from = pixel_.size() / P;
        pixel_.resize(count * P);
        for (std::size_t i = from, j = from * P; i < count; ++i)
            for (std::size_t oh = 0; oh < g.oh; ++oh)
                for (std::size_t ow = 0; ow < g.ow; ++ow) pixel_[j++] = int(i * image + oh * g.s * wp + ow * g.s);
    }
    // padded[i][c] = the image's plane inside a border of P zeros
    Scalar* padded = padded_.data();
    parallel_for(count, 4, 1, [&](std::size_t i0, std::size_t i1) {
        for (std::size_t i = i0; i < i1; ++i)
            for (std::size_t c = 0; c < g.c; ++c) {
                const Scalar* src = imgs + i * img_stride + c * g.h * g.w;       // (H, W)
                Scalar* dst = padded + i * image + c * plane + g.p * wp + g.p;  // interior of (Hp, Wp)
                for (std::size_t y = 0; y < g.h; ++y, src += g.w, dst += wp)
                    for (std::size_t x = 0; x < g.w; ++x) dst[x] = src[x];
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

}  // namespace

// op(B) = cols: k runs over taps [p0, p0 + kc), the panel's lanes over pixels j0 + jr + l.
void ConvCols::pack_b(const void* self, int p0, int kc, int j0, int nc, int nr, Scalar* dst) {
    const auto& s = *static_cast<const ConvCols*>(self);
    const int* tap = s.tap_.data() + p0;
    constexpr int kMaxLanes = 64;
    const Scalar* at[kMaxLanes];  // the pixels' top-left taps
    for (int jr = 0; jr < nc; jr += nr, dst += std::ptrdiff_t(kc) * nr) {
        const int lanes = std::min(nr, nc - jr);
        for (int l = 0; l < lanes; ++l) at[l] = s.padded_.data() + s.pixel_[std::size_t(j0 + jr + l)];
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
    const Scalar* padded = s.padded_.data();
    for (int jr = 0; jr < nc; jr += nr, dst += std::ptrdiff_t(kc) * nr) {
        const int lanes = std::min(nr, nc - jr);
        const int* tap = s.tap_.data() + j0 + jr;
        if (lanes == nr && nr == 8) {
            gather_taps<8>(kc, pixel, tap, padded, dst);
        } else if (lanes == nr && nr == 4) {
            gather_taps<4>(kc, pixel, tap, padded, dst);
        } else {
            for (int k = 0; k < kc; ++k) {
                const Scalar* at = padded + pixel[k];
                Scalar* d = dst + std::ptrdiff_t(k) * nr;
                int l = 0;
                for (; l < lanes; ++l) d[l] = at[tap[l]];
                for (; l < nr; ++l) d[l] = Scalar(0);
            }
        }
    }
}

}  // namespace ae::kernels

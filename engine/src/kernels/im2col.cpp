#include "kernels/im2col.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

#include "core/parallel.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/simd.hpp"
#include "kernels/simd4.hpp"

namespace ae::kernels {

namespace {

// The geometry's tap table (see im2col.hpp), made for zero-padded planes (H + 2P, W + 2P), where
// every tap lands inside: offset[t·OH·OW + q] = (oh·S + ki)·(W + 2P) + ow·S + kj for tap
// t = ki·K + kj and output pixel q = oh·OW + ow. It does not depend on C. Each thread keeps the
// tables of the last few geometries it met.
struct Taps {
    std::size_t h = 0, w = 0, k = 0, s = 0, p = 0, oh = 0, ow = 0;
    std::vector<int> offset;  // (K·K, OH·OW)

    bool fits(const ConvGeom& g) const {
        return h == g.h && w == g.w && k == g.k && s == g.s && p == g.p && oh == g.oh && ow == g.ow;
    }
};

const int* taps_of(const ConvGeom& g) {
    thread_local std::vector<Taps> cache;  // a model has a handful of geometries
    for (const Taps& t : cache)
        if (t.fits(g)) return t.offset.data();
    if (cache.size() >= 16) cache.clear();
    Taps t;
    t.h = g.h, t.w = g.w, t.k = g.k, t.s = g.s, t.p = g.p, t.oh = g.oh, t.ow = g.ow;
    t.offset.resize(g.k * g.k * g.oh * g.ow);
    const std::size_t wp = g.w + 2 * g.p;
    int* o = t.offset.data();
    for (std::size_t ki = 0; ki < g.k; ++ki)
        for (std::size_t kj = 0; kj < g.k; ++kj)
            for (std::size_t oh = 0; oh < g.oh; ++oh)
                for (std::size_t ow = 0; ow < g.ow; ++ow) *o++ = int((oh * g.s + ki) * wp + ow * g.s + kj);
    cache.push_back(std::move(t));
    return cache.back().offset.data();
}

// One image's zero-padded planes (C, H + 2P, W + 2P), per thread.
Scalar* padded_scratch(const ConvGeom& g) {
    thread_local std::vector<Scalar> buf;
    const std::size_t n = g.c * (g.h + 2 * g.p) * (g.w + 2 * g.p);
    if (buf.size() < n) buf.resize(n);
    std::fill(buf.begin(), buf.begin() + std::ptrdiff_t(n), Scalar(0));
    return buf.data();
}

// One image: img (C, H, W) → col (C·K·K, P), P = OH·OW.
void im2col_one(const ConvGeom& g, const int* taps, const Scalar* img, Scalar* col, std::size_t ldcol) {
    const std::size_t KK = g.k * g.k, P = g.oh * g.ow, wp = g.w + 2 * g.p, plane = (g.h + 2 * g.p) * wp;
    Scalar* pad = padded_scratch(g);
    for (std::size_t c = 0; c < g.c; ++c)
        for (std::size_t y = 0; y < g.h; ++y) {
            const Scalar* src = img + (c * g.h + y) * g.w;
            Scalar* dst = pad + c * plane + (y + g.p) * wp + g.p;
            for (std::size_t x = 0; x < g.w; ++x) dst[x] = src[x];
        }
    for (std::size_t c = 0; c < g.c; ++c) {
        const Scalar* in = pad + c * plane;
        for (std::size_t t = 0; t < KK; ++t) {
            const int* off = taps + t * P;
            Scalar* row = col + (c * KK + t) * ldcol;  // (P) for tap t of channel c
            for (std::size_t q = 0; q < P; ++q) row[q] = in[off[q]];
        }
    }
}

// col2im by stride phases. Output pixel (y, x) has phase (y mod S, x mod S); tap (ki, kj) writes
// only to the pixels of one phase, (ki − P) mod S and (kj − P) mod S, and there at a fixed shift:
// y = oh·S − P + ki = S·(oh + dy) + py with dy = (ki − P − py)/S exact. So with the image kept as
// S·S phase planes (Hq, Wq), Hq = ceil((H − py)/S), every tap adds its col row into one plane as
// contiguous runs (vectorisable, no index table), and a last pass interleaves the planes into
// (H, W). A pixel receives at most one entry per tap, so adding the taps in increasing order
// onto zeros sums each pixel in the definition's order (c, ki, kj, oh, ow): the result equals
// kernels/im2col_naive.hpp value for value. Images are visited innermost, so a channel's K·K
// col rows are read front to back over the whole group while its phase planes stay in L1.
struct Phases {
    std::vector<std::size_t> hq, wq;  // (S) plane heights by py, widths by px
    std::vector<std::size_t> at;      // (S·S) offset of plane (py, px) at py·S + px

    explicit Phases(const ConvGeom& g) : hq(g.s), wq(g.s), at(g.s * g.s) {
        for (std::size_t r = 0; r < g.s; ++r) {
            hq[r] = r < g.h ? (g.h - r + g.s - 1) / g.s : 0;
            wq[r] = r < g.w ? (g.w - r + g.s - 1) / g.s : 0;
        }
        std::size_t off = 0;
        for (std::size_t py = 0; py < g.s; ++py)
            for (std::size_t px = 0; px < g.s; ++px) {
                at[py * g.s + px] = off;
                off += hq[py] * wq[px];
            }
    }
};

// One image's channel from its phase planes: out[S·yq + py][S·xq + px] = plane (py, px)[yq][xq],
// out (H, W) with W = Σ_px Wq[px]. Stride 2 (the usual upsampling) pairs the two planes of a row
// four floats at a time, as interleaving shuffles; other strides store one float at a time.
template <class T>
void interleave(const Phases& ph, std::size_t S, std::size_t W, const T* planes, T* out) {
#if defined(AE_SIMD4)
    if constexpr (std::is_same_v<T, float>)
        if (S == 2) {
            using namespace simd4;
            const std::size_t w0 = ph.wq[0], w1 = ph.wq[1];  // w1 ≤ w0 ≤ w1 + 1
            for (std::size_t py = 0; py < 2; ++py)
                for (std::size_t yq = 0; yq < ph.hq[py]; ++yq) {
                    const float* a = planes + ph.at[2 * py] + yq * w0;      // x even
                    const float* b = planes + ph.at[2 * py + 1] + yq * w1;  // x odd
                    float* o = out + (2 * yq + py) * W;
                    std::size_t xq = 0;
                    for (; xq + 4 <= w1; xq += 4) {
                        const f32x4 va = load4(a + xq), vb = load4(b + xq);
                        store4(o + 2 * xq, shuffle4<0, 4, 1, 5>(va, vb));      // a0 b0 a1 b1
                        store4(o + 2 * xq + 4, shuffle4<2, 6, 3, 7>(va, vb));  // a2 b2 a3 b3
                    }
                    for (; xq < w0; ++xq) {
                        o[2 * xq] = a[xq];
                        if (xq < w1) o[2 * xq + 1] = b[xq];
                    }
                }
            return;
        }
#endif
    for (std::size_t py = 0; py < S; ++py)
        for (std::size_t px = 0; px < S; ++px) {
            const T* src = planes + ph.at[py * S + px];
            for (std::size_t yq = 0; yq < ph.hq[py]; ++yq) {
                T* o = out + (S * yq + py) * W + px;
                for (std::size_t xq = 0; xq < ph.wq[px]; ++xq) o[S * xq] = *src++;
            }
        }
}

// d[j] += keep[j] ? s[j] : +0 for j < n, keep[j] all ones or zero. Adding +0 changes nothing: a
// sum that starts at +0 is never −0 (round to nearest), so the kept entries sum as they would alone.
template <class T>
void add_kept(const T* __restrict s, const std::int32_t* __restrict keep, T* __restrict d, std::size_t n) {
    std::size_t j = 0;
#if !defined(AE_SIMD_SCALAR)
    if constexpr (std::is_same_v<T, float>) {
        using namespace simd;
        for (; j + W <= n; j += W) {
            const vm m = bits(load(reinterpret_cast<const float*>(keep + j)));
            store(d + j, add(load(d + j), select(m, load(s + j), zero())));
        }
    }
#endif
    for (; j < n; ++j) d[j] += keep[j] ? s[j] : T(0);
}

// One tap's share of col2im over an image's phase plane, in the fastest form the geometry allows.
struct TapRun {
    bool skip = false;      // the tap reads only padding
    std::size_t row = 0;    // col row of the tap within its channel, t = ki·K + kj
    std::size_t plane = 0;  // offset of its phase plane (py, px)
    std::size_t src = 0;    // first col entry (of an image's P), oh_lo·OW + ow_lo
    std::size_t dst = 0;    // first plane entry, (oh_lo + dy)·Wq + ow_lo + dx
    std::size_t rows = 0, len = 0;  // `rows` runs of `len`, src stride OW, dst stride Wq
    std::size_t wq = 0;
    const std::int32_t* keep = nullptr;  // one masked run of len (when Wq = OW), else null
};

// Where each tap adds, the same for every channel and image. With Wq = OW the plane and the
// col block have the same row stride, so the tap's whole block is one run at a fixed shift
// dy·OW + dx, its entries outside [ow_lo, ow_hi) masked off; otherwise one run per row. Each
// thread keeps the plans of the last few geometries it met, like the tap tables.
struct Col2imPlan {
    ConvGeom g;
    Phases ph;
    std::vector<TapRun> taps;        // (K·K) in increasing tap order
    std::vector<std::int32_t> keep;  // (K·K, P) the masks

    explicit Col2imPlan(const ConvGeom& geom) : g(geom), ph(geom), taps(geom.k * geom.k), keep(geom.k * geom.k * geom.oh * geom.ow, 0) {
        const std::size_t S = g.s, P = g.oh * g.ow;
        const long pad = long(g.p);
        for (std::size_t ki = 0; ki < g.k; ++ki)
            for (std::size_t kj = 0; kj < g.k; ++kj) {
                TapRun& t = taps[ki * g.k + kj];
                const long yk = long(ki) - pad, xk = long(kj) - pad;  // y = oh·S + yk, x = ow·S + xk
                const std::size_t py = std::size_t(((yk % long(S)) + long(S)) % long(S));
                const std::size_t px = std::size_t(((xk % long(S)) + long(S)) % long(S));
                const long dy = (yk - long(py)) / long(S), dx = (xk - long(px)) / long(S);
                // oh, ow with 0 ≤ oh + dy < Hq and 0 ≤ ow + dx < Wq
                const long oh_lo = std::max(0L, -dy), oh_hi = std::min(long(g.oh), long(ph.hq[py]) - dy);
                const long ow_lo = std::max(0L, -dx), ow_hi = std::min(long(g.ow), long(ph.wq[px]) - dx);
                t.row = ki * g.k + kj;
                t.skip = oh_lo >= oh_hi || ow_lo >= ow_hi;
                if (t.skip) continue;
                t.wq = ph.wq[px];
                t.plane = ph.at[py * S + px];
                t.src = std::size_t(oh_lo) * g.ow + std::size_t(ow_lo);
                t.dst = std::size_t(oh_lo + dy) * t.wq + std::size_t(ow_lo + dx);
                if (t.wq == g.ow) {
                    t.rows = 1;
                    t.len = std::size_t(oh_hi - oh_lo - 1) * g.ow + std::size_t(ow_hi - ow_lo);
                    std::int32_t* k = keep.data() + t.row * P;
                    for (std::size_t j = 0; j < t.len; ++j) {
                        const long ow = long((t.src + j) % g.ow);
                        k[j] = ow >= ow_lo && ow < ow_hi ? -1 : 0;
                    }
                    t.keep = k;
                } else {
                    t.rows = std::size_t(oh_hi - oh_lo);
                    t.len = std::size_t(ow_hi - ow_lo);
                }
            }
    }
    Col2imPlan(const Col2imPlan&) = delete;  // taps point into keep
};

const Col2imPlan& col2im_plan_of(const ConvGeom& g) {
    thread_local std::vector<std::unique_ptr<Col2imPlan>> cache;
    for (const auto& p : cache)
        if (p->g.c == g.c && p->g.h == g.h && p->g.w == g.w && p->g.k == g.k && p->g.s == g.s && p->g.p == g.p &&
            p->g.oh == g.oh && p->g.ow == g.ow)
            return *p;
    if (cache.size() >= 16) cache.clear();
    cache.push_back(std::make_unique<Col2imPlan>(g));
    return *cache.back();
}

// col (C·K·K, ldcol), images i0 ≤ i < i1 in columns [i·P, (i+1)·P) → img + i·img_stride (C, H, W).
// With bias (C) or f: each channel's planes get f(· + bias[c]) before the interleave.
void col2im_images(const ConvGeom& g, const Scalar* col, std::size_t ldcol, std::size_t i0, std::size_t i1,
                   Scalar* img, std::size_t img_stride, const Scalar* bias, Act act, Scalar slope) {
    const std::size_t KK = g.k * g.k, P = g.oh * g.ow, HW = g.h * g.w, S = g.s;
    const Col2imPlan& plan = col2im_plan_of(g);
    const Phases& ph = plan.ph;
    thread_local std::vector<Scalar> buf;  // (i1 − i0, H·W) one channel's phase planes per image
    const std::size_t count = i1 - i0;
    if (buf.size() < count * HW) buf.resize(count * HW);
    for (std::size_t c = 0; c < g.c; ++c) {
        std::fill(buf.begin(), buf.begin() + std::ptrdiff_t(count * HW), Scalar(0));
        for (const TapRun& t : plan.taps) {  // in increasing tap order
            if (t.skip) continue;
            const Scalar* row = col + (c * KK + t.row) * ldcol + i0 * P + t.src;  // (P) per image
            Scalar* plane = buf.data() + t.plane + t.dst;                          // (Hq, Wq)
            for (std::size_t i = 0; i < count; ++i, row += P, plane += HW) {
                if (t.keep) {
                    add_kept(row, t.keep, plane, t.len);
                    continue;
                }
                for (std::size_t r = 0; r < t.rows; ++r) {
                    const Scalar* __restrict s = row + r * g.ow;
                    Scalar* __restrict d = plane + r * t.wq;
                    for (std::size_t q = 0; q < t.len; ++q) d[q] += s[q];
                }
            }
        }
        if (bias) act_forward(act, buf.data(), bias[c], buf.data(), count * HW, slope);  // f(· + b), one pass
        else if (act != Act::Identity) act_forward(act, buf.data(), buf.data(), count * HW, slope);
        for (std::size_t i = 0; i < count; ++i)
            interleave(ph, S, g.w, buf.data() + i * HW, img + (i0 + i) * img_stride + c * HW);
    }
}

}  // namespace

std::size_t conv_out_size(std::size_t in, std::size_t k, std::size_t s, std::size_t p) {
    if (s == 0 || k > in + 2 * p) return 0;
    return (in + 2 * p - k) / s + 1;
}

ConvGeom make_conv_geom(std::size_t c, std::size_t h, std::size_t w, std::size_t k, std::size_t s, std::size_t p) {
    ConvGeom g;
    g.c = c, g.h = h, g.w = w, g.k = k, g.s = s, g.p = p;
    g.oh = conv_out_size(h, k, s, p);
    g.ow = conv_out_size(w, k, s, p);
    return g;
}

void im2col(const ConvGeom& g, const Scalar* img, Scalar* col, std::size_t ldcol) {
    im2col(g, img, 0, 1, col, ldcol);
}

void col2im(const ConvGeom& g, const Scalar* col, std::size_t ldcol, Scalar* img) {
    col2im(g, col, ldcol, 1, img, 0);
}

void im2col(const ConvGeom& g, const Scalar* img, std::size_t img_stride, std::size_t count, Scalar* col,
            std::size_t ldcol) {
    if (g.oh == 0 || g.ow == 0) return;
    const std::size_t P = g.oh * g.ow;
    parallel_for(count, 2, 1, [&](std::size_t i0, std::size_t i1) {
        const int* taps = taps_of(g);
        for (std::size_t i = i0; i < i1; ++i) im2col_one(g, taps, img + i * img_stride, col + i * P, ldcol);
    });
}

void col2im(const ConvGeom& g, const Scalar* col, std::size_t ldcol, std::size_t count, Scalar* img,
            std::size_t img_stride) {
    col2im(g, col, ldcol, count, img, img_stride, nullptr, Act::Identity, Scalar(0));
}

void col2im(const ConvGeom& g, const Scalar* col, std::size_t ldcol, std::size_t count, Scalar* img,
            std::size_t img_stride, const Scalar* bias, Act act, Scalar slope) {
    parallel_for(count, 2, 1, [&](std::size_t i0, std::size_t i1) {
        col2im_images(g, col, ldcol, i0, i1, img, img_stride, bias, act, slope);
    });
}

}  // namespace ae::kernels

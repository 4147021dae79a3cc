#include "kernels/im2col.hpp"

#include <algorithm>
#include <vector>

#include "core/parallel.hpp"

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

// col2im as a gather: for every input pixel, where in col the values that belong to it sit,
// taps in increasing order, so each pixel's sum is formed in a register in the definition's
// order (c, ki, kj, oh, ow) and stored once, with no read-modify-write of the image. CSR layout:
// pixel p's entries are offset[start[p] .. start[p + 1]), each t·ldcol + q for tap t = ki·K + kj
// and output pixel q = oh·OW + ow, relative to the channel's first row. Kept per thread, geometry
// and ldcol (a conv layer has two: full groups and the last one), like the tap table.
struct Sources {
    ConvGeom g;
    std::size_t ldcol = 0;
    std::vector<int> start;   // (H·W + 1)
    std::vector<int> offset;  // (entries)
};

const Sources& sources_of(const ConvGeom& g, std::size_t ldcol) {
    thread_local std::vector<Sources> cache;
    for (const Sources& s : cache)
        if (s.ldcol == ldcol && s.g.h == g.h && s.g.w == g.w && s.g.k == g.k && s.g.s == g.s && s.g.p == g.p &&
            s.g.oh == g.oh && s.g.ow == g.ow)
            return s;
    if (cache.size() >= 16) cache.clear();
    Sources s;
    s.g = g;
    s.ldcol = ldcol;
    std::vector<std::vector<int>> per_pixel(g.h * g.w);
    for (std::size_t ki = 0; ki < g.k; ++ki)
        for (std::size_t kj = 0; kj < g.k; ++kj)
            for (std::size_t oh = 0; oh < g.oh; ++oh)
                for (std::size_t ow = 0; ow < g.ow; ++ow) {
                    const long y = long(oh * g.s + ki) - long(g.p), x = long(ow * g.s + kj) - long(g.p);
                    if (y < 0 || y >= long(g.h) || x < 0 || x >= long(g.w)) continue;
                    per_pixel[std::size_t(y) * g.w + std::size_t(x)].push_back(
                        int((ki * g.k + kj) * ldcol + oh * g.ow + ow));
                }
    s.start.push_back(0);
    for (const auto& list : per_pixel) {
        s.offset.insert(s.offset.end(), list.begin(), list.end());
        s.start.push_back(int(s.offset.size()));
    }
    cache.push_back(std::move(s));
    return cache.back();
}

// One image: col (C·K·K, P) → img (C, H, W).
void col2im_one(const ConvGeom& g, const Sources& src, const Scalar* col, std::size_t ldcol, Scalar* img) {
    const std::size_t KK = g.k * g.k, plane = g.h * g.w;
    const int* start = src.start.data();
    const int* offset = src.offset.data();
    for (std::size_t c = 0; c < g.c; ++c) {
        const Scalar* rows = col + c * KK * ldcol;  // the channel's K·K rows
        Scalar* out = img + c * plane;
        for (std::size_t p = 0; p < plane; ++p) {
            Scalar acc = 0;
            for (int e = start[p]; e < start[p + 1]; ++e) acc += rows[offset[e]];
            out[p] = acc;
        }
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
    const std::size_t P = g.oh * g.ow;
    if (P == 0) {
        for (std::size_t i = 0; i < count; ++i)
            for (std::size_t j = 0; j < g.c * g.h * g.w; ++j) img[i * img_stride + j] = Scalar(0);
        return;
    }
    parallel_for(count, 2, 1, [&](std::size_t i0, std::size_t i1) {
        const Sources& src = sources_of(g, ldcol);
        for (std::size_t i = i0; i < i1; ++i) col2im_one(g, src, col + i * P, ldcol, img + i * img_stride);
    });
}

}  // namespace ae::kernels

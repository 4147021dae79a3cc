#include "kernels/im2col.hpp"

#include <algorithm>

namespace ae::kernels {

namespace {

// Output positions o in [lo, hi) whose tap o·S − P + t lands inside [0, in) — the same range
// for every channel and every row, so the inner loops carry no bounds checks.
struct Range {
    std::size_t lo, hi;
};
Range valid_outputs(std::size_t out, std::size_t in, std::size_t t, std::size_t s, std::size_t p) {
    // o·S + t ≥ P        ⇔  o ≥ ceil((P − t)/S)
    // o·S + t ≤ in − 1 + P ⇔  o ≤ floor((in − 1 + P − t)/S)
    const std::size_t lo = p > t ? (p - t + s - 1) / s : 0;
    const std::size_t hi = in + p > t ? std::min(out, (in - 1 + p - t) / s + 1) : 0;
    return {std::min(lo, hi), hi};
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
    const std::size_t K = g.k, S = g.s, OW = g.ow;
    for (std::size_t c = 0; c < g.c; ++c) {
        const Scalar* plane = img + c * g.h * g.w;  // (H, W)
        for (std::size_t ki = 0; ki < K; ++ki) {
            const Range rh = valid_outputs(g.oh, g.h, ki, S, g.p);
            for (std::size_t kj = 0; kj < K; ++kj) {
                const Range rw = valid_outputs(OW, g.w, kj, S, g.p);
                Scalar* row = col + ((c * K + ki) * K + kj) * ldcol;  // (OH·OW) for this tap
                for (std::size_t oh = 0; oh < g.oh; ++oh) {
                    Scalar* out = row + oh * OW;  // (OW)
                    if (oh < rh.lo || oh >= rh.hi) {
                        std::fill(out, out + OW, Scalar(0));
                        continue;
                    }
                    // The tap's input row; ow·S − P + kj ≥ 0 on [rw.lo, rw.hi).
                    const Scalar* in = plane + (oh * S + ki - g.p) * g.w;
                    std::fill(out, out + rw.lo, Scalar(0));
                    if (S == 1 && rw.lo < rw.hi) {
                        std::copy(in + (rw.lo + kj - g.p), in + (rw.hi + kj - g.p), out + rw.lo);
                    } else {
                        for (std::size_t ow = rw.lo; ow < rw.hi; ++ow) out[ow] = in[ow * S + kj - g.p];
                    }
                    std::fill(out + rw.hi, out + OW, Scalar(0));
                }
            }
        }
    }
}

void col2im(const ConvGeom& g, const Scalar* col, std::size_t ldcol, Scalar* img) {
    const std::size_t K = g.k, S = g.s, OW = g.ow;
    std::fill(img, img + g.c * g.h * g.w, Scalar(0));
    for (std::size_t c = 0; c < g.c; ++c) {
        Scalar* plane = img + c * g.h * g.w;  // (H, W)
        for (std::size_t ki = 0; ki < K; ++ki) {
            const Range rh = valid_outputs(g.oh, g.h, ki, S, g.p);
            for (std::size_t kj = 0; kj < K; ++kj) {
                const Range rw = valid_outputs(OW, g.w, kj, S, g.p);
                const Scalar* row = col + ((c * K + ki) * K + kj) * ldcol;  // (OH·OW) for this tap
                for (std::size_t oh = rh.lo; oh < rh.hi; ++oh) {
                    const Scalar* src = row + oh * OW;  // (OW)
                    Scalar* in = plane + (oh * S + ki - g.p) * g.w;
                    if (S == 1) {
                        for (std::size_t ow = rw.lo; ow < rw.hi; ++ow) in[ow + kj - g.p] += src[ow];
                    } else {
                        for (std::size_t ow = rw.lo; ow < rw.hi; ++ow) in[ow * S + kj - g.p] += src[ow];
                    }
                }
            }
        }
    }
}

}  // namespace ae::kernels

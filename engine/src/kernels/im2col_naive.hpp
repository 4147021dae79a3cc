// The reference im2col and col2im: one loop per index of the definition in kernels/im2col.hpp,
// a bounds check per tap. Slow on purpose; tests compare the table-driven kernels
// (kernels/im2col.cpp) against them, value for value (col2im sums in the same order).
#pragma once
#include <cstddef>

#include "kernels/im2col.hpp"

namespace ae::kernels::naive {

// f(pixel, r, q) for every col entry in the definition's order (c, ki, kj, oh, ow): the entry in
// row r = (c·K + ki)·K + kj, column q = oh·OW + ow reads image element `pixel` of (C, H, W),
// or pixel = −1 when the tap falls into the padding.
template <class F>
void each_tap(const ConvGeom& g, F f) {
    for (std::size_t c = 0; c < g.c; ++c)
        for (std::size_t ki = 0; ki < g.k; ++ki)
            for (std::size_t kj = 0; kj < g.k; ++kj)
                for (std::size_t oh = 0; oh < g.oh; ++oh)
                    for (std::size_t ow = 0; ow < g.ow; ++ow) {
                        const long ih = long(oh * g.s + ki) - long(g.p), iw = long(ow * g.s + kj) - long(g.p);
                        const bool inside = ih >= 0 && ih < long(g.h) && iw >= 0 && iw < long(g.w);
                        f(inside ? long((c * g.h + std::size_t(ih)) * g.w + std::size_t(iw)) : -1L,
                          (c * g.k + ki) * g.k + kj, oh * g.ow + ow);
                    }
}

}  // namespace ae::kernels::naive

namespace ae::kernels {

// img (C, H, W) → col (C·K·K, OH·OW), row stride ldcol.
template <class T>
void im2col_naive(const ConvGeom& g, const T* img, T* col, std::size_t ldcol) {
    naive::each_tap(g, [&](long pixel, std::size_t r, std::size_t q) { col[r * ldcol + q] = pixel < 0 ? T(0) : img[pixel]; });
}

// col (C·K·K, OH·OW), row stride ldcol → img (C, H, W), overwritten with the sums.
template <class T>
void col2im_naive(const ConvGeom& g, const T* col, std::size_t ldcol, T* img) {
    for (std::size_t i = 0; i < g.c * g.h * g.w; ++i) img[i] = T(0);
    naive::each_tap(g, [&](long pixel, std::size_t r, std::size_t q) {
        if (pixel >= 0) img[pixel] += col[r * ldcol + q];
    });
}

}  // namespace ae::kernels

// The im2col matrix of a group of images as a GEMM operand that is never stored.
//
// A convolution's products read cols (C·K·K, G·P) (kernels/im2col.hpp: one row per tap
// r = (c, ki, kj), one column per output pixel j = (image, oh, ow), P = OH·OW) either as the
// right operand, or transposed:
//   conv forward          Y (OC, G·P)  = W (OC, C·K·K) · cols              as_b()
//   conv weight gradient  dW (OC, C·K·K) = dY (OC, G·P) · colsᵀ            as_bt()
// (and the transposed convolution's backward reads the im2col of dy the same two ways).
// Instead of writing cols and then packing it, the GEMM (kernels/gemm.hpp, PackedB) packs its
// panels straight from zero-padded copies of the images, where every tap is a plain load. The
// padded images (C, H + 2P, W + 2P) are stored split into their S·S stride phases (the pixels
// with the same y mod S and x mod S, each a plane (Hph, Wph) = (⌈(H + 2P)/S⌉, ⌈(W + 2P)/S⌉)):
//   cols(r, j) = phases[image(j)][c][ki mod S][kj mod S][(oh + ki/S)·Wph + ow + kj/S]
//              = planes[pixel(j) + tap(r)]     (two additive tables)
// so the gather needs no bounds check, cols never passes through memory, and the output pixels
// of a row are consecutive floats whatever the stride: the packing moves four at a time (one or
// two vector loads per tap when four pixels are one or two runs of a row; colsᵀ as 4×4 blocks
// transposed in registers, kernels/simd4.hpp). The values are exactly im2col's
// (tests/engine/test_conv.cpp checks the panels and the products against the naive im2col).
//
// load() copies the images (whole images per thread, core/parallel.hpp); the packing is called
// by the GEMM's threads for disjoint columns. Buffers are kept between calls: no allocation at
// a fixed batch size.
#pragma once
#include <cstddef>
#include <vector>

#include "core/tensor.hpp"
#include "kernels/gemm.hpp"
#include "kernels/im2col.hpp"

namespace ae::kernels {

class ConvCols {
public:
    // The im2col matrix of `count` images (C, H, W) at imgs + i·img_stride, i < count.
    void load(const ConvGeom& g, const Scalar* imgs, std::size_t img_stride, std::size_t count);

    std::size_t rows() const { return g_.col_rows(); }           // C·K·K
    std::size_t cols() const { return count_ * g_.col_cols(); }  // G·P
    PackedB<Scalar> as_b() const { return {&pack_b, this}; }     // op(B) = cols   (C·K·K, G·P)
    PackedB<Scalar> as_bt() const { return {&pack_bt, this}; }   // op(B) = colsᵀ  (G·P, C·K·K)

private:
    static void pack_b(const void* self, int p0, int kc, int j0, int nc, int nr, Scalar* dst);
    static void pack_bt(const void* self, int p0, int kc, int j0, int nc, int nr, Scalar* dst);

    ConvGeom g_;
    std::size_t count_ = 0;
    static constexpr std::size_t kMargin = 4;  // slack floats before and after the planes
    std::vector<Scalar> padded_;  // kMargin, (G, C, S, S, Hph, Wph) zero borders, kMargin
    std::vector<int> tap_;        // (C·K·K) offset of tap r in an image's phase planes
    std::vector<int> pixel_;      // (G·P) offset of output pixel j's top-left tap in the planes
    std::vector<std::size_t> row_;  // (H) offset of image row y's first phase row in a channel
};

}  // namespace ae::kernels

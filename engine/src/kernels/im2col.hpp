// im2col and col2im: turn a convolution into one matrix multiply.
//
// One image (C, H, W), a square K×K kernel, stride S, zero padding P. The output grid is
// (OH, OW) with OH = (H + 2P − K)/S + 1 (floor), likewise OW. The col matrix holds one row per
// kernel tap and one column per output pixel:
//
//   col (C·K·K, OH·OW)     col[(c·K + ki)·K + kj][oh·OW + ow] = img[c][oh·S − P + ki][ow·S − P + kj]
//                          (0 where the tap falls into the padding)
//
// so the row index runs over (C, K, K) exactly like a PyTorch conv weight (OC, C, K, K) read as
// (OC, C·K·K), and the column index runs over (OH, OW) exactly like an output channel:
//
//   conv forward   Y (OC, OH·OW)  = W (OC, C·K·K) · col (C·K·K, OH·OW)       gemm(N, N)
//   weight grad    dW (OC, C·K·K) = dY (OC, OH·OW) · colᵀ                   gemm(N, T)
//   input grad     dcol           = Wᵀ · dY,  then dimg = col2im(dcol)      gemm(T, N)
//
// col2im is the adjoint of im2col: it scatters every entry back to the pixel it was read from,
// summing where taps overlap (S < K); taps in the padding are dropped.
//
// ldcol is the col matrix's row stride, so several images can sit side by side in one wide
// matrix (C·K·K, G·OH·OW): image i starts at column i·OH·OW with ldcol = G·OH·OW, and a group
// of G images is then one gemm. Columns outside [0, OH·OW) of the image's block are never touched.
//
// im2col runs on a table of the geometry, built once per thread and geometry and reused: it
// copies the image into zero-padded planes (C, H + 2P, W + 2P), where every tap lands inside,
// and gathers each tap's OH·OW values with one table lookup each, no bounds check. col2im works
// on the image split into its S·S stride phases (pixels with the same y mod S and x mod S), where
// each tap adds its col row as contiguous runs at a fixed shift, taps in increasing order, so each
// pixel's sum is formed in the definition's order (c, ki, kj, oh, ow). Both match
// kernels/im2col_naive.hpp value for value. The group versions split the images
// among the threads (core/parallel.hpp).
#pragma once
#include <cstddef>

#include "core/tensor.hpp"
#include "kernels/act.hpp"

namespace ae::kernels {

// The geometry of one convolution over a (C, H, W) image.
struct ConvGeom {
    std::size_t c = 1, h = 1, w = 1;  // input image (C, H, W)
    std::size_t k = 1, s = 1, p = 0;  // kernel K×K, stride S, zero padding P
    std::size_t oh = 1, ow = 1;       // output grid (OH, OW)

    std::size_t col_rows() const { return c * k * k; }  // C·K·K
    std::size_t col_cols() const { return oh * ow; }    // OH·OW
};

// How many images the conv layers put side by side in one GEMM: enough for about
// kConvGroupColumns columns (at least 1, at most N). One image per GEMM leaves it narrow
// (OH·OW = 49 columns in the conv autoencoder's second layer); the whole batch at once makes the
// col matrix (7 MB there at batch 128) and the GEMM's packed panels spill out of L2. Measured
// forward+backward of Conv2D(32→64, k3, s2, p1) at batch 128, fastest of repeated runs:
//                     one image   groups of 1024 columns   whole batch
//   native (AVX-512)   13.0 ms          11.5 ms               13.4 ms
//   wasm-simd128       26.2 ms          23.4 ms               27.1 ms
// and the layer's buffers stay at one group's size instead of growing with the batch.
constexpr std::size_t kConvGroupColumns = 1024;
inline std::size_t conv_group_size(std::size_t n, std::size_t pixels) {
    const std::size_t g = pixels == 0 || pixels >= kConvGroupColumns ? 1 : kConvGroupColumns / pixels;
    return g < n ? g : (n > 0 ? n : 1);
}

// (in + 2P − K)/S + 1, or 0 when the kernel is larger than the padded input (or S = 0).
std::size_t conv_out_size(std::size_t in, std::size_t k, std::size_t s, std::size_t p);

// The geometry with OH, OW from conv_out_size. No validation: layers check their arguments.
ConvGeom make_conv_geom(std::size_t c, std::size_t h, std::size_t w, std::size_t k, std::size_t s, std::size_t p);

// img (C, H, W) → col (C·K·K, OH·OW) with row stride ldcol ≥ OH·OW.
void im2col(const ConvGeom& g, const Scalar* img, Scalar* col, std::size_t ldcol);

// col (C·K·K, OH·OW) with row stride ldcol → img (C, H, W), overwritten with the sum of the
// entries that im2col would have read from each pixel.
void col2im(const ConvGeom& g, const Scalar* col, std::size_t ldcol, Scalar* img);

// The same for `count` images at once, image i at img + i·img_stride and in the columns
// [i·OH·OW, (i+1)·OH·OW) of col (so ldcol ≥ count·OH·OW): a conv layer's GEMM group.
void im2col(const ConvGeom& g, const Scalar* img, std::size_t img_stride, std::size_t count, Scalar* col,
            std::size_t ldcol);
void col2im(const ConvGeom& g, const Scalar* col, std::size_t ldcol, std::size_t count, Scalar* img,
            std::size_t img_stride);
// The same, finished as a transposed convolution's output: img[i][c] = f(col2im + bias[c]), with
// bias (C) (null: none) and f applied to each channel's phase planes while they are still in
// cache, before they are interleaved into the image. Equal, value for value, to col2im followed
// by the bias and f (the same operations on every pixel).
void col2im(const ConvGeom& g, const Scalar* col, std::size_t ldcol, std::size_t count, Scalar* img,
            std::size_t img_stride, const Scalar* bias, Act act, Scalar slope);

}  // namespace ae::kernels

// The few-taps convolutions (kernels/conv_taps.hpp) go one image at a time: these split the
// batch among the threads and add up the per-image shares of a gradient.
//
// Each image's outputs and share are computed the same way on any thread, and the shares are
// added in image order on the caller, so results do not depend on the thread count
// (core/parallel.hpp).
#pragma once
#include <algorithm>
#include <cstddef>

#include "core/parallel.hpp"
#include "core/tensor.hpp"
#include "kernels/elementwise.hpp"

namespace ae {

// body(n, scratch) for every image n < N, the images split among the threads in contiguous
// runs; scratch is that thread's row of `scratch` (parts, scratch_cols), reused between calls.
template <class Body>
void for_each_image(std::size_t N, Mat& scratch, std::size_t scratch_cols, Body&& body) {
    const int parts = int(std::min<std::size_t>(std::size_t(threads()), std::max<std::size_t>(N, 1)));
    ensure_shape(scratch, std::size_t(parts), scratch_cols);
    parallel_run(parts, [&](int part, int np) {
        const Range r = split_range(N, part, np);
        for (std::size_t n = r.begin; n < r.end; ++n) body(n, scratch.data() + std::size_t(part) * scratch_cols);
    });
}

// grad[k] = Σ_n shares[n, from + k] for k < size, n < N, in image order (overwrites grad).
inline void add_image_shares(const Mat& shares, std::size_t N, std::size_t from, Scalar* grad, std::size_t size) {
    std::fill(grad, grad + size, Scalar(0));
    for (std::size_t n = 0; n < N; ++n) {
        const Scalar* share = shares.data() + n * cols(shares) + from;
        for (std::size_t k = 0; k < size; ++k) grad[k] += share[k];
    }
}

// grad[c] += shares[i, c] for c < C, i < count, in image order: a group's per-image shares of a
// conv layer's bias gradient (kernels::act_backward_planes), added as one thread would.
inline void add_shares(const Mat& shares, std::size_t count, std::size_t C, Scalar* grad) {
    for (std::size_t i = 0; i < count; ++i)
        for (std::size_t c = 0; c < C; ++c) grad[c] += shares.data()[i * cols(shares) + c];
}

// share[c] = Σ_q y[c·P + q] for c < C: one image's share of a conv layer's bias gradient.
inline void channel_sums(const Scalar* y, std::size_t C, std::size_t P, Scalar* share) {
    for (std::size_t c = 0; c < C; ++c) share[c] = kernels::sum(y + c * P, nullptr, P);
}

// One image's bias-gradient share of a conv layer with activation f fused (Identity: none):
// share[c] = Σ_q g[c·P + q] with g = dy · f'(y) (C planes of P). Returns what the layer's products
// then read as dy: g, written to `scratch` (C·P), or dy itself when there is no f.
inline const Scalar* fused_bias_share(kernels::Act act, Scalar slope, const Scalar* y, const Scalar* dy,
                                      std::size_t C, std::size_t P, Scalar* scratch, Scalar* share) {
    if (act == kernels::Act::Identity) {
        channel_sums(dy, C, P, share);
        return dy;
    }
    for (std::size_t c = 0; c < C; ++c)
        share[c] = kernels::act_backward_sum(act, y + c * P, dy + c * P, scratch + c * P, P, slope);
    return scratch;
}

}  // namespace ae

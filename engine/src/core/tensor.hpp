// Scalar and tensor aliases for the whole engine.
//
// Shape letters used in names and comments everywhere:
//   N batch · D features · Z latent · C channels · H height · W width · K kernel
//
// Activations flow between layers as row-major matrices (N, D). Convolutional layers read
// their rows as (C, H, W) images, so reshaping is free and every layer shares one interface.
//
// The engine is compiled twice: with float (the product) and with AE_DOUBLE (gradient checks).
#pragma once
#include <cstddef>
#include <xtensor/xtensor.hpp>

namespace ae {

#ifdef AE_DOUBLE
using Scalar = double;
#else
using Scalar = float;
#endif

using Vec = xt::xtensor<Scalar, 1>;  // (D)
using Mat = xt::xtensor<Scalar, 2>;  // (N, D)

using Shape2 = std::array<std::size_t, 2>;

// Resize only when the shape differs, so buffers are reused across steps of a fixed batch size.
// xtensor's resize records the new shape before it allocates: when the allocation throws
// (std::bad_alloc), the tensor would claim a shape its storage does not have, and the next
// call with that shape would write past the end. So a failed resize leaves the tensor empty.
template <class T>
void resize_or_empty(T& t, const typename T::shape_type& shape) {
    try {
        t.resize(shape);
    } catch (...) {
        t = T();
        throw;
    }
}
inline void ensure_shape(Mat& m, std::size_t rows, std::size_t cols) {
    if (m.shape(0) != rows || m.shape(1) != cols) resize_or_empty(m, {rows, cols});
}
inline void ensure_shape(Vec& v, std::size_t n) {
    if (v.shape(0) != n) resize_or_empty(v, {n});
}

inline std::size_t rows(const Mat& m) { return m.shape(0); }
inline std::size_t cols(const Mat& m) { return m.shape(1); }

}  // namespace ae

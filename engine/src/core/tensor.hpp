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
inline void ensure_shape(Mat& m, std::size_t rows, std::size_t cols) {
    if (m.shape(0) != rows || m.shape(1) != cols) m.resize({rows, cols});
}
inline void ensure_shape(Vec& v, std::size_t n) {
    if (v.shape(0) != n) v.resize({n});
}

inline std::size_t rows(const Mat& m) { return m.shape(0); }
inline std::size_t cols(const Mat& m) { return m.shape(1); }

}  // namespace ae

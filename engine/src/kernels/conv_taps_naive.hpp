// The reference loops of kernels/conv_taps.hpp: the definitions, in the order the fast kernels
// add (bias first, then t ascending; a gram entry over q ascending). The double engine runs
// these; the tests compare the float kernels against them.
#pragma once
#include <cstddef>

#include "kernels/act.hpp"
#include "kernels/elementwise.hpp"

namespace ae::kernels {

template <class T>
void taps_product_naive(std::size_t R, std::size_t Tn, std::size_t P, const T* a, std::size_t a_row,
                        std::size_t a_col, const T* cols, std::size_t ldcols, const T* bias, Act act, T slope,
                        T* y, std::size_t ldy) {
    for (std::size_t r = 0; r < R; ++r) {
        T* yr = y + r * ldy;
        for (std::size_t q = 0; q < P; ++q) {
            T acc = bias ? bias[r] : T(0);
            for (std::size_t t = 0; t < Tn; ++t) acc += a[r * a_row + t * a_col] * cols[t * ldcols + q];
            yr[q] = acc;
        }
        if (act != Act::Identity) act_forward(act, yr, yr, P, slope);
    }
}

template <class T>
void taps_gram_naive(std::size_t R, std::size_t Tn, std::size_t P, const T* a, std::size_t lda, const T* cols,
                     std::size_t ldcols, T* g) {
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t t = 0; t < Tn; ++t) {
            T acc = T(0);
            for (std::size_t q = 0; q < P; ++q) acc += a[r * lda + q] * cols[t * ldcols + q];
            g[r * Tn + t] = acc;
        }
}

}  // namespace ae::kernels

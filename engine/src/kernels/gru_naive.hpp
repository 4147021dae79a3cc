// The reference GRU: plain loops over <cmath>, one element at a time, written for clarity.
//
//   gru_gates_forward / gru_gates_backward   one time step's gate arithmetic, the same contracts
//                                            as the fast kernels in kernels/gru.hpp (the double
//                                            engine of the gradient checks runs these directly)
//   gru_sequence_forward / _backward         a whole GRU over a sequence, every product a plain
//                                            triple loop accumulated in double: the independent
//                                            reference that tests/engine/test_gru.cpp compares
//                                            layers/gru.hpp (GEMMs + vectorised gates) against
//
// Equations and gate order are PyTorch's nn.GRU (r, z, n; h₀ = 0):
//   r = σ(a_r + g_r)   z = σ(a_z + g_z)   n = tanh(a_n + r ⊙ g_n)   h = (1 − z) ⊙ n + z ⊙ h_prev
// with a = x·W_ih + b_ih and g = h_prev·W_hh + b_hh, each (3H) laid out [r | z | n].
#pragma once
#include <cmath>
#include <cstddef>
#include <vector>

#include "kernels/elementwise_naive.hpp"

namespace ae::kernels::naive {

// One step for N rows. In: a (row stride ld_a, 3H pre-activations incl. b_ih), g (ld_g, 3H incl.
// b_hh), h_prev (ld_hp, H; null = zeros). Out: a overwritten with the gates [r | z | n] (after
// their activations), h (ld_h, H).
template <class T>
void gru_gates_forward(std::size_t N, std::size_t H, T* a, std::size_t ld_a, const T* g, std::size_t ld_g,
                       const T* h_prev, std::size_t ld_hp, T* h, std::size_t ld_h) {
    for (std::size_t i = 0; i < N; ++i) {
        T* ai = a + i * ld_a;
        const T* gi = g + i * ld_g;
        for (std::size_t j = 0; j < H; ++j) {
            const T r = sigmoid(ai[j] + gi[j]);
            const T z = sigmoid(ai[H + j] + gi[H + j]);
            const T n = std::tanh(ai[2 * H + j] + r * gi[2 * H + j]);
            const T hp = h_prev ? h_prev[i * ld_hp + j] : T(0);
            ai[j] = r;
            ai[H + j] = z;
            ai[2 * H + j] = n;
            h[i * ld_h + j] = (T(1) - z) * n + z * hp;
        }
    }
}

// The same step backwards. In: dh (ld_dh, H) = d(loss)/dh of this step, plus dy (ld_dy, H) when
// not null (the step's output gradient, added to dh); the gates [r | z | n] (ld_a) and g (ld_g)
// the forward left; h_prev (null = zeros). Out:
//   da (ld_da, 3H)  d(loss)/da = [dr̃ | dz̃ | dñ]      the pre-activation gradients
//   dg (ld_dg, 3H)  d(loss)/dg = [dr̃ | dz̃ | dñ ⊙ r]
//   dh_prev (ld_dhp, H) = dh ⊙ z, the direct path only (the caller adds dg · W_hhᵀ)
// where dñ = dh (1 − z)(1 − n²), dz̃ = dh (h_prev − n) z (1 − z), dr̃ = dñ g_n r (1 − r).
template <class T>
void gru_gates_backward(std::size_t N, std::size_t H, const T* dh, std::size_t ld_dh, const T* dy, std::size_t ld_dy,
                        const T* gates, std::size_t ld_a, const T* g, std::size_t ld_g, const T* h_prev,
                        std::size_t ld_hp, T* da, std::size_t ld_da, T* dg, std::size_t ld_dg, T* dh_prev,
                        std::size_t ld_dhp) {
    for (std::size_t i = 0; i < N; ++i) {
        for (std::size_t j = 0; j < H; ++j) {
            const T* gt = gates + i * ld_a;
            const T r = gt[j], z = gt[H + j], n = gt[2 * H + j];
            const T gn = g[i * ld_g + 2 * H + j];
            const T hp = h_prev ? h_prev[i * ld_hp + j] : T(0);
            const T d = dh[i * ld_dh + j] + (dy ? dy[i * ld_dy + j] : T(0));
            const T dn = d * (T(1) - z) * (T(1) - n * n);
            const T dz = d * (hp - n) * z * (T(1) - z);
            const T dr = dn * gn * r * (T(1) - r);
            T* dai = da + i * ld_da;
            T* dgi = dg + i * ld_dg;
            dai[j] = dr;
            dai[H + j] = dz;
            dai[2 * H + j] = dn;
            dgi[j] = dr;
            dgi[H + j] = dz;
            dgi[2 * H + j] = dn * r;
            dh_prev[i * ld_dhp + j] = d * z;
        }
    }
}

// One step's products as dot products in double: a = x·W_ih + b_ih, g = h_prev·W_hh + b_hh (3H
// each; h_prev null = zeros).
template <class T>
void gru_projections(std::size_t I, std::size_t H, const T* x, const T* h_prev, const T* W_ih, const T* W_hh,
                     const T* b_ih, const T* b_hh, double* a, double* g) {
    for (std::size_t k = 0; k < 3 * H; ++k) {
        double s = double(b_ih[k]), u = double(b_hh[k]);
        for (std::size_t c = 0; c < I; ++c) s += double(x[c]) * double(W_ih[c * 3 * H + k]);
        if (h_prev)
            for (std::size_t c = 0; c < H; ++c) u += double(h_prev[c]) * double(W_hh[c * 3 * H + k]);
        a[k] = s;
        g[k] = u;
    }
}

// A whole GRU over N sequences of T steps of I values, from h₀ = 0, as PyTorch's
// nn.GRU(I, H, batch_first=True): x (N, T·I), W_ih (I, 3H), W_hh (H, 3H), b_ih, b_hh (3H)
// (weights stored transposed, as the engine's Dense) → hs (N, T·H), every step's state.
// Products are dot products accumulated in double.
template <class T>
void gru_sequence_forward(std::size_t N, std::size_t T_, std::size_t I, std::size_t H, const T* x, const T* W_ih,
                          const T* W_hh, const T* b_ih, const T* b_hh, T* hs) {
    std::vector<double> a(3 * H), g(3 * H);
    for (std::size_t i = 0; i < N; ++i) {
        for (std::size_t t = 0; t < T_; ++t) {
            const T* xt = x + (i * T_ + t) * I;
            const T* hp = t ? hs + (i * T_ + t - 1) * H : nullptr;
            gru_projections(I, H, xt, hp, W_ih, W_hh, b_ih, b_hh, a.data(), g.data());
            T* h = hs + (i * T_ + t) * H;
            for (std::size_t j = 0; j < H; ++j) {
                const double r = sigmoid(a[j] + g[j]);
                const double z = sigmoid(a[H + j] + g[H + j]);
                const double n = std::tanh(a[2 * H + j] + r * g[2 * H + j]);
                h[j] = T((1 - z) * n + z * (hp ? double(hp[j]) : 0.0));
            }
        }
    }
}

// Backpropagation through time for gru_sequence_forward, from its input and output:
// dhs (N, T·H) = d(loss)/d(every step's state) → dx (N, T·I), dW_ih, dW_hh, db_ih, db_hh
// (all overwritten). The gates are recomputed from x and hs.
template <class T>
void gru_sequence_backward(std::size_t N, std::size_t T_, std::size_t I, std::size_t H, const T* x, const T* W_ih,
                           const T* W_hh, const T* b_ih, const T* b_hh, const T* hs, const T* dhs, T* dx, T* dW_ih,
                           T* dW_hh, T* db_ih, T* db_hh) {
    std::vector<double> gW_ih(I * 3 * H, 0.0), gW_hh(H * 3 * H, 0.0), gb_ih(3 * H, 0.0), gb_hh(3 * H, 0.0);
    std::vector<double> a(3 * H), g(3 * H), da(3 * H), dg(3 * H), dh(H), dhp(H);
    for (std::size_t i = 0; i < N; ++i) {
        for (std::size_t j = 0; j < H; ++j) dh[j] = 0;
        for (std::size_t t = T_; t-- > 0;) {
            const T* xt = x + (i * T_ + t) * I;
            const T* hp = t ? hs + (i * T_ + t - 1) * H : nullptr;
            gru_projections(I, H, xt, hp, W_ih, W_hh, b_ih, b_hh, a.data(), g.data());
            for (std::size_t j = 0; j < H; ++j) {
                const double r = sigmoid(a[j] + g[j]);
                const double z = sigmoid(a[H + j] + g[H + j]);
                const double n = std::tanh(a[2 * H + j] + r * g[2 * H + j]);
                const double h_prev = hp ? double(hp[j]) : 0.0;
                const double d = dh[j] + double(dhs[(i * T_ + t) * H + j]);
                const double dn = d * (1 - z) * (1 - n * n);
                const double dz = d * (h_prev - n) * z * (1 - z);
                const double dr = dn * g[2 * H + j] * r * (1 - r);
                da[j] = dr, da[H + j] = dz, da[2 * H + j] = dn;
                dg[j] = dr, dg[H + j] = dz, dg[2 * H + j] = dn * r;
                dhp[j] = d * z;
            }
            for (std::size_t k = 0; k < 3 * H; ++k) {
                gb_ih[k] += da[k];
                gb_hh[k] += dg[k];
                for (std::size_t c = 0; c < I; ++c) gW_ih[c * 3 * H + k] += double(xt[c]) * da[k];
                if (hp)
                    for (std::size_t c = 0; c < H; ++c) gW_hh[c * 3 * H + k] += double(hp[c]) * dg[k];
            }
            T* dxt = dx + (i * T_ + t) * I;
            for (std::size_t c = 0; c < I; ++c) {
                double s = 0;
                for (std::size_t k = 0; k < 3 * H; ++k) s += da[k] * double(W_ih[c * 3 * H + k]);
                dxt[c] = T(s);
            }
            for (std::size_t c = 0; c < H; ++c) {
                double s = dhp[c];
                for (std::size_t k = 0; k < 3 * H; ++k) s += dg[k] * double(W_hh[c * 3 * H + k]);
                dh[c] = s;
            }
        }
    }
    for (std::size_t k = 0; k < gW_ih.size(); ++k) dW_ih[k] = T(gW_ih[k]);
    for (std::size_t k = 0; k < gW_hh.size(); ++k) dW_hh[k] = T(gW_hh[k]);
    for (std::size_t k = 0; k < 3 * H; ++k) db_ih[k] = T(gb_ih[k]), db_hh[k] = T(gb_hh[k]);
}

}  // namespace ae::kernels::naive

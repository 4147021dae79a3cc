// The GRU's gate arithmetic for one time step, vectorised. The products (x·W_ih for every step at
// once, h_prev·W_hh step by step) are GEMMs in layers/gru.cpp; what is left per step is this
// elementwise pass over the N rows of the batch, H lanes of each gate at a time.
//
// Gate order and equations are PyTorch's nn.GRU, with a = x·W_ih + b_ih and g = h_prev·W_hh + b_hh,
// each (3H) laid out [r | z | n]:
//   r = σ(a_r + g_r)   z = σ(a_z + g_z)   n = tanh(a_n + r ⊙ g_n)   h = (1 − z) ⊙ n + z ⊙ h_prev
//
// Contracts (row strides ld_*; a null h_prev means h_prev = 0, a null dy adds nothing) are those of
// the references in kernels/gru_naive.hpp, which the double overloads run and the tests compare
// the float kernels against:
//   forward   a (3H) is overwritten with the gates [r | z | n]; h (H) = the new state
//   backward  from dh (+ dy) and the forward's gates, g and h_prev:
//             da = [dr̃ | dz̃ | dñ],  dg = [dr̃ | dz̃ | dñ ⊙ r],  dh_prev = dh ⊙ z (the caller adds dg·W_hhᵀ)
#pragma once
#include <cstddef>

namespace ae::kernels {

void gru_gates_forward(std::size_t N, std::size_t H, float* a, std::size_t ld_a, const float* g, std::size_t ld_g,
                       const float* h_prev, std::size_t ld_hp, float* h, std::size_t ld_h);
void gru_gates_forward(std::size_t N, std::size_t H, double* a, std::size_t ld_a, const double* g, std::size_t ld_g,
                       const double* h_prev, std::size_t ld_hp, double* h, std::size_t ld_h);

void gru_gates_backward(std::size_t N, std::size_t H, const float* dh, std::size_t ld_dh, const float* dy,
                        std::size_t ld_dy, const float* gates, std::size_t ld_a, const float* g, std::size_t ld_g,
                        const float* h_prev, std::size_t ld_hp, float* da, std::size_t ld_da, float* dg,
                        std::size_t ld_dg, float* dh_prev, std::size_t ld_dhp);
void gru_gates_backward(std::size_t N, std::size_t H, const double* dh, std::size_t ld_dh, const double* dy,
                        std::size_t ld_dy, const double* gates, std::size_t ld_a, const double* g, std::size_t ld_g,
                        const double* h_prev, std::size_t ld_hp, double* da, std::size_t ld_da, double* dg,
                        std::size_t ld_dg, double* dh_prev, std::size_t ld_dhp);

}  // namespace ae::kernels

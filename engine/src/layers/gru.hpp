// Gated recurrent unit over a sequence, PyTorch's nn.GRU(I, H, batch_first=True) from h₀ = 0.
//   x (N, T·I): T steps of I values per row (an image read row by row: T = rows, I = row width)
//   → every step's state (N, T·H) (all_steps), or the last step's (N, H)
//
//   a  = x·W_ih + b_ih         (N·T, 3H)  all steps in one GEMM: x viewed as (N·T, I)
//   gₜ = hₜ₋₁·W_hh + b_hh       (N, 3H)    one GEMM per step over the batch (g₀ = b_hh)
//   r = σ(a_r + g_r)   z = σ(a_z + g_z)   n = tanh(a_n + r ⊙ g_n)   hₜ = (1 − z) ⊙ n + z ⊙ hₜ₋₁
// Gate order [r | z | n] is PyTorch's; W_ih (I, 3H) and W_hh (H, 3H) are stored transposed, as
// the Dense layer stores its weight, so a model file's .npz export gives nn.GRU's weight_ih_l0
// (3H, I) and weight_hh_l0 (3H, H); the params are named as nn.GRU names them.
//
// Backward through time, from the last step to the first, with the gradient dh carried back:
//   per step   the gates' gradients (kernels/gru.hpp)  da (N, 3H), dg (N, 3H), dh ⊙ z
//              dhₜ₋₁ = dh ⊙ z + dg·W_hhᵀ                     GEMM over the batch
//              dW_hh += hₜ₋₁ᵀ·dg                             GEMM over the batch
//   once       dW_ih = xᵀ·da, db_ih = Σ da, db_hh = Σ dg, dx = da·W_ihᵀ   over all N·T rows
// Rows of a, g, da, dg are (n, t) → n·T + t, so step t's slice of the batch is every T-th row.
#pragma once
#include "core/layer.hpp"

namespace ae {

class GRU : public Layer {
public:
    GRU(std::size_t steps, std::size_t input, std::size_t hidden, bool all_steps);

    std::string kind() const override { return "gru"; }
    const Mat& forward(const Mat& x, const Context& ctx) override;
    const Mat& backward(const Mat& dy) override;
    std::vector<Param*> params() override { return {&W_ih_, &W_hh_, &b_ih_, &b_hh_}; }
    std::string param_name(std::size_t k) const override;
    // PyTorch's nn.GRU default: every weight and bias ~ U(-1/√H, 1/√H).
    void init(Rng& rng) override;

    std::size_t steps() const { return T_; }
    std::size_t hidden() const { return H_; }
    bool all_steps() const { return all_steps_; }
    // (N, T·H) every step's state after the last forward.
    const Mat& states() const { return hs_; }

private:
    std::size_t T_, I_, H_;
    bool all_steps_;
    Param W_ih_;  // (I, 3H)
    Param W_hh_;  // (H, 3H)
    Param b_ih_;  // (3H)
    Param b_hh_;  // (3H)
    const Mat* x_ = nullptr;  // cached input (N, T·I), owned by the previous layer
    Mat gates_;   // (N·T, 3H) a, then the gates [r | z | n] after forward
    Mat g_;       // (N·T, 3H) h·W_hh + b_hh of every step (backward needs g_n)
    Mat hs_;      // (N, T·H) every step's state
    Mat y_;       // (N, H) the last state, when !all_steps
    Mat da_, dg_;       // (N·T, 3H)
    Mat dh_, dh_prev_;  // (N, H) carried back through time
};

}  // namespace ae

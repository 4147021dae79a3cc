#include "layers/gru.hpp"

#include <cmath>
#include <utility>

#include "core/error.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/gemm.hpp"
#include "kernels/gru.hpp"

namespace ae {

using kernels::Op;

GRU::GRU(std::size_t steps, std::size_t input, std::size_t hidden, bool all_steps)
    : T_(steps),
      I_(input),
      H_(hidden),
      all_steps_(all_steps),
      W_ih_({input, 3 * hidden}, true),
      W_hh_({hidden, 3 * hidden}, true),
      b_ih_({3 * hidden}, false),
      b_hh_({3 * hidden}, false) {
    require(steps > 0 && input > 0 && hidden > 0, "gru layer needs positive sizes, got ", steps, " steps of ", input,
            " values and a state of ", hidden);
    in_ = FeatureShape::flat(steps * input);
    out_ = FeatureShape::flat(all_steps ? steps * hidden : hidden);
}

std::string GRU::param_name(std::size_t k) const {
    static const char* names[] = {"weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"};
    return k < 4 ? names[k] : Layer::param_name(k);
}

void GRU::init(Rng& rng) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(H_));
    for (Param* p : params())
        for (auto& w : p->value) w = static_cast<Scalar>(rng.uniform(-bound, bound));
}

const Mat& GRU::forward(const Mat& x, const Context&) {
    const std::size_t N = rows(x), T = T_, H = H_, G = 3 * H;
    require(cols(x) == T * I_, "gru layer expects ", T, " steps of ", I_, " values (", T * I_, " per row), got ",
            cols(x));
    x_ = &x;
    ensure_shape(gates_, N * T, G);
    ensure_shape(g_, N * T, G);
    ensure_shape(hs_, N, T * H);
    // a (N·T, 3H) = x (N·T, I) · W_ih (I, 3H) + b_ih, every step at once
    kernels::Epilogue<Scalar> in_bias;
    in_bias.bias = b_ih_.data();
    kernels::gemm(Op::N, Op::N, int(N * T), int(G), int(I_), x.data(), int(I_), W_ih_.data(), int(G), Scalar(0),
                  gates_.data(), int(G), in_bias);
    kernels::Epilogue<Scalar> rec_bias;
    rec_bias.bias = b_hh_.data();
    for (std::size_t t = 0; t < T; ++t) {
        Scalar* g = g_.data() + t * G;  // step t's rows: stride T·3H
        const Scalar* h_prev = t ? hs_.data() + (t - 1) * H : nullptr;
        // gₜ (N, 3H) = hₜ₋₁ (N, H) · W_hh (H, 3H) + b_hh; h₀ = 0 gives K = 0, g₀ = b_hh
        kernels::gemm(Op::N, Op::N, int(N), int(G), t ? int(H) : 0, h_prev, int(T * H), W_hh_.data(), int(G),
                      Scalar(0), g, int(T * G), rec_bias);
        kernels::gru_gates_forward(N, H, gates_.data() + t * G, T * G, g, T * G, h_prev, T * H,
                                   hs_.data() + t * H, T * H);
    }
    if (all_steps_) return hs_;
    ensure_shape(y_, N, H);
    for (std::size_t n = 0; n < N; ++n) {
        const Scalar* last = hs_.data() + n * T * H + (T - 1) * H;
        std::copy(last, last + H, y_.data() + n * H);
    }
    return y_;
}

const Mat& GRU::backward(const Mat& dy) {
    require(x_ != nullptr, "gru backward called before forward");
    const Mat& x = *x_;
    const std::size_t N = rows(x), T = T_, H = H_, G = 3 * H;
    require(rows(dy) == N && cols(dy) == out_.size(), "gru backward expects dy of shape (", N, ", ", out_.size(),
            ") like the last forward, got (", rows(dy), ", ", cols(dy), ")");
    ensure_shape(da_, N * T, G);
    ensure_shape(dg_, N * T, G);
    ensure_shape(dh_, N, H);
    ensure_shape(dh_prev_, N, H);
    // The gradient reaching the last state: dy itself, or (every step's states) nothing yet, dy
    // being added step by step.
    if (all_steps_) std::fill(dh_.begin(), dh_.end(), Scalar(0));
    else std::copy(dy.begin(), dy.end(), dh_.begin());
    for (std::size_t t = T; t-- > 0;) {
        const Scalar* h_prev = t ? hs_.data() + (t - 1) * H : nullptr;
        const Scalar* dy_t = all_steps_ ? dy.data() + t * H : nullptr;
        Scalar* da = da_.data() + t * G;
        Scalar* dg = dg_.data() + t * G;
        kernels::gru_gates_backward(N, H, dh_.data(), H, dy_t, T * H, gates_.data() + t * G, T * G,
                                    g_.data() + t * G, T * G, h_prev, T * H, da, T * G, dg, T * G,
                                    dh_prev_.data(), H);
        if (t == 0) break;  // h₀ is a constant: neither it nor W_hh·h₀ needs a gradient
        // dhₜ₋₁ (N, H) += dg (N, 3H) · W_hhᵀ (3H, H)
        kernels::gemm(Op::N, Op::T, int(N), int(H), int(G), dg, int(T * G), W_hh_.data(), int(G), Scalar(1),
                      dh_prev_.data(), int(H));
        // dW_hh (H, 3H) += hₜ₋₁ᵀ (H, N) · dg (N, 3H), overwritten at the first step back
        kernels::gemm(Op::T, Op::N, int(H), int(G), int(N), h_prev, int(T * H), dg, int(T * G),
                      Scalar(t == T - 1 ? 0 : 1), W_hh_.gdata(), int(G));
        std::swap(dh_, dh_prev_);
    }
    if (T == 1) std::fill(W_hh_.grad.begin(), W_hh_.grad.end(), Scalar(0));
    // dW_ih (I, 3H) = xᵀ (I, N·T) · da (N·T, 3H);  db_ih = Σ da;  db_hh = Σ dg
    kernels::gemm(Op::T, Op::N, int(I_), int(G), int(N * T), x.data(), int(I_), da_.data(), int(G), Scalar(0),
                  W_ih_.gdata(), int(G));
    kernels::column_sums(da_.data(), N * T, G, b_ih_.gdata());
    kernels::column_sums(dg_.data(), N * T, G, b_hh_.gdata());
    if (!needs_input_grad_) return dx_;
    // dx (N·T, I) = da (N·T, 3H) · W_ihᵀ (3H, I)
    ensure_shape(dx_, N, T * I_);
    kernels::gemm(Op::N, Op::T, int(N * T), int(I_), int(G), da_.data(), int(G), W_ih_.data(), int(G), Scalar(0),
                  dx_.data(), int(I_));
    return dx_;
}

}  // namespace ae

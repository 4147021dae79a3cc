// Vectorised exp, log1p, sigmoid and tanh for the elementwise kernels, on simd::vf lanes, and the
// activations (act_v) built from them.
// Only the ranges the engine needs, each accurate to a few float ulps (the tests sweep them
// against <cmath>; kernels/elementwise_naive.hpp keeps the <cmath> versions as the reference):
//
//   exp_nonpos(x)  eˣ for x ≤ 0        Cody–Waite reduction x = n·ln2 + r, |r| ≤ ln2/2, Cephes'
//                                      degree-7 polynomial for eʳ, then 2ⁿ built in the exponent
//                                      bits. x < −87 is taken as −87 (eˣ < 1.7e-38 there).
//   log1p_unit(e)  log(1 + e), 0 ≤ e ≤ 1    s = e/(2 + e) ∈ [0, 1/3], log(1 + e) = 2·atanh(s)
//                                      = 2s·Σ s²ᵏ/(2k+1), summed to k = 6 (truncation < 2e-8).
//   sigmoid(x)     1/(1 + e⁻ˣ), both signs stable:  e = e^−|x|,  (x ≥ 0 ? 1 : e) / (1 + e)
//   tanh(x)        |x| < 0.3: the odd Taylor series to x¹¹ (truncation < 3e-9); otherwise
//                  (1 − e)/(1 + e) with e = e^−2|x| (no cancellation there); sign of x restored.
//
// NaN in gives NaN out, so a diverging loss is still seen as one.
#pragma once
#include <type_traits>

#include "kernels/act.hpp"
#include "kernels/simd.hpp"

namespace ae::kernels::vmath {

using namespace simd;

inline vf exp_nonpos(vf x) {
    const vf lo = splat(-87.0f);
    x = select(lt(x, lo), lo, x);  // NaN stays NaN
    // n = round(x·log2 e), by the 1.5·2²³ trick: the sum's low mantissa bits hold n.
    const vf magic = splat(12582912.0f);
    const vf t = add(mul(x, splat(1.44269504088896341f)), magic);
    const vi n = isub(bits(t), bits(magic));
    const vf fn = sub(t, magic);
    // r = x − n·ln2, ln2 split so n·C1 is exact.
    vf r = sub(x, mul(fn, splat(0.693359375f)));
    r = sub(r, mul(fn, splat(-2.12194440e-4f)));
    // eʳ ≈ 1 + r + r²·P(r)
    vf p = splat(1.9875691500e-4f);
    p = add(mul(p, r), splat(1.3981999507e-3f));
    p = add(mul(p, r), splat(8.3334519073e-3f));
    p = add(mul(p, r), splat(4.1665795894e-2f));
    p = add(mul(p, r), splat(1.6666665459e-1f));
    p = add(mul(p, r), splat(5.0000001201e-1f));
    const vf er = add(add(mul(p, mul(r, r)), r), splat(1.0f));
    // 2ⁿ, n ∈ [−126, 0]: a normal float.
    const vf two_n = from_bits(shl23(iadd(n, isplat(127))));
    return mul(er, two_n);
}

inline vf log1p_unit(vf e) {
    const vf s = div(e, add(splat(2.0f), e));
    const vf s2 = mul(s, s);
    vf q = splat(1.0f / 13.0f);
    q = add(mul(q, s2), splat(1.0f / 11.0f));
    q = add(mul(q, s2), splat(1.0f / 9.0f));
    q = add(mul(q, s2), splat(1.0f / 7.0f));
    q = add(mul(q, s2), splat(1.0f / 5.0f));
    q = add(mul(q, s2), splat(1.0f / 3.0f));
    q = mul(q, s2);
    const vf two_s = add(s, s);
    return add(two_s, mul(two_s, q));
}

inline vf sigmoid(vf x) {
    const vf one = splat(1.0f);
    const vf e = exp_nonpos(neg(abs(x)));
    return div(select(ge(x, zero()), one, e), add(one, e));
}

inline vf tanh(vf x) {
    const vf one = splat(1.0f);
    const vf a = abs(x);
    // Small |x|: x − x³/3 + 2x⁵/15 − 17x⁷/315 + 62x⁹/2835 − 1382x¹¹/155925
    const vf a2 = mul(a, a);
    vf p = splat(-1382.0f / 155925.0f);
    p = add(mul(p, a2), splat(62.0f / 2835.0f));
    p = add(mul(p, a2), splat(-17.0f / 315.0f));
    p = add(mul(p, a2), splat(2.0f / 15.0f));
    p = add(mul(p, a2), splat(-1.0f / 3.0f));
    const vf small = add(a, mul(mul(p, a2), a));
    const vf e = exp_nonpos(mul(a, splat(-2.0f)));
    const vf large = div(sub(one, e), add(one, e));
    const vf t = select(lt(a, splat(0.3f)), small, large);
    return select(lt(x, zero()), neg(t), t);
}

// One activation of kernels/act.hpp on a vector (slope: LeakyReLU's a in every lane). Kind is a
// template argument so that the switch sits outside the callers' loops.
template <Act Kind>
vf act_v(vf x, vf slope) {
    if constexpr (Kind == Act::ReLU) return select(gt(x, zero()), x, zero());
    else if constexpr (Kind == Act::LeakyReLU) return select(gt(x, zero()), x, mul(slope, x));
    else if constexpr (Kind == Act::Sigmoid) return sigmoid(x);
    else if constexpr (Kind == Act::Tanh) return tanh(x);
    else return x;  // Identity
}

// f(std::integral_constant<Act, kind>{}): a kernel templated on the activation, called for a
// kind known only at run time (one switch, outside the kernel's loops).
template <class F>
decltype(auto) with_act(Act kind, F&& f) {
    switch (kind) {
        case Act::ReLU: return f(std::integral_constant<Act, Act::ReLU>{});
        case Act::LeakyReLU: return f(std::integral_constant<Act, Act::LeakyReLU>{});
        case Act::Sigmoid: return f(std::integral_constant<Act, Act::Sigmoid>{});
        case Act::Tanh: return f(std::integral_constant<Act, Act::Tanh>{});
        case Act::Identity: break;
    }
    return f(std::integral_constant<Act, Act::Identity>{});
}

}  // namespace ae::kernels::vmath

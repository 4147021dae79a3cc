// The vectorised elementwise kernels (kernels/elementwise.hpp) against their references
// (kernels/elementwise_naive.hpp) and the vectorised math (kernels/vmath.hpp) against <cmath>.
//
// Lengths run over 0..67 and a few large odd sizes, so every kernel is seen with whole vectors,
// a partial last vector and nothing else (W is 4 in WASM, 16 with AVX-512). Selections (ReLU,
// leaky ReLU), sums in the reference's order (column sums), pixel conversion and the updates of
// the optimizers in WASM are exact; the transcendental ones are compared with a relative
// tolerance derived from the math's accuracy (a few float ulps).
#include <doctest/doctest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/parallel.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/elementwise_naive.hpp"
#include "kernels/optim_update.hpp"
#include "kernels/optim_update_naive.hpp"

using namespace ae::kernels;

namespace {

// A tiny LCG so the data is the same natively and in WASM.
class Lcg {
public:
    explicit Lcg(std::uint32_t seed) : s_(seed * 2654435761u + 1u) {}
    double uniform(double lo, double hi) {
        s_ = s_ * 1664525u + 1013904223u;
        return lo + (hi - lo) * (double(s_ >> 8) / double(1u << 24));
    }

private:
    std::uint32_t s_;
};

std::vector<float> random_floats(std::size_t n, double lo, double hi, std::uint32_t seed) {
    Lcg rng(seed);
    std::vector<float> v(n);
    for (auto& x : v) x = float(rng.uniform(lo, hi));
    return v;
}

std::vector<std::size_t> lengths() {
    std::vector<std::size_t> ns;
    for (std::size_t n = 0; n <= 67; ++n) ns.push_back(n);
    for (std::size_t n : {255, 256, 1001, 100352 + 13}) ns.push_back(n);
    return ns;
}

// max over i of |a − b| / max(|b|, floor)
double max_rel(const std::vector<float>& a, const std::vector<float>& b, double floor = 1e-30) {
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, std::fabs(double(a[i]) - double(b[i])) / std::max(std::fabs(double(b[i])), floor));
    return worst;
}

// max over i of |a − b|, relative to max |b|: for values that cancel (σ − t, β·m + (1−β)·g).
double max_err_over_scale(const std::vector<float>& a, const std::vector<float>& b) {
    double worst = 0, scale = 1e-30;
    for (std::size_t i = 0; i < a.size(); ++i) {
        worst = std::max(worst, std::fabs(double(a[i]) - double(b[i])));
        scale = std::max(scale, std::fabs(double(b[i])));
    }
    return worst / scale;
}

// The largest relative error of a vectorised function against <cmath> in double, on n points
// spread evenly over [lo, hi].
template <class Fast, class Ref>
double sweep_rel_error(double lo, double hi, std::size_t n, Fast fast, Ref ref) {
    std::vector<float> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = float(lo + (hi - lo) * double(i) / double(n - 1));
    fast(x.data(), y.data(), n);
    double worst = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double r = ref(double(x[i]));
        worst = std::max(worst, std::fabs(double(y[i]) - r) / std::fabs(r));
    }
    return worst;
}

const Act kActs[] = {Act::Identity, Act::ReLU, Act::LeakyReLU, Act::Sigmoid, Act::Tanh};

const char* name(Act a) {
    switch (a) {
        case Act::Identity: return "identity";
        case Act::ReLU: return "relu";
        case Act::LeakyReLU: return "leaky_relu";
        case Act::Sigmoid: return "sigmoid";
        case Act::Tanh: return "tanh";
    }
    return "?";
}

// Exact for the piecewise-linear activations; a few ulps for sigmoid and tanh.
double act_tolerance(Act a) { return a == Act::Sigmoid || a == Act::Tanh ? 3 * FLT_EPSILON : 0.0; }

}  // namespace

TEST_CASE("vmath: exp, log1p, sigmoid and tanh are within a few float ulps of <cmath>") {
    const double eps = FLT_EPSILON;
    CHECK(sweep_rel_error(-87, 0, 400001, exp_nonpos, [](double x) { return std::exp(x); }) <= 2 * eps);
    CHECK(sweep_rel_error(-1, 0, 100001, exp_nonpos, [](double x) { return std::exp(x); }) <= 2 * eps);
    CHECK(sweep_rel_error(1e-9, 1, 400001, log1p_unit, [](double x) { return std::log1p(x); }) <= 3 * eps);
    CHECK(sweep_rel_error(1e-12, 1e-6, 10001, log1p_unit, [](double x) { return std::log1p(x); }) <= 3 * eps);
    CHECK(sweep_rel_error(-80, 80, 400001, sigmoid, [](double x) { return 1 / (1 + std::exp(-x)); }) <= 3 * eps);
    CHECK(sweep_rel_error(-20, 20, 400001, ae::kernels::tanh, [](double x) { return std::tanh(x); }) <= 3 * eps);
    // Around the switch from the series to (1 − e)/(1 + e), and tiny arguments.
    CHECK(sweep_rel_error(0.25, 0.35, 100001, ae::kernels::tanh, [](double x) { return std::tanh(x); }) <= 3 * eps);
    CHECK(sweep_rel_error(1e-8, 1e-3, 100001, ae::kernels::tanh, [](double x) { return std::tanh(x); }) <= 3 * eps);
}

TEST_CASE("vmath: the edges of each range, and NaN in gives NaN out") {
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    std::vector<float> x = {0.0f, -0.0f, -87.0f, -88.0f, -1000.0f, -inf, nan}, y(x.size());
    exp_nonpos(x.data(), y.data(), x.size());
    CHECK(y[0] == 1.0f);
    CHECK(y[1] == 1.0f);
    CHECK(y[2] == doctest::Approx(std::exp(-87.0)).epsilon(1e-6));
    for (int i : {3, 4, 5}) {  // below −87: taken as −87, a tiny normal number (documented)
        CHECK(y[i] > 0.0f);
        CHECK(y[i] < 1.7e-38f);
    }
    CHECK(std::isnan(y[6]));

    std::vector<float> u = {0.0f, 1.0f, nan}, l(u.size());
    log1p_unit(u.data(), l.data(), u.size());
    CHECK(l[0] == 0.0f);
    CHECK(l[1] == doctest::Approx(std::log(2.0)).epsilon(3 * FLT_EPSILON));
    CHECK(std::isnan(l[2]));

    std::vector<float> s = {-inf, -200.0f, 0.0f, 200.0f, inf, nan}, sy(s.size()), ty(s.size());
    sigmoid(s.data(), sy.data(), s.size());
    ae::kernels::tanh(s.data(), ty.data(), s.size());
    CHECK(sy[0] >= 0.0f);
    CHECK(sy[0] < 1e-37f);
    CHECK(sy[2] == 0.5f);
    CHECK(sy[3] == 1.0f);
    CHECK(sy[4] == 1.0f);
    CHECK(std::isnan(sy[5]));
    CHECK(ty[0] == -1.0f);
    CHECK(ty[2] == 0.0f);
    CHECK(ty[3] == 1.0f);
    CHECK(ty[4] == 1.0f);
    CHECK(std::isnan(ty[5]));
}

TEST_CASE("act_forward and act_backward match the reference for every kind, length and in place") {
    for (Act a : kActs)
        for (std::size_t n : lengths()) {
            INFO(name(a) << " n=" << n);
            const float slope = 0.05f;
            const auto x = random_floats(n, -6, 6, std::uint32_t(n) + 1);
            const auto dy = random_floats(n, -1, 1, std::uint32_t(n) + 2);
            std::vector<float> y(n), y_ref(n), dx(n), dx_ref(n);
            act_forward(a, x.data(), y.data(), n, slope);
            naive::act_forward(a, x.data(), y_ref.data(), n, slope);
            CHECK(max_rel(y, y_ref, 1e-30) <= act_tolerance(a));
            // Backward from the reference y so the comparison isolates the backward kernel.
            act_backward(a, x.data(), y_ref.data(), dy.data(), dx.data(), n, slope);
            naive::act_backward(a, x.data(), y_ref.data(), dy.data(), dx_ref.data(), n, slope);
            CHECK(max_rel(dx, dx_ref) <= 2 * FLT_EPSILON);
            // Without x (a fused layer): the same for slope ≥ 0.
            std::vector<float> dx_y(n);
            act_backward(a, nullptr, y_ref.data(), dy.data(), dx_y.data(), n, slope);
            CHECK(max_rel(dx_y, dx_ref) <= 2 * FLT_EPSILON);
            // In place, both directions.
            std::vector<float> inplace = x;
            act_forward(a, inplace.data(), inplace.data(), n, slope);
            CHECK(inplace == y);
            std::vector<float> g = dy;
            act_backward(a, x.data(), y_ref.data(), g.data(), g.data(), n, slope);
            CHECK(g == dx);
        }
}

TEST_CASE("act_backward_sum is act_backward (x null) then sum, bit for bit") {
    for (Act a : kActs)
        for (std::size_t n : lengths()) {
            INFO(name(a) << " n=" << n);
            const float slope = 0.05f;
            const auto x = random_floats(n, -6, 6, std::uint32_t(n) + 3);
            const auto dy = random_floats(n, -1, 1, std::uint32_t(n) + 4);
            std::vector<float> y(n), dx(n + 1, 42.0f), want(n + 1, 42.0f);
            act_forward(a, x.data(), y.data(), n, slope);
            act_backward(a, nullptr, y.data(), dy.data(), want.data(), n, slope);
            const float s = act_backward_sum(a, y.data(), dy.data(), dx.data(), n, slope);
            CHECK(dx == want);  // and nothing past n
            CHECK(s == sum(want.data(), nullptr, n));
        }
}

TEST_CASE("relu keeps the reference's choices at 0 and NaN") {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::vector<float> x = {-0.0f, 0.0f, 1e-38f, -1e-38f, nan}, y(x.size());
    act_forward(Act::ReLU, x.data(), y.data(), x.size(), 0.01f);
    CHECK(y[0] == 0.0f);
    CHECK(y[1] == 0.0f);
    CHECK(y[2] == 1e-38f);
    CHECK(y[3] == 0.0f);
    CHECK(y[4] == 0.0f);  // x > 0 is false for NaN, as in the reference
}

TEST_CASE("bias_act: f(C + bias) on blocks with a row stride, with and without bias") {
    for (Act a : kActs)
        for (std::size_t m : {1, 3, 8})
            for (std::size_t n : {1, 4, 7, 8, 16, 32, 33}) {  // rows of 1 or 2 whole vectors for W = 4, 8, 16
                INFO(name(a) << " m=" << m << " n=" << n);
                const std::size_t ldc = n + 5;
                const auto c0 = random_floats(m * ldc, -4, 4, std::uint32_t(m * 100 + n));
                const auto bias = random_floats(n, -1, 1, 7);
                for (bool with_bias : {true, false}) {
                    auto fast = c0, ref = c0;
                    const float* b = with_bias ? bias.data() : nullptr;
                    bias_act(a, 0.02f, b, fast.data(), m, n, ldc);
                    naive::bias_act(a, 0.02f, b, ref.data(), m, n, ldc);
                    CHECK(max_rel(fast, ref) <= act_tolerance(a));
                    for (std::size_t i = 0; i < m; ++i)  // the padding columns are untouched
                        for (std::size_t j = n; j < ldc; ++j) CHECK(fast[i * ldc + j] == c0[i * ldc + j]);
                    // Whatever path a block's width takes, the same bits as adding the bias and then
                    // act_forward, row by row.
                    auto same = c0;
                    for (std::size_t i = 0; i < m; ++i) {
                        float* row = same.data() + i * ldc;
                        if (b)
                            for (std::size_t j = 0; j < n; ++j) row[j] += b[j];
                        act_forward(a, row, row, n, 0.02f);
                    }
                    CHECK(fast == same);
                }
            }
}

TEST_CASE("act_forward with a bias: f(x + b) in one pass, as adding b then act_forward, in place too") {
    for (Act a : kActs)
        for (std::size_t n : lengths()) {
            INFO(name(a) << " n=" << n);
            const float slope = 0.05f, b = -0.375f;
            const auto x = random_floats(n, -6, 6, std::uint32_t(n) + 11);
            std::vector<float> y(n + 1, 42.0f), ref(n), same = x;
            act_forward(a, x.data(), b, y.data(), n, slope);
            naive::act_forward(a, x.data(), b, ref.data(), n, slope);
            CHECK(max_rel(std::vector<float>(y.begin(), y.begin() + std::ptrdiff_t(n)), ref, 1e-30) <= act_tolerance(a));
            CHECK(y[n] == 42.0f);  // nothing past n
            for (auto& v : same) v += b;
            act_forward(a, same.data(), same.data(), n, slope);
            y.resize(n);
            CHECK(y == same);
            std::vector<float> inplace = x;
            act_forward(a, inplace.data(), b, inplace.data(), n, slope);
            CHECK(inplace == same);
        }
}

TEST_CASE("bias_act_planes: a group's (C, count·P) product back to rows of images, on any thread count") {
    for (Act a : kActs)
        for (std::size_t P : {1, 4, 7, 49, 196})
            for (std::size_t count : {1, 3, 20, 40}) {  // 40 images of 196: cut among the threads
                const std::size_t C = 5, ld = count * P + 3, stride = C * P + 2;  // padded rows
                INFO(name(a) << " P=" << P << " count=" << count);
                const auto src = random_floats(C * ld, -4, 4, std::uint32_t(P * 31 + count));
                const auto bias = random_floats(C, -1, 1, 9);
                for (bool with_bias : {true, false}) {
                    const float* b = with_bias ? bias.data() : nullptr;
                    std::vector<float> ref(count * stride, 42.0f);
                    naive::bias_act_planes(a, 0.03f, b, src.data(), {P, ld}, count, C, P, ref.data(), {stride, P});
                    // The same bits as each plane's bias added and then act_forward, and the
                    // padding between images untouched.
                    std::vector<float> same(count * stride, 42.0f);
                    for (std::size_t i = 0; i < count; ++i)
                        for (std::size_t c = 0; c < C; ++c) {
                            float* d = same.data() + i * stride + c * P;
                            for (std::size_t q = 0; q < P; ++q) d[q] = src[c * ld + i * P + q] + (b ? b[c] : 0.0f);
                            act_forward(a, d, d, P, 0.03f);
                        }
                    for (int t = 1; t <= std::min(3, ae::max_threads()); ++t) {
                        INFO("threads=" << t);
                        ae::set_threads(t);
                        std::vector<float> fast(count * stride, 42.0f);
                        bias_act_planes(a, 0.03f, b, src.data(), {P, ld}, count, C, P, fast.data(), {stride, P});
                        CHECK(max_rel(fast, ref, 1e-30) <= act_tolerance(a));
                        CHECK(fast == same);
                    }
                    ae::set_threads(1);
                }
            }
}

TEST_CASE("act_backward_planes and copy_planes: between a batch's rows and a group's layout, on any thread count") {
    // count images of C planes of P values, from rows (C·P per image, padded) to a group's
    // (C, count·P) layout with a padded row stride, and back.
    for (std::size_t P : {1, 7, 49, 196})
        for (std::size_t count : {1, 3, 40}) {
            const std::size_t C = 5, stride = C * P + 3, ld = count * P + 2;
            const PlaneLayout rows_layout{stride, P}, group{P, ld};
            const auto y = random_floats(count * stride, -3, 3, std::uint32_t(P * 7 + count));
            const auto dy = random_floats(count * stride, -1, 1, std::uint32_t(P * 7 + count + 1));
            for (Act a : kActs) {
                INFO(name(a) << " P=" << P << " count=" << count);
                // What it promises: per plane, act_backward_sum's values and sum, bit for bit.
                std::vector<float> want(C * ld, 42.0f), want_sums(count * C);
                for (std::size_t i = 0; i < count; ++i)
                    for (std::size_t c = 0; c < C; ++c)
                        want_sums[i * C + c] = act_backward_sum(a, y.data() + i * stride + c * P, dy.data() + i * stride + c * P,
                                                                want.data() + c * ld + i * P, P, 0.04f);
                std::vector<double> y64(y.begin(), y.end()), dy64(dy.begin(), dy.end()), ref(C * ld, 42.0), ref_sums(count * C);
                naive::act_backward_planes(a, 0.04, y64.data(), dy64.data(), rows_layout, count, C, P, ref.data(), group,
                                           ref_sums.data());
                // and the reference's values (in double), within float rounding
                double worst = 0.0, worst_sum = 0.0;
                for (std::size_t k = 0; k < want.size(); ++k) worst = std::max(worst, std::abs(double(want[k]) - ref[k]));
                for (std::size_t k = 0; k < want_sums.size(); ++k)
                    worst_sum = std::max(worst_sum, std::abs(double(want_sums[k]) - ref_sums[k]));
                CHECK(worst <= 1e-6 * 3 * 3);     // |dy·f'| ≤ |dy|·max f' (sigmoid, tanh, relu ≤ 1); inputs ≤ 3
                CHECK(worst_sum <= 1e-6 * double(P) * 3);
                for (int t = 1; t <= std::min(3, ae::max_threads()); ++t) {
                    INFO("threads=" << t);
                    ae::set_threads(t);
                    std::vector<float> got(C * ld, 42.0f), sums(count * C, -1.0f);
                    act_backward_planes(a, 0.04f, y.data(), dy.data(), rows_layout, count, C, P, got.data(), group, sums.data());
                    CHECK(got == want);  // the padding between rows untouched too
                    CHECK(sums == want_sums);
                    if (a == Act::Identity) {  // the sums alone
                        std::vector<float> only(count * C, -1.0f);
                        act_backward_planes(a, 0.04f, nullptr, dy.data(), rows_layout, count, C, P, nullptr, group, only.data());
                        CHECK(only == want_sums);
                    }
                    // copy_planes there and back: the planes move, nothing else is written.
                    std::vector<float> grouped(C * ld, 7.0f), back(count * stride, 9.0f);
                    copy_planes(dy.data(), rows_layout, count, C, P, grouped.data(), group);
                    copy_planes(grouped.data(), group, count, C, P, back.data(), rows_layout);
                    std::size_t wrong = 0;
                    for (std::size_t i = 0; i < count; ++i)
                        for (std::size_t k = 0; k < stride; ++k)
                            wrong += back[i * stride + k] != (k < C * P ? dy[i * stride + k] : 9.0f);
                    for (std::size_t c = 0; c < C; ++c)
                        for (std::size_t k = 0; k < ld; ++k)
                            wrong += grouped[c * ld + k] != (k < count * P ? dy[(k / P) * stride + c * P + k % P] : 7.0f);
                    CHECK(wrong == 0);
                }
                ae::set_threads(1);
            }
        }
}

TEST_CASE("bce_logits: value and gradient match the reference, huge logits stay finite") {
    for (std::size_t n : lengths()) {
        INFO("n=" << n);
        const auto z = random_floats(n, -30, 30, std::uint32_t(n) + 11);
        auto t = random_floats(n, 0, 1, std::uint32_t(n) + 12);
        for (std::size_t i = 0; i < n; i += 3) t[i] = 0.0f;  // MNIST has many exact 0s and 1s
        for (std::size_t i = 1; i < n; i += 5) t[i] = 1.0f;
        std::vector<float> g(n), g_ref(n);
        const double v = bce_logits(z.data(), t.data(), g.data(), n, 0.125f);
        const double v_ref = naive::bce_logits(z.data(), t.data(), g_ref.data(), n, 0.125f);
        CHECK(v == doctest::Approx(v_ref).epsilon(1e-6));
        // σ(z) − t cancels when σ(z) ≈ t: compare against the gradient's scale.
        for (std::size_t i = 0; i < n; ++i) CHECK(std::fabs(g[i] - g_ref[i]) <= 0.125 * 3 * FLT_EPSILON);
        CHECK(bce_logits(z.data(), t.data(), nullptr, n, 0.125f) == v);  // the value alone is the same
    }
    std::vector<float> z = {800.0f, -800.0f, 0.0f}, t = {0.0f, 1.0f, 0.5f}, g(3);
    const double v = bce_logits(z.data(), t.data(), g.data(), 3, 1.0f);
    CHECK(v == doctest::Approx(1600 + std::log(2.0)).epsilon(1e-7));
    CHECK(g[0] == 1.0f);
    CHECK(g[1] == -1.0f);
    CHECK(g[2] == 0.0f);
    z[1] = std::numeric_limits<float>::quiet_NaN();
    CHECK(std::isnan(bce_logits(z.data(), t.data(), g.data(), 3, 1.0f)));  // divergence stays visible
}

TEST_CASE("copy copies every element and nothing past n") {
    for (std::size_t n : lengths()) {
        INFO("n=" << n);
        const auto src = random_floats(n, -3, 3, std::uint32_t(n) + 31);
        std::vector<float> dst(n + 1, 42.0f);
        copy(src.data(), dst.data(), n);
        CHECK(std::equal(src.begin(), src.end(), dst.begin()));
        CHECK(dst[n] == 42.0f);
    }
}

TEST_CASE("sum matches the running sum within float rounding, and copies when asked") {
    for (std::size_t n : lengths()) {
        INFO("n=" << n);
        const auto x = random_floats(n, -2, 2, std::uint32_t(n) + 41);
        double exact = 0, scale = 0;
        for (float v : x) exact += double(v), scale += std::fabs(double(v));
        // Both sums round at most n times, each by half an ulp of a partial sum ≤ Σ |x|.
        const double tol = double(n + 1) * double(FLT_EPSILON) * scale;
        std::vector<float> dst(n + 1, 42.0f);
        CHECK(std::fabs(double(sum(x.data(), nullptr, n)) - exact) <= tol);
        CHECK(std::fabs(double(naive::sum(x.data(), static_cast<float*>(nullptr), n)) - exact) <= tol);
        CHECK(sum(x.data(), dst.data(), n) == sum(x.data(), nullptr, n));
        CHECK(std::equal(x.begin(), x.end(), dst.begin()));
        CHECK(dst[n] == 42.0f);
    }
}

TEST_CASE("gather_u8_to_unit gathers and converts the rows it is given, on any thread count") {
    // A set of 300 images of d pixels; batches of scattered rows (repeats allowed), small ones on
    // the caller and large ones cut among the threads, against the reference.
    const int most = std::min(4, ae::max_threads());
    for (std::size_t d : {std::size_t(1), std::size_t(7), std::size_t(784)}) {
        std::vector<std::uint8_t> set(300 * d);
        for (std::size_t i = 0; i < set.size(); ++i) set[i] = std::uint8_t((i * 131 + d) % 256);
        for (std::size_t n : {std::size_t(0), std::size_t(1), std::size_t(5), std::size_t(128), std::size_t(300)}) {
            std::vector<std::uint32_t> rows(n);
            for (std::size_t i = 0; i < n; ++i) rows[i] = std::uint32_t((i * 97 + 13) % 300);
            std::vector<float> ref(n * d);
            naive::gather_u8_to_unit(set.data(), d, rows.data(), n, ref.data());
            for (int t = 1; t <= most; ++t) {
                INFO("d=" << d << " n=" << n << " threads=" << t);
                ae::set_threads(t);
                std::vector<float> got(n * d, -1.0f);
                gather_u8_to_unit(set.data(), d, rows.data(), n, got.data());
                CHECK(got == ref);
                std::vector<double> got64(n * d, -1.0), ref64(n * d);
                gather_u8_to_unit(set.data(), d, rows.data(), n, got64.data());
                naive::gather_u8_to_unit(set.data(), d, rows.data(), n, ref64.data());
                CHECK(got64 == ref64);
            }
            ae::set_threads(1);
        }
    }
}

TEST_CASE("squared_error, column_sums and u8_to_unit match the reference") {
    for (std::size_t n : lengths()) {
        INFO("n=" << n);
        const auto y = random_floats(n, -2, 2, std::uint32_t(n) + 21);
        const auto t = random_floats(n, 0, 1, std::uint32_t(n) + 22);
        std::vector<float> g(n), g_ref(n);
        const double v = squared_error(y.data(), t.data(), g.data(), n, 0.5f);
        CHECK(v == doctest::Approx(naive::squared_error(y.data(), t.data(), g_ref.data(), n, 0.5f)).epsilon(1e-6));
        CHECK(g == g_ref);

        std::vector<std::uint8_t> px(n);
        for (std::size_t i = 0; i < n; ++i) px[i] = std::uint8_t((i * 37 + n) % 256);
        std::vector<float> u(n), u_ref(n);
        u8_to_unit(px.data(), n, u.data());
        naive::u8_to_unit(px.data(), n, u_ref.data());
        CHECK(u == u_ref);
    }
    for (std::size_t rows : {1, 5, 128})
        for (std::size_t d : {1, 3, 20, 63, 64, 65, 400}) {
            INFO("rows=" << rows << " d=" << d);
            const auto dy = random_floats(rows * d, -1, 1, std::uint32_t(rows + d));
            std::vector<float> db(d, 99.0f), db_ref(d);
            column_sums(dy.data(), rows, d, db.data());
            naive::column_sums(dy.data(), rows, d, db_ref.data());
            CHECK(db == db_ref);  // the same additions in the same order
        }
}

TEST_CASE("optimizer updates: the vectorised Adam, SGD and RMSprop follow the reference over steps") {
    // g++ may fuse a·b + c into one rounding in one loop and not the other (natively only; in
    // WASM both are the same operations), so errors are measured against each tensor's scale.
    const double tol = 8 * FLT_EPSILON;
    const auto max_rel = max_err_over_scale;
    for (std::size_t n : {1, 5, 16, 33, 1001}) {
        INFO("n=" << n);
        const auto w0 = random_floats(n, -1, 1, std::uint32_t(n) + 31);
        AdamCoeffs<float> c{0.9f, 0.999f, 0.1f, 0.001f, 0.0f, 0.0f, 1e-8f};
        auto w = w0, m = std::vector<float>(n), v = std::vector<float>(n);
        auto w_ref = w0, m_ref = m, v_ref = v;
        for (int t = 1; t <= 3; ++t) {
            const auto g = random_floats(n, -2, 2, std::uint32_t(n * 10 + t));
            c.step = float(1e-3 / (1 - std::pow(0.9, t)));
            c.inv_sqrt_bc2 = float(1 / std::sqrt(1 - std::pow(0.999, t)));
            adam_update(w.data(), g.data(), m.data(), v.data(), n, c);
            naive::adam_update(w_ref.data(), g.data(), m_ref.data(), v_ref.data(), n, c);
        }
        CHECK(max_rel(w, w_ref) <= tol);
        CHECK(max_rel(m, m_ref) <= tol);
        CHECK(max_rel(v, v_ref) <= tol);

        for (SgdMomentum kind : {SgdMomentum::None, SgdMomentum::Classic, SgdMomentum::Nesterov}) {
            auto ws = w0, b = std::vector<float>(n), ws_ref = w0, b_ref = b;
            for (int t = 1; t <= 3; ++t) {
                const auto g = random_floats(n, -2, 2, std::uint32_t(n * 20 + t));
                sgd_update(ws.data(), g.data(), b.data(), n, 0.1f, 0.9f, kind);
                naive::sgd_update(ws_ref.data(), g.data(), b_ref.data(), n, 0.1f, 0.9f, kind);
            }
            CHECK(max_rel(ws, ws_ref) <= tol);
            CHECK(max_rel(b, b_ref) <= tol);
        }
        for (bool momentum : {false, true}) {
            auto wr = w0, sq = std::vector<float>(n), b = sq, wr_ref = w0, sq_ref = sq, b_ref = sq;
            for (int t = 1; t <= 3; ++t) {
                const auto g = random_floats(n, -2, 2, std::uint32_t(n * 30 + t));
                rmsprop_update(wr.data(), g.data(), sq.data(), b.data(), n, 0.01f, 0.99f, 0.01f, 1e-8f, 0.5f, momentum);
                naive::rmsprop_update(wr_ref.data(), g.data(), sq_ref.data(), b_ref.data(), n, 0.01f, 0.99f, 0.01f,
                                      1e-8f, 0.5f, momentum);
            }
            CHECK(max_rel(wr, wr_ref) <= tol);
            CHECK(max_rel(sq, sq_ref) <= tol);
        }
    }
}

TEST_CASE("optimizer updates say whether every value they wrote is finite, in any lane, as the reference does") {
    // A gradient of infinity at position `at` makes that weight (and slot) non-finite: both the
    // vectorised kernel (whole vectors or the tail) and the reference report it, and finite
    // gradients report finite.
    for (std::size_t n : {1, 7, 16, 37}) {
        for (std::size_t at : {std::size_t(0), n / 2, n - 1}) {
            INFO("n=" << n << " at=" << at);
            auto g = random_floats(n, -2, 2, std::uint32_t(n + at));
            const auto w0 = random_floats(n, -1, 1, std::uint32_t(n * 3 + at));
            AdamCoeffs<float> c{0.9f, 0.999f, 0.1f, 0.001f, 1e-3f, 1.0f, 1e-8f};
            for (bool poisoned : {false, true}) {
                if (poisoned) g[at] = std::numeric_limits<float>::infinity();
                auto w = w0, m = std::vector<float>(n), v = m, w_ref = w0, m_ref = m, v_ref = m;
                CHECK(adam_update(w.data(), g.data(), m.data(), v.data(), n, c) == !poisoned);
                CHECK(naive::adam_update(w_ref.data(), g.data(), m_ref.data(), v_ref.data(), n, c) == !poisoned);
                for (SgdMomentum kind : {SgdMomentum::None, SgdMomentum::Classic, SgdMomentum::Nesterov}) {
                    auto ws = w0, b = std::vector<float>(n), ws_ref = w0, b_ref = b;
                    CHECK(sgd_update(ws.data(), g.data(), b.data(), n, 0.1f, 0.9f, kind) == !poisoned);
                    CHECK(naive::sgd_update(ws_ref.data(), g.data(), b_ref.data(), n, 0.1f, 0.9f, kind) == !poisoned);
                }
                for (bool momentum : {false, true}) {
                    auto wr = w0, sq = std::vector<float>(n), b = sq, wr_ref = w0, sq_ref = sq, b_ref = sq;
                    CHECK(rmsprop_update(wr.data(), g.data(), sq.data(), b.data(), n, 0.01f, 0.99f, 0.01f, 1e-8f, 0.5f,
                                         momentum) == !poisoned);
                    CHECK(naive::rmsprop_update(wr_ref.data(), g.data(), sq_ref.data(), b_ref.data(), n, 0.01f, 0.99f,
                                                0.01f, 1e-8f, 0.5f, momentum) == !poisoned);
                }
            }
        }
    }
}

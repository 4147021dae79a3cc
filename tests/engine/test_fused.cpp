// Fusion: the GEMM's bias + activation epilogue (kernels/gemm.hpp) against the naive product
// followed by the reference bias_act, and a Dense, Conv2D or ConvTranspose2D + Activation fused by
// Sequential against the same layers run separately (forward, every gradient, the input gradient).
#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "kernels/elementwise_naive.hpp"
#include "kernels/gemm.hpp"
#include "kernels/gemm_naive.hpp"
#include "layers/activation.hpp"
#include "layers/conv2d.hpp"
#include "layers/conv_transpose2d.hpp"
#include "layers/dense.hpp"
#include "models/sequential.hpp"

using namespace ae;
using kernels::Act;
using kernels::Op;

namespace {

std::vector<float> lcg_floats(std::size_t n, std::uint32_t seed) {
    std::uint32_t s = seed * 2654435761u + 1u;
    std::vector<float> v(n);
    for (auto& x : v) {
        s = s * 1664525u + 1013904223u;
        x = float(double(s >> 8) / double(1u << 23) - 1.0);
    }
    return v;
}

Mat random_mat(Rng& rng, std::size_t n, std::size_t d) {
    Mat m({n, d});
    for (auto& v : m) v = Scalar(rng.normal());
    return m;
}

}  // namespace

TEST_CASE("gemm epilogue: f(op(A)·op(B) + beta·C + bias) after the last k block, edges and padding intact") {
    struct Shape {
        Op a, b;
        int M, N, K;
    };
    // K > 256 takes several k blocks: the epilogue must wait for the last one.
    const Shape shapes[] = {{Op::N, Op::N, 128, 400, 784}, {Op::N, Op::N, 13, 21, 600}, {Op::T, Op::N, 7, 33, 5},
                            {Op::N, Op::T, 37, 20, 300},   {Op::T, Op::T, 9, 17, 1},    {Op::N, Op::N, 5, 3, 0}};
    for (const Shape& s : shapes)
        for (Act act : {Act::Identity, Act::ReLU, Act::LeakyReLU, Act::Sigmoid, Act::Tanh})
            for (float beta : {0.0f, 1.0f}) {
                INFO("M=" << s.M << " N=" << s.N << " K=" << s.K << " act=" << int(act) << " beta=" << beta);
                const int lda = (s.a == Op::N ? s.K : s.M) + 1, ldb = (s.b == Op::N ? s.N : s.K) + 2, ldc = s.N + 3;
                const auto A = lcg_floats(std::size_t(s.a == Op::N ? s.M : std::max(s.K, 1)) * lda, 1);
                const auto B = lcg_floats(std::size_t(s.b == Op::N ? std::max(s.K, 1) : s.N) * ldb, 2);
                const auto bias = lcg_floats(std::size_t(s.N), 3);
                auto C0 = lcg_floats(std::size_t(s.M) * ldc, 4);
                for (int i = 0; i < s.M; ++i)
                    for (int j = s.N; j < ldc; ++j) C0[std::size_t(i) * ldc + j] = -7.0f;  // padding sentinel
                auto fast = C0, ref = C0;
                kernels::Epilogue<float> ep;
                ep.bias = bias.data();
                ep.act = act;
                ep.slope = 0.1f;
                kernels::gemm(s.a, s.b, s.M, s.N, s.K, A.data(), lda, B.data(), ldb, beta, fast.data(), ldc, ep);
                kernels::gemm_naive<float>(s.a, s.b, s.M, s.N, s.K, A.data(), lda, B.data(), ldb, beta, ref.data(), ldc);
                kernels::naive::bias_act(act, 0.1f, bias.data(), ref.data(), std::size_t(s.M), std::size_t(s.N),
                                         std::size_t(ldc));
                double worst = 0;
                bool padding_intact = true;
                for (int i = 0; i < s.M; ++i)
                    for (int j = 0; j < ldc; ++j) {
                        const std::size_t at = std::size_t(i) * ldc + j;
                        if (j >= s.N) {
                            padding_intact = padding_intact && fast[at] == -7.0f;
                            continue;
                        }
                        // |Σ a·b| can cancel: measure against √K (the operands are in [−1, 1]).
                        const double scale = 1.0 + std::sqrt(double(s.K));
                        worst = std::max(worst, std::fabs(double(fast[at]) - double(ref[at])) / scale);
                    }
                CHECK(worst <= 1e-5);
                CHECK(padding_intact);
            }
}

TEST_CASE("Sequential fuses Dense + Activation; results equal the two layers run separately") {
    for (ActKind act : {ActKind::ReLU, ActKind::LeakyReLU, ActKind::Sigmoid, ActKind::Tanh, ActKind::Identity}) {
        INFO("activation " << to_string(act));
        const FeatureShape in = FeatureShape::flat(37);
        Rng rng(5);
        Sequential fused;
        fused.add(std::make_unique<Dense>(in, 21));
        fused.add(std::make_unique<Activation>(FeatureShape::flat(21), act));
        fused.add(std::make_unique<Dense>(FeatureShape::flat(21), 9));
        fused[0].init(rng);
        fused[2].init(rng);
        CHECK(dynamic_cast<Activation&>(fused[1]).fused());
        CHECK(dynamic_cast<Dense&>(fused[0]).fused_activation() == act);

        // The same layers with the same weights, not fused.
        Dense d1(in, 21), d2(FeatureShape::flat(21), 9);
        Activation a1(FeatureShape::flat(21), act);
        d1.weight().value = dynamic_cast<Dense&>(fused[0]).weight().value;
        d1.bias().value = dynamic_cast<Dense&>(fused[0]).bias().value;
        d2.weight().value = dynamic_cast<Dense&>(fused[2]).weight().value;
        d2.bias().value = dynamic_cast<Dense&>(fused[2]).bias().value;

        const Mat x = random_mat(rng, 6, 37);
        const Mat g = random_mat(rng, 6, 9);
        const Context ctx{Mode::Train, &rng};
        const Mat y_fused = fused.forward(x, ctx);
        const Mat dx_fused = fused.backward(g);
        const Mat y_sep = d2.forward(a1.forward(d1.forward(x, ctx), ctx), ctx);
        const Mat dx_sep = d1.backward(a1.backward(d2.backward(g)));

        // Same GEMM, then the same bias + activation arithmetic: equal to the last bit except
        // for the fast sigmoid/tanh against themselves (also equal: the same kernel).
        CHECK(y_fused == y_sep);
        CHECK(dx_fused == dx_sep);
        CHECK(dynamic_cast<Dense&>(fused[0]).weight().grad == d1.weight().grad);
        CHECK(dynamic_cast<Dense&>(fused[0]).bias().grad == d1.bias().grad);
        CHECK(dynamic_cast<Dense&>(fused[2]).weight().grad == d2.weight().grad);
    }
}

TEST_CASE("Sequential fuses Conv2D and ConvTranspose2D + Activation; results equal the layers run separately") {
    // Odd sizes, stride 2 and padding, output_padding, several channels; batch 1 and 5. With one
    // channel in and out, both layers run the few-taps path (kernels/conv_taps.hpp).
    for (std::size_t ch : {1, 2})
    for (ActKind act : {ActKind::ReLU, ActKind::LeakyReLU, ActKind::Sigmoid, ActKind::Tanh, ActKind::Identity})
        for (std::size_t n : {1, 5}) {
            INFO("channels " << ch << " activation " << to_string(act) << " N=" << n);
            const FeatureShape in{ch, 7, 6};
            Rng rng(9);
            Sequential fused;
            fused.add(std::make_unique<Conv2D>(in, 3, 3, 2, 1));  // (C, 7, 6) → (3, 4, 3)
            fused.add(std::make_unique<Activation>(fused[0].out_shape(), act));
            fused.add(std::make_unique<ConvTranspose2D>(fused[0].out_shape(), ch, 3, 2, 1, 1));  // → (C, 8, 6)
            CHECK(dynamic_cast<Conv2D&>(fused[0]).direct() == (ch == 1));
            CHECK(dynamic_cast<ConvTranspose2D&>(fused[2]).direct() == (ch == 1));
            fused.add(std::make_unique<Activation>(fused[2].out_shape(), act));
            fused[0].init(rng);
            fused[2].init(rng);
            CHECK(dynamic_cast<Activation&>(fused[1]).fused());
            CHECK(dynamic_cast<Activation&>(fused[3]).fused());

            // The same layers with the same weights, not fused.
            Conv2D c(in, 3, 3, 2, 1);
            ConvTranspose2D t(c.out_shape(), ch, 3, 2, 1, 1);
            Activation a1(c.out_shape(), act), a2(t.out_shape(), act);
            auto& fc = dynamic_cast<Conv2D&>(fused[0]);
            auto& ft = dynamic_cast<ConvTranspose2D&>(fused[2]);
            c.weight().value = fc.weight().value;
            c.bias().value = fc.bias().value;
            t.weight().value = ft.weight().value;
            t.bias().value = ft.bias().value;

            const Mat x = random_mat(rng, n, in.size());
            const Mat g = random_mat(rng, n, t.out_shape().size());
            const Context ctx{Mode::Train, &rng};
            const Mat y_fused = fused.forward(x, ctx);
            const Mat dx_fused = fused.backward(g);
            const Mat y_sep = a2.forward(t.forward(a1.forward(c.forward(x, ctx), ctx), ctx), ctx);
            const Mat dx_sep = c.backward(a1.backward(t.backward(a2.backward(g))));

            // The same bias pass and the same activation kernel: equal to the last bit.
            CHECK(y_fused == y_sep);
            CHECK(dx_fused == dx_sep);
            CHECK(fc.weight().grad == c.weight().grad);
            CHECK(fc.bias().grad == c.bias().grad);
            CHECK(ft.weight().grad == t.weight().grad);
            CHECK(ft.bias().grad == t.bias().grad);
        }
}

TEST_CASE("fusion leaves alone what it cannot fuse") {
    SUBCASE("a leaky ReLU with a negative slope needs x in backward") {
        Sequential s;
        s.add(std::make_unique<Dense>(FeatureShape::flat(4), 3));
        s.add(std::make_unique<Activation>(FeatureShape::flat(3), ActKind::LeakyReLU, Scalar(-0.5)));
        CHECK_FALSE(dynamic_cast<Activation&>(s[1]).fused());
        CHECK(dynamic_cast<Dense&>(s[0]).fused_activation() == ActKind::Identity);
        CHECK_THROWS_WITH_AS(dynamic_cast<Dense&>(s[0]).fuse_activation(ActKind::LeakyReLU, Scalar(-0.5)),
                             "dense: a leaky ReLU with a negative slope (-0.5) cannot be fused: its backward needs "
                             "the sign of x·W + b",
                             Error);
    }
    SUBCASE("a leaky ReLU with a negative slope after a convolution") {
        Sequential s;
        s.add(std::make_unique<Conv2D>(FeatureShape{1, 4, 4}, 2, 3, 1, 1));
        s.add(std::make_unique<Activation>(s[0].out_shape(), ActKind::LeakyReLU, Scalar(-0.5)));
        s.add(std::make_unique<ConvTranspose2D>(s[1].out_shape(), 1, 3, 1, 1, 0));
        s.add(std::make_unique<Activation>(s[2].out_shape(), ActKind::LeakyReLU, Scalar(-0.5)));
        CHECK_FALSE(dynamic_cast<Activation&>(s[1]).fused());
        CHECK_FALSE(dynamic_cast<Activation&>(s[3]).fused());
    }
    SUBCASE("an activation after anything but a Dense or a convolution, or a second activation") {
        Sequential s;
        s.add(std::make_unique<Activation>(FeatureShape::flat(3), ActKind::ReLU));
        s.add(std::make_unique<Activation>(FeatureShape::flat(3), ActKind::Tanh));
        CHECK_FALSE(dynamic_cast<Activation&>(s[0]).fused());
        CHECK_FALSE(dynamic_cast<Activation&>(s[1]).fused());
    }
    SUBCASE("a fused Activation given some other input computes it itself") {
        Sequential s;
        s.add(std::make_unique<Dense>(FeatureShape::flat(2), 3));
        s.add(std::make_unique<Activation>(FeatureShape::flat(3), ActKind::ReLU));
        Rng rng(1);
        Mat x({2, 3});
        x(0, 0) = -1, x(0, 1) = 2, x(0, 2) = 0, x(1, 0) = 3, x(1, 1) = -4, x(1, 2) = 5;
        const Mat& y = s[1].forward(x, Context{Mode::Eval, &rng});
        CHECK(&y != &x);
        CHECK(y(0, 0) == 0);
        CHECK(y(0, 1) == 2);
        CHECK(y(1, 2) == 5);
    }
}

TEST_CASE("dense and activation backward refuse a dy that does not match the last forward") {
    Rng rng(3);
    Dense d(FeatureShape::flat(4), 3);
    Activation a(FeatureShape::flat(3), ActKind::ReLU);
    CHECK_THROWS_WITH_AS(d.backward(Mat({2, 3})), "dense backward called before forward", Error);
    CHECK_THROWS_WITH_AS(a.backward(Mat({2, 3})), "relu backward called before forward", Error);
    const Context ctx{Mode::Train, &rng};
    const Mat x = random_mat(rng, 2, 4);  // the layers keep a pointer to their input
    a.forward(d.forward(x, ctx), ctx);
    CHECK_THROWS_WITH_AS(d.backward(Mat({5, 3})),
                         "dense backward expects dy of shape (2, 3) like the last forward, got (5, 3)", Error);
    CHECK_THROWS_WITH_AS(a.backward(Mat({2, 4})),
                         "relu backward expects dy of shape (2, 3) like the last forward, got (2, 4)", Error);
}

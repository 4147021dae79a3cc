// Convolutions (float engine): the im2col + GEMM layers (and their few-taps path,
// kernels/conv_taps.hpp) against the direct loops of
// kernels/conv_naive.hpp on random inputs and odd shapes, the naive references against
// hand-computed examples and each other, output-shape rules, initialisation and every
// constructor error.
//
// Error measure, as for the GEMM: |fast − ref| / (Σ |terms| + tiny) per element, where Σ |terms|
// is the same reference evaluated on absolute values. Its maximum must stay below 1e-5.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <vector>

#include "core/error.hpp"
#include "gradcheck.hpp"  // random_mat
#include "kernels/conv_naive.hpp"
#include "kernels/im2col.hpp"
#include "kernels/im2col_naive.hpp"
#include "kernels/conv_cols.hpp"
#include "kernels/conv_taps.hpp"
#include "kernels/conv_taps_naive.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/gemm.hpp"
#include "layers/conv2d.hpp"
#include "layers/conv_transpose2d.hpp"

using namespace ae;
using ae::test::random_mat;

namespace {

constexpr double kFloatTol = 1e-5;

std::vector<Scalar> to_vec(const Mat& m) { return std::vector<Scalar>(m.begin(), m.end()); }
std::vector<Scalar> to_vec(const Param& p) { return std::vector<Scalar>(p.value.begin(), p.value.end()); }
template <class V>
std::vector<Scalar> abs_of(const V& v) {
    std::vector<Scalar> a(v.begin(), v.end());
    for (auto& x : a) x = std::fabs(x);
    return a;
}

// max_i |fast_i − ref_i| / (scale_i + 1e-30)
double max_rel_err(const Scalar* fast, const std::vector<Scalar>& ref, const std::vector<Scalar>& scale) {
    double worst = 0;
    for (std::size_t i = 0; i < ref.size(); ++i)
        worst = std::max(worst, std::fabs(double(fast[i]) - double(ref[i])) / (double(scale[i]) + 1e-30));
    return worst;
}

// The fast result's error against a naive reference `ref(f, out)`, which computes into `out`
// from its operands passed through `f`: once as they are, once through abs_of for the scale.
template <class Ref>
double rel_err_vs_naive(const Scalar* fast, std::size_t size, Ref ref) {
    std::vector<Scalar> out(size), scale(size);
    ref([](const std::vector<Scalar>& v) { return v; }, out.data());
    ref([](const std::vector<Scalar>& v) { return abs_of(v); }, scale.data());
    return max_rel_err(fast, out, scale);
}

// db[o] = Σ_n Σ_pixels dy[n, o, ·], within kFloatTol of Σ |terms|.
void check_bias_grad(const Param& bias, const Mat& dy, std::size_t channels, std::size_t pixels) {
    for (std::size_t oc = 0; oc < channels; ++oc) {
        double s = 0, a = 0;
        for (std::size_t n = 0; n < rows(dy); ++n)
            for (std::size_t q = 0; q < pixels; ++q) {
                s += dy(n, oc * pixels + q);
                a += std::fabs(dy(n, oc * pixels + q));
            }
        CHECK(std::fabs(bias.grad[oc] - s) <= kFloatTol * a);
    }
}

struct ConvCase {
    std::size_t n, c, h, w, oc, k, s, p;
};
struct ConvTCase {
    std::size_t n, c, h, w, oc, k, s, p, op;
};

}  // namespace

TEST_CASE("conv output shapes follow PyTorch's formulas") {
    // Conv2d: OH = (H + 2P − K)/S + 1
    CHECK(Conv2D({1, 28, 28}, 32, 3, 2, 1).out_shape() == FeatureShape{32, 14, 14});
    CHECK(Conv2D({32, 14, 14}, 64, 3, 2, 1).out_shape() == FeatureShape{64, 7, 7});
    CHECK(Conv2D({3, 5, 7}, 4, 3, 1, 0).out_shape() == FeatureShape{4, 3, 5});
    CHECK(Conv2D({1, 7, 7}, 1, 2, 3, 0).out_shape() == FeatureShape{1, 2, 2});  // floor
    CHECK(Conv2D({2, 5, 6}, 3, 1, 2, 0).out_shape() == FeatureShape{3, 3, 3});
    CHECK(Conv2D({1, 3, 3}, 1, 3, 1, 2).out_shape() == FeatureShape{1, 5, 5});
    // ConvTranspose2d: OH = (H − 1)·S − 2P + K + output_padding
    CHECK(ConvTranspose2D({64, 7, 7}, 32, 3, 2, 1, 1).out_shape() == FeatureShape{32, 14, 14});
    CHECK(ConvTranspose2D({32, 14, 14}, 1, 3, 2, 1, 1).out_shape() == FeatureShape{1, 28, 28});
    CHECK(ConvTranspose2D({2, 3, 3}, 4, 3, 1, 0, 0).out_shape() == FeatureShape{4, 5, 5});
    CHECK(ConvTranspose2D({1, 4, 4}, 1, 4, 2, 1, 0).out_shape() == FeatureShape{1, 8, 8});
    CHECK(ConvTranspose2D({1, 3, 2}, 1, 1, 2, 0, 1).out_shape() == FeatureShape{1, 6, 4});
    CHECK(ConvTranspose2D({1, 2, 2}, 1, 2, 1, 1, 0).out_shape() == FeatureShape{1, 1, 1});

    Conv2D conv({3, 5, 7}, 4, 3, 1, 0);
    CHECK(conv.weight().shape == std::vector<std::size_t>{4, 3, 3, 3});
    CHECK(conv.bias().shape == std::vector<std::size_t>{4});
    CHECK(conv.weight().decay);
    CHECK_FALSE(conv.bias().decay);
    ConvTranspose2D convt({2, 3, 3}, 4, 3, 1, 0, 0);
    CHECK(convt.weight().shape == std::vector<std::size_t>{2, 4, 3, 3});
    CHECK(convt.bias().shape == std::vector<std::size_t>{4});
}

TEST_CASE("naive conv2d reproduces hand-computed examples") {
    const double x[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};  // (1, 1, 3, 3)
    const double w[4] = {1, 2, 3, 4};                 // (1, 1, 2, 2)
    const double b[1] = {0.5};
    double y[4];
    kernels::conv2d_naive(x, 1, 1, 3, 3, w, b, 1, 2, 1, 0, y);  // stride 1, no padding
    CHECK(std::vector<double>(y, y + 4) == std::vector<double>{37.5, 47.5, 67.5, 77.5});
    kernels::conv2d_naive(x, 1, 1, 3, 3, w, b, 1, 2, 2, 1, y);  // stride 2, padding 1
    CHECK(std::vector<double>(y, y + 4) == std::vector<double>{4.5, 18.5, 36.5, 77.5});
}

TEST_CASE("naive conv_transpose2d reproduces hand-computed examples") {
    const double x[4] = {1, 2, 3, 4};         // (1, 1, 2, 2)
    const double w[4] = {1, 10, 100, 1000};   // (1, 1, 2, 2)
    double y[16];
    // Stride 2: the kernel is stamped, scaled, without overlap.
    kernels::conv_transpose2d_naive(x, 1, 1, 2, 2, w, (const double*)nullptr, 1, 2, 2, 0, 0, y);
    CHECK(std::vector<double>(y, y + 16) == std::vector<double>{1, 10, 2, 20, 100, 1000, 200, 2000,  //
                                                                3, 30, 4, 40, 300, 3000, 400, 4000});
    // Stride 1: the stamps overlap and add up.
    kernels::conv_transpose2d_naive(x, 1, 1, 2, 2, w, (const double*)nullptr, 1, 2, 1, 0, 0, y);
    CHECK(std::vector<double>(y, y + 9) == std::vector<double>{1, 12, 20, 103, 1234, 2040, 300, 3400, 4000});
    // Padding 1 crops one pixel off each border of that.
    const double b[1] = {-4};
    kernels::conv_transpose2d_naive(x, 1, 1, 2, 2, w, b, 1, 2, 1, 1, 0, y);
    CHECK(y[0] == 1230);
}

TEST_CASE("naive conv2d and conv_transpose2d are adjoint: <conv(x), y> = <x, convT(y)>") {
    const ConvCase cases[] = {{2, 3, 5, 5, 2, 3, 1, 0}, {1, 2, 7, 6, 3, 3, 2, 1}, {2, 1, 6, 6, 2, 4, 2, 2},
                              {1, 2, 5, 7, 2, 1, 3, 0}};
    for (const auto& t : cases) {
        INFO("C=" << t.c << " H=" << t.h << " W=" << t.w << " OC=" << t.oc << " K=" << t.k << " S=" << t.s
                  << " P=" << t.p);
        Rng rng(5);
        const std::size_t oh = (t.h + 2 * t.p - t.k) / t.s + 1, ow = (t.w + 2 * t.p - t.k) / t.s + 1;
        // The transposed convolution must come back to (H, W): output_padding restores what the
        // floor dropped.
        const std::size_t op_h = (t.h + 2 * t.p - t.k) % t.s, op_w = (t.w + 2 * t.p - t.k) % t.s;
        if (op_h != op_w) continue;  // one output_padding for both axes
        std::vector<double> x(t.n * t.c * t.h * t.w), w(t.oc * t.c * t.k * t.k), y(t.n * t.oc * oh * ow);
        for (auto* v : {&x, &w, &y})
            for (auto& e : *v) e = rng.uniform(-1, 1);
        std::vector<double> cx(y.size()), ty(x.size());
        kernels::conv2d_naive(x.data(), t.n, t.c, t.h, t.w, w.data(), (const double*)nullptr, t.oc, t.k, t.s, t.p,
                              cx.data());
        // The same weight read (OC, C, K, K) is a transposed convolution from OC to C channels.
        kernels::conv_transpose2d_naive(y.data(), t.n, t.oc, oh, ow, w.data(), (const double*)nullptr, t.c, t.k,
                                        t.s, t.p, op_h, ty.data());
        double lhs = 0, rhs = 0;
        for (std::size_t i = 0; i < y.size(); ++i) lhs += cx[i] * y[i];
        for (std::size_t i = 0; i < x.size(); ++i) rhs += x[i] * ty[i];
        CHECK(lhs == doctest::Approx(rhs).epsilon(1e-12));
    }
}

TEST_CASE("im2col matches its definition; col2im is its adjoint and keeps to its columns") {
    struct G {
        std::size_t c, h, w, k, s, p;
    };
    for (const G& t : {G{1, 1, 1, 1, 1, 0}, G{2, 5, 5, 3, 1, 1}, G{3, 7, 6, 3, 2, 2}, G{1, 6, 8, 4, 3, 1},
                       G{2, 4, 5, 1, 2, 0}, G{1, 3, 3, 5, 1, 1}, G{2, 5, 4, 2, 1, 3}}) {
        INFO("C=" << t.c << " H=" << t.h << " W=" << t.w << " K=" << t.k << " S=" << t.s << " P=" << t.p);
        const auto g = kernels::make_conv_geom(t.c, t.h, t.w, t.k, t.s, t.p);
        REQUIRE(g.oh == (t.h + 2 * t.p - t.k) / t.s + 1);
        REQUIRE(g.ow == (t.w + 2 * t.p - t.k) / t.s + 1);
        Rng rng(3);
        const Mat img = random_mat(rng, 1, t.c * t.h * t.w);
        // Place the image's block at column 3 of a wider matrix filled with a sentinel.
        const std::size_t pad = 5, ld = g.col_cols() + pad, off = 3;
        const Scalar sentinel = Scalar(-777);
        std::vector<Scalar> col(g.col_rows() * ld, sentinel);
        kernels::im2col(g, img.data(), col.data() + off, ld);
        bool exact = true, untouched = true;
        for (std::size_t r = 0; r < g.col_rows(); ++r) {
            const std::size_t c = r / (t.k * t.k), ki = r / t.k % t.k, kj = r % t.k;
            for (std::size_t q = 0; q < ld; ++q) {
                const Scalar got = col[r * ld + q];
                if (q < off || q >= off + g.col_cols()) {
                    untouched = untouched && got == sentinel;
                    continue;
                }
                const long oh = long((q - off) / g.ow), ow = long((q - off) % g.ow);
                const long ih = oh * long(t.s) - long(t.p) + long(ki), iw = ow * long(t.s) - long(t.p) + long(kj);
                const bool inside = ih >= 0 && ih < long(t.h) && iw >= 0 && iw < long(t.w);
                const Scalar want = inside ? img(0, (c * t.h + std::size_t(ih)) * t.w + std::size_t(iw)) : Scalar(0);
                exact = exact && got == want;
            }
        }
        CHECK(exact);
        CHECK(untouched);

        // <im2col(x), d> = <x, col2im(d)> for a random d in the same block.
        std::vector<Scalar> d(col.size(), sentinel);
        double lhs = 0, scale = 0;
        for (std::size_t r = 0; r < g.col_rows(); ++r)
            for (std::size_t q = 0; q < g.col_cols(); ++q) {
                const double dv = rng.uniform(-1, 1);
                d[r * ld + off + q] = Scalar(dv);
                lhs += double(col[r * ld + off + q]) * dv;
                scale += std::fabs(double(col[r * ld + off + q]) * dv);
            }
        Mat back({1, img.size()});
        back.fill(Scalar(12345));  // col2im overwrites, never accumulates into old values
        kernels::col2im(g, d.data() + off, ld, back.data());
        double rhs = 0;
        for (std::size_t i = 0; i < img.size(); ++i) rhs += double(img.data()[i]) * double(back.data()[i]);
        CHECK(std::fabs(lhs - rhs) <= kFloatTol * (scale + 1e-30));
    }
}

TEST_CASE("table-driven im2col and col2im over a group of images match the naive loops value for value") {
    struct G {
        std::size_t c, h, w, k, s, p;
    };
    // The conv AE's four geometries, then odd ones (stride > kernel, padding ≥ kernel, 1×1), then
    // ones for col2im's stride phases: phases of unequal size (odd H, W), a kernel wider than 2·S,
    // stride 1 with padding (every tap shifted), stride 3 (taps that skip a phase's edge), and rows
    // of unequal phases with two four-float steps of the stride-2 interleave and a tail (W = 17).
    for (const G& t : {G{1, 28, 28, 3, 2, 1}, G{32, 14, 14, 3, 2, 1}, G{64, 7, 7, 1, 1, 0}, G{3, 7, 6, 3, 2, 2},
                       G{1, 6, 8, 4, 3, 1}, G{2, 5, 4, 2, 1, 3}, G{2, 9, 5, 2, 3, 0}, G{1, 1, 1, 1, 1, 0},
                       G{2, 13, 11, 3, 2, 1}, G{2, 8, 9, 5, 2, 2}, G{3, 10, 7, 3, 1, 1}, G{1, 11, 10, 4, 3, 2},
                       G{2, 6, 17, 3, 2, 1}}) {
        INFO("C=" << t.c << " H=" << t.h << " W=" << t.w << " K=" << t.k << " S=" << t.s << " P=" << t.p);
        const auto g = kernels::make_conv_geom(t.c, t.h, t.w, t.k, t.s, t.p);
        const std::size_t count = 3, D = g.c * g.h * g.w, stride = D + 2, P = g.col_cols(), ld = count * P + 1;
        Rng rng(11);
        const Mat imgs = random_mat(rng, 1, count * stride);
        std::vector<Scalar> fast(g.col_rows() * ld, Scalar(-5)), naive(fast);
        kernels::im2col(g, imgs.data(), stride, count, fast.data(), ld);
        for (std::size_t i = 0; i < count; ++i) kernels::im2col_naive(g, imgs.data() + i * stride, naive.data() + i * P, ld);
        CHECK(fast == naive);  // the last column of each row is left alone by both

        const Mat cols = random_mat(rng, 1, g.col_rows() * ld);
        std::vector<Scalar> back(count * stride, Scalar(7)), back_naive(back);
        kernels::col2im(g, cols.data(), ld, count, back.data(), stride);
        for (std::size_t i = 0; i < count; ++i) kernels::col2im_naive(g, cols.data() + i * P, ld, back_naive.data() + i * stride);
        CHECK(back == back_naive);  // the two values between images are left alone by both

        // Finished as a transposed convolution's output: f(col2im + bias[c]), value for value.
        const Mat bias = random_mat(rng, 1, g.c);
        for (kernels::Act act : {kernels::Act::Identity, kernels::Act::ReLU, kernels::Act::Sigmoid}) {
            std::vector<Scalar> fused(count * stride, Scalar(7)), want(back_naive);
            kernels::col2im(g, cols.data(), ld, count, fused.data(), stride, bias.data(), act, Scalar(0.01));
            for (std::size_t i = 0; i < count; ++i)
                for (std::size_t c = 0; c < g.c; ++c) {
                    Scalar* plane = want.data() + i * stride + c * g.h * g.w;
                    for (std::size_t q = 0; q < g.h * g.w; ++q) plane[q] += bias.data()[c];
                    kernels::act_forward(act, plane, plane, g.h * g.w, Scalar(0.01));
                }
            CHECK(fused == want);
        }
    }
}

TEST_CASE("few-taps products (kernels/conv_taps.hpp) match their reference loops: every tile edge, both strides of A") {
    const kernels::Act acts[] = {kernels::Act::Identity, kernels::Act::ReLU, kernels::Act::Sigmoid,
                                 kernels::Act::LeakyReLU, kernels::Act::Tanh};
    int cases = 0;
    for (std::size_t R : {1, 3, 4, 9, 32})
        for (std::size_t T : {1, 2, 3, 9, 16, 32})
            for (std::size_t P : {1, 3, 7, 8, 9, 196}) {
                INFO("R=" << R << " T=" << T << " P=" << P);
                Rng rng(R * 1000 + T * 10 + P);
                const std::size_t ldc = P + 3, ldy = P + 2;
                const Mat a = random_mat(rng, R, T), cols = random_mat(rng, T, ldc), bias = random_mat(rng, 1, R);
                const Mat at = random_mat(rng, T, R);  // A stored transposed: A(r, t) = at[t·R + r]
                const std::vector<double> a64(a.begin(), a.end()), at64(at.begin(), at.end()),
                    c64(cols.begin(), cols.end()), b64(bias.begin(), bias.end());
                auto absv = [](std::vector<double> v) {
                    for (auto& x : v) x = std::fabs(x);
                    return v;
                };
                for (int transposed = 0; transposed < 2; ++transposed) {
                    const Scalar* A = transposed ? at.data() : a.data();
                    const std::vector<double>& A64 = transposed ? at64 : a64;
                    const std::size_t ar = transposed ? 1 : T, ac = transposed ? R : 1;
                    const kernels::Act act = acts[cases % 5];
                    const bool with_bias = cases % 2 == 0;
                    ++cases;
                    std::vector<Scalar> y(R * ldy, Scalar(7));
                    kernels::taps_product(R, T, P, A, ar, ac, cols.data(), ldc, with_bias ? bias.data() : nullptr,
                                          kernels::Act::Identity, Scalar(0), y.data(), ldy);
                    std::vector<double> ref(R * ldy, 7.0), scale(R * ldy, 7.0);
                    kernels::taps_product_naive(R, T, P, A64.data(), ar, ac, c64.data(), ldc,
                                                with_bias ? b64.data() : nullptr, kernels::Act::Identity, 0.0,
                                                ref.data(), ldy);
                    const auto A64abs = absv(A64), c64abs = absv(c64), b64abs = absv(b64);
                    kernels::taps_product_naive(R, T, P, A64abs.data(), ar, ac, c64abs.data(), ldc,
                                                with_bias ? b64abs.data() : nullptr, kernels::Act::Identity, 0.0,
                                                scale.data(), ldy);
                    double worst = 0;
                    for (std::size_t r = 0; r < R; ++r) {
                        for (std::size_t q = 0; q < P; ++q)
                            worst = std::max(worst, std::fabs(double(y[r * ldy + q]) - ref[r * ldy + q]) /
                                                        (scale[r * ldy + q] + 1e-30));
                        CHECK(y[r * ldy + P] == Scalar(7));  // past P: untouched
                        CHECK(y[r * ldy + P + 1] == Scalar(7));
                    }
                    CHECK(worst < kFloatTol);
                    // With an activation (applied in registers as the tiles are stored): exactly f of the same
                    // sums, as the engine's pass over Y computes it (kernels/elementwise.hpp).
                    std::vector<Scalar> fy(R * ldy, Scalar(7));
                    kernels::taps_product(R, T, P, A, ar, ac, cols.data(), ldc, with_bias ? bias.data() : nullptr,
                                          act, Scalar(0.01), fy.data(), ldy);
                    for (std::size_t r = 0; r < R; ++r) kernels::act_forward(act, &y[r * ldy], &y[r * ldy], P, Scalar(0.01));
                    CHECK(fy == y);
                }

                // G (R, T) = A (R, P) · colsᵀ, A with row stride P + 1
                const Mat ag = random_mat(rng, R, P + 1);
                std::vector<Scalar> g(R * T + 1, Scalar(7));
                kernels::taps_gram(R, T, P, ag.data(), P + 1, cols.data(), ldc, g.data());
                const std::vector<double> ag64(ag.begin(), ag.end());
                std::vector<double> gref(R * T), gscale(R * T);
                kernels::taps_gram_naive(R, T, P, ag64.data(), P + 1, c64.data(), ldc, gref.data());
                const auto ag64abs = absv(ag64), c64abs = absv(c64);
                kernels::taps_gram_naive(R, T, P, ag64abs.data(), P + 1, c64abs.data(), ldc, gscale.data());
                double worst = 0;
                for (std::size_t k = 0; k < R * T; ++k)
                    worst = std::max(worst, std::fabs(double(g[k]) - gref[k]) / (gscale[k] + 1e-30));
                CHECK(worst < kFloatTol);
                CHECK(g[R * T] == Scalar(7));
            }
    CHECK(cases == 2 * 5 * 6 * 6);
}

TEST_CASE("GEMMs on ConvCols (im2col packed straight from the images) equal GEMMs on the stored im2col matrix") {
    struct G {
        std::size_t c, h, w, k, s, p;
    };
    using kernels::Op;
    // Beyond the autoencoder's layers, the geometries put the packing's runs of a row (OW pixels)
    // at every offset in the panels and their groups of four: odd and even widths, rows shorter
    // than four (several breaks in a group) and longer than a panel, several images per panel
    // (OH·OW < 8), strides 1-3, padding 0-3, kernels smaller and larger than the stride; image
    // widths 7-23 around the stride-2 copy's eight-pixel blocks.
    for (const G& t : {G{1, 28, 28, 3, 2, 1}, G{32, 14, 14, 3, 2, 1}, G{3, 7, 6, 3, 2, 2}, G{2, 5, 4, 2, 1, 3},
                       G{5, 9, 5, 2, 3, 0}, G{1, 1, 1, 1, 1, 0}, G{3, 7, 9, 3, 2, 1}, G{2, 6, 6, 3, 3, 1},
                       G{4, 13, 11, 3, 2, 0}, G{3, 4, 4, 3, 1, 1}, G{2, 8, 23, 3, 1, 1}, G{3, 5, 3, 3, 2, 1},
                       G{2, 6, 7, 1, 2, 0}, G{2, 11, 10, 5, 2, 2}, G{1, 3, 13, 2, 3, 1},
                       G{2, 5, 8, 3, 2, 0}}) {
        INFO("C=" << t.c << " H=" << t.h << " W=" << t.w << " K=" << t.k << " S=" << t.s << " P=" << t.p);
        const auto g = kernels::make_conv_geom(t.c, t.h, t.w, t.k, t.s, t.p);
        const std::size_t count = 5, D = g.c * g.h * g.w, stride = D + 3, P = g.col_cols(), ld = count * P;
        const int R = int(g.col_rows()), Ncols = int(ld), M = 13;
        Rng rng(5);
        const Mat imgs = random_mat(rng, 1, count * stride);
        std::vector<Scalar> cols(g.col_rows() * ld);
        for (std::size_t i = 0; i < count; ++i) kernels::im2col_naive(g, imgs.data() + i * stride, cols.data() + i * P, ld);
        kernels::ConvCols packed;
        packed.load(g, imgs.data(), stride, count);
        REQUIRE(packed.rows() == g.col_rows());
        REQUIRE(packed.cols() == ld);

        // The panels themselves, for several panel widths and blocks (including blocks that do
        // not start at a multiple of 4 or of a panel, as no GEMM asks but the contract allows):
        // dst[panel·kc·nr + k·nr + l] = op(B)(p0 + k, j0 + panel·nr + l), zero past column nc.
        const auto check_panels = [&](const kernels::PackedB<Scalar>& B, int K, int N, bool transposed) {
            for (int nr : {4, 8, 12, 32})
                for (const auto& block : {std::array<int, 4>{0, K, 0, N}, {1, K - 1, 3, N - 3},
                                          {K / 3, (K + 1) / 2, N / 2, (N + 1) / 3}}) {
                    const int p0 = block[0], kc = block[1], j0 = block[2], nc = block[3];
                    if (kc <= 0 || nc <= 0) continue;
                    INFO("nr=" << nr << " p0=" << p0 << " kc=" << kc << " j0=" << j0 << " nc=" << nc
                               << (transposed ? " (colsT)" : " (cols)"));
                    const int panels = (nc + nr - 1) / nr;
                    std::vector<Scalar> got(std::size_t(panels) * kc * nr, Scalar(7)), want(got.size());
                    for (int pa = 0; pa < panels; ++pa)
                        for (int k = 0; k < kc; ++k)
                            for (int l = 0; l < nr; ++l) {
                                const std::size_t r = std::size_t(p0 + k), c = std::size_t(j0 + pa * nr + l);
                                want[(std::size_t(pa) * kc + k) * nr + l] = pa * nr + l >= nc ? Scalar(0)
                                                                            : transposed      ? cols[c * ld + r]
                                                                                              : cols[r * ld + c];
                            }
                    B.pack(B.self, p0, kc, j0, nc, nr, got.data());
                    CHECK(got == want);
                }
        };
        check_panels(packed.as_b(), R, Ncols, false);
        check_panels(packed.as_bt(), Ncols, R, true);

        // Y (M, G·P) = W (M, C·K·K) · cols, and with Wᵀ stored
        const Mat W = random_mat(rng, 1, std::size_t(M) * g.col_rows());
        std::vector<Scalar> want(std::size_t(M) * ld), got(want.size(), Scalar(3));
        kernels::gemm(Op::N, Op::N, M, Ncols, R, W.data(), R, cols.data(), Ncols, Scalar(0), want.data(), Ncols);
        kernels::gemm(Op::N, M, Ncols, R, W.data(), R, packed.as_b(), Scalar(0), got.data(), Ncols);
        CHECK(got == want);
        kernels::gemm(Op::T, Op::N, M, Ncols, R, W.data(), M, cols.data(), Ncols, Scalar(0), want.data(), Ncols);
        kernels::gemm(Op::T, M, Ncols, R, W.data(), M, packed.as_b(), Scalar(0), got.data(), Ncols);
        CHECK(got == want);

        // dW (M, C·K·K) (+)= dY (M, G·P) · colsᵀ, overwriting and accumulating
        const Mat dY = random_mat(rng, 1, std::size_t(M) * ld);
        std::vector<Scalar> dw_want(std::size_t(M) * g.col_rows(), Scalar(0.5)), dw_got(dw_want);
        for (Scalar beta : {Scalar(0), Scalar(1)}) {
            kernels::gemm(Op::N, Op::T, M, R, Ncols, dY.data(), Ncols, cols.data(), Ncols, beta, dw_want.data(), R);
            kernels::gemm(Op::N, M, R, Ncols, dY.data(), Ncols, packed.as_bt(), beta, dw_got.data(), R);
            CHECK(dw_got == dw_want);
        }
    }
}

TEST_CASE("the test cases below cover batches split into several GEMM groups") {
    CHECK(kernels::conv_group_size(7, 196) == 5);
    CHECK(kernels::conv_group_size(23, 49) == 20);
    CHECK(kernels::conv_group_size(3, 400) == 2);
    CHECK(kernels::conv_group_size(3, 5000) == 1);
    CHECK(kernels::conv_group_size(2, 49) == 2);
    CHECK(kernels::conv_group_size(0, 49) == 1);
}

TEST_CASE("Conv2D (im2col + GEMM, or few taps) matches the direct convolution: forward, dx, dW, db") {
    const ConvCase cases[] = {
        {1, 1, 1, 1, 1, 1, 1, 0},    {3, 1, 5, 5, 2, 3, 1, 0},   {2, 2, 6, 5, 3, 3, 2, 1},
        {5, 3, 7, 7, 4, 3, 2, 2},    {2, 4, 4, 4, 5, 1, 1, 0},   {3, 3, 5, 6, 4, 1, 2, 0},
        {2, 2, 9, 7, 3, 4, 2, 1},    {3, 2, 11, 13, 5, 3, 3, 1}, {2, 1, 2, 2, 2, 3, 1, 1},
        {3, 1, 28, 28, 32, 3, 2, 1}, {2, 32, 14, 14, 64, 3, 2, 1},  // the conv autoencoder's encoder
        {4, 5, 3, 17, 7, 3, 1, 1},
        {7, 1, 28, 28, 32, 3, 2, 1},  // several GEMM groups (5 + 2 images of 196 pixels)
        {23, 8, 14, 14, 4, 3, 2, 1},  // (20 + 3 images of 49 pixels)
    };
    int direct = 0;  // cases with C·K·K ≤ kDirectTaps, run by the few-taps products
    for (const auto& t : cases) {
        INFO("N=" << t.n << " C=" << t.c << " H=" << t.h << " W=" << t.w << " OC=" << t.oc << " K=" << t.k
                  << " S=" << t.s << " P=" << t.p);
        Rng rng(42 + t.h + t.c);
        Conv2D conv({t.c, t.h, t.w}, t.oc, t.k, t.s, t.p);
        direct += conv.direct();
        conv.init(rng);
        const FeatureShape o = conv.out_shape();
        const Mat x = random_mat(rng, t.n, t.c * t.h * t.w);
        const Context ctx{Mode::Train, &rng};
        const Mat& y = conv.forward(x, ctx);
        REQUIRE(rows(y) == t.n);
        REQUIRE(cols(y) == o.size());

        const auto xv = to_vec(x), wv = to_vec(conv.weight()), bv = to_vec(conv.bias());
        CHECK(rel_err_vs_naive(y.data(), y.size(), [&](auto f, Scalar* out) {
                  kernels::conv2d_naive(f(xv).data(), t.n, t.c, t.h, t.w, f(wv).data(), f(bv).data(), t.oc, t.k, t.s,
                                        t.p, out);
              }) < kFloatTol);

        const Mat dy = random_mat(rng, t.n, o.size());
        const auto dyv = to_vec(dy);
        const Mat& dx = conv.backward(dy);
        REQUIRE(rows(dx) == t.n);
        REQUIRE(cols(dx) == x.size() / t.n);
        // dx is the transposed convolution of dy with the same weight (the adjoint in x), with the
        // output_padding that gives back (H, W): the remainder the conv's floor dropped. Per axis
        // it may differ; the naive reference takes one, so use the larger and crop.
        const std::size_t op = std::max((t.h + 2 * t.p - t.k) % t.s, (t.w + 2 * t.p - t.k) % t.s);
        const std::size_t hr = (o.h - 1) * t.s - 2 * t.p + t.k + op, wr = (o.w - 1) * t.s - 2 * t.p + t.k + op;
        REQUIRE(hr >= t.h);
        REQUIRE(wr >= t.w);
        std::vector<Scalar> big(t.n * t.c * hr * wr), big_scale(big.size());
        kernels::conv_transpose2d_naive(dyv.data(), t.n, t.oc, o.h, o.w, wv.data(), (const Scalar*)nullptr, t.c, t.k,
                                        t.s, t.p, op, big.data());
        kernels::conv_transpose2d_naive(abs_of(dyv).data(), t.n, t.oc, o.h, o.w, abs_of(wv).data(),
                                        (const Scalar*)nullptr, t.c, t.k, t.s, t.p, op, big_scale.data());
        std::vector<Scalar> dx_ref(dx.size()), dx_scale(dx.size());
        for (std::size_t i = 0; i < t.n * t.c; ++i)
            for (std::size_t r = 0; r < t.h; ++r)
                for (std::size_t q = 0; q < t.w; ++q) {
                    dx_ref[(i * t.h + r) * t.w + q] = big[(i * hr + r) * wr + q];
                    dx_scale[(i * t.h + r) * t.w + q] = big_scale[(i * hr + r) * wr + q];
                }
        CHECK(max_rel_err(dx.data(), dx_ref, dx_scale) < kFloatTol);

        CHECK(rel_err_vs_naive(conv.weight().grad.data(), wv.size(), [&](auto f, Scalar* out) {
                  kernels::conv2d_weight_grad_naive(f(xv).data(), f(dyv).data(), t.n, t.c, t.h, t.w, t.oc, t.k, t.s,
                                                    t.p, out);
              }) < kFloatTol);
        check_bias_grad(conv.bias(), dy, t.oc, o.h * o.w);
    }
    CHECK(direct > 0);  // both paths ran: the one-channel first layer is direct
    CHECK(direct < int(std::size(cases)));
}

TEST_CASE("ConvTranspose2D (GEMM + col2im, or few taps) matches the direct transposed convolution: forward, dx, dW, db") {
    const ConvTCase cases[] = {
        {1, 1, 1, 1, 1, 1, 1, 0, 0},  {3, 2, 3, 3, 3, 3, 1, 0, 0},   {2, 3, 4, 3, 2, 3, 2, 1, 1},
        {5, 2, 3, 3, 2, 3, 2, 1, 0},  {2, 2, 4, 4, 3, 1, 1, 0, 0},   {3, 2, 3, 2, 2, 1, 2, 0, 1},
        {2, 2, 3, 4, 2, 4, 2, 1, 0},  {2, 2, 5, 5, 1, 3, 2, 2, 1},   {3, 1, 2, 3, 2, 3, 3, 0, 2},
        {2, 64, 7, 7, 32, 3, 2, 1, 1}, {3, 32, 14, 14, 1, 3, 2, 1, 1},  // the conv autoencoder's decoder
        {4, 5, 3, 9, 6, 5, 2, 2, 1},
        {7, 32, 14, 14, 1, 3, 2, 1, 1},  // several GEMM groups (5 + 2 images of 196 pixels)
        {22, 4, 7, 7, 3, 3, 2, 1, 1},    // (20 + 2 images of 49 pixels)
    };
    int direct = 0;  // cases with OC·K·K ≤ kDirectTaps, run by the few-taps products
    for (const auto& t : cases) {
        INFO("N=" << t.n << " C=" << t.c << " H=" << t.h << " W=" << t.w << " OC=" << t.oc << " K=" << t.k
                  << " S=" << t.s << " P=" << t.p << " output_padding=" << t.op);
        Rng rng(77 + t.h + t.c);
        ConvTranspose2D convt({t.c, t.h, t.w}, t.oc, t.k, t.s, t.p, t.op);
        direct += convt.direct();
        convt.init(rng);
        const FeatureShape o = convt.out_shape();
        const Mat x = random_mat(rng, t.n, t.c * t.h * t.w);
        const Context ctx{Mode::Train, &rng};
        const Mat& y = convt.forward(x, ctx);
        REQUIRE(rows(y) == t.n);
        REQUIRE(cols(y) == o.size());

        const auto xv = to_vec(x), wv = to_vec(convt.weight()), bv = to_vec(convt.bias());
        CHECK(rel_err_vs_naive(y.data(), y.size(), [&](auto f, Scalar* out) {
                  kernels::conv_transpose2d_naive(f(xv).data(), t.n, t.c, t.h, t.w, f(wv).data(), f(bv).data(), t.oc,
                                                  t.k, t.s, t.p, t.op, out);
              }) < kFloatTol);

        const Mat dy = random_mat(rng, t.n, o.size());
        const auto dyv = to_vec(dy);
        const Mat& dx = convt.backward(dy);
        REQUIRE(rows(dx) == t.n);
        REQUIRE(cols(dx) == x.size() / t.n);
        // dx is the convolution of dy with the same weight read (C, OC, K, K) as a conv weight.
        CHECK(rel_err_vs_naive(dx.data(), dx.size(), [&](auto f, Scalar* out) {
                  kernels::conv2d_naive(f(dyv).data(), t.n, t.oc, o.h, o.w, f(wv).data(), (const Scalar*)nullptr, t.c,
                                        t.k, t.s, t.p, out);
              }) < kFloatTol);

        // dW[c, o, ki, kj] = Σ x[n,c,i,j] · dy[n,o, i·S−P+ki, j·S−P+kj]: the conv weight gradient
        // with dy as the input image and x as the output gradient.
        CHECK(rel_err_vs_naive(convt.weight().grad.data(), wv.size(), [&](auto f, Scalar* out) {
                  kernels::conv2d_weight_grad_naive(f(dyv).data(), f(xv).data(), t.n, t.oc, o.h, o.w, t.c, t.k, t.s,
                                                    t.p, out);
              }) < kFloatTol);
        check_bias_grad(convt.bias(), dy, t.oc, o.h * o.w);
    }
    CHECK(direct > 0);  // both paths ran: the last layer back to one channel is direct
    CHECK(direct < int(std::size(cases)));
}

TEST_CASE("conv layers reuse their buffers at a fixed batch size and follow batch-size changes") {
    Rng rng(8);
    Conv2D conv({2, 9, 9}, 3, 3, 2, 1);
    ConvTranspose2D convt({3, 5, 5}, 2, 3, 2, 1, 0);
    conv.init(rng);
    convt.init(rng);
    const Context ctx{Mode::Train, &rng};
    const Scalar *y1 = nullptr, *dx1 = nullptr, *ty1 = nullptr, *tdx1 = nullptr;
    int step = 0;
    for (std::size_t n : {4, 4, 1, 6, 4}) {
        INFO("batch " << n << ", step " << step);
        const Mat x = random_mat(rng, n, conv.in_shape().size());
        const Mat& y = conv.forward(x, ctx);
        const Mat& yt = convt.forward(y, ctx);
        const Mat& dxt = convt.backward(random_mat(rng, n, convt.out_shape().size()));
        const Mat& dx = conv.backward(dxt);
        if (step == 0) {
            y1 = y.data(), dx1 = dx.data(), ty1 = yt.data(), tdx1 = dxt.data();
        } else if (step == 1) {  // the second step at batch 4 writes into the same storage
            CHECK(y.data() == y1);
            CHECK(dx.data() == dx1);
            CHECK(yt.data() == ty1);
            CHECK(dxt.data() == tdx1);
        }
        ++step;
        // Whatever the history, the result is the direct convolution of this batch.
        const auto xv = to_vec(x), wv = to_vec(conv.weight()), bv = to_vec(conv.bias());
        CHECK(rel_err_vs_naive(y.data(), y.size(), [&](auto f, Scalar* out) {
                  kernels::conv2d_naive(f(xv).data(), n, 2, 9, 9, f(wv).data(), f(bv).data(), 3, 3, 2, 1, out);
              }) < kFloatTol);
    }
}

TEST_CASE("conv init follows PyTorch: U(±1/sqrt(fan_in)), fan_in = C·K·K for conv, OC·K·K for transposed") {
    struct Expect {
        Layer* layer;
        Param* w;
        Param* b;
        double bound;
    };
    Conv2D conv({32, 14, 14}, 64, 3, 2, 1);
    ConvTranspose2D convt({64, 7, 7}, 8, 3, 2, 1, 1);  // fan_in from weight.size(1) = 8, not 64
    for (const Expect& e : {Expect{&conv, &conv.weight(), &conv.bias(), 1 / std::sqrt(32.0 * 9)},
                            Expect{&convt, &convt.weight(), &convt.bias(), 1 / std::sqrt(8.0 * 9)}}) {
        INFO(e.layer->kind());
        Rng rng(2024);
        e.layer->init(rng);
        double wmax = 0, bmax = 0, wsum = 0;
        for (Scalar v : e.w->value) wmax = std::max(wmax, double(std::fabs(v))), wsum += v;
        for (Scalar v : e.b->value) bmax = std::max(bmax, double(std::fabs(v)));
        CHECK(wmax <= e.bound);
        CHECK(wmax > 0.99 * e.bound);  // thousands of draws reach the edge of the range
        CHECK(bmax <= e.bound);
        CHECK(bmax > 0);
        CHECK(std::fabs(wsum / double(e.w->size())) < 0.05 * e.bound);  // centred
        // Same seed, same weights.
        const Vec first = e.w->value;
        Rng again(2024);
        e.layer->init(again);
        CHECK(e.w->value == first);
    }
}

TEST_CASE("conv constructor and shape errors say what is wrong") {
    CHECK_THROWS_WITH_AS(Conv2D({1, 3, 3}, 2, 5, 1, 0), "conv2d: kernel 5 is larger than the padded input 3x3 (padding 0)",
                         Error);
    CHECK_THROWS_WITH_AS(Conv2D({1, 3, 4}, 2, 7, 1, 1), "conv2d: kernel 7 is larger than the padded input 5x6 (padding 1)",
                         Error);
    CHECK_THROWS_WITH_AS(Conv2D({0, 5, 5}, 2, 3, 1, 0),
                         "conv2d: the input must have at least 1 channel, row and column, got 0x5x5 (CxHxW)", Error);
    CHECK_THROWS_WITH_AS(Conv2D({1, 5, 0}, 2, 3, 1, 0),
                         "conv2d: the input must have at least 1 channel, row and column, got 1x5x0 (CxHxW)", Error);
    CHECK_THROWS_WITH_AS(Conv2D({1, 5, 5}, 0, 3, 1, 0), "conv2d: out_channels must be at least 1, got 0", Error);
    CHECK_THROWS_WITH_AS(Conv2D({1, 5, 5}, 2, 0, 1, 0), "conv2d: kernel must be at least 1, got 0", Error);
    CHECK_THROWS_WITH_AS(Conv2D({1, 5, 5}, 2, 3, 0, 0), "conv2d: stride must be at least 1, got 0", Error);

    CHECK_THROWS_WITH_AS(ConvTranspose2D({2, 3, 3}, 1, 3, 2, 1, 2),
                         "conv_transpose2d: output_padding 2 must be smaller than stride 2", Error);
    CHECK_THROWS_WITH_AS(ConvTranspose2D({2, 3, 3}, 1, 3, 1, 1, 1),
                         "conv_transpose2d: output_padding 1 must be smaller than stride 1", Error);
    CHECK_THROWS_WITH_AS(ConvTranspose2D({1, 1, 1}, 1, 1, 1, 1, 0),
                         "conv_transpose2d: the output size (H-1)*stride - 2*padding + kernel + output_padding must "
                         "be positive, got -1x-1 for input 1x1, kernel 1, stride 1, padding 1, output_padding 0",
                         Error);
    CHECK_THROWS_WITH_AS(ConvTranspose2D({1, 2, 3}, 1, 1, 1, 1, 0),
                         "conv_transpose2d: the output size (H-1)*stride - 2*padding + kernel + output_padding must "
                         "be positive, got 0x1 for input 2x3, kernel 1, stride 1, padding 1, output_padding 0",
                         Error);
    CHECK_THROWS_WITH_AS(ConvTranspose2D({3, 0, 4}, 1, 3, 2, 1, 1),
                         "conv_transpose2d: the input must have at least 1 channel, row and column, got 3x0x4 (CxHxW)",
                         Error);
    CHECK_THROWS_WITH_AS(ConvTranspose2D({1, 3, 3}, 0, 3, 2, 1, 1),
                         "conv_transpose2d: out_channels must be at least 1, got 0", Error);
    CHECK_THROWS_WITH_AS(ConvTranspose2D({1, 3, 3}, 1, 0, 2, 1, 1), "conv_transpose2d: kernel must be at least 1, got 0",
                         Error);
    CHECK_THROWS_WITH_AS(ConvTranspose2D({1, 3, 3}, 1, 3, 0, 0, 0), "conv_transpose2d: stride must be at least 1, got 0",
                         Error);

    Rng rng(1);
    const Context ctx{Mode::Train, &rng};
    Conv2D conv({1, 5, 5}, 2, 3, 1, 0);
    CHECK_THROWS_WITH_AS(conv.forward(random_mat(rng, 2, 24), ctx), "conv2d expects rows of 25 values (1x5x5 images), got 24",
                         Error);
    const Mat x25 = random_mat(rng, 2, 25);  // the layer reads its input again in backward
    conv.forward(x25, ctx);
    CHECK_THROWS_WITH_AS(conv.backward(random_mat(rng, 3, 18)),
                         "conv2d backward expects dy of shape (2, 18) like the last forward, got (3, 18)", Error);
    ConvTranspose2D convt({2, 3, 3}, 1, 3, 2, 1, 1);
    CHECK_THROWS_WITH_AS(convt.forward(random_mat(rng, 1, 9), ctx),
                         "conv_transpose2d expects rows of 18 values (2x3x3 images), got 9", Error);
    const Mat x18 = random_mat(rng, 2, 18);
    convt.forward(x18, ctx);
    CHECK_THROWS_WITH_AS(convt.backward(random_mat(rng, 2, 35)),
                         "conv_transpose2d backward expects dy of shape (2, 36) like the last forward, got (2, 35)",
                         Error);
}

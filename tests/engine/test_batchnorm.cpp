// Batch normalisation (float engine): hand-computed batches and running statistics, per
// feature (BatchNorm1d) and per channel (BatchNorm2d), Eval mode on running statistics, the
// structure of the train-mode gradient, and every error message.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "gradcheck.hpp"  // random_mat
#include "layers/batchnorm.hpp"

using namespace ae;
using ae::test::random_mat;

namespace {

Mat mat(std::size_t n, std::size_t d, std::initializer_list<double> v) {
    Mat m({n, d});
    std::size_t i = 0;
    for (double e : v) m.data()[i++] = Scalar(e);
    return m;
}

}  // namespace

TEST_CASE("batchnorm 1d: a hand-computed batch, then running statistics over two steps") {
    BatchNorm bn(FeatureShape::flat(2));  // momentum 0.1, eps 1e-5
    Rng rng(1);
    const Context train{Mode::Train, &rng};

    // Step 1: features (1, 3) and (2, 6): mean (2, 4), biased var (1, 4), unbiased (2, 8).
    const Mat& y = bn.forward(mat(2, 2, {1, 2, 3, 6}), train);
    const double a = 1 / std::sqrt(1 + 1e-5), b = 2 / std::sqrt(4 + 1e-5);
    CHECK(y(0, 0) == doctest::Approx(-a).epsilon(1e-6));
    CHECK(y(1, 0) == doctest::Approx(a).epsilon(1e-6));
    CHECK(y(0, 1) == doctest::Approx(-b).epsilon(1e-6));
    CHECK(y(1, 1) == doctest::Approx(b).epsilon(1e-6));
    // running = 0.9·running + 0.1·batch:  mean 0.9·0 + 0.1·(2, 4),  var 0.9·1 + 0.1·(2, 8)
    CHECK(bn.running_mean().value[0] == doctest::Approx(0.2).epsilon(1e-6));
    CHECK(bn.running_mean().value[1] == doctest::Approx(0.4).epsilon(1e-6));
    CHECK(bn.running_var().value[0] == doctest::Approx(1.1).epsilon(1e-6));
    CHECK(bn.running_var().value[1] == doctest::Approx(1.7).epsilon(1e-6));

    // Step 2: features (0, 0, 3) and (0, 4, 2): mean (1, 2), unbiased var (3, 4).
    bn.forward(mat(3, 2, {0, 0, 0, 4, 3, 2}), train);
    CHECK(bn.running_mean().value[0] == doctest::Approx(0.28).epsilon(1e-6));
    CHECK(bn.running_mean().value[1] == doctest::Approx(0.56).epsilon(1e-6));
    CHECK(bn.running_var().value[0] == doctest::Approx(1.29).epsilon(1e-6));
    CHECK(bn.running_var().value[1] == doctest::Approx(1.93).epsilon(1e-6));

    // Eval: y = gamma·(x − running_mean)/sqrt(running_var + eps) + beta, statistics untouched.
    bn.gamma().value = Vec{2, 0.5};
    bn.beta().value = Vec{0.1, -0.3};
    const Context eval{Mode::Eval, &rng};
    const Mat& ye = bn.forward(mat(1, 2, {1, 1}), eval);
    CHECK(ye(0, 0) == doctest::Approx(2 * 0.72 / std::sqrt(1.29 + 1e-5) + 0.1).epsilon(1e-6));
    CHECK(ye(0, 1) == doctest::Approx(0.5 * 0.44 / std::sqrt(1.93 + 1e-5) - 0.3).epsilon(1e-6));
    CHECK(bn.running_mean().value[0] == doctest::Approx(0.28).epsilon(1e-6));
    CHECK(bn.running_var().value[1] == doctest::Approx(1.93).epsilon(1e-6));
}

TEST_CASE("batchnorm 2d: running statistics after a few steps match a computation by hand") {
    const FeatureShape shape{3, 4, 5};
    const std::size_t C = 3, S = 20;
    const double momentum = 0.2;
    BatchNorm bn(shape, momentum);
    Rng rng(12);
    const Context train{Mode::Train, &rng};
    std::vector<double> rm(C, 0.0), rv(C, 1.0);
    for (std::size_t n : {4, 1, 7}) {  // a batch of 1 still has 20 values per channel
        INFO("batch " << n);
        Mat x = random_mat(rng, n, shape.size());
        for (std::size_t i = 0; i < n; ++i)  // channel c: mean ≈ c − 1, scale c + 0.5
            for (std::size_t c = 0; c < C; ++c)
                for (std::size_t q = 0; q < S; ++q) x(i, c * S + q) = Scalar((c + 0.5) * x(i, c * S + q) + c - 1.0);
        const Mat& y = bn.forward(x, train);
        for (std::size_t c = 0; c < C; ++c) {
            double mean = 0, var = 0, ymean = 0, yvar = 0;
            const double M = double(n * S);
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t q = 0; q < S; ++q) mean += x(i, c * S + q) / M;
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t q = 0; q < S; ++q) var += std::pow(x(i, c * S + q) - mean, 2) / M;
            rm[c] = (1 - momentum) * rm[c] + momentum * mean;
            rv[c] = (1 - momentum) * rv[c] + momentum * var * M / (M - 1);
            CHECK(bn.running_mean().value[c] == doctest::Approx(rm[c]).epsilon(1e-5));
            CHECK(bn.running_var().value[c] == doctest::Approx(rv[c]).epsilon(1e-5));
            // The output of each channel is normalised: mean 0, variance var/(var + eps).
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t q = 0; q < S; ++q) ymean += y(i, c * S + q) / M;
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t q = 0; q < S; ++q) yvar += std::pow(y(i, c * S + q) - ymean, 2) / M;
            CHECK(std::fabs(ymean) < 1e-5);
            CHECK(yvar == doctest::Approx(var / (var + 1e-5)).epsilon(1e-5));
        }
    }
}

TEST_CASE("batchnorm eval mode normalises with the running statistics, train mode with the batch's") {
    const FeatureShape shape{2, 2, 2};
    BatchNorm bn(shape);
    bn.running_mean().value = Vec{0.5, -1.0};
    bn.running_var().value = Vec{4.0, 0.25};
    bn.gamma().value = Vec{1.5, -2.0};
    bn.beta().value = Vec{0.25, 3.0};
    Rng rng(3);
    const Mat x = random_mat(rng, 3, 8);
    const Mat ye = bn.forward(x, Context{Mode::Eval, &rng});
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t c = 0; c < 2; ++c)
            for (std::size_t q = 0; q < 4; ++q) {
                const double rm = c == 0 ? 0.5 : -1.0, rv = c == 0 ? 4.0 : 0.25, g = c == 0 ? 1.5 : -2.0,
                             b = c == 0 ? 0.25 : 3.0;
                CHECK(ye(i, c * 4 + q) == doctest::Approx(g * (x(i, c * 4 + q) - rm) / std::sqrt(rv + 1e-5) + b)
                                              .epsilon(1e-6));
            }
    CHECK(bn.running_mean().value == Vec{0.5, -1.0});  // Eval never updates
    CHECK(bn.running_var().value == Vec{4.0, 0.25});

    const Mat yt = bn.forward(x, Context{Mode::Train, &rng});
    CHECK(yt != ye);
    CHECK(bn.running_mean().value != Vec{0.5, -1.0});
    // Train output per channel has mean beta whatever the running statistics.
    for (std::size_t c = 0; c < 2; ++c) {
        double m = 0;
        for (std::size_t i = 0; i < 3; ++i)
            for (std::size_t q = 0; q < 4; ++q) m += yt(i, c * 4 + q) / 12.0;
        CHECK(m == doctest::Approx(bn.beta().value[c]).epsilon(1e-5));
    }
}

TEST_CASE("batchnorm momentum 0 keeps the running statistics, momentum 1 replaces them") {
    Rng rng(5);
    const Mat x = mat(4, 1, {1, 2, 3, 6});  // mean 3, unbiased var (4 + 1 + 0 + 9)/3
    BatchNorm keep(FeatureShape::flat(1), 0.0), replace(FeatureShape::flat(1), 1.0);
    keep.forward(x, Context{Mode::Train, &rng});
    replace.forward(x, Context{Mode::Train, &rng});
    CHECK(keep.running_mean().value[0] == 0);
    CHECK(keep.running_var().value[0] == 1);
    CHECK(replace.running_mean().value[0] == doctest::Approx(3));
    CHECK(replace.running_var().value[0] == doctest::Approx(14.0 / 3));
}

TEST_CASE("batchnorm train-mode gradient: per channel, dx sums to 0 and is orthogonal to x̂") {
    // y is invariant to shifting or scaling a channel's input, so dx has no component along 1
    // or along x̂ — what the simplified gradient dx = gamma·rstd·dy gets wrong.
    for (FeatureShape shape : {FeatureShape::flat(6), FeatureShape{3, 3, 3}}) {
        Rng rng(9);
        BatchNorm bn(shape);
        for (auto& g : bn.gamma().value) g = Scalar(rng.uniform(0.5, 2));
        const Mat x = random_mat(rng, 5, shape.size(), 3.0);
        const Mat y = bn.forward(x, Context{Mode::Train, &rng});
        const Mat dy = random_mat(rng, 5, shape.size());
        const Mat& dx = bn.backward(dy);
        const std::size_t S = shape.h * shape.w;
        for (std::size_t c = 0; c < shape.c; ++c) {
            double sum = 0, dot = 0, scale = 0;
            for (std::size_t i = 0; i < 5; ++i)
                for (std::size_t q = 0; q < S; ++q) {
                    const std::size_t j = c * S + q;
                    const double xhat = (y(i, j) - bn.beta().value[c]) / bn.gamma().value[c];
                    sum += dx(i, j);
                    dot += dx(i, j) * xhat;
                    scale += std::fabs(dx(i, j)) * (1 + std::fabs(xhat));
                }
            CHECK(std::fabs(sum) < 1e-5 * scale);
            CHECK(std::fabs(dot) < 1e-5 * scale);
        }
    }
}

TEST_CASE("batchnorm parameters and buffers") {
    BatchNorm bn({4, 3, 3});
    CHECK(bn.out_shape() == FeatureShape{4, 3, 3});
    auto ps = bn.params();
    REQUIRE(ps.size() == 2);
    CHECK(ps[0] == &bn.gamma());
    CHECK(ps[1] == &bn.beta());
    auto bs = bn.buffers();
    REQUIRE(bs.size() == 2);
    CHECK(bs[0] == &bn.running_mean());
    CHECK(bs[1] == &bn.running_var());
    for (Param* p : {&bn.gamma(), &bn.beta(), &bn.running_mean(), &bn.running_var()}) {
        CHECK(p->shape == std::vector<std::size_t>{4});
        CHECK_FALSE(p->decay);
    }
    CHECK(bn.gamma().value == Vec{1, 1, 1, 1});
    CHECK(bn.beta().value == Vec{0, 0, 0, 0});
    CHECK(bn.running_mean().value == Vec{0, 0, 0, 0});
    CHECK(bn.running_var().value == Vec{1, 1, 1, 1});
    // init restores those values (a model re-initialised after training).
    bn.gamma().value[2] = 7;
    bn.running_var().value[0] = 9;
    Rng rng(1);
    bn.init(rng);
    CHECK(bn.gamma().value == Vec{1, 1, 1, 1});
    CHECK(bn.running_var().value == Vec{1, 1, 1, 1});
    CHECK(BatchNorm(FeatureShape::flat(3)).params()[0]->shape == std::vector<std::size_t>{3});
}

TEST_CASE("batchnorm errors say what is wrong") {
    Rng rng(1);
    const Context train{Mode::Train, &rng}, eval{Mode::Eval, &rng};
    BatchNorm bn1(FeatureShape::flat(4));
    CHECK_THROWS_WITH_AS(bn1.forward(random_mat(rng, 1, 4), train),
                         "batchnorm: expected more than 1 value per channel when training, got 1 (batch of 1, 1x1 per "
                         "channel); train with a batch of at least 2",
                         Error);
    CHECK_NOTHROW(bn1.forward(random_mat(rng, 1, 4), eval));
    BatchNorm bn2({2, 3, 3});
    CHECK_NOTHROW(bn2.forward(random_mat(rng, 1, 18), train));  // 9 values per channel
    CHECK_THROWS_WITH_AS(bn2.forward(random_mat(rng, 2, 17), train), "batchnorm expects rows of 18 values (2x3x3), got 17",
                         Error);
    bn2.forward(random_mat(rng, 2, 18), train);
    CHECK_THROWS_WITH_AS(bn2.backward(random_mat(rng, 3, 18)),
                         "batchnorm backward expects dy of shape (2, 18) like the last forward, got (3, 18)", Error);

    CHECK_THROWS_WITH_AS(BatchNorm(FeatureShape::flat(3), -0.1), "batchnorm: momentum must be in [0, 1], got -0.1", Error);
    CHECK_THROWS_WITH_AS(BatchNorm(FeatureShape::flat(3), 1.5), "batchnorm: momentum must be in [0, 1], got 1.5", Error);
    CHECK_THROWS_WITH_AS(BatchNorm(FeatureShape::flat(3), std::nan("")), "batchnorm: momentum must be in [0, 1], got nan",
                         Error);
    CHECK_THROWS_WITH_AS(BatchNorm(FeatureShape::flat(3), 0.1, 0.0), "batchnorm: eps must be a positive number, got 0",
                         Error);
    CHECK_THROWS_WITH_AS(BatchNorm(FeatureShape::flat(3), 0.1, -1e-5),
                         "batchnorm: eps must be a positive number, got -1e-05", Error);
    CHECK_THROWS_WITH_AS(BatchNorm({0, 2, 2}),
                         "batchnorm: the input must have at least 1 channel, row and column, got 0x2x2 (CxHxW)", Error);
}

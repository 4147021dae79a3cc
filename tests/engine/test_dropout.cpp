// Dropout (float engine): the fraction dropped, the scaling of what is kept, the gradient
// through the same mask, Eval mode as the identity, reproducibility from the seed, errors.
#include <doctest/doctest.h>

#include <cmath>

#include "core/error.hpp"
#include "gradcheck.hpp"  // random_mat
#include "layers/dropout.hpp"

using namespace ae;
using ae::test::random_mat;

TEST_CASE("dropout drops about p of the values and scales the rest by 1/(1-p)") {
    const std::size_t N = 200, D = 500;  // 100 000 draws: the dropped fraction has sd ≤ 0.0016
    for (double p : {0.1, 0.5, 0.9}) {
        INFO("p=" << p);
        Dropout layer(FeatureShape::flat(D), p);
        Rng rng(7);
        const Mat x = random_mat(rng, N, D);
        const Mat& y = layer.forward(x, Context{Mode::Train, &rng});
        std::size_t dropped = 0;
        bool kept_scaled = true;
        const Scalar scale = Scalar(1 / (1 - p));
        for (std::size_t i = 0; i < x.size(); ++i) {
            if (y.data()[i] == 0 && x.data()[i] != 0) {
                ++dropped;
                kept_scaled = kept_scaled && layer.mask().data()[i] == 0;
            } else {
                kept_scaled = kept_scaled && y.data()[i] == x.data()[i] * scale && layer.mask().data()[i] == scale;
            }
        }
        CHECK(kept_scaled);
        CHECK(std::fabs(double(dropped) / double(x.size()) - p) < 0.01);

        // In expectation nothing changes: the mean of y over a constant input stays near 1.
        Mat ones({N, D});
        ones.fill(1);
        const Mat& y1 = layer.forward(ones, Context{Mode::Train, &rng});
        double mean = 0;
        for (Scalar v : y1) mean += v / double(y1.size());
        CHECK(std::fabs(mean - 1) < 0.05);
    }
}

TEST_CASE("dropout backward uses the forward's mask") {
    Dropout layer({2, 4, 4}, 0.3);
    Rng rng(11);
    const Mat x = random_mat(rng, 3, 32);
    const Mat y = layer.forward(x, Context{Mode::Train, &rng});
    const Mat dy = random_mat(rng, 3, 32);
    const Mat& dx = layer.backward(dy);
    for (std::size_t i = 0; i < dy.size(); ++i) {
        INFO("i=" << i);
        CHECK(dx.data()[i] == dy.data()[i] * layer.mask().data()[i]);
        CHECK((dx.data()[i] == 0) == (y.data()[i] == 0));
    }

    Dropout first({2, 4, 4}, 0.3);  // a first layer computes no input gradient
    first.set_needs_input_grad(false);
    first.forward(x, Context{Mode::Train, &rng});
    CHECK(first.backward(dy).size() == 0);
}

TEST_CASE("dropout in eval mode, and with p = 0, is the identity and draws nothing") {
    Rng rng(5);
    const Mat x = random_mat(rng, 4, 9);
    struct Case {
        double p;
        Mode mode;
    };
    for (const Case& t : {Case{0.5, Mode::Eval}, Case{0.0, Mode::Train}}) {
        INFO("p=" << t.p);
        const Mode mode = t.mode;
        Dropout layer(FeatureShape::flat(9), t.p);
        const Rng::State before = rng.state();
        const Mat& y = layer.forward(x, Context{mode, &rng});
        CHECK(&y == &x);
        CHECK(rng.state().s[0] == before.s[0]);
        const Mat dy = random_mat(rng, 4, 9);
        CHECK(&layer.backward(dy) == &dy);
    }
    // Eval needs no generator at all.
    Dropout layer(FeatureShape::flat(9), 0.5);
    CHECK(&layer.forward(x, Context{Mode::Eval, nullptr}) == &x);
}

TEST_CASE("dropout masks: same seed, same mask; the stream moves on between steps") {
    Rng a(123), b(123);
    Dropout da(FeatureShape::flat(64), 0.5), db(FeatureShape::flat(64), 0.5);
    Mat ones({8, 64});
    ones.fill(1);
    const Mat m1 = da.forward(ones, Context{Mode::Train, &a});
    CHECK(db.forward(ones, Context{Mode::Train, &b}) == m1);
    const Mat m2 = da.forward(ones, Context{Mode::Train, &a});
    CHECK(m2 != m1);
    Rng c(124);
    CHECK(db.forward(ones, Context{Mode::Train, &c}) != m1);
}

TEST_CASE("dropout errors say what is wrong") {
    CHECK_THROWS_WITH_AS(Dropout(FeatureShape::flat(3), 1.0), "dropout: p must be in [0, 1), got 1", Error);
    CHECK_THROWS_WITH_AS(Dropout(FeatureShape::flat(3), -0.1), "dropout: p must be in [0, 1), got -0.1", Error);
    CHECK_THROWS_WITH_AS(Dropout(FeatureShape::flat(3), 1.5), "dropout: p must be in [0, 1), got 1.5", Error);
    CHECK_THROWS_WITH_AS(Dropout(FeatureShape::flat(3), std::nan("")), "dropout: p must be in [0, 1), got nan", Error);
    CHECK_THROWS_WITH_AS(Dropout({0, 1, 1}, 0.5), "dropout: the input must have at least 1 value, got 0x1x1 (CxHxW)",
                         Error);
    Dropout layer(FeatureShape::flat(3), 0.5);
    Rng rng(1);
    CHECK_THROWS_WITH_AS(layer.forward(random_mat(rng, 2, 3), Context{Mode::Train, nullptr}),
                         "dropout: Train mode needs a random generator (Context::rng is null)", Error);
    CHECK_THROWS_WITH_AS(layer.forward(random_mat(rng, 2, 4), Context{Mode::Train, &rng}),
                         "dropout expects rows of 3 values, got 4", Error);
    layer.forward(random_mat(rng, 2, 3), Context{Mode::Train, &rng});
    CHECK_THROWS_WITH_AS(layer.backward(random_mat(rng, 1, 3)),
                         "dropout backward expects dy of shape (2, 3) like the last forward, got (1, 3)", Error);
}

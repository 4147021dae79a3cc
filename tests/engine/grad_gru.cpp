// Gradient checks: the GRU layer through time, and the layers the sequence autoencoder builds
// around it (Repeat, Dense applied per step), in the double-precision engine.
#include "gradcheck.hpp"
#include "layers/dense.hpp"
#include "layers/gru.hpp"
#include "layers/repeat.hpp"

using namespace ae;
using namespace ae::test;

TEST_CASE("gru: dx, dW_ih, dW_hh, db_ih and db_hh match central differences through time") {
    Rng rng(21);
    // {N, T, I, H}: one step, one image, H not a multiple of any vector width, longer sequences.
    for (const auto& s : {std::array<std::size_t, 4>{1, 1, 1, 1}, {2, 1, 3, 5}, {3, 4, 2, 3}, {2, 7, 5, 6},
                          {4, 5, 3, 17}}) {
        for (bool all : {false, true}) {
            const std::size_t N = s[0], T = s[1], I = s[2], H = s[3];
            INFO("N=" << N << " T=" << T << " I=" << I << " H=" << H << (all ? " every step's state" : " last state"));
            GRU layer(T, I, H, all);
            layer.init(rng);
            // Larger weights than the default init, so the gates leave their linear range.
            for (Param* p : layer.params())
                for (auto& w : p->value) w *= Scalar(2.5);
            gradcheck_layer(layer, random_mat(rng, N, T * I), rng, Mode::Train, 1e-6, 1e-6, 400);
        }
    }
}

TEST_CASE("gru: the gradient reaches the first step of a long sequence") {
    // 28 steps, as an image read row by row: dx of the first row must match too.
    Rng rng(22);
    GRU layer(28, 3, 4, false);
    layer.init(rng);
    gradcheck_layer(layer, random_mat(rng, 2, 28 * 3), rng, Mode::Train, 1e-6, 1e-6, 1000);
}

TEST_CASE("repeat: dx sums the steps' gradients") {
    Rng rng(23);
    for (const auto& s : {std::array<std::size_t, 3>{1, 1, 1}, {3, 4, 2}, {2, 5, 7}}) {
        INFO("N=" << s[0] << " D=" << s[1] << " T=" << s[2]);
        Repeat layer(s[1], s[2]);
        gradcheck_layer(layer, random_mat(rng, s[0], s[1]), rng);
    }
}

TEST_CASE("dense per step: dx, dW and db match central differences") {
    Rng rng(24);
    for (const auto& s : {std::array<std::size_t, 4>{1, 1, 1, 1}, {3, 4, 5, 2}, {2, 7, 6, 3}}) {
        const std::size_t N = s[0], T = s[1], din = s[2], dout = s[3];
        INFO("N=" << N << " T=" << T << " d_in=" << din << " d_out=" << dout);
        Dense layer(FeatureShape::flat(T * din), dout, T);
        layer.init(rng);
        gradcheck_layer(layer, random_mat(rng, N, T * din), rng);
    }
}

// Gradient check: the VAE's sampling layer z = μ + exp(½ log σ²) ⊙ ε (double-precision engine).
// gradcheck_layer restores the generator before every forward, so ε is the same each time.
#include "core/error.hpp"
#include "gradcheck.hpp"
#include "layers/sampling.hpp"

using namespace ae;
using namespace ae::test;

TEST_CASE("sampling: d[mu | log_var] matches central differences") {
    for (std::size_t z : {1, 3}) {
        for (std::size_t n : {1, 5}) {
            INFO("Z=" << z << " N=" << n);
            Rng rng(31);
            Sampling layer(z);
            gradcheck_layer(layer, random_mat(rng, n, 2 * z), rng, Mode::Train);
        }
    }
}

TEST_CASE("sampling: z = mu + sigma * eps, with eps drawn from the generator") {
    Rng rng(32);
    Sampling layer(2);
    Mat s({1, 4});
    s(0, 0) = 1.5;               // μ0
    s(0, 1) = -1;                // μ1
    s(0, 2) = 0;                 // log σ0² → σ0 = 1
    s(0, 3) = Scalar(std::log(0.25));  // log σ1² → σ1 = 0.5
    const Rng::State st = rng.state();
    const Mat z = layer.forward(s, {Mode::Eval, &rng});
    Rng replay;
    replay.set_state(st);
    const double e0 = replay.normal(), e1 = replay.normal();
    CHECK(z(0, 0) == doctest::Approx(1.5 + e0));
    CHECK(z(0, 1) == doctest::Approx(-1 + 0.5 * e1));
    CHECK_THROWS_AS(layer.forward(s, {Mode::Train, nullptr}), Error);
}

// Gradient checks: Dropout (double-precision engine). gradcheck_layer restores the generator
// before every forward, so each evaluation sees the same mask and dropout is a fixed linear map.
#include "gradcheck.hpp"
#include "layers/dropout.hpp"

using namespace ae;
using namespace ae::test;

TEST_CASE("dropout: train-mode dx matches central differences") {
    for (double p : {0.0, 0.2, 0.5, 0.9}) {
        for (std::size_t n : {1, 4}) {
            INFO("p=" << p << " N=" << n);
            Rng rng(17);
            Dropout layer({2, 3, 3}, p);
            gradcheck_layer(layer, random_mat(rng, n, 18), rng, Mode::Train);
        }
    }
}

TEST_CASE("dropout: eval-mode dx is the identity") {
    Rng rng(4);
    Dropout layer(FeatureShape::flat(11), 0.5);
    gradcheck_layer(layer, random_mat(rng, 3, 11), rng, Mode::Eval);
}

// Gradient checks: dense layer and activations (double-precision engine).
#include "gradcheck.hpp"
#include "layers/activation.hpp"
#include "layers/dense.hpp"

using namespace ae;
using namespace ae::test;

TEST_CASE("dense: dx, dW and db match central differences") {
    Rng rng(7);
    for (const auto& shape : {std::array<std::size_t, 3>{1, 1, 1}, {3, 5, 7}, {4, 17, 9}, {8, 33, 16}}) {
        const std::size_t n = shape[0], din = shape[1], dout = shape[2];
        INFO("n=" << n << " d_in=" << din << " d_out=" << dout);
        Dense layer(FeatureShape::flat(din), dout);
        layer.init(rng);
        gradcheck_layer(layer, random_mat(rng, n, din), rng);
    }
}

TEST_CASE("activations: derivative matches central differences") {
    Rng rng(3);
    for (const char* name : {"identity", "relu", "leaky_relu", "sigmoid", "tanh"}) {
        SUBCASE(name) {
            Activation layer(FeatureShape::flat(13), parse_activation(name));
            Mat x = random_mat(rng, 5, 13, 2.0);
            // Keep ReLU kinks away from the probe points.
            for (auto& v : x)
                if (std::fabs(v) < 1e-3) v = 0.5;
            gradcheck_layer(layer, x, rng);
        }
    }
}

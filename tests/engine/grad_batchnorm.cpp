// Gradient checks: BatchNorm (double-precision engine). The full batch-norm gradient in Train
// mode (batch statistics depend on every input of the channel), per feature (BatchNorm1d) and
// per channel (BatchNorm2d), and the plain affine gradient in Eval mode.
#include "gradcheck.hpp"
#include "layers/batchnorm.hpp"

using namespace ae;
using namespace ae::test;

namespace {

// gamma and beta away from their 1/0 initial values, so each term of the gradient shows.
void randomise_affine(BatchNorm& bn, Rng& rng) {
    for (auto& g : bn.gamma().value) g = Scalar(rng.uniform(0.5, 2.0));
    for (auto& b : bn.beta().value) b = Scalar(rng.uniform(-1.0, 1.0));
}

// Inputs with a per-channel offset and scale, like real activations.
Mat channel_input(Rng& rng, std::size_t n, FeatureShape s) {
    Mat x = random_mat(rng, n, s.size());
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t c = 0; c < s.c; ++c)
            for (std::size_t q = 0; q < s.h * s.w; ++q) {
                Scalar& v = x(i, c * s.h * s.w + q);
                v = Scalar(0.5 + c) * v + Scalar(c) - Scalar(1);
            }
    return x;
}

}  // namespace

TEST_CASE("batchnorm: train-mode gradients match central differences") {
    struct Case {
        std::size_t n;
        FeatureShape shape;
        const char* what;
    };
    const Case cases[] = {
        {2, FeatureShape::flat(1), "1d, batch 2 (the smallest legal batch)"},
        {4, FeatureShape::flat(7), "1d, batch 4"},
        {9, FeatureShape::flat(3), "1d, batch 9"},
        {1, {2, 3, 3}, "2d, batch 1 (9 values per channel)"},
        {3, {2, 3, 3}, "2d, batch 3"},
        {2, {3, 4, 5}, "2d, non-square"},
        {5, {1, 2, 2}, "2d, one channel"},
    };
    for (const auto& t : cases) {
        INFO(t.what);
        Rng rng(31 + t.n);
        BatchNorm bn(t.shape);
        randomise_affine(bn, rng);
        gradcheck_layer(bn, channel_input(rng, t.n, t.shape), rng, Mode::Train);
    }
}

TEST_CASE("batchnorm: eval-mode gradients match central differences") {
    for (FeatureShape shape : {FeatureShape::flat(5), FeatureShape{3, 2, 3}}) {
        INFO("shape " << shape.c << "x" << shape.h << "x" << shape.w);
        Rng rng(5);
        BatchNorm bn(shape, 0.3);
        randomise_affine(bn, rng);
        // Give the running statistics values of their own with a few train steps.
        const Context train{Mode::Train, &rng};
        for (int step = 0; step < 3; ++step) bn.forward(channel_input(rng, 4, shape), train);
        gradcheck_layer(bn, channel_input(rng, 3, shape), rng, Mode::Eval);
        gradcheck_layer(bn, channel_input(rng, 1, shape), rng, Mode::Eval);  // batch 1 is fine in eval
    }
}

TEST_CASE("batchnorm: parameter gradients without the input gradient") {
    Rng rng(9);
    BatchNorm bn({2, 3, 3});
    randomise_affine(bn, rng);
    bn.set_needs_input_grad(false);
    gradcheck_layer(bn, channel_input(rng, 3, {2, 3, 3}), rng, Mode::Train);
}

// Gradient checks: Conv2D (double-precision engine). dx, dW and db against central differences
// over stride 1/2/3, padding 0/1/2, odd and non-square images, 1×1 and even kernels, several
// channels and batch > 1.
#include "gradcheck.hpp"
#include "layers/conv2d.hpp"

using namespace ae;
using namespace ae::test;

namespace {

struct ConvCase {
    std::size_t n, c, h, w, oc, k, s, p;
};

void check(const ConvCase& t, bool input_grad = true) {
    INFO("N=" << t.n << " C=" << t.c << " H=" << t.h << " W=" << t.w << " OC=" << t.oc << " K=" << t.k
              << " S=" << t.s << " P=" << t.p << " input_grad=" << input_grad);
    Rng rng(100 + t.n * 7 + t.c * 5 + t.h * 3 + t.k);
    Conv2D layer({t.c, t.h, t.w}, t.oc, t.k, t.s, t.p);
    layer.init(rng);
    layer.set_needs_input_grad(input_grad);
    gradcheck_layer(layer, random_mat(rng, t.n, t.c * t.h * t.w), rng);
}

}  // namespace

TEST_CASE("conv2d: dx, dW and db match central differences") {
    const ConvCase cases[] = {
        {1, 1, 1, 1, 1, 1, 1, 0},  // a single pixel, 1×1 kernel
        {2, 1, 5, 5, 2, 3, 1, 0},  // valid convolution
        {2, 2, 6, 5, 3, 3, 2, 1},  // stride 2, padding 1, non-square
        {3, 3, 7, 7, 2, 3, 2, 2},  // padding 2, odd size
        {2, 2, 4, 4, 3, 1, 1, 0},  // 1×1 kernel
        {2, 3, 5, 6, 4, 1, 2, 0},  // 1×1 kernel, stride 2 (skips pixels)
        {1, 2, 8, 7, 2, 4, 2, 1},  // even kernel
        {2, 2, 7, 9, 3, 3, 3, 1},  // stride 3, uneven coverage of the last row/column
        {2, 1, 2, 2, 2, 3, 1, 1},  // kernel as large as the padded input
        {4, 2, 8, 8, 4, 3, 2, 1},  // the conv AE's layer shape, scaled down
        {3, 1, 20, 20, 2, 3, 1, 1},  // 400 pixels: two GEMM groups (2 + 1 images)
    };
    for (const auto& t : cases) check(t);
}

TEST_CASE("conv2d: parameter gradients without the input gradient (first layer)") {
    check({2, 1, 6, 6, 3, 3, 2, 1}, false);
    Rng rng(1);
    Conv2D layer({1, 6, 6}, 3, 3, 2, 1);
    layer.init(rng);
    layer.set_needs_input_grad(false);
    const Mat x = random_mat(rng, 2, 36);
    const Context ctx{Mode::Train, &rng};
    const Mat& y = layer.forward(x, ctx);
    CHECK(layer.backward(random_mat(rng, rows(y), cols(y))).size() == 0);
}

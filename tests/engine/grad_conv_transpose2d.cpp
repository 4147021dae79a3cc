// Gradient checks: ConvTranspose2D (double-precision engine). dx, dW and db against central
// differences over stride 1/2/3, padding 0/1/2, output_padding, odd and non-square images, 1×1
// and even kernels, several channels and batch > 1.
#include "gradcheck.hpp"
#include "layers/conv_transpose2d.hpp"

using namespace ae;
using namespace ae::test;

namespace {

struct ConvTCase {
    std::size_t n, c, h, w, oc, k, s, p, op;
};

void check(const ConvTCase& t, bool input_grad = true) {
    INFO("N=" << t.n << " C=" << t.c << " H=" << t.h << " W=" << t.w << " OC=" << t.oc << " K=" << t.k
              << " S=" << t.s << " P=" << t.p << " output_padding=" << t.op << " input_grad=" << input_grad);
    Rng rng(200 + t.n * 7 + t.c * 5 + t.h * 3 + t.k);
    ConvTranspose2D layer({t.c, t.h, t.w}, t.oc, t.k, t.s, t.p, t.op);
    layer.init(rng);
    layer.set_needs_input_grad(input_grad);
    gradcheck_layer(layer, random_mat(rng, t.n, t.c * t.h * t.w), rng);
}

}  // namespace

TEST_CASE("conv_transpose2d: dx, dW and db match central differences") {
    const ConvTCase cases[] = {
        {1, 1, 1, 1, 1, 1, 1, 0, 0},  // a single pixel, 1×1 kernel
        {2, 2, 3, 3, 3, 3, 1, 0, 0},  // stride 1: the adjoint of a valid convolution
        {2, 3, 4, 3, 2, 3, 2, 1, 1},  // the conv AE's upsampling: stride 2, padding 1, output_padding 1
        {2, 2, 3, 3, 2, 3, 2, 1, 0},  // without output_padding
        {1, 2, 4, 4, 3, 1, 1, 0, 0},  // 1×1 kernel
        {2, 2, 3, 2, 2, 1, 2, 0, 1},  // 1×1 kernel, stride 2: output has holes
        {2, 2, 3, 4, 2, 4, 2, 1, 0},  // even kernel
        {2, 2, 5, 5, 1, 3, 2, 2, 1},  // padding 2 crops the border
        {1, 1, 2, 3, 2, 3, 3, 0, 2},  // stride 3, output_padding 2
        {3, 4, 4, 4, 2, 3, 2, 1, 1},  // more channels in than out
        {3, 1, 19, 19, 1, 3, 1, 1, 0},  // 361 input pixels: two GEMM groups (2 + 1 images)
    };
    for (const auto& t : cases) check(t);
}

TEST_CASE("conv_transpose2d: parameter gradients without the input gradient") {
    check({2, 3, 4, 4, 2, 3, 2, 1, 1}, false);
}

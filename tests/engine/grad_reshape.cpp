// Gradient checks: Reshape (double-precision engine), alone and inside a small conv
// autoencoder-like chain where reshape and dropout hand buffers through uncopied.
#include "core/error.hpp"
#include "gradcheck.hpp"
#include "layers/activation.hpp"
#include "layers/batchnorm.hpp"
#include "layers/conv2d.hpp"
#include "layers/conv_transpose2d.hpp"
#include "layers/dense.hpp"
#include "layers/dropout.hpp"
#include "layers/reshape.hpp"
#include "models/sequential.hpp"

using namespace ae;
using namespace ae::test;

namespace {

// A Sequential seen as one layer, so gradcheck_layer can probe every parameter of the chain.
class Chain : public Layer {
public:
    Chain(FeatureShape in) { in_ = out_ = in; }
    void add(LayerPtr l) {
        out_ = l->out_shape();
        seq_.add(std::move(l));
    }
    std::string kind() const override { return "chain"; }
    const Mat& forward(const Mat& x, const Context& ctx) override { return seq_.forward(x, ctx); }
    const Mat& backward(const Mat& dy) override { return seq_.backward(dy); }
    std::vector<Param*> params() override {
        std::vector<Param*> all;
        for (std::size_t i = 0; i < seq_.size(); ++i)
            for (Param* p : seq_[i].params()) all.push_back(p);
        return all;
    }
    // Nothing consumes the chain's input gradient: tell its first layer (as the model does).
    void set_first_needs_input_grad(bool v) {
        set_needs_input_grad(v);
        seq_[0].set_needs_input_grad(v);
    }
    void init(Rng& rng) override {
        for (std::size_t i = 0; i < seq_.size(); ++i) seq_[i].init(rng);
    }

private:
    Sequential seq_;
};

}  // namespace

TEST_CASE("reshape: dx is dy, for flatten, unflatten and a general reshape") {
    Rng rng(3);
    const FeatureShape img{2, 3, 4};
    for (FeatureShape out : {FeatureShape::flat(24), FeatureShape{4, 3, 2}, FeatureShape{1, 1, 24}}) {
        INFO("to " << out.c << "x" << out.h << "x" << out.w);
        Reshape flatten(img, out);
        CHECK(flatten.out_shape() == out);
        gradcheck_layer(flatten, random_mat(rng, 3, 24), rng);
        Reshape unflatten(out, img);
        gradcheck_layer(unflatten, random_mat(rng, 2, 24), rng);
    }
}

TEST_CASE("reshape: forward and backward hand the buffers through without copying") {
    Rng rng(1);
    Reshape r({2, 2, 2}, FeatureShape::flat(8));
    const Mat x = random_mat(rng, 3, 8), dy = random_mat(rng, 3, 8);
    const Context ctx{Mode::Train, &rng};
    CHECK(&r.forward(x, ctx) == &x);
    CHECK(&r.backward(dy) == &dy);
    r.set_needs_input_grad(false);
    CHECK(r.backward(dy).size() == 0);
}

TEST_CASE("reshape: a size mismatch names both shapes") {
    CHECK_THROWS_WITH_AS(Reshape({32, 7, 7}, FeatureShape::flat(1000)),
                         "reshape: cannot reshape 32x7x7 (1568 values) to 1000x1x1 (1000 values); both shapes must "
                         "hold the same positive number of values",
                         Error);
    CHECK_THROWS_WITH_AS(Reshape({0, 1, 1}, {0, 1, 1}),
                         "reshape: cannot reshape 0x1x1 (0 values) to 0x1x1 (0 values); both shapes must hold the "
                         "same positive number of values",
                         Error);
    Reshape r({2, 2, 2}, FeatureShape::flat(8));
    Rng rng(1);
    CHECK_THROWS_WITH_AS(r.forward(random_mat(rng, 2, 9), Context{Mode::Eval, &rng}),
                         "reshape expects rows of 8 values (2x2x2), got 9", Error);
}

TEST_CASE("conv chain: conv → batchnorm → tanh → flatten → dropout → dense → dense → unflatten → conv_transpose") {
    for (bool first : {true, false}) {
        INFO("input gradient " << first);
        Rng rng(11);
        const FeatureShape img{1, 6, 6};
        Chain chain(img);
        chain.add(std::make_unique<Conv2D>(img, 2, 3, 2, 1));  // (2, 3, 3)
        chain.add(std::make_unique<BatchNorm>(FeatureShape{2, 3, 3}));
        chain.add(std::make_unique<Activation>(FeatureShape{2, 3, 3}, ActKind::Tanh));
        chain.add(std::make_unique<Reshape>(FeatureShape{2, 3, 3}, FeatureShape::flat(18)));
        chain.add(std::make_unique<Dropout>(FeatureShape::flat(18), 0.25));
        chain.add(std::make_unique<Dense>(FeatureShape::flat(18), 4));
        chain.add(std::make_unique<Dense>(FeatureShape::flat(4), 18));
        chain.add(std::make_unique<Reshape>(FeatureShape::flat(18), FeatureShape{2, 3, 3}));
        chain.add(std::make_unique<ConvTranspose2D>(FeatureShape{2, 3, 3}, 1, 3, 2, 1, 1));  // (1, 6, 6)
        CHECK(chain.out_shape() == img);
        chain.init(rng);
        chain.set_first_needs_input_grad(first);
        gradcheck_layer(chain, random_mat(rng, 3, img.size()), rng, Mode::Train, 1e-6, 1e-6, 60);
    }
}

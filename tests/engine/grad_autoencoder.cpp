// Whole-model gradient checks (double-precision engine): for every variant at tiny sizes,
// Autoencoder::forward_backward's parameter gradients against central differences of the
// total loss (recon + kl + sparsity + weight decay, every penalty that applies switched on).
// The generator is restored before each evaluation, so sampling, dropout and noise repeat and
// the loss is a deterministic function of the weights.
#include "data/noise.hpp"
#include "gradcheck.hpp"
#include "models/autoencoder.hpp"

using namespace ae;
using namespace ae::test;

namespace {

struct Case {
    const char* name;
    const char* model_json;
    Penalties pen;
    NoiseKind noise = NoiseKind::None;
};

Penalties penalties(double kl, double sparsity, double activity, double l2, double l1) {
    Penalties p;
    p.kl_weight = kl;
    p.sparsity_target = 0.2;
    p.sparsity_weight = sparsity;
    p.activity_l1 = activity;
    p.weight_decay_l2 = l2;
    p.weight_decay_l1 = l1;
    return p;
}

// Probes up to `max_entries` entries of every parameter tensor.
void gradcheck_model(const Case& c, std::size_t n = 4, std::size_t max_entries = 24) {
    INFO("case: " << c.name << " " << c.model_json);
    Autoencoder model(parse_model_config(c.model_json));
    Rng init(5);
    model.init(init);
    model.set_penalties(c.pen);

    Rng data(6);
    const std::size_t d = model.input_size();
    Mat clean({n, d});
    for (auto& v : clean) v = Scalar(data.uniform());
    Mat input = clean;
    if (c.noise != NoiseKind::None) corrupt(c.noise, 0.3, clean, input, data);

    Rng rng(7);
    const Rng::State st = rng.state();
    const Context ctx{Mode::Train, &rng};
    auto total = [&] {
        rng.set_state(st);
        return model.loss(input, clean, ctx).total();
    };

    rng.set_state(st);
    const LossTerms terms = model.forward_backward(input, clean, ctx);
    CHECK(terms.total() == doctest::Approx(total()).epsilon(1e-12));  // same loss with and without backward
    CHECK(terms.recon > 0);
    if (model.is_vae()) CHECK(terms.kl > 0);
    if (c.pen.sparsity_weight > 0 || c.pen.activity_l1 > 0) CHECK(terms.sparsity > 0);
    if (c.pen.weight_decay_l2 > 0 || c.pen.weight_decay_l1 > 0) CHECK(terms.weight_decay > 0);

    std::vector<Vec> grads;
    for (Param* p : model.params()) grads.push_back(p->grad);
    const double h = 1e-6;
    for (std::size_t k = 0; k < model.params().size(); ++k) {
        Param& p = *model.params()[k];
        const std::size_t stride = std::max<std::size_t>(1, p.size() / max_entries);
        for (std::size_t i = 0; i < p.size(); i += stride) {
            const Scalar keep = p.value[i];
            p.value[i] = keep + h;
            const double lp = total();
            p.value[i] = keep - h;
            const double lm = total();
            p.value[i] = keep;
            check_close(grads[k][i], (lp - lm) / (2 * h), p.name + "[" + std::to_string(i) + "]", 1e-5, 1e-7);
        }
    }
}

}  // namespace

TEST_CASE("dense: relu, bce, L2 and L1 weight decay") {
    gradcheck_model({"dense", R"({"input":[1,3,3],"encoder":[5],"latent":2})", penalties(1, 0, 0, 0.01, 0.003)});
}

TEST_CASE("deep: three widths, tanh, mse with identity output, L1 activity on the code") {
    gradcheck_model({"deep",
                     R"({"variant":"deep","input":[1,2,3],"encoder":[7,5,4],"latent":3,"activation":"tanh",
                         "output":"identity","loss":"mse"})",
                     penalties(1, 0, 0.05, 0.02, 0)});
}

TEST_CASE("sparse: sigmoid code, KL sparsity and L1 activity") {
    gradcheck_model({"sparse", R"({"variant":"sparse","input":[1,3,3],"encoder":[6],"latent":4,"activation":"tanh"})",
                     penalties(1, 0.5, 0.02, 0.01, 0)});
}

TEST_CASE("denoising: corrupted input, clean target, batch norm and dropout") {
    gradcheck_model({"denoising",
                     R"({"variant":"denoising","input":[1,3,3],"encoder":[6],"latent":3,"activation":"leaky_relu",
                         "batchnorm":true,"dropout":0.3})",
                     penalties(1, 0, 0, 0.01, 0), NoiseKind::Gaussian});
}

TEST_CASE("vae: mu and log_var, sampling, KL with a weight") {
    gradcheck_model({"vae", R"({"variant":"vae","input":[1,3,3],"encoder":[6],"latent":2,"activation":"tanh"})",
                     penalties(0.7, 0, 0, 0.01, 0.001)});
}

TEST_CASE("vae: batch norm, dropout, mse with tanh output") {
    gradcheck_model({"vae+bn",
                     R"({"variant":"vae","input":[1,2,2],"encoder":[5,4],"latent":2,"activation":"tanh",
                         "batchnorm":true,"dropout":0.25,"output":"tanh","loss":"mse"})",
                     penalties(1, 0, 0, 0, 0)});
}

TEST_CASE("conv: two convolutions, a dense width, transposed convolutions back to 5x5") {
    gradcheck_model({"conv",
                     R"({"variant":"conv","input":[1,5,5],"conv":{"channels":[2,3],"kernel":3,"stride":2,"padding":1},
                         "encoder":[4],"latent":2,"activation":"tanh"})",
                     penalties(1, 0, 0.02, 0.01, 0.001)});
}

TEST_CASE("conv: batch norm, dropout, two input channels, sigmoid code with sparsity") {
    gradcheck_model({"conv+bn",
                     R"({"variant":"conv","input":[2,4,4],"conv":{"channels":[3],"kernel":3,"stride":2,"padding":1},
                         "latent":3,"activation":"tanh","code_activation":"sigmoid","batchnorm":true,"dropout":0.2})",
                     penalties(1, 0.3, 0, 0.01, 0)});
}

TEST_CASE("conv_vae: conv encoder, 2Z dense, sampling, mirrored decoder") {
    gradcheck_model({"conv_vae",
                     R"({"variant":"conv_vae","input":[1,6,6],"conv":{"channels":[2,2],"kernel":3,"stride":2,"padding":1},
                         "latent":2,"activation":"tanh"})",
                     penalties(0.5, 0, 0, 0.01, 0)});
}

TEST_CASE("conv_vae: batch norm and dropout, salt-and-pepper input") {
    gradcheck_model({"conv_vae+bn",
                     R"({"variant":"conv_vae","input":[1,5,5],"conv":{"channels":[2],"kernel":3,"stride":2,"padding":1},
                         "encoder":[3],"latent":2,"activation":"tanh","batchnorm":true,"dropout":0.2})",
                     penalties(1, 0, 0, 0, 0), NoiseKind::SaltPepper});
}

TEST_CASE("sequence: stacked GRUs through time, the code repeated into the decoder's GRUs, rows per step") {
    gradcheck_model({"sequence",
                     R"({"variant":"sequence","input":[1,4,3],"encoder":[5,3],"latent":2,"code_activation":"tanh"})",
                     penalties(1, 0, 0.02, 0.01, 0.001)});
}

TEST_CASE("aae: the reconstruction phase's loss (the discriminator's: grad_adversary.cpp)") {
    gradcheck_model({"aae", R"({"variant":"aae","input":[1,3,3],"encoder":[5],"latent":2,"activation":"tanh"})",
                     penalties(1, 0, 0, 0.01, 0.001)});
}

// Gradient checks of the adversarial autoencoder's two adversarial losses (models/adversary.hpp),
// in the double-precision engine: L_D's gradients in the discriminator's parameters and L_G's
// gradient in the codes, which the generator phase sends back into the encoder, against central
// differences; with and without the class fed to the discriminator.
#include "gradcheck.hpp"
#include "models/autoencoder.hpp"

using namespace ae;
using namespace ae::test;

namespace {

void check_adversary(const char* model_json) {
    INFO(model_json);
    Autoencoder model(parse_model_config(model_json));
    Rng init(11);
    model.init(init);
    Adversary& adv = model.adversary();
    const std::size_t N = 5, Z = model.latent_size();
    Rng data(12);
    const Mat prior = random_mat(data, N, Z, 1.5), code0 = random_mat(data, N, Z, 1.5);
    const std::vector<std::uint8_t> labels{3, 0, 9, 3, 7};
    const Context ctx{Mode::Train, &data};

    // L_D: every discriminator parameter.
    const double ld = adv.discriminator_loss(prior, code0, labels.data(), ctx, true);
    CHECK(ld > 0);
    std::vector<Vec> grads;
    for (Param* p : model.adversary_params()) grads.push_back(p->grad);
    const double h = 1e-6;
    for (std::size_t k = 0; k < grads.size(); ++k) {
        Param& p = *model.adversary_params()[k];
        for (std::size_t i = 0; i < p.size(); i += std::max<std::size_t>(1, p.size() / 30)) {
            const Scalar keep = p.value[i];
            p.value[i] = keep + h;
            const double lp = adv.discriminator_loss(prior, code0, labels.data(), ctx, false);
            p.value[i] = keep - h;
            const double lm = adv.discriminator_loss(prior, code0, labels.data(), ctx, false);
            p.value[i] = keep;
            check_close(grads[k][i], (lp - lm) / (2 * h), "L_D / " + p.name + "[" + std::to_string(i) + "]", 1e-6, 1e-9);
        }
    }

    // L_G: every code value.
    gradcheck_loss(
        [&](const Mat& code, Mat* dcode) {
            const double lg = adv.generator_loss(code, labels.data(), ctx, dcode != nullptr);
            if (dcode) *dcode = adv.dcode();
            return lg;
        },
        code0, "L_G / code");
}

}  // namespace

TEST_CASE("aae: the discriminator's loss and the generator's gradient in the codes") {
    check_adversary(R"({"variant":"aae","input":[1,3,3],"encoder":[4],"latent":2,"prior":"normal",
                        "discriminator":[6,5],"activation":"tanh"})");
}

TEST_CASE("aae: with the class fed to the discriminator (prior_labels)") {
    check_adversary(R"({"variant":"aae","input":[1,3,3],"encoder":[4],"latent":4,"prior_labels":true,
                        "discriminator":[7],"activation":"tanh"})");
}

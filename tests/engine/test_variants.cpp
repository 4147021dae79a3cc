// Every variant of the autoencoder family: built from JSON, shapes, names, learning on a
// small synthetic dataset, and the configs that are refused (each with a message that says
// what is wrong).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/config_reader.hpp"
#include "core/error.hpp"
#include "layers/conv2d.hpp"
#include "layers/conv_transpose2d.hpp"
#include "layers/gru.hpp"
#include "models/factory.hpp"
#include "train/session.hpp"
#include "train/trainer.hpp"

#include "error_of.hpp"
#include "toy_data.hpp"

using namespace ae;

namespace {

// n images of 8×8: one horizontal or vertical bar, at one of eight positions.
DatasetFile bars8(std::uint32_t n) { return toy::bars(n, 8, toy::Bars::RowsAndColumns); }

struct VariantCase {
    const char* variant;
    const char* model;  // JSON
    const char* train;  // JSON
};

// Small versions of every variant on 8×8 images, with the training settings each one needs.
const VariantCase kVariants[] = {
    {"dense", R"({"variant":"dense","input":[1,8,8],"encoder":[32],"latent":4})", R"({"lr":0.01})"},
    {"deep", R"({"variant":"deep","input":[1,8,8],"encoder":[48,24,12],"latent":4})", R"({"lr":0.005})"},
    {"sparse", R"({"variant":"sparse","input":[1,8,8],"encoder":[32],"latent":16})",
     R"({"lr":0.01,"sparsity_weight":0.1,"sparsity_target":0.1})"},
    {"denoising", R"({"variant":"denoising","input":[1,8,8],"encoder":[32],"latent":4})",
     R"({"lr":0.01,"noise":"masking","noise_amount":0.2})"},
    {"vae", R"({"variant":"vae","input":[1,8,8],"encoder":[32],"latent":2})", R"({"lr":0.01})"},
    {"conv", R"({"variant":"conv","input":[1,8,8],"conv":{"channels":[4,8]},"latent":4})", R"({"lr":0.01})"},
    {"conv_vae", R"({"variant":"conv_vae","input":[1,8,8],"conv":{"channels":[4,8]},"latent":2})",
     R"({"lr":0.01})"},
    {"sequence", R"({"variant":"sequence","input":[1,8,8],"encoder":[16],"latent":4})", R"({"lr":0.01})"},
    {"aae", R"({"variant":"aae","input":[1,8,8],"encoder":[32],"latent":2,"discriminator":[16]})",
     R"({"lr":0.01})"},
};

TrainConfig train_config(const VariantCase& v) {
    TrainConfig t = parse_train_config(R"({"batch_size":16,"seed":3})");
    return parse_train_config(v.train, t);
}

// What the built model holds, counted layer by layer: its parameters, and per image every
// layer's output (a reshape passes its input on) and each convolution's im2col matrix.
ModelSize built_size(Autoencoder& m) {
    ModelSize s;
    s.parameters = m.parameter_count();
    std::vector<Sequential*> parts{&m.encoder(), &m.decoder()};
    if (m.is_adversarial()) parts.push_back(&m.adversary().discriminator());
    for (Sequential* part : parts)
        for (std::size_t i = 0; i < part->size(); ++i) {
            Layer& l = (*part)[i];
            if (l.kind() != "reshape") s.activations += l.out_shape().size();
            // A GRU also keeps every step's gates and h·W_hh + b_hh (T·3H each), and every step's
            // state when it hands on only the last one.
            if (auto* g = dynamic_cast<GRU*>(&l))
                s.activations += g->steps() * g->hidden() * (g->all_steps() ? 6 : 7);
            if (auto* c = dynamic_cast<Conv2D*>(&l)) s.activations += c->geom().col_rows() * c->geom().col_cols();
            if (auto* c = dynamic_cast<ConvTranspose2D*>(&l))
                s.activations += c->geom().col_rows() * c->geom().col_cols();
        }
    return s;
}

// Large settings within the page's controls (web/src/state.js: up to 6 widths of 2048, 4
// convolutions of 256 channels, latent 128) with batch norm and dropout, the deep variant with
// widths of a few thousand, and the page's default model for each variant. (The controls also
// reach models the caps refuse, such as one 256-channel convolution followed by a width of
// 2048: 2·(256·14·14)·2048 ≈ 205 M parameters.)
const char* kLargest[] = {
    R"({"variant":"deep","encoder":[2048,2048,2048,2048,2048,2048],"latent":128,"batchnorm":true,"dropout":0.1})",
    R"({"variant":"vae","encoder":[2048,2048,2048,2048,2048,2048],"latent":128,"batchnorm":true,"dropout":0.1})",
    R"({"variant":"deep","encoder":[3000,3000,3000],"latent":128})",
    R"({"variant":"deep","encoder":[4096,4096],"latent":128})",
    R"({"variant":"conv","conv":{"channels":[256,256,256,256]},"latent":128,"batchnorm":true,"dropout":0.1})",
    R"({"variant":"conv","conv":{"channels":[32,64]},"encoder":[2048,2048,2048,2048,2048,2048],"latent":128,
        "batchnorm":true,"dropout":0.1})",
};
const char* kPageDefaults[] = {
    R"({"variant":"dense","encoder":[400],"latent":20})",
    R"({"variant":"deep","encoder":[512,256,128],"latent":20})",
    R"({"variant":"sparse","encoder":[400],"latent":20})",
    R"({"variant":"denoising","encoder":[400],"latent":20})",
    R"({"variant":"vae","encoder":[400],"latent":2})",
    R"({"variant":"conv","encoder":[],"conv":{"channels":[32,64]},"latent":20})",
    R"({"variant":"conv_vae","encoder":[],"conv":{"channels":[32,64]},"latent":2})",
    R"({"variant":"sequence","encoder":[128],"latent":20})",
    R"({"variant":"aae","encoder":[400],"latent":2})",
};
// The most activations the page's controls reach (4 convolutions of 256 channels, each with
// batch norm, ReLU and dropout), with the widest dense layers after them: 50,549,761
// parameters and 963,544 activation values per image.
const char* kLargeConv =
    R"({"variant":"conv_vae","conv":{"channels":[256,256,256,256]},"encoder":[2048,2048,2048,2048,2048,2048],
        "latent":128,"batchnorm":true,"dropout":0.1})";

}  // namespace

TEST_CASE("every variant builds from JSON, its config round-trips, and its shapes fit") {
    for (const VariantCase& v : kVariants) {
        INFO("variant " << v.variant);
        const ModelConfig cfg = parse_model_config(v.model);
        CHECK(cfg.variant == v.variant);
        CHECK(to_json(parse_model_config(to_json(cfg))) == to_json(cfg));
        Trainer t(cfg, train_config(v));
        Autoencoder& m = t.model();
        CHECK(m.input_size() == 64);
        const DatasetFile data = bars8(16);
        Mat x({5, 64});
        pixels_to_unit(data.pixels.data(), 5, 64, x.data());
        const Context ctx{Mode::Eval, &t.rng()};
        const Mat code = m.encode(x, ctx);
        CHECK(code.shape() == Shape2{5, m.latent_size()});
        const Mat y = m.decode(code, ctx);
        CHECK(y.shape() == Shape2{5, 64});
        for (auto p : y) CHECK((p > 0 && p < 1));  // sigmoid output
        CHECK(m.reconstruct(x, ctx) == y);
        for (Param* p : m.params()) CHECK(p->name.rfind(p->name[0] == 'e' ? "encoder." : "decoder.", 0) == 0);
    }
}

TEST_CASE("VAEs encode to mu: the code and the reconstruction are deterministic") {
    for (const char* model : {R"({"variant":"vae","input":[1,8,8],"encoder":[16],"latent":3})",
                              R"({"variant":"conv_vae","input":[1,8,8],"conv":{"channels":[2]},"latent":3})"}) {
        INFO(model);
        Trainer t(parse_model_config(model), {});
        Mat x({2, 64});
        x.fill(Scalar(0.3));
        const Context ctx{Mode::Eval, &t.rng()};
        const Mat s = t.model().encoder().forward(x, ctx);  // [μ | log σ²]
        const Mat z1 = t.model().encode(x, ctx);
        const Mat z2 = t.model().encode(x, ctx);
        CHECK(z1 == z2);
        for (std::size_t j = 0; j < 3; ++j) CHECK(z1(1, j) == s(1, j));
        const Mat r1 = t.model().reconstruct(x, ctx);
        CHECK(t.model().reconstruct(x, ctx) == r1);
    }
}

TEST_CASE("the default conv architecture is the schema's: 32 and 64 channels, 7x7, mirrored") {
    const ModelConfig cfg = parse_model_config(R"({"variant":"conv","latent":20})");
    CHECK(cfg.encoder.empty());  // no dense widths by default for conv variants
    Autoencoder m(cfg);
    // encoder: Conv(1→32) relu Conv(32→64) relu Dense(3136→20)
    // decoder: Dense(20→3136) relu Reshape(64,7,7) ConvT(64→32) relu ConvT(32→1)
    std::vector<std::string> enc, dec;
    for (std::size_t i = 0; i < m.encoder().size(); ++i) enc.push_back(m.encoder()[i].kind());
    for (std::size_t i = 0; i < m.decoder().size(); ++i) dec.push_back(m.decoder()[i].kind());
    CHECK(enc == std::vector<std::string>{"conv2d", "relu", "conv2d", "relu", "dense"});
    CHECK(dec == std::vector<std::string>{"dense", "relu", "reshape", "conv_transpose2d", "relu", "conv_transpose2d"});
    CHECK(m.encoder()[2].out_shape() == FeatureShape{64, 7, 7});
    CHECK(m.decoder().back().out_shape() == FeatureShape{1, 28, 28});
    // Parameters, counted by hand:
    //   conv 32·1·9 + 32 = 320, conv 64·32·9 + 64 = 18,496, dense 3136·20 + 20 = 62,740,
    //   dense 20·3136 + 3136 = 65,856, convT 64·32·9 + 32 = 18,464, convT 32·1·9 + 1 = 289
    CHECK(m.parameter_count() == 166165);
}

TEST_CASE("batch norm and dropout are inserted where the schema says, and named") {
    Autoencoder m(parse_model_config(
        R"({"variant":"dense","input":[1,4,4],"encoder":[8,6],"latent":3,"batchnorm":true,"dropout":0.1,
            "code_activation":"tanh"})"));
    std::vector<std::string> enc;
    for (std::size_t i = 0; i < m.encoder().size(); ++i) enc.push_back(m.encoder()[i].kind());
    // Dense → BatchNorm → act → Dropout per hidden width; the code gets its activation only.
    CHECK(enc == std::vector<std::string>{"dense", "batchnorm", "relu", "dropout", "dense", "batchnorm", "relu",
                                          "dropout", "dense", "tanh"});
    std::vector<std::string> names;
    for (Param* p : m.params()) names.push_back(p->name);
    CHECK(names[0] == "encoder.0.weight");
    CHECK(names[2] == "encoder.1.weight");  // batch norm γ
    CHECK(names[3] == "encoder.1.bias");    // batch norm β
    CHECK_FALSE(m.params()[2]->decay);      // no weight decay on batch-norm parameters
    CHECK(m.params()[0]->decay);
    CHECK_FALSE(m.params()[1]->decay);      // nor on biases
    REQUIRE(m.buffers().size() == 8);       // two batch norms each side
    CHECK(m.buffers()[0]->name == "encoder.1.running_mean");
    CHECK(m.buffers()[1]->name == "encoder.1.running_var");
    CHECK(m.buffers()[4]->name == "decoder.1.running_mean");
    // The decoder's output layer has no batch norm: its last layer is the Dense to 16 logits.
    CHECK(m.decoder().back().kind() == "dense");
    CHECK(m.decoder().back().out_shape().size() == 16);
}

TEST_CASE("every variant learns: the loss falls on a small synthetic dataset") {
    const DatasetFile data = bars8(64);
    for (const VariantCase& v : kVariants) {
        INFO("variant " << v.variant);
        Trainer t(parse_model_config(v.model), train_config(v));
        t.set_data(&data);
        const LossTerms before = t.evaluate(data);
        double first = 0;
        for (int i = 0; i < 300; ++i) {
            const StepStats s = t.train_steps(1);
            if (i == 0) first = s.loss.total();
        }
        const LossTerms after = t.evaluate(data);
        INFO("before " << before.total() << " (recon " << before.recon << ") after " << after.total() << " (recon "
                       << after.recon << ") first step " << first);
        CHECK(after.total() < 0.6 * before.total());
        CHECK(after.recon < 0.6 * before.recon);
        if (t.model().is_vae()) CHECK(after.kl > 0);
        if (std::string(v.variant) == "sparse") CHECK(after.sparsity > 0);
    }
}

TEST_CASE("variant-specific training settings are required or refused") {
    Session s;
    SUBCASE("denoising without noise is refused") {
        CHECK_ERROR(s.configure(R"({"variant":"denoising","input":[1,4,4],"encoder":[8],"latent":2})", "{}"),
                    "variant 'denoising' is trained on corrupted inputs: set 'noise'");
        s.configure(R"({"variant":"denoising","input":[1,4,4],"encoder":[8],"latent":2})", R"({"noise":"gaussian"})");
        CHECK_ERROR(s.set_training(R"({"noise":"none"})"), "variant 'denoising'");
        CHECK(s.trainer().config().noise == "gaussian");  // the refused change left nothing behind
    }
    SUBCASE("sparsity without a sigmoid code is refused") {
        CHECK_ERROR(s.configure(R"({"input":[1,4,4],"encoder":[8],"latent":2})", R"({"sparsity_weight":0.1})"),
                    "code_activation must be 'sigmoid' (it is 'identity')");
        CHECK_ERROR(s.configure(R"({"variant":"sparse","input":[1,4,4],"code_activation":"relu"})",
                                R"({"sparsity_weight":0.1})"),
                    "code_activation must be 'sigmoid' (it is 'relu')");
        CHECK_ERROR(s.configure(R"({"variant":"vae","input":[1,4,4],"latent":2})", R"({"sparsity_weight":0.1})"),
                    "variant 'vae' has no code activation");
        // sigmoid code: accepted
        s.configure(R"({"input":[1,4,4],"encoder":[8],"latent":2,"code_activation":"sigmoid"})",
                    R"({"sparsity_weight":0.1})");
    }
    SUBCASE("the sparse variant needs its KL penalty") {
        CHECK_ERROR(s.configure(R"({"variant":"sparse","input":[1,4,4]})", "{}"),
                    "variant 'sparse' is trained with the KL sparsity penalty: set 'sparsity_weight' > 0");
    }
    SUBCASE("L1 activity applies to non-VAE codes") {
        CHECK_ERROR(s.configure(R"({"variant":"vae","input":[1,4,4],"latent":2})", R"({"activity_l1":0.1})"),
                    "'activity_l1' applies to the code of non-VAE variants");
    }
    SUBCASE("batch norm needs batches of at least two") {
        CHECK_ERROR(s.configure(R"({"input":[1,4,4],"batchnorm":true})", R"({"batch_size":1})"),
                    "'batch_size' 1 cannot train a model with batchnorm");
    }
}

TEST_CASE("bad model configs are refused with a message that says what is wrong") {
    // zero latent size
    CHECK_ERROR(parse_model_config(R"({"latent":0})"), "model config: 'latent' must be an integer in [1, 4096], got 0");
    // a negative width
    CHECK_ERROR(parse_model_config(R"({"encoder":[64,-8]})"),
                "model config: every value in 'encoder' must be in [1, 8192], got -8");
    CHECK_ERROR(parse_model_config(R"({"variant":"conv","conv":{"channels":[16,0]}})"),
                "model config: conv: every value in 'channels' must be in [1, 1024], got 0");
    // a rate that is NaN (JSON.stringify sends null)
    CHECK_ERROR(parse_model_config(R"({"dropout":null})"), "'dropout' is null");
    CHECK_ERROR(parse_model_config(R"({"dropout":1})"), "'dropout' must be a probability in [0, 1), got 1");
    // a kernel larger than its input
    CHECK_ERROR(parse_model_config(R"({"variant":"conv","input":[1,4,4],"conv":{"kernel":7,"padding":0}})"),
                "conv layer 1 has kernel 7 but its input is only 4x4");
    CHECK_ERROR(parse_model_config(R"({"variant":"conv","input":[1,8,8],"conv":{"channels":[4,4,4,4],"kernel":5,
                                                                             "padding":1}})"),
                "conv layer 3 has kernel 5 but its input is only 1x1 (3x3 with padding 1)");
    // unknown names
    CHECK_ERROR(parse_model_config(R"({"variant":"gan"})"), "model config: unknown variant 'gan' (expected one of:");
    CHECK_ERROR(parse_model_config(R"({"activation":"swish"})"), "unknown activation 'swish'");
    CHECK_ERROR(parse_model_config(R"({"code_activation":"softmax"})"), "unknown code_activation 'softmax'");
    CHECK_ERROR(parse_model_config(R"({"output":"relu"})"), "unknown output 'relu'");
    CHECK_ERROR(parse_model_config(R"({"variant":"conv","conv":{"kernal":3}})"),
                "model config: conv: unknown key 'kernal'");
    // keys that do not apply to the variant
    CHECK_ERROR(parse_model_config(R"({"variant":"dense","conv":{"channels":[8]}})"),
                "'conv' applies only to the conv and conv_vae variants, not 'dense'");
    CHECK_ERROR(parse_model_config(R"({"variant":"vae","code_activation":"sigmoid"})"),
                "'code_activation' does not apply to variant 'vae'");
    // geometry the decoder cannot mirror
    CHECK_ERROR(parse_model_config(R"({"variant":"conv","input":[1,8,7],"conv":{"channels":[4]}})"),
                "needs output padding 1 in height but 0 in width");
    CHECK_ERROR(parse_model_config(R"({"variant":"conv","conv":{"kernel":3,"padding":3}})"),
                "conv 'padding' (3) must be smaller than 'kernel' (3)");
    CHECK_ERROR(parse_model_config(R"({"loss":"bce","output":"identity"})"), "loss 'bce' needs output 'sigmoid'");
}

TEST_CASE("the sequence and adversarial variants refuse what does not fit them, saying why") {
    CHECK_ERROR(parse_model_config(R"({"variant":"sequence","input":[3,28,28]})"),
                "model config: variant 'sequence' reads the image row by row, so it takes one channel: 'input' must "
                "be [1, height, width], got [3, 28, 28]");
    CHECK_ERROR(parse_model_config(R"({"variant":"sequence","encoder":[]})"),
                "model config: variant 'sequence' needs at least one width in 'encoder' (the recurrent layers' state "
                "sizes, e.g. [128])");
    CHECK_ERROR(parse_model_config(R"({"variant":"sequence","batchnorm":true})"),
                "model config: 'batchnorm' does not apply to variant 'sequence' (its recurrent layers have none): "
                "set it to false");
    CHECK_ERROR(parse_model_config(R"({"variant":"sequence","dropout":0.2})"),
                "model config: 'dropout' does not apply to variant 'sequence'");
    CHECK_ERROR(parse_model_config(R"({"variant":"sequence","conv":{"channels":[8]}})"),
                "'conv' applies only to the conv and conv_vae variants, not 'sequence'");
    CHECK_ERROR(parse_model_config(R"({"variant":"aae","latent":3})"),
                "model config: prior 'mixture' puts ten Gaussians on a circle in each pair of code dimensions, so "
                "'latent' must be even, got 3");
    CHECK_NOTHROW(parse_model_config(R"({"variant":"aae","latent":3,"prior":"normal"})"));
    CHECK_ERROR(parse_model_config(R"({"variant":"aae","prior":"normal","prior_labels":true})"),
                "model config: 'prior_labels' gives each class its own Gaussian of the mixture: it needs prior "
                "'mixture', not 'normal'");
    CHECK_ERROR(parse_model_config(R"({"variant":"aae","prior":"laplace"})"),
                "model config: unknown prior 'laplace' (expected one of: normal, mixture)");
    CHECK_ERROR(parse_model_config(R"({"variant":"aae","code_activation":"tanh"})"),
                "model config: variant 'aae' shapes its code like the prior, so its code_activation must be "
                "'identity', got 'tanh'");
    CHECK_ERROR(parse_model_config(R"({"variant":"aae","discriminator":[64,0]})"),
                "model config: every value in 'discriminator' must be in [1, 8192], got 0");
    CHECK_ERROR(parse_model_config(R"({"variant":"aae","discriminator":"64"})"),
                "model config: 'discriminator' must be an array of integers");
    for (const char* key : {"prior", "prior_labels", "discriminator"}) {
        const std::string json = std::string(R"({"variant":"vae",")") + key + R"(":)" +
                                 (std::string(key) == "prior" ? R"("normal")" : std::string(key) == "prior_labels" ? "true" : "[8]") + "}";
        CHECK_ERROR(parse_model_config(json),
                    std::string("model config: '") + key + "' applies only to variant 'aae', not 'vae'");
    }
    CHECK_ERROR(parse_train_config(R"({"adversarial_lr":0})"),
                "training config: 'adversarial_lr' must be a number in [1e-12, 10], got 0");
    CHECK_ERROR(parse_train_config(R"({"adversarial_lr":null})"), "training config: 'adversarial_lr' is null");

    // The class picks the Gaussian: a dataset with more classes than the mixture has is refused.
    Trainer t(parse_model_config(R"({"variant":"aae","input":[1,8,8],"encoder":[8],"latent":2,"prior_labels":true})"),
              {});
    DatasetFile many = bars8(12);
    many.classes = 12;
    CHECK_ERROR(t.set_data(&many), "the aae model draws each image's prior sample from the Gaussian of its class "
                                   "(prior_labels), and the mixture has 10; this training set has 12 classes");
}

TEST_CASE("the adversarial and sequence variants' configs round-trip; others' JSON is unchanged") {
    const ModelConfig a = parse_model_config(R"({"variant":"aae","latent":4,"prior_labels":true,"discriminator":[32]})");
    CHECK(a.prior == "mixture");
    CHECK(to_json(parse_model_config(to_json(a))) == to_json(a));
    CHECK(to_json(a).find(R"("discriminator":[32])") != std::string::npos);
    CHECK(to_json(parse_model_config("{}")).find("prior") == std::string::npos);
    const ModelConfig d = parse_model_config(R"({"variant":"aae"})");
    CHECK(d.latent == 2);
    CHECK(d.encoder == std::vector<std::size_t>{400});
    CHECK(d.discriminator == std::vector<std::size_t>{128, 128});
    const ModelConfig q = parse_model_config(R"({"variant":"sequence"})");
    CHECK(q.encoder == std::vector<std::size_t>{128});
    CHECK(q.latent == 20);
    const TrainConfig t = parse_train_config(R"({"adversarial_lr":0.0005})");
    CHECK(t.adversarial_base_lr() == 0.0005);
    CHECK(to_json(parse_train_config(to_json(t))) == to_json(t));
    CHECK(to_json(parse_train_config("{}")).find("adversarial_lr") == std::string::npos);
    CHECK(parse_train_config(R"({"lr":0.01})").adversarial_base_lr() == 0.01);  // absent: lr
}

TEST_CASE("the sequence variant's layers: GRUs read rows, the decoder writes them") {
    Autoencoder m(parse_model_config(R"({"variant":"sequence","encoder":[64,32],"latent":10})"));
    std::vector<std::string> enc, dec;
    for (std::size_t i = 0; i < m.encoder().size(); ++i) enc.push_back(m.encoder()[i].kind());
    for (std::size_t i = 0; i < m.decoder().size(); ++i) dec.push_back(m.decoder()[i].kind());
    CHECK(enc == std::vector<std::string>{"gru", "gru", "dense"});
    CHECK(dec == std::vector<std::string>{"repeat", "gru", "gru", "dense"});
    CHECK(m.encoder()[0].out_shape().size() == 28 * 64);  // every step's state to the next GRU
    CHECK(m.encoder()[1].out_shape().size() == 32);       // the last one's final state
    CHECK(m.decoder()[0].out_shape().size() == 28 * 10);
    CHECK(m.decoder()[2].out_shape().size() == 28 * 64);
    CHECK(m.decoder().back().out_shape().size() == 784);
    std::vector<std::string> names;
    for (Param* p : m.params()) names.push_back(p->name);
    CHECK(names[0] == "encoder.0.weight_ih_l0");
    CHECK(names[1] == "encoder.0.weight_hh_l0");
    CHECK(names[3] == "encoder.0.bias_hh_l0");
    CHECK(names[8] == "encoder.2.weight");
    CHECK(names.back() == "decoder.3.bias");
    // By hand: GRUs 3·64·(28+64+2) + 3·32·(64+32+2) + Dense 32·10+10, then
    // GRUs 3·32·(10+32+2) + 3·64·(32+64+2) + Dense 64·28+28.
    CHECK(m.parameter_count() == 18048 + 9408 + 330 + 4224 + 18816 + 1820);
}

TEST_CASE("the adversarial variant's discriminator: its input, layers and names") {
    Autoencoder m(parse_model_config(R"({"variant":"aae","latent":4,"prior_labels":true,"discriminator":[32,16]})"));
    REQUIRE(m.is_adversarial());
    Sequential& d = m.adversary().discriminator();
    CHECK(d[0].in_shape().size() == 14);  // the code and the one-hot class
    CHECK(d.back().out_shape().size() == 1);
    std::vector<std::string> names;
    for (Param* p : m.adversary_params()) names.push_back(p->name);
    CHECK(names == std::vector<std::string>{"discriminator.0.weight", "discriminator.0.bias", "discriminator.2.weight",
                                            "discriminator.2.bias", "discriminator.4.weight", "discriminator.4.bias"});
    CHECK(m.encoder_params().size() == 4);
    CHECK(m.params().size() == 8);  // encoder and decoder only: what the reconstruction phase trains
    // The seed model's layers around a code of 4, then the discriminator 14-32-16-1.
    CHECK(m.parameter_count() == (784 * 400 + 400) + (400 * 4 + 4) + (4 * 400 + 400) + (400 * 784 + 784) +
                                     (14 * 32 + 32) + (32 * 16 + 16) + (16 + 1));
    CHECK_ERROR(Autoencoder(parse_model_config("{}")).adversary(),
                "variant 'dense' has no discriminator (only variant 'aae' has one)");
}

TEST_CASE("bad training configs are refused with a message that says what is wrong") {
    CHECK_ERROR(parse_train_config(R"({"lr":null})"), "training config: 'lr' is null");
    CHECK_ERROR(parse_train_config(R"({"momentum":null})"), "'momentum' is null");
    CHECK_ERROR(parse_train_config(R"({"kl_weight":null})"), "'kl_weight' is null");
    CHECK_ERROR(parse_train_config(R"({"noise_amount":null})"), "'noise_amount' is null");
    CHECK_ERROR(parse_train_config(R"({"lr":0})"), "'lr' must be a number in [1e-12, 10], got 0");
    CHECK_ERROR(parse_train_config(R"({"momentum":1})"), "'momentum' must be a number in [0, 0.9999], got 1");
    CHECK_ERROR(parse_train_config(R"({"weight_decay_l2":-0.1})"), "'weight_decay_l2' must be a number in [0, 10]");
    CHECK_ERROR(parse_train_config(R"({"sparsity_target":1})"), "'sparsity_target' must be a number in");
    CHECK_ERROR(parse_train_config(R"({"clip_norm":-1})"), "'clip_norm' must be a number in [0, 1e+06], got -1");
    CHECK_ERROR(parse_train_config(R"({"step_epochs":0})"), "'step_epochs' must be an integer in [1, 100000], got 0");
    CHECK_ERROR(parse_train_config(R"({"gamma":0})"), "'gamma' must be a number in");
    CHECK_ERROR(parse_train_config(R"({"noise":"masking","noise_amount":1.5})"),
                "'noise_amount' is a probability for noise 'masking' and must be in [0, 1], got 1.5");
    CHECK_ERROR(parse_train_config(R"({"optimizer":"sgd","nesterov":true})"), "nesterov needs a momentum > 0");
    CHECK_ERROR(parse_train_config(R"({"schedule":"cosine","lr":0.001,"min_lr":0.01})"),
                "min_lr (0.01) must not exceed lr (0.001)");
    CHECK_ERROR(parse_train_config(R"({"optimizer":"adagrad"})"), "unknown optimizer 'adagrad'");
    CHECK_ERROR(parse_train_config(R"({"schedule":"linear"})"), "unknown schedule 'linear'");
    CHECK_ERROR(parse_train_config(R"({"noise":"speckle"})"), "unknown noise 'speckle'");
    CHECK_ERROR(parse_train_config(R"({"lr_schedule":"step"})"), "unknown key 'lr_schedule'");
}

TEST_CASE("training configs round-trip, and absent keys keep their values") {
    const TrainConfig a = parse_train_config(
        R"({"optimizer":"rmsprop","lr":0.01,"momentum":0.5,"alpha":0.9,"schedule":"step","step_epochs":3,
            "gamma":0.7,"clip_norm":2,"weight_decay_l2":0.001,"weight_decay_l1":0.0001,"kl_weight":0.5,
            "noise":"salt_pepper","noise_amount":0.1,"batch_size":32,"seed":9})");
    CHECK(to_json(parse_train_config(to_json(a))) == to_json(a));
    const TrainConfig b = parse_train_config(R"({"lr":0.02})", a);
    CHECK(b.optimizer.name == "rmsprop");
    CHECK(b.optimizer.lr == 0.02);
    CHECK(b.schedule.effective_gamma() == 0.7);
    CHECK(b.noise == "salt_pepper");
    // gamma left unset follows the schedule's default, also after a round trip
    const TrainConfig c = parse_train_config(R"({"schedule":"exponential"})");
    CHECK(to_json(c).find("gamma") == std::string::npos);
    CHECK(parse_train_config(to_json(c)).schedule.effective_gamma() == 0.95);
}

TEST_CASE("a model's size is counted from its config exactly as the factory builds it") {
    std::vector<std::string> models;
    for (const VariantCase& v : kVariants) models.push_back(v.model);
    for (const char* m : kPageDefaults) models.push_back(m);
    models.push_back(R"({"variant":"sparse","input":[1,4,4],"encoder":[8,6],"latent":3,"batchnorm":true,"dropout":0.1})");
    models.push_back(R"({"variant":"conv","input":[2,9,9],"conv":{"channels":[3,5],"kernel":3,"stride":2,"padding":1},
                         "encoder":[7],"latent":3,"batchnorm":true,"dropout":0.2,"code_activation":"tanh"})");
    models.push_back(R"({"variant":"conv_vae","input":[1,12,12],"conv":{"channels":[4],"kernel":5,"stride":1,
                         "padding":2},"latent":2,"batchnorm":true})");
    models.push_back(R"({"variant":"sequence","input":[1,1,5],"encoder":[7,3,4],"latent":2})");  // one step
    models.push_back(R"({"variant":"aae","input":[1,4,4],"encoder":[8,6],"latent":4,"prior_labels":true,
                         "discriminator":[5,3],"batchnorm":true,"dropout":0.1})");
    for (const std::string& json : models) {
        INFO(json);
        const ModelConfig cfg = parse_model_config(json);
        Autoencoder m(cfg);
        const ModelSize counted = model_size(cfg), built = built_size(m);
        CHECK(counted.parameters == built.parameters);
        CHECK(counted.activations == built.activations);
    }
    // The seed model by hand: 784·400 + 400 + 400·20 + 20 + 20·400 + 400 + 400·784 + 784
    // parameters; 400 + 400 + 20 + 400 + 400 + 784 layer outputs (each Dense and its ReLU).
    const ModelSize seed = model_size(parse_model_config("{}"));
    CHECK(seed.parameters == 644804);
    CHECK(seed.activations == 2404);
}

TEST_CASE("models too large for the playground are refused, with the counts and the caps") {
    // 784-8192×16-20 and back: 2·15·(8192² + 8192) + (784·8192 + 8192) + (8192·20 + 20)
    // + (20·8192 + 8192) + (8192·784 + 784) parameters.
    const std::string wide = R"({"variant":"deep","encoder":[)" + [] {
        std::string w = "8192";
        for (int i = 1; i < 16; ++i) w += ",8192";
        return w;
    }() + "]}";
    const char* too_many = "model config: this model would have 2,026,701,604 parameters; the playground allows at "
                           "most 64,000,000 — use fewer or narrower layers";
    CHECK(error_of([&] { parse_model_config(wide); }) == too_many);
    // 1024 channels with a 64×64 kernel: 1024·1024·64·64 weights in the second convolution alone.
    CHECK_ERROR(parse_model_config(R"({"variant":"conv","input":[1,64,64],
                                       "conv":{"channels":[1024,1024],"kernel":64,"stride":1,"padding":32}})"),
                "model config: this model would have ");
    // Two stride-1 convolutions of 256 channels keep 28×28: per image, each conv output and
    // ReLU 256·784 = 200,704 values and the im2col 1·9·784 = 7,056 then 256·9·784 = 1,806,336;
    // the code 20; the decoder mirrors it (Dense 200,704 + ReLU 200,704, ConvT 200,704 with
    // cols 1,806,336 + ReLU 200,704, ConvT to 784 with cols 7,056): 5,233,220 in all, though
    // only 9.4 M parameters.
    const char* deep_conv = R"({"variant":"conv","conv":{"channels":[256,256],"stride":1}})";
    CHECK(error_of([&] { parse_model_config(deep_conv); }) ==
          "model config: one image would need 5,233,220 activation values in this model's layers (their outputs and "
          "each convolution's unfolded input); the playground allows at most 2,000,000 per image, so that a batch "
          "fits in memory — use fewer channels or layers, a larger stride or a smaller input");
    // An input far larger than the datasets', which a 32-bit size_t could not even count.
    CHECK_ERROR(parse_model_config(R"({"input":[4096,4096,4096],"encoder":[],"latent":1})"),
                "model config: this model would have ");

    // The same refusals reach the page and the CLI through the session, which keeps nothing.
    Session s;
    CHECK(error_of([&] { s.configure(wide, "{}"); }) == too_many);
    CHECK_ERROR(s.configure(deep_conv, "{}"), "one image would need 5,233,220 activation values");
    CHECK_FALSE(s.configured());
    // A config struct that skipped the parser is refused by the factory itself.
    ModelConfig cfg = parse_model_config("{}");
    cfg.encoder.assign(16, 8192);
    CHECK(error_of([&] { Autoencoder m(cfg); }) == too_many);
}

TEST_CASE("the largest models the page and the quality runs ask for fit the caps, and build") {
    for (const char* json : kLargest) {
        INFO(json);
        const ModelSize size = model_size(parse_model_config(json));
        CHECK(size.parameters <= kMaxModelParameters);
        CHECK(size.activations <= kMaxActivationsPerImage);
    }
    for (const char* json : kPageDefaults) CHECK_NOTHROW(parse_model_config(json));

    // tests/quality/*.json, the configs `npm run quality` trains.
    int quality = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(AE_SOURCE_DIR) + "/tests/quality")) {
        if (entry.path().extension() != ".json") continue;
        INFO(entry.path().string());
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        const ModelConfig cfg = parse_model_config(Json::parse(text.str()).at("model").dump());
        Autoencoder m(cfg);
        CHECK(m.parameter_count() == model_size(cfg).parameters);
        ++quality;
    }
    CHECK(quality >= 6);  // seed, vae, conv, denoising, sequence, aae

    // The largest convolutional model builds, with the size counted beforehand.
    const ModelConfig cfg = parse_model_config(kLargeConv);
    const ModelSize counted = model_size(cfg);
    CHECK(counted.parameters == 50549761);
    CHECK(counted.activations == 963544);
    Autoencoder m(cfg);
    const ModelSize built = built_size(m);
    CHECK(built.parameters == counted.parameters);
    CHECK(built.activations == counted.activations);
}

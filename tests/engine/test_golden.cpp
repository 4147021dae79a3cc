// Golden values from an independent reference: PyTorch.
//
// tests/reference/make_golden.py builds every variant with PyTorch's own modules (nn.Linear,
// nn.Conv2d, nn.ConvTranspose2d, nn.BatchNorm1d/2d, F.binary_cross_entropy_with_logits, ...)
// in float64, from float32 weights and inputs, and writes tests/engine/fixtures/golden_*.json
// in our parameter names and layouts. Here each fixture's weights are copied into our engine
// by name, the same batch goes through forward_backward, and we compare:
//   the code (or [μ | log σ²]) and the reconstruction, each loss term, every parameter's
//   gradient, batch-norm running statistics after the step, the eval-mode reconstruction,
//   and (golden_optimizers.json) three Adam / SGD / RMSprop steps against torch.optim.
// PyTorch is needed only to regenerate the fixtures, never to run this.
//
// Randomness is handed over, not reproduced: the VAE's ε through Context::eps, the denoising
// model's corrupted input as the input; dropout masks are drawn by our Rng from the fixture's
// seed, and the script reproduces that generator bit for bit (its masks are checked too).
//
// Tolerance. Both sides start from identical float32 numbers and the reference computes in
// float64, so the difference is our float32 rounding alone: unit roundoff u = 6e-8, and these
// nets chain at most ~8 layers of sums of at most 48 terms (a convolution's weight gradient:
// 3 images × 16 output pixels), so a first-order bound is ~ 8 · 48 · u ≈ 2.3e-5 of the
// magnitudes involved.
// Each value must satisfy |ours − ref| ≤ kRtol · |ref| + kAtol · max|ref over its tensor|, with
// kRtol = kAtol = 1e-4: above that bound (the largest errors seen, natively and in WASM, are
// 2.3e-6 in these units for forward values and gradients, 2.3e-7 relative for a loss term, and
// 5e-7 for the optimizer updates below), and far below what any real mistake gives (a missing
// 1/N, a wrong transposition, a wrong bias correction or a biased variance: errors of 1e-2 to 1).
// The scale term keeps near-zero entries (cancelling gradient sums) from demanding a relative
// precision that float32 sums cannot have.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "layers/dropout.hpp"
#include "models/autoencoder.hpp"
#include "optim/clip.hpp"
#include "optim/optimizer.hpp"
#include "train/adversarial_step.hpp"
#include "train/train_config.hpp"

using namespace ae;
using Json = nlohmann::json;

namespace {

constexpr double kRtol = 1e-4;
constexpr double kAtol = 1e-4;

Json load_fixture(const std::string& name) {
    const std::string path = std::string(AE_FIXTURES_DIR) + "/golden_" + name + ".json";
    std::ifstream in(path);
    INFO("fixture " << path << " (regenerate with /usr/bin/python3 tests/reference/make_golden.py)");
    REQUIRE(in.good());
    return Json::parse(in);
}

Mat mat_of(const Json& rows) {  // [[...], ...] (N, D)
    REQUIRE(rows.is_array());
    REQUIRE(!rows.empty());
    Mat m({rows.size(), rows[0].size()});
    for (std::size_t n = 0; n < rows.size(); ++n) {
        REQUIRE(rows[n].size() == cols(m));
        for (std::size_t d = 0; d < cols(m); ++d) m(n, d) = Scalar(rows[n][d].get<double>());
    }
    return m;
}

std::vector<double> values_of(const Json& v) {  // {"shape", "data"} or rows, flattened
    std::vector<double> out;
    const Json& data = v.is_object() ? v.at("data") : v;
    for (const Json& e : data) {
        if (e.is_array())
            for (const Json& x : e) out.push_back(x.get<double>());
        else
            out.push_back(e.get<double>());
    }
    return out;
}

double max_abs(const std::vector<double>& v) {
    double m = 0;
    for (double x : v) m = std::max(m, std::fabs(x));
    return m;
}

// Every value within kRtol · |ref| + kAtol · scale (by default max|ref|) + slack[i] (if given);
// reports the worst one.
void check_close(const std::string& what, const Scalar* ours, std::size_t n, const std::vector<double>& ref,
                 double scale = -1, const std::vector<double>* slack = nullptr) {
    INFO(what);
    REQUIRE(n == ref.size());
    if (scale < 0) scale = max_abs(ref);
    double worst = 0;  // error / allowed
    std::size_t at = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double err = std::fabs(double(ours[i]) - ref[i]);
        const double allowed = kRtol * std::fabs(ref[i]) + kAtol * scale + (slack ? (*slack)[i] : 0.0);
        const double ratio = allowed > 0 ? err / allowed : (err > 0 ? INFINITY : 0);
        if (ratio > worst) {
            worst = ratio;
            at = i;
        }
    }
    INFO("worst at [" << at << "]: ours " << double(ours[at]) << " vs PyTorch " << ref[at] << " ("
                      << worst << " of the tolerance)");
    CHECK(worst <= 1.0);
}
void check_close(const std::string& what, const Mat& ours, const Json& ref) {
    check_close(what, ours.data(), ours.size(), values_of(ref));
}

void check_loss(const std::string& what, const LossTerms& t, const Json& ref) {
    const double ours[] = {t.recon, t.kl, t.sparsity, t.weight_decay, t.total()};
    const std::string names[] = {"recon", "kl", "sparsity", "weight_decay", "total"};
    for (int i = 0; i < 5; ++i) {
        const double r = ref.at(names[i]).get<double>();
        INFO(what << " loss term " << names[i] << ": ours " << ours[i] << " vs PyTorch " << r);
        CHECK(std::fabs(ours[i] - r) <= kRtol * std::fabs(r) + 1e-9);
    }
}

// Copies the fixture's tensors into the model's Params (the discriminator's too), by name; the
// names must match exactly.
void load_params(Autoencoder& m, const Json& params) {
    std::set<std::string> ours;
    std::vector<Param*> all = m.params();
    all.insert(all.end(), m.adversary_params().begin(), m.adversary_params().end());
    for (Param* p : all) {
        ours.insert(p->name);
        INFO("param " << p->name);
        REQUIRE(params.contains(p->name));
        const Json& t = params.at(p->name);
        CHECK(t.at("shape").get<std::vector<std::size_t>>() == p->shape);
        const std::vector<double> v = values_of(t);
        REQUIRE(v.size() == p->size());
        for (std::size_t i = 0; i < v.size(); ++i) p->value[i] = Scalar(v[i]);
    }
    for (auto it = params.begin(); it != params.end(); ++it) {
        INFO("the fixture's param " << it.key() << " must be one of ours");
        CHECK(ours.count(it.key()) == 1);
    }
}

std::vector<Dropout*> dropouts(Autoencoder& m) {
    std::vector<Dropout*> out;
    for (Sequential* seq : {&m.encoder(), &m.decoder()})
        for (std::size_t i = 0; i < seq->size(); ++i)
            if (auto* d = dynamic_cast<Dropout*>(&(*seq)[i])) out.push_back(d);
    return out;
}

void check_variant(const std::string& name) {
    const Json f = load_fixture(name);
    INFO("golden_" << name << ".json: " << f.at("about").get<std::string>());
    const ModelConfig cfg = parse_model_config(f.at("model").dump());
    const TrainConfig train = parse_train_config(f.at("train").dump());
    Autoencoder model(cfg);
    Rng init_rng(1);
    model.init(init_rng);  // batch norm's running statistics start at 0 and 1, as in PyTorch
    model.set_penalties(train.penalties);
    load_params(model, f.at("params"));

    const Mat x = mat_of(f.at("input")), target = mat_of(f.at("target"));
    Mat eps;
    if (f.contains("eps")) eps = mat_of(f.at("eps"));
    const std::uint64_t seed = f.value("dropout_seed", std::uint64_t(1));
    Rng rng(seed);
    const Context train_ctx{Mode::Train, &rng, f.contains("eps") ? &eps : nullptr};

    // One training forward and backward: loss terms, gradients, running statistics.
    const LossTerms terms = model.forward_backward(x, target, train_ctx);
    check_loss(name, terms, f.at("loss"));
    // A layer's gradients share one scale, its weight's and bias's together: a bias that batch
    // norm right after it cancels has an exact gradient of 0, which float32 gives as the rounding
    // residue of sums whose terms are the size of that layer's other gradients.
    std::map<std::string, double> layer_scale;  // "encoder.3" → max |PyTorch gradient|
    const auto layer_of = [](const std::string& name) { return name.substr(0, name.rfind('.')); };
    for (Param* p : model.params()) {
        double& s = layer_scale[layer_of(p->name)];
        s = std::max(s, max_abs(values_of(f.at("grads").at(p->name))));
    }
    for (Param* p : model.params())
        check_close("gradient of " + p->name, p->gdata(), p->size(), values_of(f.at("grads").at(p->name)),
                    layer_scale[layer_of(p->name)]);
    REQUIRE(model.buffers().size() == f.at("buffers").size());
    for (Param* b : model.buffers())
        check_close(b->name + " after one train-mode step", b->data(), b->size(),
                    values_of(f.at("buffers").at(b->name)));
    if (f.contains("dropout_masks")) {
        const std::vector<Dropout*> ds = dropouts(model);
        REQUIRE(ds.size() == f.at("dropout_masks").size());
        for (std::size_t i = 0; i < ds.size(); ++i)
            check_close("dropout mask " + std::to_string(i), ds[i]->mask(), f.at("dropout_masks")[i]);
    }

    // Eval mode (running statistics, no dropout; VAEs decode μ).
    Rng unused(seed);
    check_close("eval-mode reconstruction", model.reconstruct(x, Context{Mode::Eval, &unused}), f.at("eval_recon"));

    // The training forward's outputs: the same draws again from the same seed.
    rng.reseed(seed);
    const Mat code = model.encoder().forward(x, train_ctx);  // code, or [μ | log σ²]
    check_close(model.is_vae() ? "[mu | log var]" : "code", code, f.at("encoder_output"));
    const Mat z = model.is_vae() ? mat_of(f.at("z")) : code;
    check_close("train-mode reconstruction", model.decode(z, train_ctx), f.at("recon"));
}

// The updates (final − start) of `params` after `steps` steps against PyTorch's: the tolerance is
// relative to the step, not to the weights, plus one float32 rounding of the weight per step.
void check_updates(const std::string& what, const std::vector<Param*>& params, const std::vector<Vec>& start,
                   const Json& final_params, std::size_t steps) {
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Param& p = *params[i];
        const std::vector<double> final_ref = values_of(final_params.at(p.name));
        REQUIRE(final_ref.size() == p.size());
        std::vector<double> ref_update(p.size()), rounding(p.size());
        std::vector<Scalar> our_update(p.size());
        for (std::size_t k = 0; k < p.size(); ++k) {
            ref_update[k] = final_ref[k] - double(start[i][k]);
            our_update[k] = p.value[k] - start[i][k];
            rounding[k] = double(steps) * std::ldexp(1.0, -24) * std::fabs(final_ref[k]);
        }
        check_close(what + ": update of " + p.name + " after " + std::to_string(steps) + " steps", our_update.data(),
                    p.size(), ref_update, -1, &rounding);
    }
}

std::vector<Vec> values_now(const std::vector<Param*>& params) {
    std::vector<Vec> v;
    for (const Param* p : params) v.push_back(p->value);
    return v;
}

// An optimizer that hands each step to Adam after keeping a copy of the gradients it was given:
// the gradients of each phase of an adversarial step, seen from outside the step.
class RecordingAdam : public Optimizer {
public:
    explicit RecordingAdam(const OptimizerConfig& cfg) : Optimizer(cfg), inner_(make_optimizer(cfg)) {}
    std::string name() const override { return "adam"; }
    void attach(const std::vector<Param*>& params) override { inner_->attach(params); }
    void step(const std::vector<Param*>& params, double lr) override {
        if (grads.empty())
            for (const Param* p : params) grads.emplace_back(p->name, p->grad);
        inner_->step(params, lr);
    }
    std::vector<std::pair<std::string, Vec*>> slots() override { return inner_->slots(); }
    std::vector<std::pair<std::string, Vec>> grads;  // of the first step

private:
    std::unique_ptr<Optimizer> inner_;
};

// The adversarial variant (golden_aae*.json): three steps of the three phases, each with its own
// Adam, given the batch, its classes and the prior samples; per step the loss terms, at the first
// step every gradient each phase hands its optimizer, and the updates of every parameter.
void check_adversarial(const std::string& name) {
    const Json f = load_fixture(name);
    INFO("golden_" << name << ".json: " << f.at("about").get<std::string>());
    const ModelConfig cfg = parse_model_config(f.at("model").dump());
    const TrainConfig train = parse_train_config(f.at("train").dump());
    Autoencoder model(cfg);
    REQUIRE(model.is_adversarial());
    model.set_penalties(train.penalties);
    load_params(model, f.at("params"));
    const std::vector<Vec> start = values_now(model.params()), start_disc = values_now(model.adversary_params());
    RecordingAdam recon(train.optimizer), disc(train.optimizer), gen(train.optimizer);
    recon.attach(model.params());
    disc.attach(model.adversary_params());
    gen.attach(model.encoder_params());
    Rng rng(1);
    const Context ctx{Mode::Train, &rng};
    const Json& batches = f.at("batches");
    REQUIRE(f.at("losses").size() == batches.size());
    for (std::size_t k = 0; k < batches.size(); ++k) {
        const Mat x = mat_of(batches[k].at("input")), prior = mat_of(batches[k].at("prior"));
        const std::vector<std::uint8_t> labels = batches[k].at("labels").get<std::vector<std::uint8_t>>();
        const LossTerms t = adversarial_step(model, {x, x, labels.data(), prior}, ctx, {recon, disc, gen},
                                             train.optimizer.lr, train.adversarial_base_lr(), train.clip_norm, k + 1);
        const Json& ref = f.at("losses")[k];
        const double ours[] = {t.recon, t.weight_decay, t.disc, t.gen};
        const char* names[] = {"recon", "weight_decay", "disc", "gen"};
        for (int i = 0; i < 4; ++i) {
            const double r = ref.at(names[i]).get<double>();
            INFO(name << " step " << k + 1 << " loss term " << names[i] << ": ours " << ours[i] << " vs PyTorch " << r);
            CHECK(std::fabs(ours[i] - r) <= kRtol * std::fabs(r) + 1e-9);
        }
    }
    const Json& first = f.at("first_step_grads");
    for (const auto* phase : {&recon, &disc, &gen}) {
        const char* which = phase == &recon ? "recon" : phase == &disc ? "disc" : "gen";
        REQUIRE(phase->grads.size() == first.at(which).size());
        for (const auto& [pname, g] : phase->grads)
            check_close(std::string(which) + " phase, first step: gradient of " + pname, g.data(), g.size(),
                        values_of(first.at(which).at(pname)));
    }
    check_updates(name, model.params(), start, f.at("final_params"), batches.size());
    check_updates(name, model.adversary_params(), start_disc, f.at("final_params"), batches.size());
}

}  // namespace

TEST_CASE("golden dense: forward, loss and gradients match PyTorch") { check_variant("dense"); }
TEST_CASE("golden deep: tanh hidden units, MSE loss") { check_variant("deep"); }
TEST_CASE("golden sparse: KL sparsity and L1 activity penalties") { check_variant("sparse"); }
TEST_CASE("golden denoising: corrupted input, clean target, leaky ReLU") { check_variant("denoising"); }
TEST_CASE("golden vae: reparameterisation with a given eps, KL term") { check_variant("vae"); }
TEST_CASE("golden conv: convolutions and transposed convolutions") { check_variant("conv"); }
TEST_CASE("golden conv_vae: conv encoder, dense width, beta 0.5") { check_variant("conv_vae"); }
TEST_CASE("golden batchnorm: BatchNorm1d in train mode, running stats, eval mode") { check_variant("batchnorm"); }
TEST_CASE("golden conv_batchnorm: BatchNorm2d, two input channels") { check_variant("conv_batchnorm"); }
TEST_CASE("golden weight_decay: L2 and L1 penalties on weights only") { check_variant("weight_decay"); }
TEST_CASE("golden dropout: masks from our Rng, applied and back-propagated as PyTorch") { check_variant("dropout"); }
TEST_CASE("golden sequence: GRUs through time (nn.GRU), repeated code, Dense per step") { check_variant("sequence"); }

TEST_CASE("golden sequence: three Adam steps match torch.optim") {
    const Json f = load_fixture("sequence");
    const Json& run = f.at("steps");
    Autoencoder model(parse_model_config(f.at("model").dump()));
    const TrainConfig train = parse_train_config(run.at("train").dump());
    load_params(model, f.at("params"));
    const std::vector<Vec> start = values_now(model.params());
    std::unique_ptr<Optimizer> opt = make_optimizer(train.optimizer);
    opt->attach(model.params());
    Rng rng(1);
    const Context ctx{Mode::Train, &rng};
    for (std::size_t k = 0; k < run.at("batches").size(); ++k) {
        const Mat x = mat_of(run.at("batches")[k]);
        check_loss("sequence before step " + std::to_string(k + 1), model.forward_backward(x, x, ctx),
                   run.at("losses")[k]);
        opt->step(model.params(), train.optimizer.lr);
    }
    check_updates("sequence", model.params(), start, run.at("final_params"), run.at("batches").size());
}

TEST_CASE("golden aae: three phases per step, each with its own Adam, match PyTorch") { check_adversarial("aae"); }
TEST_CASE("golden aae_labels: the class fed to the discriminator, clipping per phase, weight decay") {
    check_adversarial("aae_labels");
}

// Three steps of each optimizer, as Trainer::train_steps takes them (forward_backward → clip by
// global norm → optimizer step), against torch.optim with the same hyperparameters. The updates
// (final − initial weights) are compared, so the tolerance is relative to the step, not to the
// weights; but our weights are float32, rounded at every step, so each update also carries up to
// one rounding of the weight per step: a slack of kSteps · 2⁻²⁴ · |w| per entry.
TEST_CASE("golden optimizers: Adam, SGD (momentum, Nesterov, clipping), RMSprop steps match torch.optim") {
    const Json f = load_fixture("optimizers");
    const ModelConfig cfg = parse_model_config(f.at("model").dump());
    std::vector<Mat> batches;
    for (const Json& b : f.at("batches")) batches.push_back(mat_of(b));
    REQUIRE(f.at("runs").size() == 7);
    for (const Json& run : f.at("runs")) {
        const std::string name = run.at("name").get<std::string>();
        INFO("optimizer run " << name << ": " << run.at("train").dump());
        const TrainConfig train = parse_train_config(run.at("train").dump());
        Autoencoder model(cfg);
        model.set_penalties(train.penalties);
        load_params(model, run.at("params"));
        const std::vector<Vec> start = values_now(model.params());
        std::unique_ptr<Optimizer> opt = make_optimizer(train.optimizer);
        opt->attach(model.params());
        Rng rng(1);
        const Context ctx{Mode::Train, &rng};
        REQUIRE(run.at("losses").size() == batches.size());
        for (std::size_t k = 0; k < batches.size(); ++k) {
            const LossTerms terms = model.forward_backward(batches[k], batches[k], ctx);
            check_loss(name + " before step " + std::to_string(k + 1), terms, run.at("losses")[k]);
            if (train.clip_norm > 0) clip_by_global_norm(model.params(), train.clip_norm);
            opt->step(model.params(), train.optimizer.lr);
        }
        check_updates(name, model.params(), start, run.at("final_params"), batches.size());
    }
}

TEST_CASE("a given eps must have one row of Z values per image") {
    Autoencoder model(parse_model_config(R"({"variant":"vae","input":[1,4,4],"encoder":[6],"latent":2})"));
    Rng rng(1);
    model.init(rng);
    Mat x({3, 16});
    x.fill(Scalar(0.5));
    Mat eps({3, 3});
    eps.fill(Scalar(0));
    const Context ctx{Mode::Train, &rng, &eps};
    CHECK_THROWS_WITH_AS(model.forward_backward(x, x, ctx),
                         "sampling layer: the given eps must be (3, 2), one row of 2 per image, got (3, 3)", Error);
    const Context no_source{Mode::Train, nullptr, nullptr};
    CHECK_THROWS_WITH_AS(model.forward_backward(x, x, no_source),
                         "sampling layer needs a random generator (Context::rng) or a given eps (Context::eps)",
                         Error);
}

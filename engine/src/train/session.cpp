#include "train/session.hpp"

#include <algorithm>
#include <cmath>

#include "core/checked.hpp"
#include "core/error.hpp"
#include "io/model_file.hpp"
#include "layers/gru.hpp"
#include "io/npz.hpp"

namespace ae {

Split parse_split(const std::string& name) {
    if (name == "train") return Split::Train;
    if (name == "test") return Split::Test;
    fail("unknown dataset split '", name, "' (expected train or test)");
}

void Session::configure(const std::string& model_json, const std::string& train_json) {
    const ModelConfig m = parse_model_config(model_json);
    const TrainConfig t = parse_train_config(train_json);
    auto next = std::make_unique<Trainer>(m, t);  // built fully before replacing: errors lose nothing
    if (data_[0]) next->set_data(data_[0].get());
    trainer_ = std::move(next);
}

void Session::set_training(const std::string& train_json) {
    trainer().set_config(parse_train_config(train_json, trainer().config()));
}

void Session::reset() { trainer().reset(); }

Trainer& Session::trainer() {
    require(trainer_ != nullptr, "no model: configure one first");
    return *trainer_;
}

const DatasetFile& Session::load_dataset(Split split, const std::uint8_t* bytes, std::size_t size) {
    set_dataset(split, parse_dataset(bytes, size));
    return *data_[int(split)];
}

void Session::set_dataset(Split split, DatasetFile data) {
    auto next = std::make_unique<DatasetFile>(std::move(data));
    if (split == Split::Train && trainer_) trainer_->set_data(next.get());  // validates shapes first
    data_[int(split)] = std::move(next);
}

const DatasetFile& Session::dataset(Split split) const {
    require(data_[int(split)] != nullptr, "no ", split == Split::Train ? "training" : "test", " set loaded");
    return *data_[int(split)];
}

StepStats Session::train_steps(std::uint32_t n) { return trainer().train_steps(n); }

LossTerms Session::evaluate(Split split, std::size_t start, std::size_t count) {
    return trainer().evaluate(dataset(split), start, count);
}

std::vector<float> Session::reconstruct(const std::vector<float>& x, std::size_t n) {
    return infer(Infer::Reconstruct, x, n);
}
std::vector<float> Session::encode(const std::vector<float>& x, std::size_t n) { return infer(Infer::Encode, x, n); }
std::vector<float> Session::decode(const std::vector<float>& z, std::size_t n) { return infer(Infer::Decode, z, n); }
std::vector<float> Session::posterior(const std::vector<float>& x, std::size_t n) {
    return infer(Infer::Posterior, x, n);
}

// x (n, D_in) → out (n, D_out), a few hundred rows at a time (Trainer::eval_rows) in eval mode.
std::vector<float> Session::infer(Infer what, const std::vector<float>& x, std::size_t n) {
    Autoencoder& m = model();
    const char* name = what == Infer::Reconstruct ? "reconstruct"
                       : what == Infer::Encode    ? "encode"
                       : what == Infer::Decode    ? "decode"
                                                  : "posterior";
    const std::size_t d_in = what == Infer::Decode ? m.latent_size() : m.input_size();
    const std::size_t d_out = what == Infer::Encode      ? m.latent_size()
                              : what == Infer::Posterior ? 2 * m.latent_size()
                                                         : m.input_size();
    const std::size_t values = checked_mul(n, d_in, name);
    require(x.size() == values, name, ": expected ", n, " x ", d_in, " = ", values, " values, got ", x.size());
    std::vector<float> out(checked_mul(n, d_out, name));
    const Context ctx{Mode::Eval, &trainer().rng()};
    const std::size_t chunk = trainer().eval_rows();
    for (std::size_t r0 = 0; r0 < n; r0 += chunk) {
        const std::size_t b = std::min(chunk, n - r0);
        ensure_shape(in_, b, d_in);
        std::copy(x.begin() + r0 * d_in, x.begin() + (r0 + b) * d_in, in_.data());
        const Mat& y = what == Infer::Reconstruct ? m.reconstruct(in_, ctx)
                       : what == Infer::Encode    ? m.encode(in_, ctx)
                       : what == Infer::Decode    ? m.decode(in_, ctx)
                                                  : m.posterior(in_, ctx);
        std::copy(y.begin(), y.end(), out.begin() + r0 * d_out);
    }
    return out;
}

double Session::prior_log_likelihood(Split split, std::size_t start, std::size_t count) {
    Autoencoder& m = model();
    const Adversary& adv = m.adversary();
    const DatasetFile& ds = dataset(split);
    const std::size_t d = m.input_size(), Z = m.latent_size();
    require(std::size_t(ds.height) * ds.width == d, "the images have ", ds.height, "x", ds.width,
            " pixels but the model expects ", d);
    require(start < ds.count, "prior log-likelihood: start ", start, " is past the end of the set (", ds.count,
            " images)");
    const std::size_t n = count ? std::min<std::size_t>(count, ds.count - start) : ds.count - start;
    const Context ctx{Mode::Eval, &trainer().rng()};
    double sum = 0;
    for (std::size_t i = 0; i < n; i += 500) {
        const std::size_t b = std::min<std::size_t>(500, n - i);
        ensure_shape(in_, b, d);
        pixels_to_unit(ds.pixels.data() + (start + i) * d, b, d, in_.data());
        const Mat& z = m.encode(in_, ctx);
        for (std::size_t k = 0; k < b; ++k) sum += prior_log_density(adv.prior(), z.data() + k * Z, Z);
    }
    return sum / double(n);
}

std::vector<float> Session::sample_prior(std::size_t n, std::uint64_t seed, std::vector<std::uint8_t>& components,
                                         const std::uint8_t* classes) {
    const Adversary& adv = model().adversary();
    const std::size_t Z = adv.latent();
    Mat z({n, Z});
    components.assign(n, 0);
    Rng rng(seed);
    ae::sample_prior(adv.prior(), n, Z, classes, rng, z.data(), components.data());
    return std::vector<float>(z.begin(), z.end());
}

std::vector<float> Session::discriminate(const std::vector<float>& z, std::size_t n, const std::uint8_t* classes) {
    Autoencoder& m = model();
    Adversary& adv = m.adversary();
    const std::size_t Z = m.latent_size(), values = checked_mul(n, Z, "discriminate");
    require(z.size() == values, "discriminate: expected ", n, " x ", Z, " = ", values, " values, got ", z.size());
    const Context ctx{Mode::Eval, &trainer().rng()};
    std::vector<float> p(n);
    const std::size_t chunk = trainer().eval_rows();
    for (std::size_t r0 = 0; r0 < n; r0 += chunk) {
        const std::size_t b = std::min(chunk, n - r0);
        ensure_shape(in_, b, Z);
        std::copy(z.begin() + r0 * Z, z.begin() + (r0 + b) * Z, in_.data());
        const Mat& logits = adv.logits(in_, classes ? classes + r0 : nullptr, ctx);
        for (std::size_t i = 0; i < b; ++i) p[r0 + i] = float(1.0 / (1.0 + std::exp(-double(logits(i, 0)))));
    }
    return p;
}

Session::SequenceDecoding Session::decode_sequence(const std::vector<float>& z, std::size_t n) {
    Autoencoder& m = model();
    const ModelConfig& cfg = m.config();
    require(cfg.is_sequence(), "decoding step by step needs a recurrent model (variant 'sequence'), not '", cfg.variant,
            "'");
    Sequential& dec = m.decoder();
    const auto* gru = dynamic_cast<const GRU*>(&dec[dec.size() - 2]);  // before the per-step Dense
    require(gru != nullptr, "internal: the sequence decoder's last recurrent layer is missing");
    const std::size_t Z = m.latent_size(), D = m.input_size(), TH = cfg.input.h * gru->hidden();
    const std::size_t values = checked_mul(n, Z, "decodeSteps");
    require(z.size() == values, "decodeSteps: expected ", n, " x ", Z, " = ", values, " values, got ", z.size());
    SequenceDecoding out;
    out.rows.resize(checked_mul(n, D, "decodeSteps"));
    out.states.resize(checked_mul(n, TH, "decodeSteps"));
    out.steps = cfg.input.h;
    out.step_size = cfg.input.w;
    out.hidden = gru->hidden();
    const Context ctx{Mode::Eval, &trainer().rng()};
    const std::size_t chunk = trainer().eval_rows();
    for (std::size_t r0 = 0; r0 < n; r0 += chunk) {  // the states are the last forward's: chunk by chunk
        const std::size_t b = std::min(chunk, n - r0);
        ensure_shape(in_, b, Z);
        std::copy(z.begin() + r0 * Z, z.begin() + (r0 + b) * Z, in_.data());
        const Mat& y = m.decode(in_, ctx);
        std::copy(y.begin(), y.end(), out.rows.begin() + r0 * D);
        std::copy(gru->states().begin(), gru->states().end(), out.states.begin() + r0 * TH);
    }
    return out;
}

std::vector<float> Session::images(Split split, const std::vector<std::uint32_t>& indices) const {
    const DatasetFile& ds = dataset(split);
    const std::size_t d = std::size_t(ds.height) * ds.width;
    std::vector<float> out(checked_mul(indices.size(), d, "images"));
    for (std::size_t i = 0; i < indices.size(); ++i) {
        require(indices[i] < ds.count, "image index ", indices[i], " is out of range (the set has ", ds.count,
                " images)");
        const std::uint8_t* src = ds.pixels.data() + std::size_t(indices[i]) * d;
        for (std::size_t k = 0; k < d; ++k) out[i * d + k] = float(src[k]) / 255.0f;
    }
    return out;
}

std::vector<std::uint8_t> Session::labels(Split split, const std::vector<std::uint32_t>& indices) const {
    const DatasetFile& ds = dataset(split);
    std::vector<std::uint8_t> out;
    for (std::uint32_t i : indices) {
        require(i < ds.count, "image index ", i, " is out of range (the set has ", ds.count, " images)");
        out.push_back(ds.labels[i]);
    }
    return out;
}

std::string Session::model_config_json() const {
    require(trainer_ != nullptr, "no model: configure one first");
    return to_json(trainer_->model().config());
}

std::string Session::train_config_json() const {
    require(trainer_ != nullptr, "no model: configure one first");
    return to_json(trainer_->config());
}

std::vector<std::uint8_t> Session::save_model(const std::string& history_json, bool with_optimizer) const {
    require(trainer_ != nullptr, "no model to save: configure one first");
    SaveOptions options;
    options.with_optimizer = with_optimizer;
    return write_model_file(*trainer_, history_json, options);
}

std::string Session::load_model(const std::uint8_t* bytes, std::size_t size) {
    const ModelFile file = read_model_file(bytes, size);
    auto next = restore_trainer(file);                 // complete before anything is replaced
    if (data_[0]) next->set_data(data_[0].get());      // the saved epoch position needs the set
    trainer_ = std::move(next);
    return file.history_json;
}

std::vector<std::uint8_t> Session::export_npz() const {
    require(trainer_ != nullptr, "no model to export: configure one first");
    return ae::export_npz(trainer_->model());
}

}  // namespace ae

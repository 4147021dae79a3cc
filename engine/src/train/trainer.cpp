#include "train/trainer.hpp"

#include <cmath>

#include "core/error.hpp"
#include "kernels/elementwise.hpp"
#include "optim/clip.hpp"
#include "train/adversarial_step.hpp"
#include "train/cost.hpp"
#include "train/diverged.hpp"

namespace ae {

void pixels_to_unit(const std::uint8_t* src, std::size_t n, std::size_t d, Scalar* dst) {
    kernels::u8_to_unit(src, n * d, dst);  // vectorised: x · (1/255)
}

Trainer::Trainer(const ModelConfig& model, const TrainConfig& train) : cfg_(train) {
    validate(train, model);
    noise_ = parse_noise(train.noise);
    eval_rows_ = ae::eval_rows(model_size(model));
    model_ = std::make_unique<Autoencoder>(model);
    model_->set_penalties(train.penalties);
    make_optimizers();
    reset();
}

// One optimizer per phase, of the kind the training config names, each with its own state.
void Trainer::make_optimizers() {
    opt_ = make_optimizer(cfg_.optimizer);
    if (!model_->is_adversarial()) return;
    disc_opt_ = make_optimizer(cfg_.optimizer);
    gen_opt_ = make_optimizer(cfg_.optimizer);
}

void Trainer::attach_optimizers() {
    opt_->attach(model_->params());
    if (!model_->is_adversarial()) return;
    disc_opt_->attach(model_->adversary_params());
    gen_opt_->attach(model_->encoder_params());
}

void Trainer::set_config(const TrainConfig& cfg) {
    validate(cfg, model_->config());
    std::unique_ptr<Optimizer> next, next_disc, next_gen;
    if (cfg.optimizer.name != cfg_.optimizer.name) {
        next = make_optimizer(cfg.optimizer);
        next->attach(model_->params());
        if (model_->is_adversarial()) {
            next_disc = make_optimizer(cfg.optimizer);
            next_disc->attach(model_->adversary_params());
            next_gen = make_optimizer(cfg.optimizer);
            next_gen->attach(model_->encoder_params());
        }
    }
    std::vector<std::uint32_t> view;
    const bool refilter = train_ && cfg.class_filter != cfg_.class_filter;
    if (refilter) view = make_view(*train_, subset_, cfg.class_filter);
    // Nothing below throws: the change is all or nothing.
    if (refilter) {  // another set of images: a new epoch over them
        view_ = std::move(view);
        order_.clear();
        pos_ = 0;
        resume_ = 0;
    }
    if (next) {
        opt_ = std::move(next);
        disc_opt_ = std::move(next_disc);
        gen_opt_ = std::move(next_gen);
    } else {
        opt_->set_config(cfg.optimizer);
        if (disc_opt_) disc_opt_->set_config(cfg.optimizer);
        if (gen_opt_) gen_opt_->set_config(cfg.optimizer);
    }
    model_->set_penalties(cfg.penalties);
    noise_ = parse_noise(cfg.noise);
    cfg_ = cfg;
}

void Trainer::reset() {
    rng_.reseed(cfg_.seed);
    epoch_rng_ = rng_.state();
    model_->init(rng_);
    attach_optimizers();
    step_ = epoch_ = resume_ = 0;
    order_.clear();
    pos_ = 0;
}

std::vector<std::uint32_t> Trainer::make_view(const DatasetFile& data, const std::vector<std::uint32_t>& subset,
                                              const ClassFilter& filter) const {
    std::vector<std::uint32_t> all = filter_indices(data, filter);
    if (subset.empty()) return all;
    std::vector<std::uint32_t> out;
    for (std::uint32_t i : subset) {
        require(i < data.count, "training subset: image ", i, " is out of range (the set has ", data.count, " images)");
        if (filter.keeps(data.labels[i])) out.push_back(i);
    }
    require(!out.empty(), "class filter '", describe(filter), "' leaves none of the ", subset.size(),
            " images chosen for training");
    return out;
}

void Trainer::set_data(const DatasetFile* train, const std::vector<std::uint32_t>* subset) {
    if (train) {
        require(std::size_t(train->height) * train->width == model_->input_size(), "the training images have ",
                train->height, "x", train->width, " pixels but the model expects ", model_->input_size());
        require(train->count > 0, "the training set is empty");
    }
    if (train && model_->config().prior_labels)
        require(train->classes <= kMixtureComponents, "the aae model draws each image's prior sample from the ",
                "Gaussian of its class (prior_labels), and the mixture has ", kMixtureComponents,
                "; this training set has ", train->classes, " classes");
    std::vector<std::uint32_t> sub = subset ? *subset : std::vector<std::uint32_t>();
    std::vector<std::uint32_t> view;
    if (train) view = make_view(*train, sub, cfg_.class_filter);
    if (train && resume_)
        require(resume_ < view.size(), "the restored training position (", resume_,
                " samples into the epoch) is past the end of this training set (", view.size(),
                " images", cfg_.class_filter.mode == ClassFilter::Mode::All ? "" : " of class filter '" + describe(cfg_.class_filter) + "'",
                "): load the set the model was trained on");
    train_ = train;
    subset_ = std::move(sub);
    view_ = std::move(view);
    order_.clear();
    pos_ = 0;
    if (train_ && resume_) rebuild_epoch(std::size_t(resume_));
}

void Trainer::start_epoch() {
    order_ = view_;
    epoch_rng_ = rng_.state();
    rng_.shuffle(order_);
    pos_ = 0;
}

// The epoch a restored position is in: the same shuffle from the saved generator state,
// without touching the current generator.
void Trainer::rebuild_epoch(std::size_t position) {
    Rng r;
    r.set_state(epoch_rng_);
    order_ = view_;
    r.shuffle(order_);
    pos_ = position;
    resume_ = 0;
}

void Trainer::finish_epoch() {
    pos_ = order_.size();
    ++epoch_;
}

// Batch norm cannot take a batch of one image, so with batch norm a last partial batch of a
// single image is skipped (a different image each epoch, as the order is reshuffled).
std::size_t Trainer::steps_per_epoch() const {
    if (!train_) return 1;
    const std::size_t n = view_.size(), b = cfg_.batch_size, rem = n % b;
    const std::size_t spe = n / b + (rem > 1 || (rem == 1 && !model_->config().batchnorm) ? 1 : 0);
    return spe ? spe : 1;
}

double Trainer::lr() const {
    // Steps taken in this epoch: ⌈pos / batch⌉ (exact while the batch size is unchanged).
    const std::size_t pos = resume_ ? std::size_t(resume_) : (pos_ < order_.size() ? pos_ : 0);
    const double taken = std::ceil(double(pos) / double(cfg_.batch_size));
    const double frac = std::min(1.0, taken / double(steps_per_epoch()));
    return scheduled_lr(cfg_.optimizer.lr, cfg_.schedule, double(epoch_) + frac);
}

void Trainer::load_batch(const DatasetFile& data, const std::uint32_t* idx, std::size_t n, Mat& out) const {
    const std::size_t d = model_->input_size();
    ensure_shape(out, n, d);
    kernels::gather_u8_to_unit(data.pixels.data(), d, idx, n, out.data());
}

StepStats Trainer::train_steps(std::uint32_t n) {
    require(train_ != nullptr, "no training data: load a dataset before training");
    StepStats s;
    s.lr = lr();
    const Context ctx{Mode::Train, &rng_};
    const bool batchnorm = model_->config().batchnorm;
    for (std::uint32_t k = 0; k < n; ++k) {
        if (order_.empty() || pos_ >= order_.size()) start_epoch();
        const std::size_t b = std::min(cfg_.batch_size, order_.size() - pos_);
        load_batch(*train_, order_.data() + pos_, b, x_);
        const Mat* input = &x_;
        if (noise_ != NoiseKind::None) {
            corrupt(noise_, cfg_.noise_amount, x_, xn_, rng_);
            input = &xn_;
        }
        const double step_lr = lr();
        LossTerms terms;
        if (model_->is_adversarial()) {
            terms = adversarial_train_step(*input, order_.data() + pos_, b, step_lr, ctx);
        } else {
            terms = model_->forward_backward(*input, x_, ctx);
            if (!std::isfinite(terms.total())) loss_diverged(terms, step_ + 1, step_lr, "training");
            if (cfg_.clip_norm > 0) clip_by_global_norm(model_->params(), cfg_.clip_norm);
            opt_->step(model_->params(), step_lr);
            if (!opt_->last_step_finite()) update_diverged(model_->params(), *opt_, step_ + 1, step_lr);
        }
        pos_ += b;
        ++step_;
        s.loss += terms;
        s.samples += b;
        s.lr = step_lr;
        ++s.steps;
        if (pos_ >= order_.size() || (batchnorm && order_.size() - pos_ == 1)) {
            finish_epoch();
            s.epoch_end = true;
        }
    }
    if (s.steps) s.loss = s.loss.scaled(1.0 / s.steps);
    s.step = step_;
    s.epoch = epoch_;
    s.epoch_progress = order_.empty() || pos_ >= order_.size() ? 0.0 : double(pos_) / double(order_.size());
    return s;
}

void Trainer::sample_prior(const std::uint8_t* labels, std::size_t n, Rng& rng) {
    Adversary& adv = model_->adversary();
    ensure_shape(prior_, n, adv.latent());
    ae::sample_prior(adv.prior(), n, adv.latent(), adv.uses_labels() ? labels : nullptr, rng, prior_.data());
}

LossTerms Trainer::adversarial_train_step(const Mat& input, const std::uint32_t* idx, std::size_t n, double step_lr,
                                          const Context& ctx) {
    labels_.resize(n);
    for (std::size_t i = 0; i < n; ++i) labels_[i] = train_->labels[idx[i]];
    sample_prior(labels_.data(), n, rng_);
    // The schedule scales the adversarial phases' rate as it scales lr.
    const double adv_lr = cfg_.adversarial_base_lr() * (step_lr / cfg_.optimizer.lr);
    return adversarial_step(*model_, {input, x_, labels_.data(), prior_}, ctx, {*opt_, *disc_opt_, *gen_opt_},
                            step_lr, adv_lr, cfg_.clip_norm, step_ + 1);
}

LossTerms Trainer::evaluate(const DatasetFile& data, std::size_t start, std::size_t count) {
    const std::size_t d = model_->input_size();
    require(std::size_t(data.height) * data.width == d, "the images have ", data.height, "x", data.width,
            " pixels but the model expects ", d);
    require(start < data.count || (start == 0 && data.count == 0), "evaluate: start ", start,
            " is past the end of the set (", data.count, " images)");
    const std::size_t n = count ? std::min<std::size_t>(count, data.count - start) : data.count - start;
    const std::size_t chunk = eval_rows_;
    Rng eval_rng(cfg_.seed ^ (0x5DEECE66Dull * (std::uint64_t(start) + 1)));
    const Context ctx{Mode::Eval, &eval_rng};
    LossTerms sum;
    for (std::size_t i = 0; i < n; i += chunk) {
        const std::size_t b = std::min(chunk, n - i);
        ensure_shape(eval_x_, b, d);
        pixels_to_unit(data.pixels.data() + (start + i) * d, b, d, eval_x_.data());
        const Mat* input = &eval_x_;
        if (noise_ != NoiseKind::None) {
            corrupt(noise_, cfg_.noise_amount, eval_x_, eval_xn_, eval_rng);
            input = &eval_xn_;
        }
        LossTerms t = model_->loss(*input, eval_x_, ctx);
        if (model_->is_adversarial()) {
            const std::uint8_t* labels = data.labels.data() + start + i;
            const Mat& q = model_->encode(*input, ctx);
            sample_prior(labels, b, eval_rng);
            t.disc = model_->adversary().discriminator_loss(prior_, q, labels, ctx, false);
            t.gen = model_->adversary().generator_loss(q, labels, ctx, false);
        }
        sum += t.scaled(double(b));
    }
    if (!std::isfinite(sum.total())) loss_diverged(sum, step_, lr(), "evaluation");
    return n ? sum.scaled(1.0 / double(n)) : sum;
}

Trainer::Position Trainer::position() const {
    Position p;
    p.step = step_;
    p.epoch = epoch_;
    p.position = resume_ ? resume_ : (pos_ < order_.size() ? pos_ : 0);
    p.rng = rng_.state();
    // Between epochs the next shuffle draws from the generator as it is now.
    p.epoch_rng = p.position ? epoch_rng_ : p.rng;
    return p;
}

void Trainer::restore_position(const Position& p) {
    if (train_ && p.position)
        require(p.position < view_.size(), "the restored training position (", p.position,
                " samples into the epoch) is past the end of the training set (", view_.size(), " images)");
    step_ = p.step;
    epoch_ = p.epoch;
    rng_.set_state(p.rng);
    epoch_rng_ = p.epoch_rng;
    order_.clear();
    pos_ = 0;
    resume_ = p.position;
    if (train_ && resume_) rebuild_epoch(std::size_t(resume_));
}

}  // namespace ae

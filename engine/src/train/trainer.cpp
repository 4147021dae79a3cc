#include "train/trainer.hpp"

#include <cmath>

#include "core/error.hpp"

namespace ae {

void pixels_to_unit(const std::uint8_t* src, std::size_t n, std::size_t d, Scalar* dst) {
    const Scalar inv = Scalar(1) / Scalar(255);
    for (std::size_t i = 0, m = n * d; i < m; ++i) dst[i] = Scalar(src[i]) * inv;
}

Trainer::Trainer(const ModelConfig& model, const TrainConfig& train)
    : cfg_(train), model_(std::make_unique<Autoencoder>(model)), opt_(make_optimizer(train.optimizer)) {
    reset();
}

void Trainer::set_config(const TrainConfig& cfg) {
    validate(cfg.optimizer);
    require(cfg.batch_size >= 1, "batch size must be at least 1");
    if (cfg.optimizer.name != cfg_.optimizer.name) {
        opt_ = make_optimizer(cfg.optimizer);
        opt_->attach(model_->params());
    } else {
        opt_->set_config(cfg.optimizer);
    }
    cfg_ = cfg;
}

void Trainer::reset() {
    rng_.reseed(cfg_.seed);
    model_->init(rng_);
    opt_->attach(model_->params());
    step_ = epoch_ = 0;
    order_.clear();
    pos_ = 0;
}

void Trainer::set_data(const DatasetFile* train) {
    if (train) {
        require(std::size_t(train->height) * train->width == model_->input_size(), "the training images have ",
                train->height, "x", train->width, " pixels but the model expects ", model_->input_size());
        require(train->count > 0, "the training set is empty");
    }
    train_ = train;
    order_.clear();
    pos_ = 0;
}

void Trainer::start_epoch() {
    order_.resize(train_->count);
    for (std::uint32_t i = 0; i < train_->count; ++i) order_[i] = i;
    rng_.shuffle(order_);
    pos_ = 0;
}

void Trainer::load_batch(const DatasetFile& data, const std::uint32_t* idx, std::size_t n, Mat& out) const {
    const std::size_t d = model_->input_size();
    ensure_shape(out, n, d);
    for (std::size_t i = 0; i < n; ++i)
        pixels_to_unit(data.pixels.data() + std::size_t(idx[i]) * d, 1, d, out.data() + i * d);
}

StepStats Trainer::train_steps(std::uint32_t n) {
    require(train_ != nullptr, "no training data: load a dataset before training");
    StepStats s;
    const Context ctx{Mode::Train, &rng_};
    for (std::uint32_t k = 0; k < n; ++k) {
        if (order_.empty() || pos_ >= order_.size()) start_epoch();
        const std::size_t b = std::min(cfg_.batch_size, order_.size() - pos_);
        load_batch(*train_, order_.data() + pos_, b, x_);
        const LossTerms terms = model_->forward_backward(x_, x_, ctx);
        if (!std::isfinite(terms.total()))
            fail("training diverged: the loss became ", terms.total(), " at step ", step_ + 1,
                 "; the weights were not updated. Lower the learning rate or reset the model.");
        opt_->step(model_->params(), cfg_.optimizer.lr);
        pos_ += b;
        ++step_;
        s.loss += terms;
        s.samples += b;
        ++s.steps;
        if (pos_ >= order_.size()) {
            ++epoch_;
            s.epoch_end = true;
        }
    }
    if (s.steps) s.loss = s.loss.scaled(1.0 / s.steps);
    s.step = step_;
    s.epoch = epoch_;
    s.epoch_progress = order_.empty() || pos_ >= order_.size() ? 0.0 : double(pos_) / double(order_.size());
    return s;
}

LossTerms Trainer::evaluate(const DatasetFile& data, std::size_t start, std::size_t count) {
    const std::size_t d = model_->input_size();
    require(std::size_t(data.height) * data.width == d, "the images have ", data.height, "x", data.width,
            " pixels but the model expects ", d);
    require(start < data.count || (start == 0 && data.count == 0), "evaluate: start ", start,
            " is past the end of the set (", data.count, " images)");
    const std::size_t n = count ? std::min<std::size_t>(count, data.count - start) : data.count - start;
    const std::size_t chunk = 500;
    const Context ctx{Mode::Eval, &rng_};
    LossTerms sum;
    for (std::size_t i = 0; i < n; i += chunk) {
        const std::size_t b = std::min(chunk, n - i);
        ensure_shape(eval_x_, b, d);
        pixels_to_unit(data.pixels.data() + (start + i) * d, b, d, eval_x_.data());
        sum += model_->loss(eval_x_, eval_x_, ctx).scaled(double(b));
    }
    return n ? sum.scaled(1.0 / double(n)) : sum;
}

}  // namespace ae

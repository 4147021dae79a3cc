#include "train/train_run.hpp"

#include <algorithm>

#include "analysis/model_on_view.hpp"
#include "core/error.hpp"

namespace ae {

namespace {
constexpr std::size_t kEvalSlice = 256;

double mean(const std::vector<float>& v) {
    double s = 0;
    for (float x : v) s += x;
    return v.empty() ? 0.0 : s / double(v.size());
}
}  // namespace

TrainRun::TrainRun(const TrainRunSpec& spec, const DatasetFile& train, const DatasetFile& test)
    : spec_(spec), train_(&train), test_(&test) {
    require(spec.epochs >= 1 && spec.epochs <= 100000, "training run: epochs must be in [1, 100000], got ", spec.epochs);
    for (std::uint32_t i : spec.eval_train)
        require(i < train.count, "training run: training image ", i, " is out of range (", train.count, " images)");
    for (std::uint32_t i : spec.eval_test)
        require(i < test.count, "training run: test image ", i, " is out of range (", test.count, " images)");
    trainer_ = std::make_unique<Trainer>(spec.model, spec.train);
    trainer_->set_data(&train, spec.train_subset.empty() ? nullptr : &spec_.train_subset);
    const std::size_t n = trainer_->train_view().size(), b = spec.train.batch_size;
    steps_per_epoch_ = (n + b - 1) / b;
    const auto slices = [](std::size_t m) { return (m + kEvalSlice - 1) / kEvalSlice; };
    const std::size_t evals = spec.eval_every_epoch ? spec.epochs : 1;
    units_total_ = steps_per_epoch_ * spec.epochs + evals * (slices(spec.eval_train.size()) + slices(spec.eval_test.size()));
    if (units_total_ == 0) units_total_ = 1;
}

double TrainRun::progress() const {
    return done() ? 1.0 : std::min(1.0, double(units_done_) / double(units_total_));
}

void TrainRun::next_phase() {
    eval_pos_ = 0;
    if (phase_ == Phase::EvalTrain) {
        const double bce = mean(scores_.bce), mse = mean(scores_.mse);
        pending_.train_bce = bce;
        pending_.train_mse = mse;
        scores_ = ReconScores();
        phase_ = Phase::EvalTest;
        if (spec_.eval_test.empty()) next_phase();
        return;
    }
    if (phase_ == Phase::EvalTest) {
        pending_.test_bce = mean(scores_.bce);
        pending_.test_mse = mean(scores_.mse);
        scores_ = ReconScores();
    }
    records_.push_back(pending_);
    phase_ = trainer_->epoch() >= spec_.epochs ? Phase::Done : Phase::Train;
}

void TrainRun::finish_epoch() {
    EpochRecord r;
    r.epoch = trainer_->epoch();
    r.train_loss = epoch_samples_ ? epoch_sum_.total() / double(epoch_samples_) : 0.0;
    epoch_sum_ = LossTerms();
    epoch_samples_ = 0;
    const bool last = r.epoch >= spec_.epochs;
    r.evaluated = (spec_.eval_every_epoch || last) && (!spec_.eval_train.empty() || !spec_.eval_test.empty());
    if (!r.evaluated) {
        records_.push_back(r);
        phase_ = last ? Phase::Done : Phase::Train;
        return;
    }
    pending_ = r;
    phase_ = Phase::EvalTrain;
    scores_ = ReconScores();
    if (spec_.eval_train.empty()) {
        phase_ = Phase::EvalTest;
        if (spec_.eval_test.empty()) next_phase();
    }
}

bool TrainRun::advance(std::size_t units) {
    for (std::size_t u = 0; u < units && phase_ != Phase::Done; ++u, ++units_done_) {
        if (phase_ == Phase::Train) {
            const StepStats st = trainer_->train_steps(1);
            epoch_sum_ += st.loss.scaled(double(st.samples));
            epoch_samples_ += st.samples;
            if (st.epoch_end) finish_epoch();
            continue;
        }
        const bool on_train = phase_ == Phase::EvalTrain;
        const std::vector<std::uint32_t>& idx = on_train ? spec_.eval_train : spec_.eval_test;
        const std::size_t b = std::min(kEvalSlice, idx.size() - eval_pos_);
        score_images(trainer_->model(), on_train ? *train_ : *test_, idx.data() + eval_pos_, b, scores_);
        eval_pos_ += b;
        if (eval_pos_ >= idx.size()) next_phase();
    }
    return done();
}

}  // namespace ae

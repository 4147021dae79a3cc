// A training run the page's worker (or `ae`) drives in small units: a model trained for a fixed
// number of epochs on a chosen set of images, evaluated after each epoch on chosen training and
// test images. The applications lab's latent-size sweep and its overfitting demonstration are
// made of these.
//
//   advance(units)  does at most `units` units of work: a unit is one training step (one batch)
//                   or the evaluation of up to 256 images. The worker calls it with a budget
//                   that fits its time slice, so the page stays responsive and a run can be
//                   cancelled between calls (drop the object).
//
// After every epoch (eval_every_epoch) or only the last, the model is evaluated in eval mode
// (no dropout): mean per-image BCE (summed over pixels, logs clamped at −100) and MSE (per
// pixel) on eval_train (images of the training set) and eval_test (of the test set).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "analysis/recon_scores.hpp"
#include "data/dataset_file.hpp"
#include "train/trainer.hpp"

namespace ae {

struct TrainRunSpec {
    ModelConfig model;
    TrainConfig train;
    std::size_t epochs = 1;
    std::vector<std::uint32_t> train_subset;  // images of the training set to train on (empty: all)
    std::vector<std::uint32_t> eval_train;    // training images to evaluate on (empty: none)
    std::vector<std::uint32_t> eval_test;     // test images to evaluate on (empty: none)
    bool eval_every_epoch = true;
};

struct EpochRecord {
    std::uint64_t epoch = 0;
    double train_loss = 0;           // mean per image over the epoch's steps (train mode, all terms)
    double train_bce = 0, train_mse = 0;  // eval mode on eval_train (0 when none)
    double test_bce = 0, test_mse = 0;    // eval mode on eval_test (0 when none)
    bool evaluated = false;
};

class TrainRun {
public:
    // The sets must outlive the run. Throws ae::Error on a bad spec.
    TrainRun(const TrainRunSpec& spec, const DatasetFile& train, const DatasetFile& test);

    // Does at most `units` units; returns true when the run is complete.
    bool advance(std::size_t units);
    bool done() const { return phase_ == Phase::Done; }
    // Fraction of all units done, in [0, 1].
    double progress() const;

    // One record per finished epoch, added once its evaluation is complete.
    const std::vector<EpochRecord>& records() const { return records_; }
    Trainer& trainer() { return *trainer_; }
    const TrainRunSpec& spec() const { return spec_; }

private:
    enum class Phase { Train, EvalTrain, EvalTest, Done };
    void finish_epoch();
    void next_phase();

    TrainRunSpec spec_;
    const DatasetFile* train_;
    const DatasetFile* test_;
    std::unique_ptr<Trainer> trainer_;
    Phase phase_ = Phase::Train;
    std::size_t eval_pos_ = 0;
    ReconScores scores_;
    LossTerms epoch_sum_;
    std::uint64_t epoch_samples_ = 0;
    EpochRecord pending_;  // the epoch being evaluated
    std::vector<EpochRecord> records_;
    std::size_t steps_per_epoch_ = 1, units_done_ = 0, units_total_ = 1;
};

}  // namespace ae

// The training loop, one step at a time. The trainer owns the model, the optimizer and the
// seeded generator that drives initialisation, shuffling, noise, dropout and sampling, so
// the same seed gives the same loss sequence. Callers (the page's worker, the CLI) own the
// outer loop: they call train_steps(n) in chunks and may pause or change settings between.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "data/dataset_file.hpp"
#include "models/autoencoder.hpp"
#include "optim/optimizer.hpp"
#include "train/train_config.hpp"

namespace ae {

struct StepStats {
    std::uint64_t step = 0;       // steps taken since initialisation
    std::uint64_t epoch = 0;      // completed epochs
    double epoch_progress = 0;    // fraction of the current epoch done, [0, 1)
    std::uint64_t samples = 0;    // samples trained on in this call
    std::uint32_t steps = 0;      // steps taken in this call
    bool epoch_end = false;       // an epoch finished during this call
    LossTerms loss;               // mean per image over this call's steps
};

class Trainer {
public:
    Trainer(const ModelConfig& model, const TrainConfig& train);

    Autoencoder& model() { return *model_; }
    const TrainConfig& config() const { return cfg_; }
    // Applies at the next step; optimizer state is kept. A new seed only matters after reset().
    void set_config(const TrainConfig& cfg);
    // Re-initialises weights, optimizer state, position and generator from the seed.
    void reset();

    void set_data(const DatasetFile* train);  // not owned; must outlive training
    StepStats train_steps(std::uint32_t n);

    // Mean per-image loss over images [start, start + count) (to the end when count is 0),
    // in eval mode.
    LossTerms evaluate(const DatasetFile& data, std::size_t start = 0, std::size_t count = 0);

    std::uint64_t step() const { return step_; }
    std::uint64_t epoch() const { return epoch_; }
    Rng& rng() { return rng_; }

private:
    void start_epoch();
    void load_batch(const DatasetFile& data, const std::uint32_t* idx, std::size_t n, Mat& out) const;

    TrainConfig cfg_;
    std::unique_ptr<Autoencoder> model_;
    std::unique_ptr<Optimizer> opt_;
    Rng rng_;
    const DatasetFile* train_ = nullptr;
    std::vector<std::uint32_t> order_;  // shuffled sample indices of the current epoch
    std::size_t pos_ = 0;               // next position in order_
    std::uint64_t step_ = 0, epoch_ = 0;
    Mat x_;                             // (N, D) batch
    Mat eval_x_;                        // (N, D) evaluation batch
};

// uint8 pixels → Scalar in [0, 1], n images of d pixels each.
void pixels_to_unit(const std::uint8_t* src, std::size_t n, std::size_t d, Scalar* dst);

}  // namespace ae

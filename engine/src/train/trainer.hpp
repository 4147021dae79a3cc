// The training loop, one step at a time. The trainer owns the model, the optimizer and the
// seeded generator that drives initialisation, shuffling, noise, dropout and sampling, so
// the same seed gives the same loss sequence (evaluation draws from a generator of its own,
// so evaluating never changes the training run). Callers (the page's worker, the CLI) own the
// outer loop: they call train_steps(n) in chunks and may pause or change settings between.
//
// One step:  batch x (N, D) → x̃ = corrupt(x) (noise, inputs only) → forward_backward(x̃, x)
//            → clip by global norm → optimizer step with lr = schedule(fractional epoch).
// The adversarial variant's step has three phases (train/adversarial_step.hpp), each with its own
// optimizer: the one above for the reconstruction, and one each for the discriminator and the
// generator (the encoder), with the prior samples drawn from the trainer's generator.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "data/dataset_file.hpp"
#include "data/noise.hpp"
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
    double lr = 0;                // learning rate of the last step taken (the next one's if none)
    LossTerms loss;               // mean per image over this call's steps
};

class Trainer {
public:
    // Where training stands, for model files. Restoring it (with the weights and optimizer
    // slots) continues training exactly as if it had never stopped: the current epoch's order
    // is shuffled again from epoch_rng, and `position` samples of it are skipped.
    struct Position {
        std::uint64_t step = 0;      // steps since initialisation
        std::uint64_t epoch = 0;     // completed epochs
        std::uint64_t position = 0;  // samples already taken from the current epoch's order
        Rng::State rng{};            // the generator now
        Rng::State epoch_rng{};      // the generator just before the current epoch's shuffle
    };

    // Throws ae::Error when the training config does not fit the model (see validate).
    Trainer(const ModelConfig& model, const TrainConfig& train);

    Autoencoder& model() { return *model_; }
    Optimizer& optimizer() { return *opt_; }
    // aae: the discriminator phase's and the generator phase's optimizers; null otherwise.
    Optimizer* discriminator_optimizer() { return disc_opt_.get(); }
    Optimizer* generator_optimizer() { return gen_opt_.get(); }
    const TrainConfig& config() const { return cfg_; }
    // Applies at the next step. Optimizer state is kept unless the optimizer's kind changes;
    // changing lr or the schedule keeps it. A new seed only matters after reset().
    void set_config(const TrainConfig& cfg);
    // Re-initialises weights, optimizer state, position and generator from the seed.
    void reset();

    // Not owned; must outlive training. Training uses the images the config's class filter
    // keeps (train_view()); a new set or a new filter starts a new epoch, except after
    // restore_position, whose epoch is rebuilt from the set given here (the same set that was
    // used when the position was saved; an error if it has too few images).
    // subset: train only on these images of the set (and of them, those the filter keeps); null
    // for the whole set. Copied.
    void set_data(const DatasetFile* train, const std::vector<std::uint32_t>* subset = nullptr);
    StepStats train_steps(std::uint32_t n);
    // The training images in use: indices into the set, after the class filter (empty before
    // set_data).
    const std::vector<std::uint32_t>& train_view() const { return view_; }

    // Mean per-image loss over images [start, start + count) (to the end when count is 0), in
    // eval mode (batch norm uses running statistics, dropout is off). Like PyTorch's VAE
    // example, VAEs sample z here too, and denoising models see corrupted inputs: the draws
    // come from a generator seeded from the training seed and `start`, so an evaluation
    // repeats exactly and never disturbs the training stream. The adversarial variant's disc
    // and gen terms compare the codes with as many prior samples from that generator.
    LossTerms evaluate(const DatasetFile& data, std::size_t start = 0, std::size_t count = 0);

    // The learning rate the next step will use: the schedule at the fractional epoch
    // epoch + (steps taken in this epoch) / (steps per epoch at the current batch size).
    double lr() const;
    std::uint64_t step() const { return step_; }
    std::uint64_t epoch() const { return epoch_; }
    // Images per chunk of evaluate and of inference (train/cost.hpp: eval_rows).
    std::size_t eval_rows() const { return eval_rows_; }
    Rng& rng() { return rng_; }
    Position position() const;
    // Throws ae::Error (and changes nothing) when the position does not fit the loaded data.
    void restore_position(const Position& p);

private:
    std::vector<std::uint32_t> make_view(const DatasetFile& data, const std::vector<std::uint32_t>& subset,
                                         const ClassFilter& filter) const;
    void start_epoch();
    void finish_epoch();
    void rebuild_epoch(std::size_t position);
    std::size_t steps_per_epoch() const;
    void load_batch(const DatasetFile& data, const std::uint32_t* idx, std::size_t n, Mat& out) const;
    void make_optimizers();
    void attach_optimizers();
    LossTerms adversarial_train_step(const Mat& input, const std::uint32_t* idx, std::size_t n, double step_lr,
                                     const Context& ctx);
    // prior_ (n, Z) ← samples of the model's prior, of the classes in labels with prior_labels.
    void sample_prior(const std::uint8_t* labels, std::size_t n, Rng& rng);

    TrainConfig cfg_;
    NoiseKind noise_ = NoiseKind::None;
    std::unique_ptr<Autoencoder> model_;
    std::unique_ptr<Optimizer> opt_;
    std::unique_ptr<Optimizer> disc_opt_, gen_opt_;  // aae only
    Rng rng_;
    const DatasetFile* train_ = nullptr;
    std::vector<std::uint32_t> subset_; // the images of train_ to train on (empty: all)
    std::vector<std::uint32_t> view_;   // the images of subset_ that the class filter keeps
    std::vector<std::uint32_t> order_;  // shuffled sample indices of the current epoch
    std::size_t pos_ = 0;               // next position in order_
    Rng::State epoch_rng_{};            // rng_ just before order_ was shuffled
    std::uint64_t resume_ = 0;          // restored position waiting for set_data (0: none)
    std::uint64_t step_ = 0, epoch_ = 0;
    std::size_t eval_rows_ = 1;
    Mat x_;                             // (N, D) clean batch, the target
    Mat xn_;                            // (N, D) corrupted batch, the input (noise only)
    Mat eval_x_, eval_xn_;              // (N, D) evaluation batch, clean and corrupted
    Mat prior_;                         // (N, Z) aae: prior samples for the batch
    std::vector<std::uint8_t> labels_;  // (N) aae: the batch's classes
};

// uint8 pixels → Scalar in [0, 1], n images of d pixels each.
void pixels_to_unit(const std::uint8_t* src, std::size_t n, std::size_t d, Scalar* dst);

}  // namespace ae

// The engine's public face: one object that holds a model, its trainer and the loaded
// datasets, and speaks in plain types (strings, byte and float vectors). The WASM binding
// and the native CLI are both thin layers over it.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "data/dataset_file.hpp"
#include "train/trainer.hpp"

namespace ae {

enum class Split { Train = 0, Test = 1 };
Split parse_split(const std::string& name);  // "train" | "test"

class Session {
public:
    // Builds a model with fresh weights from the training config's seed. Datasets stay loaded.
    void configure(const std::string& model_json, const std::string& train_json);
    // Changes training settings (keys absent keep their values) without touching weights.
    void set_training(const std::string& train_json);
    void reset();  // fresh weights and optimizer state from the seed

    // Parses an uncompressed AEDS file; replaces that split.
    const DatasetFile& load_dataset(Split split, const std::uint8_t* bytes, std::size_t size);
    void set_dataset(Split split, DatasetFile data);
    bool has_dataset(Split split) const { return data_[int(split)] != nullptr; }
    const DatasetFile& dataset(Split split) const;

    StepStats train_steps(std::uint32_t n);
    LossTerms evaluate(Split split, std::size_t start = 0, std::size_t count = 0);

    // n images of D floats in [0, 1] → n reconstructions; codes are Z floats each. The input
    // must hold exactly n · D (decode: n · Z) values, else ae::Error saying what it holds (code
    // "count_overflow" when n · D does not fit in size_t). Any n is fine: the model sees a few
    // hundred images at a time (Trainer::eval_rows).
    std::vector<float> reconstruct(const std::vector<float>& x, std::size_t n);
    std::vector<float> encode(const std::vector<float>& x, std::size_t n);
    std::vector<float> decode(const std::vector<float>& z, std::size_t n);
    // VAEs: n images → n rows of [μ | log σ²] (2Z floats each), the distribution the code is drawn from.
    std::vector<float> posterior(const std::vector<float>& x, std::size_t n);

    // The adversarial variant (aae) only; others refuse with ae::Error.
    //   prior_log_likelihood  the mean of log p(z) over the codes (eval mode) of images
    //                         [start, start + count) of a split (to its end when count is 0): how
    //                         well the codes fit the prior (models/prior.hpp)
    //   sample_prior          n samples (n·Z) of the prior from their own seed; for the mixture,
    //                         components[i] is each sample's Gaussian, which classes (n, when not
    //                         null) choose instead of a uniform draw
    //   discriminate          the discriminator's probability that each of n codes was drawn from
    //                         the prior (with prior_labels, given each code's class)
    double prior_log_likelihood(Split split, std::size_t start = 0, std::size_t count = 0);
    std::vector<float> sample_prior(std::size_t n, std::uint64_t seed, std::vector<std::uint8_t>& components,
                                    const std::uint8_t* classes = nullptr);
    std::vector<float> discriminate(const std::vector<float>& z, std::size_t n, const std::uint8_t* classes = nullptr);

    // The sequence variant only: n codes decoded step by step. rows (n·T·W) is what decode gives
    // (row t of an image is step t's output, computed from steps 0…t alone, so showing the rows
    // one after another replays the generation); states (n·T·H) is the decoder's last recurrent
    // layer's state after each step.
    struct SequenceDecoding {
        std::vector<float> rows, states;
        std::size_t steps = 0, step_size = 0, hidden = 0;  // T, W, H
    };
    SequenceDecoding decode_sequence(const std::vector<float>& z, std::size_t n);

    std::vector<float> images(Split split, const std::vector<std::uint32_t>& indices) const;
    std::vector<std::uint8_t> labels(Split split, const std::vector<std::uint32_t>& indices) const;

    bool configured() const { return trainer_ != nullptr; }
    Trainer& trainer();
    Autoencoder& model() { return trainer().model(); }
    std::string model_config_json() const;
    std::string train_config_json() const;

    // Model files (io/model_file.hpp, layout in io/FORMAT.md): configs, training state, weights,
    // buffers and, unless with_optimizer is false, optimizer state, so training resumes exactly.
    // history_json is stored as given (any JSON value; "" = null) and returned by load_model.
    std::vector<std::uint8_t> save_model(const std::string& history_json, bool with_optimizer = true) const;
    // All or nothing: a refused file (ae::Error saying why) leaves the current model untouched.
    std::string load_model(const std::uint8_t* bytes, std::size_t size);
    // The weights as a NumPy .npz archive (io/npz.hpp).
    std::vector<std::uint8_t> export_npz() const;

private:
    enum class Infer { Reconstruct, Encode, Decode, Posterior };
    std::vector<float> infer(Infer what, const std::vector<float>& x, std::size_t n);

    std::unique_ptr<Trainer> trainer_;
    std::array<std::unique_ptr<DatasetFile>, 2> data_;
    Mat in_;  // (N, D or Z) staging buffer for inference calls
};

}  // namespace ae

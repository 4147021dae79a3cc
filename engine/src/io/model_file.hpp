// Model files ("AEMF", format version 1): one self-describing file for a model, used by the
// page, its worker and the native `ae` program alike. Byte layout, header keys and refusals
// are documented in engine/src/io/FORMAT.md; in short, little-endian:
//
//   0       "AEMF"  · u32 version · u32 H · u32 crc32(JSON header) · u64 B · u32 crc32(bytes 0..24)
//   28      JSON header, H bytes (model and training configs, training state, history,
//           the tensor directory), space-padded so the tensor data starts 8-byte aligned
//   28+H    tensor data, B bytes: each tensor at its directory offset, 8-byte aligned
//   28+H+B  u32 crc32 of every byte before it
//
// Reading is all-or-nothing: read_model_file checks the whole file (magic, version, lengths,
// checksums, header, configs, directory, values) and restore_trainer builds a complete new
// Trainer (every tensor matched against the config) before anything is replaced; every refusal
// is an ae::Error whose message starts "model file: " and says which kind it is.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "models/config.hpp"
#include "train/train_config.hpp"
#include "train/trainer.hpp"

namespace ae {

constexpr std::uint32_t kModelFileVersion = 1;
constexpr std::size_t kModelFileFixedHeader = 28;  // bytes before the JSON header

// How tensors are stored. Quantised dtypes apply to weights only (decayed parameters);
// biases, buffers and optimizer state stay f32, and a quantised file carries no optimizer state.
enum class WeightDType { F32, F16, U8 };
WeightDType parse_weight_dtype(const std::string& name);  // "f32" | "f16" | "u8"
const char* dtype_name(WeightDType d);

struct SaveOptions {
    bool with_optimizer = true;             // optimizer slots and step count (needed to resume exactly)
    WeightDType weights = WeightDType::F32;
};

// A tensor of the model or its optimizer, by the name it has in files.
struct TensorRef {
    std::string name;                 // "encoder.0.weight", "encoder.1.running_mean", "optimizer.adam.m.0"
    std::string kind;                 // "param" | "buffer" | "optimizer"
    std::vector<std::size_t> shape;
    Scalar* data = nullptr;           // prod(shape) values
    bool weight = false;              // a decayed parameter: may be quantised
};
std::vector<TensorRef> model_tensors(Autoencoder& model);  // params, the discriminator's (aae), buffers
// The optimizers' slots: the trainer's optimizer ("optimizer.<slot>"), then for aae the
// discriminator's and the generator's ("optimizer.discriminator.<slot>", "optimizer.generator.<slot>").
std::vector<TensorRef> optimizer_tensors(Trainer& trainer);

// What a file says, checked and with every tensor decoded to float.
struct FileTensor {
    std::string name, kind, dtype;    // dtype "f32" | "f16" | "u8"
    std::vector<std::size_t> shape;
    std::uint64_t offset = 0, bytes = 0;  // within the tensor data
    std::uint32_t crc = 0;
    double min = 0, scale = 0;        // u8 only: value = min + scale · q
    std::vector<float> values;        // (prod(shape)), dequantised
};

struct TrainingState {
    std::uint64_t step = 0, epoch = 0;
    std::uint64_t position = 0;       // samples already taken from the current epoch's order
    Rng::State rng{};                 // the generator now
    Rng::State epoch_rng{};           // the generator just before the current epoch's shuffle
    std::string optimizer;            // must equal the training config's optimizer
    std::uint64_t optimizer_steps = 0;
    // aae: the discriminator's and the generator's optimizers' step counts (files of other
    // variants have none).
    std::uint64_t discriminator_optimizer_steps = 0, generator_optimizer_steps = 0;
};

struct ModelFile {
    std::uint32_t version = kModelFileVersion;
    std::uint64_t file_bytes = 0;
    ModelConfig model;
    TrainConfig train;
    TrainingState state;
    bool optimizer_state = false;     // the optimizer's slots and step count are included
    std::string weights_dtype = "f32";
    std::string history_json = "null";  // opaque to the engine (the page's loss curves, the CLI's epochs)
    std::vector<FileTensor> tensors;
};

// Serialises the trainer: configs, state, params, buffers, and (if asked and not quantised)
// optimizer slots. `history_json` is any JSON value ("" means null); invalid JSON is an error.
std::vector<std::uint8_t> write_model_file(Trainer& trainer, const std::string& history_json,
                                           const SaveOptions& options = {});

// Checks the file's structure and decodes it. Throws ae::Error("model file: ...") for: not an
// AEMF file, truncated, corrupted (checksum, naming the tensor), newer format version, invalid
// header JSON, invalid config, inconsistent tensor directory, non-finite values.
ModelFile read_model_file(const std::uint8_t* bytes, std::size_t size);

// A new Trainer in the file's state. Throws when the tensors don't match the config (missing,
// unexpected, wrong shape: named). Nothing is shared with any existing trainer.
std::unique_ptr<Trainer> restore_trainer(const ModelFile& file);

}  // namespace ae

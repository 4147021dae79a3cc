// What training a model costs, counted from its configs before anything is allocated: the
// memory at the peak of a run (so that a model too large for WebAssembly's 2 GB heap is
// refused with its numbers, not met by std::bad_alloc halfway through), and the arithmetic of
// a training step and of one reconstruction (so that the page can say a model will be too slow
// to follow the pen before it starts).
//
// Peak memory, in float32 values (× 4 bytes), B the batch size, R = max(B, E) the rows the
// forward buffers reach (evaluation and inference run E = eval_rows images at a time):
//   model      P · (2 + S) + buffers          weights, gradients, S optimizer slots per weight
//                                             (Adam and RMSprop 2, SGD 1), batch-norm statistics;
//                                             the AAE's encoder has a second set of slots (its
//                                             generator phase's optimizer)
//   batch      F · R + G · B + I · (2B + 3E) + groups
//              F forward values per image (outputs, caches), G input gradients per image,
//              I = C·H·W for the trainer's clean and noisy batch and the evaluation and
//              inference staging, and the convolutions' one-group buffers (and 2 MB for
//              the GEMM's packing buffers)
//   saving     the model file being written while all of the above is held: P · (1 + S) +
//              buffers, plus its header
//   restoring  or, more, a saved copy loaded back while all of the above is held (the page's
//              rollback after a divergence, a resume): the file's bytes, their decoded
//              values, and a whole new model built before the old one is let go
// so peak = model + batch + restoring (restoring > saving).
#pragma once
#include <cstddef>
#include <cstdint>

#include "models/config.hpp"
#include "models/factory.hpp"
#include "train/train_config.hpp"

namespace ae {

// The rows evaluation and inference put through the model at a time (Trainer::evaluate,
// Session::reconstruct/encode/decode): kEvalRows, or fewer for a model whose forward buffers
// would hold more than kEvalChunkBytes at that many (a heavy convolutional model: 64 rows of
// 4 MB each rather than 2 GB). The chunking changes no result: each image is evaluated alone.
constexpr std::size_t kEvalRows = 500;
constexpr std::uint64_t kEvalChunkBytes = 256u << 20;
std::size_t eval_rows(const ModelSize& size);

// The most a model may need at its peak: WebAssembly's heap is 2 GiB (2.15 GB), and the
// page also holds the datasets (55 MB), the bytes of a file being loaded and the allocator's
// slack.
constexpr std::uint64_t kMaxTrainingBytes = 1'500'000'000;

struct TrainingCost {
    ModelSize size;                        // the model's counts (models/factory.hpp)
    std::size_t batch_size = 0;            // B
    std::uint64_t optimizer_slots = 0;     // S, values per parameter
    double train_flops_per_sample = 0;     // 2 · (forward, weight-gradient and input-gradient MACs)
    double reconstruct_flops_per_sample = 0;  // 2 · forward MACs (encode and decode)
    std::uint64_t model_bytes = 0;         // weights, gradients, optimizer slots, buffers
    std::uint64_t batch_bytes = 0;         // everything that grows with the batch, and the groups
    std::uint64_t save_bytes = 0;          // a model file with optimizer state
    std::uint64_t restore_bytes = 0;       // loading such a file back: 2 · save_bytes + model_bytes
    std::uint64_t peak_bytes = 0;          // model_bytes + batch_bytes + restore_bytes
};

// The counts for these configs; no cap is checked (the configs must pass conv_stages).
TrainingCost training_cost(const ModelConfig& model, const TrainConfig& train);

// Throws ae::Error (code "too_much_memory"; params bytes, limitBytes, batchSize, parameters,
// activationsPerImage, modelBytes, batchBytes, saveBytes, restoreBytes) when training_cost's
// peak is above kMaxTrainingBytes.
void check_training_memory(const ModelConfig& model, const TrainConfig& train);

}  // namespace ae

// Choosing the latent size: the same autoencoder trained with each code size k of a list (a
// few epochs on a subset of the training images), its test error against k, beside PCA's test
// error for every k from 1 to the largest (one fit with the largest k gives them all: the
// error curve of analysis/pca.hpp). Driven in units like TrainRun (train/train_run.hpp):
//
//   PCA phase   accumulate the training subset (a unit = 256 images), fit (one unit: the
//               eigen-decomposition, about 0.3 s natively for 784 pixels), the error curve on
//               the test subset (a unit = 256 images)
//   AE phase    one TrainRun per k, evaluated on the test subset after its last epoch
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "analysis/pca.hpp"
#include "train/train_run.hpp"

namespace ae {

struct SweepSpec {
    ModelConfig model;                        // the architecture; its latent size is replaced by each k
    TrainConfig train;
    std::vector<std::size_t> latents;         // k values, each in [1, 4096]
    std::size_t epochs = 3;
    std::vector<std::uint32_t> train_subset;  // training images (empty: all)
    std::vector<std::uint32_t> test_subset;   // test images to measure on (must not be empty)
    bool pca = true;
};

struct SweepPoint {
    std::size_t k = 0;
    bool done = false;
    double test_bce = 0, test_mse = 0;  // the autoencoder's, mean per image (BCE) and per pixel (MSE)
    double train_loss = 0;              // mean over its last epoch's steps
};

class LatentSweep {
public:
    LatentSweep(const SweepSpec& spec, const DatasetFile& train, const DatasetFile& test);
    bool advance(std::size_t units);
    bool done() const { return next_ >= spec_.latents.size() && pca_done(); }
    double progress() const;

    const std::vector<SweepPoint>& points() const { return points_; }
    // PCA's test MSE per pixel (unclipped) for k = 0 … max k (index k); empty until computed.
    const std::vector<double>& pca_mse() const { return pca_mse_; }

private:
    bool pca_done() const { return !spec_.pca || !pca_mse_.empty(); }

    SweepSpec spec_;
    const DatasetFile* train_;
    const DatasetFile* test_;
    std::vector<std::uint32_t> pca_train_;
    std::unique_ptr<PcaAccumulator> acc_;
    std::optional<Pca> pca_;
    std::size_t pca_pos_ = 0;
    std::vector<double> pca_sum_;
    std::vector<double> pca_mse_;
    std::unique_ptr<TrainRun> run_;
    std::size_t next_ = 0;  // index of the k being trained
    std::vector<SweepPoint> points_;
};

}  // namespace ae

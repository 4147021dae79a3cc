// A model or a PCA fit applied to a view of a dataset (data/dataset_view.hpp) in chunks of 256
// images: codes, per-image reconstruction scores (analysis/recon_scores.hpp), and PCA fitted on
// a view. Shared by `ae` and the page's binding; the caller chooses how many images one call
// handles, so the worker can stay within its time budget.
#pragma once
#include <cstdint>
#include <vector>

#include "analysis/pca.hpp"
#include "analysis/recon_scores.hpp"
#include "core/rng.hpp"
#include "data/dataset_file.hpp"
#include "models/autoencoder.hpp"

namespace ae {

// Codes (n, Z) of the images at idx, in eval mode (a VAE's code is μ).
std::vector<float> encode_images(Autoencoder& model, const DatasetFile& data, const std::uint32_t* idx, std::size_t n);
// Reconstructions (n, D) of the images at idx, in eval mode.
std::vector<float> reconstruct_images(Autoencoder& model, const DatasetFile& data, const std::uint32_t* idx,
                                      std::size_t n);
// Appends the scores of the images at idx, reconstructed by the model, to out.
void score_images(Autoencoder& model, const DatasetFile& data, const std::uint32_t* idx, std::size_t n,
                  ReconScores& out);
// The same for PCA with k_used components (clip: reconstructions clipped to [0, 1]).
void score_images(const Pca& pca, std::size_t k_used, bool clip, const DatasetFile& data, const std::uint32_t* idx,
                  std::size_t n, ReconScores& out);
// Adds the images at idx to a PCA accumulator.
void accumulate_images(PcaAccumulator& acc, const DatasetFile& data, const std::uint32_t* idx, std::size_t n);

}  // namespace ae

// Per-image reconstruction scores: how badly a model (or PCA) redraws each image. The anomaly
// lab ranks test images by them. x (N, D) images in [0, 1], y (N, D) reconstructions.
//
//   mse      (1/D) Σ_p (y_p − x_p)²                                  mean over pixels
//   bce      −Σ_p [x_p·log y_p + (1 − x_p)·log(1 − y_p)]              summed over pixels, each log
//            clamped at −100 as PyTorch's binary_cross_entropy does; y is clipped to [0, 1] first
//            (only an identity-output model can leave it)
//   entropy  H(x) = −Σ_p [x_p log x_p + (1 − x_p) log(1 − x_p)]         (0·log 0 = 0): the image's
//            own floor of the BCE (no reconstruction gets below it); bce − entropy is the summed
//            per-pixel KL divergence, which removes the "more ink, more error" bias of the BCE
//
// Computed in double precision per image, stored as float.
#pragma once
#include <cstddef>
#include <vector>

namespace ae {

struct ReconScores {
    std::vector<float> mse, bce, entropy;  // (N) each

    std::size_t size() const { return mse.size(); }
    // bce − entropy of image i.
    float kl(std::size_t i) const { return bce[i] - entropy[i]; }
};

// Appends the scores of n images to out.
void score_reconstructions(const float* x, const float* y, std::size_t n, std::size_t d, ReconScores& out);

// The BCE of one image (as above) and its entropy floor.
double image_bce(const float* x, const float* y, std::size_t d);
double image_entropy(const float* x, std::size_t d);

}  // namespace ae

// How close a reconstruction y is to its image x, for the compression lab. One image of
// H × W values in [0, 1] (peak 1.0).
//
//   psnr   10·log10(1 / MSE), MSE the mean over pixels (in double); 100 dB when MSE is 0 or
//          the value would exceed 100 dB (the anchors' cap)
//   ssim   the structural similarity of Wang, Bovik, Sheikh & Simoncelli (2004) as
//          skimage.metrics.structural_similarity(x, y, data_range=1, gaussian_weights=True,
//          sigma=1.5, use_sample_covariance=False) computes it:
//            local means, variances and covariance under a Gaussian window, σ = 1.5, truncated
//            at 3.5σ (radius 5: 11 × 11), normalised to sum 1, applied separably;
//            S = (2 μx μy + C1)(2 σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)),
//            C1 = (0.01·1)², C2 = (0.03·1)²;
//            the mean of S over the pixels at least 5 from every edge (skimage crops the window
//            radius, so the filter's border mode never matters). Needs H, W ≥ 11.
#pragma once
#include <cstddef>

namespace ae {

constexpr double kPsnrCap = 100.0;

double psnr(const float* x, const float* y, std::size_t d);
double ssim(const float* x, const float* y, std::size_t h, std::size_t w);

}  // namespace ae

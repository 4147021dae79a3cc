#include "analysis/image_quality.hpp"

#include <array>
#include <cmath>
#include <vector>

#include "core/error.hpp"

namespace ae {

namespace {

constexpr int kRadius = 5;  // int(3.5 · 1.5 + 0.5), scipy.ndimage.gaussian_filter's truncation
constexpr double kSigma = 1.5;

std::array<double, 2 * kRadius + 1> gaussian_window() {
    std::array<double, 2 * kRadius + 1> g{};
    double sum = 0;
    for (int i = -kRadius; i <= kRadius; ++i) sum += g[std::size_t(i + kRadius)] = std::exp(-0.5 * i * i / (kSigma * kSigma));
    for (double& v : g) v /= sum;
    return g;
}

}  // namespace

double psnr(const float* x, const float* y, std::size_t d) {
    require(d >= 1, "PSNR: empty image");
    double se = 0;
    for (std::size_t p = 0; p < d; ++p) {
        const double e = double(y[p]) - double(x[p]);
        se += e * e;
    }
    const double mse = se / double(d);
    if (mse <= 0) return kPsnrCap;
    return std::min(kPsnrCap, 10.0 * std::log10(1.0 / mse));
}

double ssim(const float* x, const float* y, std::size_t h, std::size_t w) {
    const std::size_t win = 2 * kRadius + 1;
    require(h >= win && w >= win, "SSIM: the image must be at least ", win, " x ", win, " pixels, got ", h, " x ", w);
    static const std::array<double, 2 * kRadius + 1> g = gaussian_window();
    // Five maps filtered along rows first (all rows, the valid columns), then along columns.
    const std::size_t ow = w - 2 * kRadius, oh = h - 2 * kRadius;
    std::vector<double> rows(5 * h * ow);  // (5, H, OW): x, y, xx, yy, xy
    for (std::size_t r = 0; r < h; ++r)
        for (std::size_t c = 0; c < ow; ++c) {
            double s[5] = {0, 0, 0, 0, 0};
            for (std::size_t k = 0; k < win; ++k) {
                const double a = x[r * w + c + k], b = y[r * w + c + k], gk = g[k];
                s[0] += gk * a;
                s[1] += gk * b;
                s[2] += gk * a * a;
                s[3] += gk * b * b;
                s[4] += gk * a * b;
            }
            for (int m = 0; m < 5; ++m) rows[(std::size_t(m) * h + r) * ow + c] = s[m];
        }
    const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
    double total = 0;
    for (std::size_t r = 0; r < oh; ++r)
        for (std::size_t c = 0; c < ow; ++c) {
            double s[5] = {0, 0, 0, 0, 0};
            for (std::size_t k = 0; k < win; ++k)
                for (int m = 0; m < 5; ++m) s[m] += g[k] * rows[(std::size_t(m) * h + r + k) * ow + c];
            const double mx = s[0], my = s[1];
            const double vx = s[2] - mx * mx, vy = s[3] - my * my, cxy = s[4] - mx * my;
            total += ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
        }
    return total / double(oh * ow);
}

}  // namespace ae

#include "data/noise.hpp"

#include "core/error.hpp"

namespace ae {

NoiseKind parse_noise(const std::string& name) {
    if (name == "none") return NoiseKind::None;
    if (name == "gaussian") return NoiseKind::Gaussian;
    if (name == "masking") return NoiseKind::Masking;
    if (name == "salt_pepper") return NoiseKind::SaltPepper;
    fail("unknown noise '", name, "' (expected none, gaussian, masking or salt_pepper)");
}

std::string to_string(NoiseKind kind) {
    switch (kind) {
        case NoiseKind::None: return "none";
        case NoiseKind::Gaussian: return "gaussian";
        case NoiseKind::Masking: return "masking";
        case NoiseKind::SaltPepper: return "salt_pepper";
    }
    return "none";
}

void corrupt(NoiseKind kind, double amount, const Mat& clean, Mat& noisy, Rng& rng) {
    require(amount >= 0 && (kind == NoiseKind::Gaussian || amount <= 1), "noise: amount must be ",
            kind == NoiseKind::Gaussian ? ">= 0" : "in [0, 1]", ", got ", amount);
    ensure_shape(noisy, rows(clean), cols(clean));
    const Scalar* x = clean.data();
    Scalar* y = noisy.data();
    const std::size_t n = clean.size();
    switch (kind) {
        case NoiseKind::None:
            for (std::size_t i = 0; i < n; ++i) y[i] = x[i];
            break;
        case NoiseKind::Gaussian:
            for (std::size_t i = 0; i < n; ++i) {
                const Scalar v = x[i] + Scalar(amount * rng.normal());
                y[i] = v < 0 ? Scalar(0) : (v > 1 ? Scalar(1) : v);
            }
            break;
        case NoiseKind::Masking:
            for (std::size_t i = 0; i < n; ++i) y[i] = rng.bernoulli(amount) ? Scalar(0) : x[i];
            break;
        case NoiseKind::SaltPepper:
            for (std::size_t i = 0; i < n; ++i) {
                // One uniform decides both: u < p/2 → 0 (pepper), p/2 ≤ u < p → 1 (salt).
                const double u = rng.uniform();
                y[i] = u < 0.5 * amount ? Scalar(0) : (u < amount ? Scalar(1) : x[i]);
            }
            break;
    }
}

}  // namespace ae

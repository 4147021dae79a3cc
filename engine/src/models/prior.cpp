#include "models/prior.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace ae {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kLog2Pi = 1.8378770664093454836;  // log 2π

double angle(std::size_t k) { return 2 * kPi * double(k) / double(kMixtureComponents); }

// log N(x; μ, σ²)
double log_normal(double x, double mu, double sd) {
    const double u = (x - mu) / sd;
    return -0.5 * u * u - std::log(sd) - 0.5 * kLog2Pi;
}

}  // namespace

PriorKind parse_prior(const std::string& name) {
    if (name == "normal") return PriorKind::Normal;
    if (name == "mixture") return PriorKind::Mixture;
    fail("unknown prior '", name, "' (expected normal or mixture)");
}

void sample_prior(PriorKind kind, std::size_t n, std::size_t Z, const std::uint8_t* components, Rng& rng,
                  Scalar* out, std::uint8_t* drawn) {
    if (kind == PriorKind::Normal) {
        for (std::size_t i = 0; i < n * Z; ++i) out[i] = Scalar(rng.normal());
        if (drawn) std::fill(drawn, drawn + n, std::uint8_t(0));
        return;
    }
    require(Z % 2 == 0, "prior 'mixture' needs an even code size, got ", Z);
    for (std::size_t i = 0; i < n; ++i) {
        std::size_t k;
        if (components) {
            k = components[i];
            require(k < kMixtureComponents, "prior 'mixture' has ", kMixtureComponents, " components; component ", k,
                    " does not exist");
        } else {
            k = std::size_t(rng.below(kMixtureComponents));
        }
        if (drawn) drawn[i] = std::uint8_t(k);
        const double c = std::cos(angle(k)), s = std::sin(angle(k));
        for (std::size_t p = 0; p < Z; p += 2) {
            const double u = kMixtureRadius + kMixtureRadialSd * rng.normal();
            const double v = kMixtureTangentialSd * rng.normal();
            out[i * Z + p] = Scalar(u * c - v * s);
            out[i * Z + p + 1] = Scalar(u * s + v * c);
        }
    }
}

double prior_log_density(PriorKind kind, const Scalar* z, std::size_t Z) {
    if (kind == PriorKind::Normal) {
        double s = 0;
        for (std::size_t j = 0; j < Z; ++j) s += log_normal(double(z[j]), 0.0, 1.0);
        return s;
    }
    require(Z % 2 == 0, "prior 'mixture' needs an even code size, got ", Z);
    // log Σ_k (1/10) Π_pairs N(u_k; R, σ_r²) N(v_k; 0, σ_t²), by log-sum-exp over k.
    double logs[kMixtureComponents];
    double top = -INFINITY;
    for (std::size_t k = 0; k < kMixtureComponents; ++k) {
        const double c = std::cos(angle(k)), s = std::sin(angle(k));
        double l = -std::log(double(kMixtureComponents));
        for (std::size_t p = 0; p < Z; p += 2) {
            const double x = double(z[p]), y = double(z[p + 1]);
            l += log_normal(x * c + y * s, kMixtureRadius, kMixtureRadialSd) +
                 log_normal(-x * s + y * c, 0.0, kMixtureTangentialSd);
        }
        logs[k] = l;
        top = std::max(top, l);
    }
    double sum = 0;
    for (double l : logs) sum += std::exp(l - top);
    return top + std::log(sum);
}

}  // namespace ae

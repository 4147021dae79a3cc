// The engine's only source of randomness: initialisation, shuffling, noise, dropout, sampling.
// xoshiro256** seeded through splitmix64. Written out by hand (not <random> distributions)
// so that the same seed gives the same numbers natively, in WASM, and in the float and
// double builds.
#pragma once
#include <cmath>
#include <cstdint>
#include <vector>

namespace ae {

class Rng {
public:
    explicit Rng(std::uint64_t seed = 1) { reseed(seed); }

    void reseed(std::uint64_t seed) {
        std::uint64_t x = seed;
        for (auto& s : s_) s = splitmix64(x);
        has_spare_ = false;
    }

    std::uint64_t next_u64() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, 1), 53 random bits.
    double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

    // Uniform integer in [0, n), unbiased (rejection on the top bits).
    std::uint64_t below(std::uint64_t n) {
        if (n <= 1) return 0;
        const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
        std::uint64_t r;
        do r = next_u64(); while (r >= limit);
        return r % n;
    }

    // Standard normal, Box–Muller (polar form avoided: its rejection count would depend on
    // floating-point details; this form uses exactly two uniforms per pair).
    double normal() {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        double u1 = uniform();
        const double u2 = uniform();
        if (u1 < 1e-300) u1 = 1e-300;
        const double r = std::sqrt(-2.0 * std::log(u1));
        const double theta = 6.283185307179586 * u2;
        spare_ = r * std::sin(theta);
        has_spare_ = true;
        return r * std::cos(theta);
    }
    double normal(double mean, double stddev) { return mean + stddev * normal(); }

    bool bernoulli(double p) { return uniform() < p; }

    // Fisher–Yates shuffle.
    template <class T>
    void shuffle(std::vector<T>& v) {
        for (std::size_t i = v.size(); i > 1; --i) {
            const std::size_t j = static_cast<std::size_t>(below(i));
            std::swap(v[i - 1], v[j]);
        }
    }

    // Complete state, so a saved model can resume the exact same stream.
    struct State {
        std::uint64_t s[4];
        double spare;
        bool has_spare;
    };
    State state() const { return {{s_[0], s_[1], s_[2], s_[3]}, spare_, has_spare_}; }
    void set_state(const State& st) {
        for (int i = 0; i < 4; ++i) s_[i] = st.s[i];
        spare_ = st.spare;
        has_spare_ = st.has_spare;
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitmix64(std::uint64_t& x) {
        std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

    std::uint64_t s_[4]{};
    double spare_ = 0.0;
    bool has_spare_ = false;
};

}  // namespace ae

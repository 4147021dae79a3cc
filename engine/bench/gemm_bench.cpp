// GEMM throughput at the shapes of one dense training step of the 784-400-20-400-784 model at
// batch 128, plus the micro-kernel alone ("peak") and the naive kernel for scale.
//
//   l1_fwd  Y1(128, 400)  = X(128, 784) · W1(784, 400)     (N, N)
//   l4_fwd  Y4(128, 784)  = H3(128, 400) · W4(400, 784)    (N, N)
//   l4_dx   dH3(128, 400) = dY4(128, 784) · W4ᵀ            (N, T)
//   l1_dw   dW1(784, 400) = Xᵀ · dY1(128, 400)             (T, N)
//
// GFLOP/s = 2·M·N·K / seconds. Each figure is the median of 9 timings after warm-up; one timing
// covers enough calls to last ≥ 20 ms. The last line is for scripts:
//   gemm backend=<name> peak_gflops=… l1_fwd=… l4_fwd=… l4_dx=… l1_dw=…
// WASM speed varies per node process (some run every kernel at ~0.6×): run it in several fresh
// processes and report the median and max.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "kernels/gemm.hpp"
#include "kernels/gemm_naive.hpp"

namespace {

using ae::kernels::Op;
using Clock = std::chrono::steady_clock;

constexpr int kTimings = 9;
constexpr double kMinTimingSeconds = 0.02;

std::vector<float> random_matrix(std::size_t n, std::uint32_t seed) {
    std::vector<float> v(n);
    std::uint32_t s = seed * 2654435761u + 1u;
    for (auto& x : v) {
        s = s * 1664525u + 1013904223u;
        x = float(double(s >> 8) / double(1u << 23) - 1.0);
    }
    return v;
}

// Median seconds per call of fn(), after one warm-up timing that also picks the repeat count.
template <class Fn>
double median_seconds_per_call(Fn&& fn) {
    int reps = 1;
    for (;;) {  // warm-up and calibration
        const auto t0 = Clock::now();
        for (int r = 0; r < reps; ++r) fn();
        const double s = std::chrono::duration<double>(Clock::now() - t0).count();
        if (s >= kMinTimingSeconds) break;
        reps = s <= 0 ? reps * 10 : std::max(reps + 1, int(reps * 1.5 * kMinTimingSeconds / s));
    }
    std::vector<double> t(kTimings);
    for (double& x : t) {
        const auto t0 = Clock::now();
        for (int r = 0; r < reps; ++r) fn();
        x = std::chrono::duration<double>(Clock::now() - t0).count() / reps;
    }
    std::nth_element(t.begin(), t.begin() + kTimings / 2, t.end());
    return t[kTimings / 2];
}

struct Product {
    const char* key;
    const char* what;
    Op opA, opB;
    int M, N, K;
};

// Storage of op(X) as (rows, cols) with X stored transposed for Op::T.
struct Operands {
    int lda, ldb;
    std::vector<float> A, B, C;
    explicit Operands(const Product& p)
        : lda(p.opA == Op::N ? p.K : p.M),
          ldb(p.opB == Op::N ? p.N : p.K),
          A(random_matrix(std::size_t(p.M) * p.K, 1)),
          B(random_matrix(std::size_t(p.K) * p.N, 2)),
          C(std::size_t(p.M) * p.N, 0.0f) {}
};

std::string shape(const Product& p) {
    return std::to_string(p.M) + "x" + std::to_string(p.N) + "x" + std::to_string(p.K);
}
std::string ops(const Product& p) {
    return std::string("(") + (p.opA == Op::N ? "N" : "T") + "," + (p.opB == Op::N ? "N" : "T") + ")";
}

template <class Gemm>
double gflops(const Product& p, Operands& o, Gemm&& g) {
    const double s = median_seconds_per_call([&] { g(p, o); });
    return 2.0 * p.M * p.N * p.K / s * 1e-9;
}

void fast(const Product& p, Operands& o) {
    ae::kernels::gemm(p.opA, p.opB, p.M, p.N, p.K, o.A.data(), o.lda, o.B.data(), o.ldb, 0.0f,
                      o.C.data(), p.N);
}
void naive(const Product& p, Operands& o) {
    ae::kernels::gemm_naive<float>(p.opA, p.opB, p.M, p.N, p.K, o.A.data(), o.lda, o.B.data(),
                                   o.ldb, 0.0f, o.C.data(), p.N);
}

// The micro-kernel alone, back to back on one pair of packed panels (kc = 256, L1-resident).
double peak_gflops() {
    const auto tile = ae::kernels::detail::gemm_micro_tile();
    const int kc = 256;
    const auto Ap = random_matrix(std::size_t(kc) * tile.mr, 3);
    const auto Bp = random_matrix(std::size_t(kc) * tile.nr, 4);
    std::vector<float> C(std::size_t(tile.mr) * tile.nr, 0.0f);
    const int calls = 256;
    const double s = median_seconds_per_call([&] {
        ae::kernels::detail::gemm_micro_kernel(kc, Ap.data(), Bp.data(), C.data(), tile.nr, calls);
    });
    return 2.0 * tile.mr * tile.nr * kc * calls / s * 1e-9;
}

}  // namespace

int main() {
    const auto tile = ae::kernels::detail::gemm_micro_tile();
    std::printf("gemm bench: backend %s, micro-tile %dx%d, median of %d timings (M x N x K)\n",
                ae::kernels::gemm_backend(), tile.mr, tile.nr, kTimings);

    const double peak = peak_gflops();
    std::printf("  %-7s %-13s %-6s %7.1f GFLOP/s   micro-kernel alone, kc=256, packed panels in L1\n",
                "peak", "", "", peak);

    const Product products[] = {
        {"l1_fwd", "Y1 = X·W1", Op::N, Op::N, 128, 400, 784},
        {"l4_fwd", "Y4 = H3·W4", Op::N, Op::N, 128, 784, 400},
        {"l4_dx", "dH3 = dY4·W4ᵀ", Op::N, Op::T, 128, 400, 784},
        {"l1_dw", "dW1 = Xᵀ·dY1", Op::T, Op::N, 784, 400, 128},
    };
    double rate[4];
    for (int i = 0; i < 4; ++i) {
        const Product& p = products[i];
        Operands o(p);
        rate[i] = gflops(p, o, fast);
        std::printf("  %-7s %-13s %-6s %7.1f GFLOP/s   %s\n", p.key, shape(p).c_str(), ops(p).c_str(),
                    rate[i], p.what);
    }

    // The naive kernel on the first shape, and a correctness check of the fast one against it.
    {
        const Product& p = products[0];
        Operands o(p);
        const double r = gflops(p, o, naive);
        const std::vector<float> ref = o.C;
        fast(p, o);
        double err = 0.0;
        for (std::size_t i = 0; i < ref.size(); ++i) err = std::max(err, double(std::fabs(o.C[i] - ref[i])));
        std::printf("  %-7s %-13s %-6s %7.1f GFLOP/s   gemm_naive (fast vs naive: max |diff| %.1e)\n",
                    "naive", shape(p).c_str(), ops(p).c_str(), r, err);
    }

    std::printf("gemm backend=%s peak_gflops=%.1f l1_fwd=%.1f l4_fwd=%.1f l4_dx=%.1f l1_dw=%.1f\n",
                ae::kernels::gemm_backend(), peak, rate[0], rate[1], rate[2], rate[3]);
    return 0;
}

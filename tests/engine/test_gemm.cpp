// The fast GEMM (kernels/gemm.hpp) against the textbook reference (kernels/gemm_naive.hpp):
// every op combination, the model's shapes, odd and tiny shapes, submatrix views, beta, K = 0,
// and the double path.
//
// Error measure: |fast − ref| / (Σ_k |a_ik||b_kj| + |beta·c_ij| + tiny) per element, the bound
// a float dot product can promise independent of cancellation. Its maximum over C must stay
// below 1e-5 for float and 1e-12 for double.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "kernels/gemm.hpp"
#include "kernels/gemm_naive.hpp"

namespace {

using ae::kernels::gemm;
using ae::kernels::gemm_naive;
using ae::kernels::Op;

// A tiny LCG so the test data is the same natively and in WASM, independent of <random>.
class Lcg {
public:
    explicit Lcg(std::uint32_t seed) : s_(seed * 2654435761u + 1u) {}
    double uniform() {  // in [-1, 1)
        s_ = s_ * 1664525u + 1013904223u;
        return double(s_ >> 8) / double(1u << 23) - 1.0;
    }

private:
    std::uint32_t s_;
};

template <class T>
std::vector<T> random_vector(std::size_t n, std::uint32_t seed) {
    Lcg rng(seed);
    std::vector<T> v(n);
    for (auto& x : v) x = T(rng.uniform());
    return v;
}

const char* name(Op op) { return op == Op::N ? "N" : "T"; }

// One comparison. Storage: A is (M, K) for Op::N and (K, M) for Op::T, with lda = its width +
// pad_a; likewise B; C is (M, N) with ldc = N + pad_c. C starts as random values (or NaN when
// c_nan). The padding of C is filled with a sentinel that the kernel must not touch.
struct Case {
    Op opA = Op::N, opB = Op::N;
    int M = 1, N = 1, K = 1;
    int pad_a = 0, pad_b = 0, pad_c = 0;
    double beta = 0.0;
    bool c_nan = false;
    std::uint32_t seed = 1;
};

struct Result {
    double max_rel_err = 0.0;     // max over C of |fast − ref| / scale
    bool all_finite = true;       // no NaN/Inf in the logical part of C
    bool padding_intact = true;   // C's padding columns still hold the sentinel
    bool matches_naive_bits = true;  // only used for K = 0, where both must be exact
};

template <class T>
Result run_case(const Case& c) {
    const int a_rows = c.opA == Op::N ? c.M : c.K, a_cols = c.opA == Op::N ? c.K : c.M;
    const int b_rows = c.opB == Op::N ? c.K : c.N, b_cols = c.opB == Op::N ? c.N : c.K;
    const int lda = std::max(a_cols, 1) + c.pad_a;
    const int ldb = std::max(b_cols, 1) + c.pad_b;
    const int ldc = std::max(c.N, 1) + c.pad_c;
    const auto A = random_vector<T>(std::size_t(a_rows) * lda + 1, c.seed * 3 + 1);
    const auto B = random_vector<T>(std::size_t(b_rows) * ldb + 1, c.seed * 3 + 2);
    auto C0 = random_vector<T>(std::size_t(c.M) * ldc, c.seed * 3 + 3);
    const T sentinel = T(-12345.0);
    for (int i = 0; i < c.M; ++i)
        for (int j = 0; j < ldc; ++j) {
            T& x = C0[std::size_t(i) * ldc + j];
            if (j >= c.N) x = sentinel;
            else if (c.c_nan) x = std::numeric_limits<T>::quiet_NaN();
        }

    auto fast = C0, ref = C0;
    const T beta = T(c.beta);
    gemm(c.opA, c.opB, c.M, c.N, c.K, A.data(), lda, B.data(), ldb, beta, fast.data(), ldc);
    gemm_naive<T>(c.opA, c.opB, c.M, c.N, c.K, A.data(), lda, B.data(), ldb, beta, ref.data(), ldc);

    Result r;
    for (int i = 0; i < c.M; ++i)
        for (int j = 0; j < ldc; ++j) {
            const std::size_t at = std::size_t(i) * ldc + j;
            if (j >= c.N) {
                r.padding_intact = r.padding_intact && fast[at] == sentinel;
                continue;
            }
            double scale = 1e-30;
            for (int k = 0; k < c.K; ++k) {
                const double a = c.opA == Op::N ? A[std::size_t(i) * lda + k] : A[std::size_t(k) * lda + i];
                const double b = c.opB == Op::N ? B[std::size_t(k) * ldb + j] : B[std::size_t(j) * ldb + k];
                scale += std::fabs(a * b);
            }
            if (c.beta != 0.0) scale += std::fabs(c.beta * double(C0[at]));
            r.all_finite = r.all_finite && std::isfinite(double(fast[at]));
            r.max_rel_err = std::max(r.max_rel_err, std::fabs(double(fast[at]) - double(ref[at])) / scale);
            r.matches_naive_bits = r.matches_naive_bits && std::memcmp(&fast[at], &ref[at], sizeof(T)) == 0;
        }
    return r;
}

constexpr double kFloatTol = 1e-5;
constexpr double kDoubleTol = 1e-12;

// Runs the case and checks it; INFO names the case if a check fails.
template <class T>
void check_case(const Case& c, double tol) {
    INFO("op(A)=" << name(c.opA) << " op(B)=" << name(c.opB) << " M=" << c.M << " N=" << c.N
                  << " K=" << c.K << " pads=" << c.pad_a << "/" << c.pad_b << "/" << c.pad_c
                  << " beta=" << c.beta << (c.c_nan ? " C=NaN" : ""));
    const Result r = run_case<T>(c);
    CHECK(r.max_rel_err <= tol);
    CHECK(r.all_finite);
    CHECK(r.padding_intact);
}

const Op kOps[2] = {Op::N, Op::T};

// Every op combination, beta 0 and 1, on one shape.
template <class T>
void check_all_ops(int M, int N, int K, double tol, std::uint32_t seed, int pad = 0) {
    for (Op a : kOps)
        for (Op b : kOps)
            for (double beta : {0.0, 1.0}) {
                Case c;
                c.opA = a, c.opB = b, c.M = M, c.N = N, c.K = K, c.beta = beta, c.seed = seed++;
                c.pad_a = c.pad_b = c.pad_c = pad;
                check_case<T>(c, tol);
            }
}

}  // namespace

TEST_CASE("gemm_naive: hand-computed 2x2 products for every op combination") {
    // op(A) = [1 2; 3 4], op(B) = [5 6; 7 8]  →  op(A)·op(B) = [19 22; 43 50]
    const float An[] = {1, 2, 3, 4}, At[] = {1, 3, 2, 4};
    const float Bn[] = {5, 6, 7, 8}, Bt[] = {5, 7, 6, 8};
    for (Op a : kOps)
        for (Op b : kOps) {
            INFO("op(A)=" << name(a) << " op(B)=" << name(b));
            float C[4] = {100, 100, 100, 100};
            gemm_naive<float>(a, b, 2, 2, 2, a == Op::N ? An : At, 2, b == Op::N ? Bn : Bt, 2, 1.0f, C, 2);
            CHECK(C[0] == 119.0f);
            CHECK(C[1] == 122.0f);
            CHECK(C[2] == 143.0f);
            CHECK(C[3] == 150.0f);
        }
}

TEST_CASE("gemm: reports which float backend was compiled in") {
    const std::string backend = ae::kernels::gemm_backend();
#if defined(__wasm_relaxed_simd__)
    CHECK(backend == "wasm-relaxed-simd");
#elif defined(__wasm_simd128__)
    CHECK(backend == "wasm-simd128");
#elif defined(__GNUC__) && !defined(__wasm__)
    CHECK(backend == "native-vector");
#else
    CHECK(backend == "scalar");
#endif
}

TEST_CASE("gemm: every op combination matches the naive kernel on random matrices") {
    check_all_ops<float>(37, 29, 41, kFloatTol, 100);
    check_all_ops<float>(64, 48, 300, kFloatTol, 200);
    check_all_ops<float>(130, 70, 260, kFloatTol, 300);
}

TEST_CASE("gemm: the model's dense-layer shapes (784-400-20-400-784, batch 128)") {
    struct Shape {
        Op a, b;
        int M, N, K;
    };
    const Shape shapes[] = {
        // forward Y = X·W
        {Op::N, Op::N, 128, 400, 784}, {Op::N, Op::N, 128, 20, 400},
        {Op::N, Op::N, 128, 400, 20},  {Op::N, Op::N, 128, 784, 400},
        // input gradient dX = dY·Wᵀ
        {Op::N, Op::T, 128, 400, 784}, {Op::N, Op::T, 128, 20, 400}, {Op::N, Op::T, 128, 400, 20},
        // weight gradient dW = Xᵀ·dY
        {Op::T, Op::N, 784, 400, 128}, {Op::T, Op::N, 400, 20, 128},
        {Op::T, Op::N, 20, 400, 128},  {Op::T, Op::N, 400, 784, 128},
        // the last partial batch of an epoch (60000 = 468·128 + 96)
        {Op::N, Op::N, 96, 400, 784},  {Op::T, Op::N, 784, 400, 96},
    };
    std::uint32_t seed = 1000;
    for (const Shape& s : shapes) {
        Case c;
        c.opA = s.a, c.opB = s.b, c.M = s.M, c.N = s.N, c.K = s.K, c.seed = seed++;
        check_case<float>(c, kFloatTol);
    }
}

TEST_CASE("gemm: tiny, odd and prime shapes, and sizes around the block edges") {
    const int shapes[][3] = {
        {1, 1, 1},    {3, 5, 7},     {17, 33, 65},  {2, 1, 3},     {1, 97, 13},  {97, 1, 13},
        {13, 11, 1},  {1, 1, 300},   {7, 101, 2},   {31, 37, 41},  {5, 8, 256},  {6, 16, 257},
        {131, 9, 5},  {129, 50, 513}, {11, 1031, 3}, {8, 48, 255},  {127, 1025, 17},
    };
    std::uint32_t seed = 2000;
    for (const auto& s : shapes) {
        check_all_ops<float>(s[0], s[1], s[2], kFloatTol, seed);
        seed += 16;
    }
}

TEST_CASE("gemm: a column of C is the same bits whatever the product's width (half-width last panels)") {
    // A product N columns wide whose last panel has at most half a micro-tile of valid columns
    // (N = 20 on the 8-wide WASM tile: 8 + 8 + 4) computes that panel with the kernel's half
    // tile: each element must come out exactly as in a wider product, over 1 and more k blocks.
    const int M = 13, wide = 72;
    for (int K : {37, 300})
        for (Op a : kOps)
            for (Op b : kOps)
                for (int N : {1, 2, 3, 4, 5, 17, 18, 19, 20, 21, 36, 68}) {
                    INFO("op(A)=" << name(a) << " op(B)=" << name(b) << " N=" << N << " K=" << K);
                    const auto A = random_vector<float>(std::size_t(M) * K, std::uint32_t(K + 1));
                    // B stored for the wide product; the narrow one reads its first N columns.
                    const auto B = random_vector<float>(std::size_t(K) * wide, std::uint32_t(K + 2));
                    const int lda = a == Op::N ? K : M, ldb = b == Op::N ? wide : K;
                    std::vector<float> Cw(std::size_t(M) * wide), Cn(std::size_t(M) * N, -1.0f);
                    gemm(a, b, M, wide, K, A.data(), lda, B.data(), ldb, 0.0f, Cw.data(), wide);
                    gemm(a, b, M, N, K, A.data(), lda, B.data(), ldb, 0.0f, Cn.data(), N);
                    std::size_t differ = 0;
                    for (int i = 0; i < M; ++i)
                        for (int j = 0; j < N; ++j)
                            differ += std::memcmp(&Cn[std::size_t(i) * N + j], &Cw[std::size_t(i) * wide + j], sizeof(float)) != 0;
                    CHECK(differ == 0);
                }
}

TEST_CASE("gemm: submatrix views (lda, ldb, ldc wider than the logical matrix)") {
    std::uint32_t seed = 3000;
    for (int pad : {1, 3, 16}) {
        check_all_ops<float>(19, 23, 29, kFloatTol, seed, pad);
        check_all_ops<float>(128, 40, 100, kFloatTol, seed + 8, pad);
        seed += 16;
    }
    // A view into the middle of a larger buffer: only the (M, N) window of C may change.
    Case c;
    c.M = 50, c.N = 60, c.K = 70, c.pad_a = 7, c.pad_b = 11, c.pad_c = 13, c.beta = 1.0, c.seed = 3100;
    for (Op a : kOps)
        for (Op b : kOps) {
            c.opA = a, c.opB = b;
            check_case<float>(c, kFloatTol);
        }
}

TEST_CASE("gemm: beta = 0 ignores C's old contents, even NaN") {
    std::uint32_t seed = 4000;
    for (Op a : kOps)
        for (Op b : kOps)
            for (int K : {1, 300, 600}) {  // 600 spans three k blocks
                Case c;
                c.opA = a, c.opB = b, c.M = 23, c.N = 45, c.K = K, c.beta = 0.0, c.c_nan = true,
                c.pad_c = 3, c.seed = seed++;
                check_case<float>(c, kFloatTol);
                check_case<double>(c, kDoubleTol);
            }
}

TEST_CASE("gemm: beta = 1 accumulates into C, also across k blocks") {
    std::uint32_t seed = 5000;
    for (Op a : kOps)
        for (Op b : kOps)
            for (int K : {3, 256, 700}) {
                Case c;
                c.opA = a, c.opB = b, c.M = 33, c.N = 27, c.K = K, c.beta = 1.0, c.seed = seed++;
                check_case<float>(c, kFloatTol);
            }
    // Two calls accumulate exactly like one call with the summed K.
    const int M = 9, N = 10, K = 11;
    const auto A = random_vector<float>(M * 2 * K, 1), B = random_vector<float>(2 * K * N, 2);
    std::vector<float> twice(M * N, 0.0f), once(M * N, 0.0f);
    gemm(Op::N, Op::N, M, N, K, A.data(), 2 * K, B.data(), N, 0.0f, twice.data(), N);
    gemm(Op::N, Op::N, M, N, K, A.data() + K, 2 * K, B.data() + K * N, N, 1.0f, twice.data(), N);
    gemm_naive<float>(Op::N, Op::N, M, N, 2 * K, A.data(), 2 * K, B.data(), N, 0.0f, once.data(), N);
    double worst = 0.0;
    for (int i = 0; i < M * N; ++i) worst = std::max(worst, double(std::fabs(twice[i] - once[i])));
    CHECK(worst <= 1e-5);
}

TEST_CASE("gemm: other beta values scale C first") {
    Case c;
    c.M = 21, c.N = 34, c.K = 55, c.beta = 0.5, c.seed = 5500;
    for (Op a : kOps)
        for (Op b : kOps) {
            c.opA = a, c.opB = b;
            check_case<float>(c, kFloatTol);
            check_case<double>(c, kDoubleTol);
        }
}

TEST_CASE("gemm: K = 0 gives C = beta*C; M = 0 or N = 0 touches nothing") {
    for (double beta : {0.0, 1.0, 2.0}) {
        for (bool nan : {false, true}) {
            if (nan && beta != 0.0) continue;
            Case c;
            c.M = 7, c.N = 9, c.K = 0, c.beta = beta, c.c_nan = nan, c.pad_c = 2, c.seed = 6000;
            INFO("beta=" << beta << (nan ? " C=NaN" : ""));
            const Result rf = run_case<float>(c);
            CHECK(rf.matches_naive_bits);
            CHECK(rf.padding_intact);
            CHECK(rf.all_finite);
            const Result rd = run_case<double>(c);
            CHECK(rd.matches_naive_bits);
            CHECK(rd.padding_intact);
        }
    }
    float A[4] = {1, 2, 3, 4}, B[4] = {5, 6, 7, 8}, C[4] = {-1, -2, -3, -4};
    gemm(Op::N, Op::N, 0, 2, 2, A, 2, B, 2, 0.0f, C, 2);
    gemm(Op::N, Op::N, 2, 0, 2, A, 2, B, 2, 0.0f, C, 2);
    CHECK(C[0] == -1.0f);
    CHECK(C[3] == -4.0f);
}

TEST_CASE("gemm: double precision matches the naive kernel") {
    check_all_ops<double>(1, 1, 1, kDoubleTol, 7000);
    check_all_ops<double>(3, 5, 7, kDoubleTol, 7100);
    check_all_ops<double>(17, 33, 65, kDoubleTol, 7200);
    check_all_ops<double>(45, 21, 300, kDoubleTol, 7300, 5);
    Case c;
    c.M = 128, c.N = 20, c.K = 400, c.seed = 7400;
    check_case<double>(c, kDoubleTol);
    c.opA = Op::T, c.M = 400, c.N = 20, c.K = 128;
    check_case<double>(c, kDoubleTol);
}

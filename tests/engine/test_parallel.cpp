// Threads (core/parallel.hpp): how work is cut into parts, that every part runs once, and the
// claim the engine makes about threads: results are bit for bit the same for any thread count,
// for the GEMM on its own and for whole training runs of every variant. In the single-threaded
// WASM build only one thread exists, and the cases with more are skipped (max_threads() == 1);
// the threaded WASM build (ae_tests_mt) runs them all.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "kernels/gemm.hpp"
#include "train/trainer.hpp"

#include "gradcheck.hpp"  // random_mat
#include "toy_data.hpp"

using namespace ae;
using ae::test::random_mat;

namespace {

// The thread counts a case runs with: 1..4 where threads exist, else 1.
std::vector<int> thread_counts() {
    std::vector<int> out;
    for (int n = 1; n <= std::min(4, max_threads()); ++n) out.push_back(n);
    return out;
}

// Restores one thread when a case ends, whatever happened.
struct ThreadsGuard {
    ~ThreadsGuard() { set_threads(1); }
};

}  // namespace

TEST_CASE("split_range cuts [0, n) into contiguous, aligned, balanced parts") {
    for (std::size_t n : {0u, 1u, 7u, 8u, 100u, 784u, 1001u})
        for (std::size_t align : {1u, 4u, 8u, 32u})
            for (int parts = 1; parts <= 5; ++parts) {
                INFO("n=" << n << " align=" << align << " parts=" << parts);
                std::size_t next = 0, smallest = n, largest = 0;
                for (int p = 0; p < parts; ++p) {
                    const Range r = split_range(n, p, parts, align);
                    CHECK(r.begin == next);
                    CHECK(r.begin <= r.end);
                    if (r.end != n) CHECK(r.end % align == 0);
                    next = r.end;
                    smallest = std::min(smallest, r.end - r.begin);
                    largest = std::max(largest, r.end - r.begin);
                }
                CHECK(next == n);
                CHECK(largest - std::min(smallest, largest) < 2 * align);
            }
}

TEST_CASE("parallel_run runs every part once; nested loops run inline; set_threads checks its count") {
    ThreadsGuard guard;
    for (int n : thread_counts()) {
        INFO(n << " threads");
        REQUIRE(set_threads(n) == n);
        CHECK(threads() == n);
        // More parts than threads too (the parts are claimed), up to the 255 a job can have.
        for (int parts : {1, 2, n, n + 1, n * kPartsPerThread, 3 * n * kPartsPerThread + 1, 255, 300}) {
            std::vector<std::atomic<int>> seen(std::size_t(parts + 1));
            std::atomic<int> total{0};
            parallel_run(parts, [&](int part, int np) {
                seen[std::size_t(part)]++;
                total += np;
                parallel_for(100, 1, 1, [&](std::size_t b, std::size_t e) { total += int(e - b) * 0; });
            });
            const int effective = std::min(parts, 255);
            INFO(parts << " parts");
            int once = 0;
            for (int p = 0; p < effective; ++p) once += seen[std::size_t(p)] == 1;
            CHECK(once == effective);
            CHECK(seen[std::size_t(effective)] == 0);
            CHECK(total == effective * effective);
        }
        // parallel_for: up to kPartsPerThread parts per thread when it has several, one otherwise.
        std::vector<int> hits(1000, 0);
        std::atomic<int> calls{0};
        parallel_for(hits.size(), 10, 8, [&](std::size_t b, std::size_t e) {
            calls++;
            for (std::size_t i = b; i < e; ++i) hits[i]++;
        });
        CHECK(std::count(hits.begin(), hits.end(), 1) == 1000);
        CHECK(calls == (n > 1 ? n * kPartsPerThread : 1));
    }
    CHECK_THROWS_WITH_AS(set_threads(0), doctest::Contains("threads: expected a count in [1, "), ae::Error);
    CHECK_THROWS_WITH_AS(set_threads(max_threads() + 1), doctest::Contains("got"), ae::Error);
    CHECK(hardware_threads() >= 1);
    CHECK(hardware_threads() <= max_threads());
}

TEST_CASE("back-to-back jobs: every part of every job runs once, whichever thread claims it") {
    // Thousands of tiny jobs, with up to 4 threads (more than the 2 cores CI has), so workers are
    // often descheduled or asleep when a job is posted and wake while a later one runs: a late
    // worker must neither run a finished job's part nor miss one of the current job's.
    ThreadsGuard guard;
    for (int n : thread_counts()) {
        if (n < 2) continue;
        INFO(n << " threads");
        REQUIRE(set_threads(n) == n);
        constexpr int kJobs = 4000;
        const int most = n * kPartsPerThread;  // from one part to as many as a loop is cut into
        std::vector<std::atomic<int>> runs(std::size_t(kJobs) * std::size_t(most));
        for (int job = 0; job < kJobs; ++job) {
            const int parts = 1 + job % most;
            parallel_run(parts, [&](int part, int np) {
                CHECK(np == parts);
                runs[std::size_t(job) * std::size_t(most) + std::size_t(part)]++;
            });
            if (job % 1000 == 999) {  // the team shrinks and grows back between jobs
                set_threads(1 + job / 1000 % 2);
                REQUIRE(set_threads(n) == n);
            }
        }
        int wrong = 0;
        for (int job = 0; job < kJobs; ++job)
            for (int p = 0; p < most; ++p)
                wrong += runs[std::size_t(job) * std::size_t(most) + std::size_t(p)] != (p < 1 + job % most ? 1 : 0);
        CHECK(wrong == 0);
    }
}

TEST_CASE("the GEMM gives the same bits on any thread count") {
    ThreadsGuard guard;
    using kernels::Op;
    struct S {
        Op a, b;
        int M, N, K;
    };
    // The seed model's shapes (split by columns and by rows), odd ones, and one too small to split.
    const S shapes[] = {{Op::N, Op::N, 128, 400, 784}, {Op::T, Op::N, 784, 400, 128}, {Op::N, Op::T, 128, 784, 400},
                        {Op::N, Op::N, 301, 97, 333},  {Op::T, Op::T, 77, 513, 260},  {Op::N, Op::N, 9, 980, 32},
                        {Op::N, Op::N, 5, 7, 3}};
    Rng rng(9);
    for (const S& s : shapes) {
        INFO("M=" << s.M << " N=" << s.N << " K=" << s.K);
        const Mat A = random_mat(rng, 1, std::size_t(s.M) * s.K), B = random_mat(rng, 1, std::size_t(s.K) * s.N);
        const Mat bias = random_mat(rng, 1, std::size_t(s.N)), C0 = random_mat(rng, 1, std::size_t(s.M) * s.N);
        const int lda = s.a == Op::N ? s.K : s.M, ldb = s.b == Op::N ? s.N : s.K;
        std::vector<std::vector<Scalar>> first;
        for (int n : thread_counts()) {
            set_threads(n);
            std::vector<std::vector<Scalar>> out;
            for (Scalar beta : {Scalar(0), Scalar(1), Scalar(0.5)}) {
                std::vector<Scalar> C(C0.begin(), C0.end());
                kernels::gemm(s.a, s.b, s.M, s.N, s.K, A.data(), lda, B.data(), ldb, beta, C.data(), s.N);
                out.push_back(C);
            }
            std::vector<Scalar> C(C0.begin(), C0.end());
            kernels::gemm(s.a, s.b, s.M, s.N, s.K, A.data(), lda, B.data(), ldb, Scalar(0), C.data(), s.N,
                          kernels::Epilogue<Scalar>{bias.data(), kernels::Act::Sigmoid});
            out.push_back(C);
            if (first.empty())
                first = out;
            else
                CHECK(out == first);
        }
    }
}

namespace {

struct Run {
    std::vector<double> losses;
    std::vector<std::vector<Scalar>> params;
};

// A few steps of a model on 28×28 bars, big enough that every kind of kernel splits.
Run train(const std::string& model, const std::string& train, const DatasetFile& data, int steps) {
    TrainConfig tc = parse_train_config(R"({"batch_size":32,"lr":0.003})");
    tc = parse_train_config(train, tc);
    Trainer t(parse_model_config(model), tc);
    t.set_data(&data);
    Run r;
    for (int i = 0; i < steps; ++i) {
        const StepStats st = t.train_steps(1);
        r.losses.push_back(st.loss.recon);
        r.losses.push_back(st.loss.total());
    }
    const LossTerms eval = t.evaluate(data, 0, 40);
    r.losses.push_back(eval.total());
    for (const Param* p : t.model().params()) r.params.emplace_back(p->value.begin(), p->value.end());
    return r;
}

}  // namespace

TEST_CASE("training gives the same bits on any thread count, for every variant") {
    ThreadsGuard guard;
    const DatasetFile data = toy::bars(72, 28, toy::Bars::RowsAndColumns, toy::kShaded);  // 32 + 32 + 8
    const std::pair<const char*, const char*> setups[] = {
        {R"({"variant":"dense","input":[1,28,28],"encoder":[200],"latent":8})", "{}"},
        {R"({"variant":"deep","input":[1,28,28],"encoder":[128,64],"latent":4,"batchnorm":true,"dropout":0.1})",
         R"({"optimizer":"sgd","momentum":0.9,"nesterov":true})"},
        {R"({"variant":"sparse","input":[1,28,28],"encoder":[160],"latent":8})",
         R"({"sparsity_weight":0.2,"activity_l1":0.01,"weight_decay_l2":0.001,"optimizer":"rmsprop"})"},
        {R"({"variant":"denoising","input":[1,28,28],"encoder":[160],"latent":8})",
         R"({"noise":"gaussian","noise_amount":0.3})"},
        {R"({"variant":"vae","input":[1,28,28],"encoder":[160],"latent":2})", R"({"clip_norm":5})"},
        {R"({"variant":"conv","input":[1,28,28],"conv":{"channels":[8,16]},"latent":6,"batchnorm":true})",
         R"({"noise":"masking","noise_amount":0.2})"},
        {R"({"variant":"conv_vae","input":[1,28,28],"conv":{"channels":[8]},"encoder":[32],"latent":2})", "{}"},
        // 128 states: the GRU's gate passes split the batch of 32 (kernels/gru.cpp, min_rows)
        {R"({"variant":"sequence","input":[1,28,28],"encoder":[128],"latent":8})", "{}"},
        {R"({"variant":"aae","input":[1,28,28],"encoder":[160],"latent":2})", "{}"},
    };
    for (const auto& setup : setups) {
        // Strings, not pointers (INFO prints a const char* as an address), and no structured
        // bindings (INFO captures by reference, which C++17 does not allow for them).
        const std::string model = setup.first, tc = setup.second;
        INFO(model << " " << tc);
        Run first;
        for (int n : thread_counts()) {
            INFO(n << " threads");
            set_threads(n);
            Run r = train(model, tc, data, 4);
            if (n == 1) {
                first = r;
                continue;
            }
            CHECK(r.losses == first.losses);
            CHECK(r.params == first.params);
        }
    }
}

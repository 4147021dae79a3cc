#include "core/parallel.hpp"

#include "core/error.hpp"

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define AE_NO_THREADS 1  // the single-threaded WASM build: no pthreads to start
#endif

#if !defined(AE_NO_THREADS)
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>
#endif

namespace ae {

#if defined(AE_NO_THREADS)

int max_threads() { return 1; }
int hardware_threads() { return 1; }
int threads() { return 1; }
int set_threads(int n) {
    require(n == 1, "threads: expected a count in [1, 1], got ", n, " (this build runs on one thread)");
    return 1;
}
namespace detail {
void run_parts(int parts, PartFn fn, void* ctx) {
    if (parts >= 1) fn(ctx, 0, 1);  // clamped to the one thread, as a team clamps to its size
}
}  // namespace detail

#else

namespace {

// How long a waiting thread polls before it sleeps. A training step's kernels follow each other
// within microseconds, so the team stays awake through a step; between chunks of steps it sleeps.
constexpr auto kSpin = std::chrono::microseconds(50);

template <class Ready>
bool spin_until(Ready ready) {
    const auto until = std::chrono::steady_clock::now() + kSpin;
    for (;;) {
        for (int i = 0; i < 256; ++i)
            if (ready()) return true;
        if (std::chrono::steady_clock::now() >= until) return false;
    }
}

int g_threads = 1;
thread_local bool t_inside = false;  // this thread is running a part: nested loops run inline

// The caller is part 0; worker w (1-based) runs part w of every job. Every worker takes part in
// every job (parts = team size), so a job is done when all of them have reported.
class Team {
public:
    ~Team() { resize(0); }

    int workers() const { return int(threads_.size()); }

    // Grows or shrinks the team to n workers; returns how many it has (fewer when the platform
    // refuses to start a thread).
    int resize(int n) {
        if (n < workers()) {
            // A generation without a job: workers past n leave, the others only report.
            fn_ = nullptr;
            pending_.store(n, std::memory_order_relaxed);
            {
                std::lock_guard<std::mutex> lock(m_);
                stop_from_ = n;
                gen_.fetch_add(1, std::memory_order_release);
            }
            wake_.notify_all();
            for (int w = n; w < workers(); ++w) threads_[std::size_t(w)].join();
            threads_.resize(std::size_t(n));
            wait_done();
            stop_from_ = kNone;
        }
        while (workers() < n) {
            try {
                // The generation now, read here: a job posted before the thread runs is still its.
                const int index = workers() + 1;
                const unsigned gen = gen_.load(std::memory_order_acquire);
                threads_.emplace_back([this, index, gen] { work(index, gen); });
            } catch (const std::system_error&) {
                break;  // e.g. a WASM worker pool smaller than asked for
            }
        }
        return workers();
    }

    void run(int parts, detail::PartFn fn, void* ctx) {
        fn_ = fn;
        ctx_ = ctx;
        parts_ = parts;
        pending_.store(workers(), std::memory_order_relaxed);
        {
            std::lock_guard<std::mutex> lock(m_);
            gen_.fetch_add(1, std::memory_order_release);
        }
        wake_.notify_all();
        std::exception_ptr error;
        try {
            fn(ctx, 0, parts);
        } catch (...) {
            error = std::current_exception();  // the workers still use ctx: wait for them first
        }
        wait_done();
        if (error) std::rethrow_exception(error);
    }

private:
    static constexpr int kNone = 1 << 30;

    void wait_done() {
        auto done = [&] { return pending_.load(std::memory_order_acquire) == 0; };
        if (!spin_until(done)) {
            std::unique_lock<std::mutex> lock(m_);
            done_.wait(lock, done);
        }
    }

    void work(int index, unsigned seen) {
        t_inside = true;  // a loop inside a part runs on this thread
        for (;;) {
            unsigned g = seen;
            auto fresh = [&] { return (g = gen_.load(std::memory_order_acquire)) != seen; };
            if (!spin_until(fresh)) {
                std::unique_lock<std::mutex> lock(m_);
                wake_.wait(lock, fresh);
            }
            seen = g;
            if (index > stop_from_) return;  // set before gen_ moved, read after: ordered
            if (fn_ && index < parts_) fn_(ctx_, index, parts_);
            if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
                std::lock_guard<std::mutex> lock(m_);
                done_.notify_one();
            }
        }
    }

    std::vector<std::thread> threads_;
    std::mutex m_;
    std::condition_variable wake_, done_;
    std::atomic<unsigned> gen_{0};
    std::atomic<int> pending_{0};
    detail::PartFn fn_ = nullptr;  // the job: written by the caller before gen_ moves
    void* ctx_ = nullptr;
    int parts_ = 1;
    int stop_from_ = kNone;  // workers with a larger index leave at the next generation
};

Team& team() {
    static Team t;
    return t;
}


}  // namespace

int max_threads() { return kMaxThreads; }

int hardware_threads() {
    const unsigned hw = std::thread::hardware_concurrency();
    return hw == 0 ? 1 : int(hw < unsigned(kMaxThreads) ? hw : unsigned(kMaxThreads));
}

int threads() { return g_threads; }

int set_threads(int n) {
    require(n >= 1 && n <= max_threads(), "threads: expected a count in [1, ", max_threads(), "], got ", n);
    g_threads = team().resize(n - 1) + 1;
    return g_threads;
}

namespace detail {
void run_parts(int parts, PartFn fn, void* ctx) {
    if (parts > g_threads) parts = g_threads;
    if (parts <= 1 || t_inside) {
        for (int p = 0; p < parts; ++p) fn(ctx, p, parts);
        return;
    }
    t_inside = true;
    struct Reset {
        ~Reset() { t_inside = false; }
    } reset;
    team().run(parts, fn, ctx);
}
}  // namespace detail

#endif

}  // namespace ae

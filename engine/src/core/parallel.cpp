#include "core/parallel.hpp"

#include "core/error.hpp"

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define AE_NO_THREADS 1  // the single-threaded WASM build: no pthreads to start
#endif

#if !defined(AE_NO_THREADS)
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
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
    for (int p = 0; p < parts; ++p) fn(ctx, p, parts);
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

// Parts are claimed, not assigned. A job is one word, claim_ = (job number, parts, next part),
// and whoever is awake (the caller or a worker) takes the next part with a compare-and-swap until
// none is left; the caller then waits only for the parts already taken. So when the system
// deschedules a worker (in the page, the main thread and the compositor share the two cores with
// training), the caller runs that worker's part itself instead of waiting for the worker to be
// scheduled again. A worker that wakes late finds the job's word moved on and goes back to
// waiting; it reads the job (fn_, ctx_) only after a successful claim, while the job still runs.
// Which thread runs a part never changes what the part computes, so results stay the same.
class Team {
public:
    ~Team() { resize(0); }

    int workers() const { return int(threads_.size()); }

    // Grows or shrinks the team to n workers; returns how many it has (fewer when the platform
    // refuses to start a thread).
    int resize(int n) {
        if (n < workers()) {
            // A generation without a job: workers past n leave; the others find nothing to claim.
            {
                std::lock_guard<std::mutex> lock(m_);
                stop_from_.store(n, std::memory_order_relaxed);
                gen_.fetch_add(1, std::memory_order_release);
            }
            wake_.notify_all();
            for (int w = n; w < workers(); ++w) threads_[std::size_t(w)].join();
            threads_.resize(std::size_t(n));
            stop_from_.store(kNone, std::memory_order_relaxed);
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
        finished_.store(0, std::memory_order_relaxed);
        const std::uint64_t job = ++jobs_;
        claim_.store(job << 16 | std::uint64_t(parts) << 8, std::memory_order_release);
        {
            std::lock_guard<std::mutex> lock(m_);
            gen_.fetch_add(1, std::memory_order_release);
        }
        wake_.notify_all();
        std::exception_ptr error;
        int part, np;
        while (claim(&part, &np)) {
            try {
                fn(ctx, part, np);
            } catch (...) {
                if (!error) error = std::current_exception();  // the others still use ctx: wait first
            }
            finish(np);
        }
        auto done = [&] { return finished_.load(std::memory_order_acquire) == parts; };
        if (!spin_until(done)) {
            std::unique_lock<std::mutex> lock(m_);
            done_.wait(lock, done);
        }
        if (error) std::rethrow_exception(error);
    }

private:
    static constexpr int kNone = 1 << 30;

    // Takes the current job's next part (and its part count), if it has one left.
    bool claim(int* part, int* parts) {
        std::uint64_t c = claim_.load(std::memory_order_acquire);
        for (;;) {
            const int next = int(c & 0xff), n = int(c >> 8 & 0xff);
            if (next >= n) return false;
            if (claim_.compare_exchange_weak(c, c + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
                *part = next;
                *parts = n;
                return true;
            }
        }
    }

    // Reports a claimed part of a job of `parts` done; the last one wakes the caller if it sleeps.
    void finish(int parts) {
        if (finished_.fetch_add(1, std::memory_order_acq_rel) + 1 == parts) {
            std::lock_guard<std::mutex> lock(m_);
            done_.notify_one();
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
            if (index > stop_from_.load(std::memory_order_relaxed)) return;  // set before gen_ moved
            int part, parts;
            while (claim(&part, &parts)) {
                fn_(ctx_, part, parts);  // written before claim_ was published; the job waits for us
                finish(parts);
            }
        }
    }

    std::vector<std::thread> threads_;
    std::mutex m_;
    std::condition_variable wake_, done_;
    std::atomic<unsigned> gen_{0};               // moves once per job (and per shrink): wakes the workers
    std::atomic<std::uint64_t> claim_{0};        // job << 16 | parts << 8 | next part to take
    std::atomic<int> finished_{0};               // parts of the current job done
    std::uint64_t jobs_ = 0;                     // the caller's job counter
    detail::PartFn fn_ = nullptr;  // the job: written by the caller before claim_ is published
    void* ctx_ = nullptr;
    std::atomic<int> stop_from_{kNone};  // workers with a larger index leave at the next generation
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
    if (parts <= 1 || g_threads <= 1 || t_inside) {
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

// Data-parallel loops on a fixed team of threads.
//
// The team is std::thread: native builds, and the threaded WASM build, where Emscripten backs it
// with Web Workers from a pool started with the module (engine/CMakeLists.txt, ae_wasm_mt).
// The single-threaded WASM build has no threads at all: max_threads() is 1 there and every loop
// runs on the caller. No Emscripten header is involved.
//
// How the engine uses it, and why results do not depend on the thread count: a kernel splits
// only work whose outputs are disjoint and each computed exactly as on one thread (the tiles of
// a GEMM's C, whole images of im2col/col2im, ranges of an elementwise pass cut at multiples of
// the vector width, rows of the batch in the GRU's gate passes). Nothing is ever reduced across threads, so a model trains bit for bit the
// same with 1, 2, 3 or 8 threads (tests/engine/test_parallel.cpp checks it for every variant).
//
// Parts are fixed by the thread count: parallel_run(parts, body) calls body(part, parts) once for
// every part in [0, parts) and returns when all are done; split_range gives part p its contiguous
// share of [0, n). Which thread runs which part is not fixed: the caller and the workers claim
// parts as they come, so a worker the system has descheduled does not hold the caller up (the
// caller runs its part). A loop is cut into up to kPartsPerThread parts per thread, so that the
// parts left when a thread is descheduled, or when one part proved slower, are shared by the
// others instead of waited for. Waiting workers spin for about 50 µs (the gaps
// between a training step's kernels are shorter) and then sleep on a condition variable.
// A body must not throw; nested calls (a body that calls parallel_run) run on the caller.
#pragma once
#include <cstddef>
#include <type_traits>

namespace ae {

// The most threads a team can have: kMaxThreads, or 1 in a build without threads (the
// single-threaded WASM build).
constexpr int kMaxThreads = 8;
int max_threads();

// The machine's hardware concurrency, at most max_threads(): the count worth using.
int hardware_threads();

// How many parts a loop is cut into per thread, at most, when it runs on more than one (on one
// it is a single part). In the page, with the main thread and the compositor on the same two
// cores, 4 parts per thread trained about 2 % faster than 1 (median of 10 alternating pairs,
// 0.975–1.134); results are the same for any cut.
constexpr int kPartsPerThread = 4;

// The thread count parallel loops use now (1 until set_threads is called).
int threads();

// Uses n threads from now on (the caller and n − 1 workers), for n in [1, max_threads()]; any
// other n is an ae::Error. Returns the count in effect, which is lower than n only when the
// platform refused to start a thread (a WASM build whose worker pool is smaller). More threads
// than cores work (tests use them) but only slow training down.
int set_threads(int n);

struct Range {
    std::size_t begin, end;
};

// Part `part` of [0, n) cut into `parts` contiguous ranges whose boundaries are multiples of
// `align` (the last range ends at n). The parts get whole blocks of `align`, at most one block
// more than each other (the last block may be partial).
inline Range split_range(std::size_t n, int part, int parts, std::size_t align = 1) {
    const std::size_t blocks = (n + align - 1) / align, p = std::size_t(part), np = std::size_t(parts);
    const std::size_t base = blocks / np, extra = blocks % np;
    const std::size_t b0 = p * base + (p < extra ? p : extra), b1 = b0 + base + (p < extra ? 1 : 0);
    const std::size_t lo = b0 * align, hi = b1 * align;
    return {lo < n ? lo : n, hi < n ? hi : n};
}

namespace detail {
using PartFn = void (*)(void* ctx, int part, int parts);
constexpr int kMaxParts = 255;  // a job's part count fits the claim word's 8 bits (parallel.cpp)
void run_parts(int parts, PartFn fn, void* ctx);  // parts ≤ kMaxParts
}  // namespace detail

// body(part, parts) for part in [0, parts), parts ≤ detail::kMaxParts = 255 (more is clamped),
// each part once, on whichever thread claims it; with one thread (or inside a part) all run
// inline, in order.
template <class Body>
void parallel_run(int parts, Body&& body) {
    using B = std::remove_reference_t<Body>;
    detail::run_parts(
        parts < detail::kMaxParts ? parts : detail::kMaxParts,
        [](void* ctx, int part, int n) { (*static_cast<B*>(ctx))(part, n); },
        const_cast<void*>(static_cast<const void*>(&body)));
}

// f(begin, end) over [0, n) split into up to kPartsPerThread parts per thread, each at least
// `min_part` long (so small loops stay on the caller) and cut at multiples of `align`.
template <class F>
void parallel_for(std::size_t n, std::size_t min_part, std::size_t align, F&& f) {
    std::size_t parts = min_part ? n / min_part : n;
    const std::size_t most = threads() > 1 ? std::size_t(threads()) * kPartsPerThread : 1;
    if (parts > most) parts = most;
    if (parts <= 1) {
        if (n) f(std::size_t(0), n);
        return;
    }
    parallel_run(int(parts), [&](int part, int np) {
        const Range r = split_range(n, part, np, align);
        if (r.begin < r.end) f(r.begin, r.end);
    });
}

}  // namespace ae

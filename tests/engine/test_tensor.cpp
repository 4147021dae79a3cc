// The tensor helpers of core/tensor.hpp: ensure_shape reuses a buffer of the right shape and
// survives an allocation that fails (std::bad_alloc), leaving the tensor empty rather than
// claiming a shape its storage does not have.
#include <doctest/doctest.h>

#include <new>

#include "core/tensor.hpp"

using namespace ae;

TEST_CASE("ensure_shape reuses a buffer of the same shape and reallocates for another") {
    Mat m;
    ensure_shape(m, 3, 4);
    CHECK(m.size() == 12);
    const Scalar* before = m.data();
    ensure_shape(m, 3, 4);
    CHECK(m.data() == before);
    ensure_shape(m, 5, 2);
    CHECK(m.shape(0) == 5);
    CHECK(m.shape(1) == 2);
    CHECK(m.size() == 10);
}

TEST_CASE("a resize whose allocation fails leaves the tensor empty, and the next one works") {
    // More than the memory there is: 2^60 floats natively, 2^29 (2 GiB) in WebAssembly's 2 GB
    // heap. Both are counts the allocator accepts, so it is the allocation itself that fails.
    const bool wasm = sizeof(std::size_t) == 4;
    const std::size_t rows = wasm ? std::size_t(1) << 15 : std::size_t(1) << 30;
    const std::size_t cols = wasm ? std::size_t(1) << 14 : std::size_t(1) << 30;
    Mat m;
    ensure_shape(m, 4, 4);
    CHECK_THROWS_AS(ensure_shape(m, rows, cols), std::bad_alloc);
    // Without the guard the tensor would keep the shape (rows, cols) over 16 values, and the
    // next call with that shape would skip the resize and write past them.
    CHECK(m.size() == 0);
    CHECK(m.shape(0) * m.shape(1) == 0);
    CHECK_THROWS_AS(ensure_shape(m, rows, cols), std::bad_alloc);
    ensure_shape(m, 2, 3);
    CHECK(m.size() == 6);
    Vec v;
    CHECK_THROWS_AS(ensure_shape(v, rows * cols), std::bad_alloc);
    CHECK(v.size() == 0);
}

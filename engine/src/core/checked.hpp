// Checked size arithmetic for counts that come from outside the engine (JS arguments, files,
// command lines). In WebAssembly size_t has 32 bits: 268,435,457 images of 784 pixels wrap
// around to 784 values, so a count is multiplied here, never with a bare `*`, before it sizes
// a buffer or a loop. An overflow is an ae::Error with code "count_overflow" and the
// parameters what (the operation), count and size.
#pragma once
#include <cstddef>
#include <limits>

#include "core/error.hpp"

namespace ae {

// count · size, or ae::Error ("<what>: <count> x <size> values is more than this engine can
// address") when it does not fit in size_t.
inline std::size_t checked_mul(std::size_t count, std::size_t size, const char* what) {
    if (size != 0 && count > std::numeric_limits<std::size_t>::max() / size)
        fail_coded("count_overflow", {{"what", what}, {"count", double(count)}, {"size", double(size)}}, what, ": ",
                   count, " x ", size, " values is more than this engine can address (at most ",
                   std::numeric_limits<std::size_t>::max(), " values in all); ask for fewer at a time");
    return count * size;
}

// a + b, with the same error.
inline std::size_t checked_add(std::size_t a, std::size_t b, const char* what) {
    if (b > std::numeric_limits<std::size_t>::max() - a)
        fail_coded("count_overflow", {{"what", what}, {"count", double(a)}, {"size", double(b)}}, what, ": ", a, " + ",
                   b, " values is more than this engine can address (at most ",
                   std::numeric_limits<std::size_t>::max(), " values in all)");
    return a + b;
}

}  // namespace ae

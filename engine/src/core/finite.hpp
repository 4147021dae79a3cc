// Where the first NaN or infinity of a buffer is, for the checks that keep a diverged model
// from being saved or loaded (io/model_file.cpp) and name the value a diverged update left
// (train/trainer.cpp). The scan reads each value's exponent bits as an integer (all ones: NaN
// or infinity) and keeps their maximum, a loop compilers vectorise, so checking every tensor
// of a file costs little next to writing it.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace ae {

// The index of the first value that is NaN or ±infinity, or n when every value is finite.
template <class T>
std::size_t first_nonfinite(const T* p, std::size_t n) {
    static_assert(std::is_floating_point_v<T>, "first_nonfinite reads floats");
    using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    constexpr Bits kExp = sizeof(T) == 4 ? Bits(0x7F800000u) : Bits(0x7FF0000000000000ull);
    Bits worst = 0;
    for (std::size_t i = 0; i < n; ++i) {
        Bits b;
        std::memcpy(&b, p + i, sizeof b);
        const Bits e = b & kExp;
        worst = e > worst ? e : worst;
    }
    if (worst != kExp) return n;
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(p[i])) return i;
    return n;
}

// "nan" or "inf" (either sign), as coded errors name a non-finite value.
template <class T>
const char* nonfinite_name(T v) {
    return std::isnan(v) ? "nan" : "inf";
}
// How messages print a value that may not be finite: "nan" (never "-nan"), "inf", "-inf".
template <class T>
const char* nonfinite_text(T v) {
    return std::isnan(v) ? "nan" : v > 0 ? "inf" : "-inf";
}

}  // namespace ae

// IEEE 754 half precision (binary16) ⇄ float, written out with bit operations so that the
// result is identical natively and in WASM. float → half rounds to nearest, ties to even,
// and keeps subnormals, infinities and NaN; values beyond ±65504 become ±infinity.
// Model files use it to store weights in half the bytes (relative error ≤ 2⁻¹¹ ≈ 4.9e-4).
#pragma once
#include <cstdint>
#include <cstring>

namespace ae {

inline std::uint16_t float_to_half(float f) {
    std::uint32_t x;
    std::memcpy(&x, &f, 4);
    const std::uint32_t sign = (x >> 16) & 0x8000u;
    const std::uint32_t exp = (x >> 23) & 0xFFu;
    std::uint32_t man = x & 0x7FFFFFu;
    if (exp == 0xFF) return std::uint16_t(sign | 0x7C00u | (man ? 0x200u : 0));  // inf, NaN (quiet)
    const int e = int(exp) - 127 + 15;                                             // rebiased exponent
    if (e >= 31) return std::uint16_t(sign | 0x7C00u);                             // overflow → inf
    if (e <= 0) {                                                                  // subnormal or zero
        if (e < -10) return std::uint16_t(sign);
        man |= 0x800000u;  // implicit leading 1
        const int shift = 14 - e;  // 24-bit mantissa → 10 bits at exponent e
        std::uint32_t h = man >> shift;
        const std::uint32_t rem = man & ((1u << shift) - 1), half = 1u << (shift - 1);
        if (rem > half || (rem == half && (h & 1u))) ++h;  // may carry into the smallest normal: correct
        return std::uint16_t(sign | h);
    }
    std::uint32_t h = (std::uint32_t(e) << 10) | (man >> 13);
    const std::uint32_t rem = man & 0x1FFFu;
    if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) ++h;  // a carry may round up to inf: correct
    return std::uint16_t(sign | h);
}

inline float half_to_float(std::uint16_t h) {
    const std::uint32_t sign = std::uint32_t(h & 0x8000u) << 16;
    const std::uint32_t exp = (h >> 10) & 0x1Fu;
    std::uint32_t man = h & 0x3FFu;
    std::uint32_t x;
    if (exp == 0x1F) {
        x = sign | 0x7F800000u | (man << 13);
    } else if (exp != 0) {
        x = sign | ((exp - 15 + 127) << 23) | (man << 13);
    } else if (man == 0) {
        x = sign;
    } else {  // subnormal: normalise
        int e = -1;
        do {
            man <<= 1;
            ++e;
        } while (!(man & 0x400u));
        x = sign | (std::uint32_t(127 - 15 - e) << 23) | ((man & 0x3FFu) << 13);
    }
    float f;
    std::memcpy(&f, &x, 4);
    return f;
}

}  // namespace ae

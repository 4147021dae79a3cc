// Little-endian byte writing and bounds-checked reading, for the binary files the engine
// writes and reads (model files, .npz archives). Values are assembled byte by byte, so the
// layout is the same on any host.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "core/error.hpp"

namespace ae {

using Bytes = std::vector<std::uint8_t>;

class ByteWriter {
public:
    explicit ByteWriter(Bytes& out) : out_(out) {}
    std::size_t size() const { return out_.size(); }
    void u8(std::uint8_t v) { out_.push_back(v); }
    void u16(std::uint16_t v) { uint(v, 2); }
    void u32(std::uint32_t v) { uint(v, 4); }
    void u64(std::uint64_t v) { uint(v, 8); }
    void raw(const void* p, std::size_t n) {
        const auto* b = static_cast<const std::uint8_t*>(p);
        out_.insert(out_.end(), b, b + n);
    }
    void str(const std::string& s) { raw(s.data(), s.size()); }
    void zeros(std::size_t n) { out_.insert(out_.end(), n, 0); }
    // Overwrites 4 bytes already written at `at` (sizes and checksums known only later).
    void patch_u32(std::size_t at, std::uint32_t v) {
        for (int i = 0; i < 4; ++i) out_[at + i] = std::uint8_t(v >> (8 * i));
    }

private:
    void uint(std::uint64_t v, int n) {
        for (int i = 0; i < n; ++i) out_.push_back(std::uint8_t(v >> (8 * i)));
    }
    Bytes& out_;
};

inline std::uint32_t load_u32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
}
inline std::uint64_t load_u64(const std::uint8_t* p) {
    return std::uint64_t(load_u32(p)) | std::uint64_t(load_u32(p + 4)) << 32;
}
inline std::uint16_t load_u16(const std::uint8_t* p) { return std::uint16_t(p[0] | p[1] << 8); }

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr bool kLittleEndianHost = true;  // x86, ARM, WASM: float arrays are copied as they are
#else
constexpr bool kLittleEndianHost = false;
#endif

inline float load_f32(const std::uint8_t* p) {
    const std::uint32_t bits = load_u32(p);
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}
inline void store_f32(ByteWriter& w, float f) {
    std::uint32_t bits;
    std::memcpy(&bits, &f, 4);
    w.u32(bits);
}
// n values as little-endian float32, in one copy when the host is little-endian and float.
template <class T>
void store_f32s(ByteWriter& w, const T* v, std::size_t n) {
    if constexpr (std::is_same_v<T, float>) {
        if (kLittleEndianHost) {
            w.raw(v, 4 * n);
            return;
        }
    }
    for (std::size_t i = 0; i < n; ++i) store_f32(w, float(v[i]));
}
// n little-endian float32 values → dst.
inline void load_f32s(const std::uint8_t* p, std::size_t n, float* dst) {
    if (kLittleEndianHost) {
        std::memcpy(dst, p, 4 * n);
        return;
    }
    for (std::size_t i = 0; i < n; ++i) dst[i] = load_f32(p + 4 * i);
}

}  // namespace ae

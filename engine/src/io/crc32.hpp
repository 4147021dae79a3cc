// CRC-32 as in zlib, PNG and ZIP (reflected polynomial 0xEDB88320, initial value and final
// XOR 0xFFFFFFFF): crc32("123456789") = 0xCBF43926. Model files checksum their parts with it
// and .npz archives need it for every member. Written out here because the WASM build has
// no zlib. Slicing-by-8 (eight 256-entry tables, 8 bytes per step): a seed model's 7.7 MB
// file is checked in a few milliseconds.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

namespace ae {

namespace detail {
using Crc32Tables = std::array<std::array<std::uint32_t, 256>, 8>;
inline const Crc32Tables& crc32_tables() {
    static const Crc32Tables tables = [] {
        Crc32Tables t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[0][i] = c;
        }
        // t[k][i]: the CRC of byte i followed by k zero bytes.
        for (std::size_t k = 1; k < 8; ++k)
            for (std::uint32_t i = 0; i < 256; ++i) t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFFu];
        return t;
    }();
    return tables;
}
}  // namespace detail

// Continues a running checksum: crc32(b, n2, crc32(a, n1)) == crc32 of a followed by b.
inline std::uint32_t crc32(const std::uint8_t* p, std::size_t n, std::uint32_t crc = 0) {
    const auto& t = detail::crc32_tables();
    std::uint32_t c = crc ^ 0xFFFFFFFFu;
    for (; n >= 8; p += 8, n -= 8) {
        const std::uint32_t lo = c ^ (std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
                                      std::uint32_t(p[3]) << 24);
        c = t[7][lo & 0xFFu] ^ t[6][(lo >> 8) & 0xFFu] ^ t[5][(lo >> 16) & 0xFFu] ^ t[4][lo >> 24] ^ t[3][p[4]] ^
            t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
    }
    for (; n; ++p, --n) c = t[0][(c ^ *p) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

}  // namespace ae

// Codes as bytes, for the compression lab: each code dimension j is stored in 8 bits over the
// range [lo_j, hi_j] that dimension takes on the training images' codes (the anchors' protocol):
//
//   q = clip(round((z − lo) / (hi − lo) · 255), 0, 255)     round half to even, as numpy.round
//   ẑ = lo + q · (hi − lo) / 255
//
// computed in float32 like the reference. A dimension with hi = lo (constant on the training
// codes) stores q = 0 and decodes to lo. The 2·Z floats of lo/hi are side information shared by
// every image (like the decoder's weights): not counted in the bytes per image.
// Shape letters: N codes, Z values per code.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ae {

struct CodeRanges {
    std::vector<float> lo, hi;  // (Z) each; empty until the first codes are seen
    std::size_t count = 0;      // codes seen

    std::size_t z() const { return lo.size(); }
    // Widens the ranges to cover codes (N, Z). Throws ae::Error on a size mismatch or NaN.
    void update(const float* codes, std::size_t n, std::size_t z);
};

// codes (N, Z) → q (N, Z) bytes, and back.
void quantize(const CodeRanges& r, const float* codes, std::size_t n, std::uint8_t* q);
void dequantize(const CodeRanges& r, const std::uint8_t* q, std::size_t n, float* codes);

}  // namespace ae

#include "analysis/quantize.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace ae {

void CodeRanges::update(const float* codes, std::size_t n, std::size_t z_in) {
    require(z_in >= 1, "code ranges: codes need at least 1 value");
    if (lo.empty()) {
        lo.assign(z_in, INFINITY);
        hi.assign(z_in, -INFINITY);
    }
    require(z_in == lo.size(), "code ranges: codes of ", z_in, " values, but the ranges have ", lo.size());
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < z_in; ++j) {
            const float v = codes[i * z_in + j];
            require(std::isfinite(v), "code ranges: code ", count + i, " contains NaN or infinity");
            lo[j] = std::min(lo[j], v);
            hi[j] = std::max(hi[j], v);
        }
    count += n;
}

void quantize(const CodeRanges& r, const float* codes, std::size_t n, std::uint8_t* q) {
    require(r.count > 0, "quantize: no code ranges yet (measure them on the training codes first)");
    const std::size_t z = r.z();
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < z; ++j) {
            const float span = r.hi[j] - r.lo[j];
            float v = span > 0 ? std::nearbyint((codes[i * z + j] - r.lo[j]) / span * 255.0f) : 0.0f;
            if (!(v >= 0.0f)) v = 0.0f;  // also NaN
            q[i * z + j] = std::uint8_t(std::min(255.0f, v));
        }
}

void dequantize(const CodeRanges& r, const std::uint8_t* q, std::size_t n, float* codes) {
    require(r.count > 0, "dequantize: no code ranges yet (measure them on the training codes first)");
    const std::size_t z = r.z();
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < z; ++j)
            codes[i * z + j] = r.lo[j] + float(q[i * z + j]) * (r.hi[j] - r.lo[j]) / 255.0f;
}

}  // namespace ae

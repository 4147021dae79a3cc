// Toy data for the engine's suites: tiny images of bars, which every variant learns within a
// few hundred steps, as a DatasetFile or as the bytes of an AEDS file (data/dataset_file.hpp),
// and the toy model and training settings sized for the 4×4 ones.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "data/dataset_file.hpp"

namespace toy {

// Which bars a set draws from: rows only (side classes), or rows then columns (2·side classes).
enum class Bars { Rows, RowsAndColumns };

// The value of a lit pixel, or kShaded: 200 + (7i + j) mod 56 for image i and pixel j along
// its bar, so that no two images of one bar are alike.
inline constexpr int kShaded = -1;

// n images of side × side, unlit pixels 0. Image i shows bar k = i mod classes and is labelled
// k: row k for k < side, column k − side otherwise.
inline ae::DatasetFile bars(std::uint32_t n, std::uint32_t side, Bars kind = Bars::Rows, int lit = 255) {
    ae::DatasetFile d;
    d.name = "bars";
    d.count = n;
    d.height = d.width = side;
    d.classes = kind == Bars::Rows ? side : 2 * side;
    d.labels.resize(n);
    d.pixels.assign(std::size_t(n) * side * side, 0);
    for (std::uint32_t i = 0; i < n; ++i) {
        const std::uint32_t k = i % d.classes;
        d.labels[i] = std::uint8_t(k);
        std::uint8_t* image = d.pixels.data() + std::size_t(i) * side * side;  // (side, side)
        for (std::uint32_t j = 0; j < side; ++j)
            image[k < side ? k * side + j : j * side + (k - side)] =
                std::uint8_t(lit == kShaded ? 200 + (i * 7 + j) % 56 : lit);
    }
    return d;
}

// The AEDS file holding d: the 48-byte header (little-endian), then labels (N), then pixels
// (N, H, W).
inline std::vector<std::uint8_t> aeds_bytes(const ae::DatasetFile& d) {
    std::vector<std::uint8_t> b(ae::kDatasetHeaderBytes, 0);
    const char magic[4] = {'A', 'E', 'D', 'S'};
    for (int i = 0; i < 4; ++i) b[std::size_t(i)] = std::uint8_t(magic[i]);
    const std::uint32_t fields[5] = {ae::kDatasetVersion, d.count, d.height, d.width, d.classes};
    for (std::size_t f = 0; f < 5; ++f)
        for (std::size_t i = 0; i < 4; ++i) b[4 + 4 * f + i] = std::uint8_t(fields[f] >> (8 * i));
    for (std::size_t i = 0; i < d.name.size() && i < 24; ++i) b[24 + i] = std::uint8_t(d.name[i]);
    b.insert(b.end(), d.labels.begin(), d.labels.end());
    b.insert(b.end(), d.pixels.begin(), d.pixels.end());
    return b;
}

// A dense autoencoder for 4×4 bars (16-8-2-8-16) and settings it trains with.
inline constexpr const char* kSmallModel = R"({"variant":"dense","input":[1,4,4],"encoder":[8],"latent":2})";
inline constexpr const char* kSmallTrain = R"({"optimizer":"adam","lr":0.01,"batch_size":8,"seed":5})";

}  // namespace toy

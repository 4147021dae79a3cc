// Dataset files: AEDS version 1, made by datasets/prepare.mjs (layout in datasets/README.md).
//   little-endian, 48-byte header, then labels (N) u8, then pixels (N, H, W) u8
//   offset 0 "AEDS" · 4 version · 8 N · 12 H · 16 W · 20 classes (u32 each) · 24 name (24 B, NUL-padded)
// Total size is exactly 48 + N + N·H·W; pixels are 0 = background … 255 = ink.
//
// web/src/lib/dataset-file.js reads the same layout with the same refusals, so the page can
// reject a bad file before handing its bytes to the engine.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ae {

constexpr std::uint32_t kDatasetVersion = 1;
constexpr std::size_t kDatasetHeaderBytes = 48;

struct DatasetFile {
    std::string name;  // "mnist", "fashion-mnist"
    std::uint32_t count = 0, height = 0, width = 0, classes = 0;  // N, H, W, classes
    std::vector<std::uint8_t> labels;  // (N), each < classes
    std::vector<std::uint8_t> pixels;  // (N, H, W) row-major
};

// The largest dataset file this engine reads: 1 GiB, twenty times MNIST's training set (47 MB).
constexpr std::uint64_t kMaxDatasetBytes = 1ull << 30;

// The whole file's size as its 48-byte header declares it (48 + N + N·H·W), after checking
// the header alone: magic, version and dimensions (the same refusals as parse_dataset).
std::uint64_t dataset_file_size(const std::uint8_t* header, std::size_t size);

// Parses an uncompressed file. Throws ae::Error saying what is wrong: too short for the
// header, not an AEDS file, unsupported version, invalid dimensions, truncated or trailing
// bytes, a label out of range.
DatasetFile parse_dataset(const std::uint8_t* bytes, std::size_t size);

#ifndef __EMSCRIPTEN__
// Reads a plain or gzip-compressed file (zlib reads plain files transparently): the header
// first, then no more than the size it declares (a gzip bomb is refused, not inflated). Native only:
// the browser build has no zlib and gets its bytes from the worker. Throws ae::Error naming
// the path when it cannot be opened or decompressed, or when parse_dataset refuses it.
DatasetFile read_dataset_file(const std::string& path);
#endif

}  // namespace ae

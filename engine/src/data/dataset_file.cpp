#include "data/dataset_file.hpp"

#include <cstring>

#include "core/error.hpp"

#ifndef __EMSCRIPTEN__
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#endif

namespace ae {

namespace {

constexpr const char* kRegenerate = "; regenerate it with `node datasets/prepare.mjs`";
constexpr std::uint32_t kMaxSide = 1024;    // H, W
constexpr std::uint32_t kMaxClasses = 256;  // labels are u8

std::uint32_t u32le(const std::uint8_t* p) {
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
           std::uint32_t(p[3]) << 24;
}

void check_range(const char* field, std::uint32_t v, std::uint32_t lo, std::uint32_t hi) {
    if (v < lo || v > hi)
        fail("invalid dataset dimensions: ", field, " is ", v, ", expected ", lo, "..", hi);
}

}  // namespace

std::uint64_t dataset_file_size(const std::uint8_t* bytes, std::size_t size) {
    if (size < kDatasetHeaderBytes)
        fail("dataset file is too short for the AEDS header: need ", kDatasetHeaderBytes,
             " bytes, got ", size);
    if (std::memcmp(bytes, "AEDS", 4) != 0)
        fail("not an AEDS dataset file (it should start with \"AEDS\")", kRegenerate);
    const std::uint32_t version = u32le(bytes + 4);
    if (version != kDatasetVersion)
        fail("unsupported AEDS version ", version, ": this build reads version ", kDatasetVersion,
             kRegenerate);
    const std::uint32_t count = u32le(bytes + 8), height = u32le(bytes + 12), width = u32le(bytes + 16);
    check_range("count", count, 1, UINT32_MAX);
    check_range("height", height, 1, kMaxSide);
    check_range("width", width, 1, kMaxSide);
    check_range("classes", u32le(bytes + 20), 1, kMaxClasses);
    // At most 48 + 2^32 · (1 + 2^20) < 2^53: no overflow in 64 bits.
    return kDatasetHeaderBytes + std::uint64_t(count) * (1 + std::uint64_t(height) * width);
}

DatasetFile parse_dataset(const std::uint8_t* bytes, std::size_t size) {
    const std::uint64_t expected = dataset_file_size(bytes, size);
    DatasetFile ds;
    ds.count = u32le(bytes + 8);
    ds.height = u32le(bytes + 12);
    ds.width = u32le(bytes + 16);
    ds.classes = u32le(bytes + 20);

    const char* name = reinterpret_cast<const char*>(bytes + 24);
    ds.name.assign(name, strnlen(name, 24));
    for (char c : ds.name)
        if (c < 0x20 || c > 0x7e) fail("dataset name is not printable ASCII", kRegenerate);

    const std::uint64_t n = ds.count;
    const std::uint64_t pixel_count = n * ds.height * ds.width;
    if (size < expected)
        fail("dataset file is truncated: expected ", expected, " bytes, got ", size, kRegenerate);
    if (size > expected)
        fail("dataset file has ", size - expected, " trailing bytes: expected ", expected,
             " bytes, got ", size);

    const std::uint8_t* labels = bytes + kDatasetHeaderBytes;
    for (std::uint64_t i = 0; i < n; ++i)
        if (labels[i] >= ds.classes)
            fail("label ", int(labels[i]), " of image ", i, " is out of range: the file declares ",
                 ds.classes, " classes");
    ds.labels.assign(labels, labels + n);
    ds.pixels.assign(labels + n, labels + n + pixel_count);
    return ds;
}

#ifndef __EMSCRIPTEN__
// The header first (48 bytes), then exactly the size it implies and one byte more to notice
// trailing data: a file whose header asks for more than kMaxDatasetBytes, or a gzip bomb that
// inflates past its header's size, is refused without decompressing the rest.
DatasetFile read_dataset_file(const std::string& path) {
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);
    if (std::filesystem::is_directory(st)) fail("dataset file ", path, " is a directory, not a file");
    if (std::filesystem::exists(st) && !std::filesystem::is_regular_file(st))
        fail("dataset file ", path, " is not a regular file (a device, pipe or socket)");
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) fail("cannot open dataset file ", path, " (run `node datasets/prepare.mjs`?)");
    gzbuffer(f, 1 << 17);
    std::vector<std::uint8_t> bytes;
    // Reads up to `want` more bytes; returns how many came (fewer at the end of the data).
    auto read_more = [&](std::uint64_t want) {
        std::uint64_t got_total = 0;
        while (got_total < want) {
            const unsigned chunk = unsigned(std::min<std::uint64_t>(want - got_total, 1u << 20));
            const std::size_t used = bytes.size();
            bytes.resize(used + chunk);
            const int got = gzread(f, bytes.data() + used, chunk);
            if (got < 0) {
                int code = 0;
                const std::string why = gzerror(f, &code);
                gzclose(f);
                fail("cannot read dataset file ", path, ": ", why, " (is it a damaged .gz file?)");
            }
            bytes.resize(used + static_cast<std::size_t>(got));
            got_total += std::uint64_t(got);
            if (got == 0) break;
        }
        return got_total;
    };
    read_more(kDatasetHeaderBytes);
    std::uint64_t expected = bytes.size();
    if (bytes.size() == kDatasetHeaderBytes) {
        try {
            expected = dataset_file_size(bytes.data(), bytes.size());
        } catch (const Error& e) {
            gzclose(f);
            fail(path, ": ", e.what());
        }
        if (expected > kMaxDatasetBytes) {
            gzclose(f);
            fail(path, ": the header declares ", expected, " bytes of images, more than the ", kMaxDatasetBytes,
                 " this program reads; regenerate it with `node datasets/prepare.mjs`");
        }
        bytes.reserve(std::size_t(expected) + 1);
        read_more(expected + 1 - kDatasetHeaderBytes);  // one more byte tells of trailing data
    }
    // gzread stops quietly at the end of a cut-off .gz file; the error state tells.
    int code = Z_OK;
    gzerror(f, &code);
    gzclose(f);
    if (code == Z_BUF_ERROR)
        fail("cannot read dataset file ", path, ": the gzip data ends early (incomplete download?)");
    if (bytes.size() > expected)
        fail(path, ": dataset file has trailing bytes after the ", expected, " its header declares");
    try {
        return parse_dataset(bytes.data(), bytes.size());
    } catch (const Error& e) {
        fail(path, ": ", e.what());
    }
}
#endif

}  // namespace ae

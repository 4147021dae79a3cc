// libFuzzer target: the model-file loader (io/model_file.hpp) on random and mutated bytes.
// It must refuse with ae::Error or load; anything else (a crash, a sanitizer report, another
// exception type, a hang, a leak) is a bug. Built by scripts/fuzz.mjs with clang:
//   -fsanitize=fuzzer,address,undefined   (cmake -DAE_FUZZ=ON, see engine/CMakeLists.txt)
//
// Random mutations almost never keep the checksums right, so the fuzzer would only ever test
// the checksum checks. Every input is therefore loaded twice: as it is, and with its
// positional checksums repaired (fixed header, JSON header, final checksum), which lets the
// mutations reach the JSON header, the configs and the tensor directory.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/error.hpp"
#include "io/crc32.hpp"
#include "io/model_file.hpp"

namespace {

void load(const std::uint8_t* data, std::size_t size) {
    try {
        const ae::ModelFile file = ae::read_model_file(data, size);
        const auto trainer = ae::restore_trainer(file);
    } catch (const ae::Error&) {
        // refused with a message: the expected outcome for a bad file
    }
}

void put_u32(std::uint8_t* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = std::uint8_t(v >> (8 * i));
}

std::vector<std::uint8_t> with_checksums_repaired(const std::uint8_t* data, std::size_t size) {
    std::vector<std::uint8_t> b(data, data + size);
    const std::uint64_t header = std::uint64_t(b[8]) | std::uint64_t(b[9]) << 8 | std::uint64_t(b[10]) << 16 |
                                 std::uint64_t(b[11]) << 24;
    if (ae::kModelFileFixedHeader + header <= size)
        put_u32(&b[12], ae::crc32(&b[ae::kModelFileFixedHeader], std::size_t(header)));
    put_u32(&b[24], ae::crc32(b.data(), 24));
    if (size >= ae::kModelFileFixedHeader + 4) put_u32(&b[size - 4], ae::crc32(b.data(), size - 4));
    return b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    load(data, size);
    if (size >= ae::kModelFileFixedHeader) {
        const std::vector<std::uint8_t> repaired = with_checksums_repaired(data, size);
        load(repaired.data(), repaired.size());
    }
    return 0;
}

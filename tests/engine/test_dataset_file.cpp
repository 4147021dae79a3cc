// AEDS dataset files (data/dataset_file.hpp): a synthetic round trip, every refusal with its
// message, and, natively, reading plain and gzip files from disk and the real prepared
// MNIST test set (skipped until `node datasets/prepare.mjs` has run).
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "data/dataset_file.hpp"

#ifndef __EMSCRIPTEN__
#include <zlib.h>

#include <filesystem>
#include <random>
#endif

namespace {

using Bytes = std::vector<std::uint8_t>;

void put_u32(Bytes& b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// A valid file of N images of H×W: label i % classes, pixel j of image i = (i·31 + j) mod 256.
Bytes make_file(std::uint32_t n, std::uint32_t h, std::uint32_t w, std::uint32_t classes,
                const std::string& name = "tiny") {
    Bytes b(48 + n + std::size_t(n) * h * w, 0);
    b[0] = 'A', b[1] = 'E', b[2] = 'D', b[3] = 'S';
    put_u32(b, 4, 1);
    put_u32(b, 8, n);
    put_u32(b, 12, h);
    put_u32(b, 16, w);
    put_u32(b, 20, classes);
    for (std::size_t i = 0; i < name.size(); ++i) b[24 + i] = static_cast<std::uint8_t>(name[i]);
    for (std::uint32_t i = 0; i < n; ++i) b[48 + i] = static_cast<std::uint8_t>(i % classes);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < std::size_t(h) * w; ++j)
            b[48 + n + i * h * w + j] = static_cast<std::uint8_t>((i * 31 + j) % 256);
    return b;
}

ae::DatasetFile parse(const Bytes& b) { return ae::parse_dataset(b.data(), b.size()); }

}  // namespace

TEST_CASE("dataset_file: a synthetic file round-trips header, labels and pixels") {
    const Bytes b = make_file(5, 3, 2, 4, "tiny");
    const ae::DatasetFile ds = parse(b);
    CHECK(ds.name == "tiny");
    CHECK(ds.count == 5);
    CHECK(ds.height == 3);
    CHECK(ds.width == 2);
    CHECK(ds.classes == 4);
    CHECK(ds.labels == Bytes{0, 1, 2, 3, 0});
    REQUIRE(ds.pixels.size() == 5 * 3 * 2);
    CHECK(ds.pixels == Bytes(b.begin() + 48 + 5, b.end()));
    CHECK(ds.pixels[1 * 6 + 2] == (1 * 31 + 2) % 256);  // image 1, row 1, column 0
}

TEST_CASE("dataset_file: a name using all 24 bytes has no NUL and is still read") {
    const std::string name(24, 'x');
    CHECK(parse(make_file(1, 1, 1, 1, name)).name == name);
}

TEST_CASE("dataset_file: refusals name the problem") {
    const Bytes good = make_file(4, 2, 2, 3);

    SUBCASE("too short for the header") {
        const Bytes b(good.begin(), good.begin() + 47);
        CHECK_THROWS_WITH_AS(parse(b), doctest::Contains("too short for the AEDS header"), ae::Error);
        CHECK_THROWS_WITH_AS(ae::parse_dataset(nullptr, 0), doctest::Contains("got 0"), ae::Error);
    }
    SUBCASE("bad magic") {
        Bytes b = good;
        b[0] = 'P', b[1] = 'K';
        CHECK_THROWS_WITH_AS(parse(b), doctest::Contains("not an AEDS dataset file"), ae::Error);
    }
    SUBCASE("version newer than 1, and version 0") {
        Bytes b = good;
        put_u32(b, 4, 2);
        CHECK_THROWS_WITH_AS(parse(b), doctest::Contains("unsupported AEDS version 2"), ae::Error);
        put_u32(b, 4, 0);
        CHECK_THROWS_WITH_AS(parse(b), doctest::Contains("unsupported AEDS version 0"), ae::Error);
    }
    SUBCASE("zero or absurd dimensions") {
        const std::array<std::pair<std::size_t, std::uint32_t>, 7> cases{{
            {8, 0},        // count 0
            {12, 0},       // height 0
            {16, 0},       // width 0
            {20, 0},       // classes 0
            {12, 1025},    // height > 1024
            {16, 100000},  // width > 1024
            {20, 257},     // more classes than a u8 label can name
        }};
        const char* field[] = {"count", "height", "width", "classes", "height", "width", "classes"};
        for (std::size_t k = 0; k < cases.size(); ++k) {
            CAPTURE(k);
            Bytes b = good;
            put_u32(b, cases[k].first, cases[k].second);
            const std::string want = std::string("invalid dataset dimensions: ") + field[k] + " is " +
                                     std::to_string(cases[k].second);
            CHECK_THROWS_WITH_AS(parse(b), doctest::Contains(want.c_str()), ae::Error);
        }
    }
    SUBCASE("truncated") {
        const Bytes b(good.begin(), good.end() - 1);
        const std::string want = "truncated: expected " + std::to_string(good.size()) + " bytes, got " +
                                 std::to_string(good.size() - 1);
        CHECK_THROWS_WITH_AS(parse(b), doctest::Contains(want.c_str()), ae::Error);
    }
    SUBCASE("a huge count in a small file is truncated, not an overflow") {
        Bytes b = good;
        put_u32(b, 8, 0xffffffffu);
        CHECK_THROWS_WITH_AS(parse(b), doctest::Contains("truncated: expected 21474836523 bytes"),
                             ae::Error);
    }
    SUBCASE("trailing bytes") {
        Bytes b = good;
        b.push_back(0);
        b.push_back(0);
        CHECK_THROWS_WITH_AS(parse(b), doctest::Contains("2 trailing bytes"), ae::Error);
    }
    SUBCASE("label >= classes") {
        Bytes b = good;
        b[48 + 2] = 3;  // classes = 3
        CHECK_THROWS_WITH_AS(parse(b), doctest::Contains("label 3 of image 2 is out of range"), ae::Error);
    }
    SUBCASE("name that is not printable ASCII") {
        Bytes b = good;
        b[25] = 0xc3;
        CHECK_THROWS_WITH_AS(parse(b), doctest::Contains("not printable ASCII"), ae::Error);
    }
}

#ifndef __EMSCRIPTEN__

namespace {

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path = std::filesystem::temp_directory_path() /
               ("ae_dataset_test_" + std::to_string(std::random_device{}()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string file(const char* name) const { return (path / name).string(); }
};

void write_plain(const std::string& path, const Bytes& b) {
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), b.size());
}

Bytes gzip_bytes(const TempDir& dir, const Bytes& b) {
    const std::string tmp = dir.file("tmp.gz");
    gzFile f = gzopen(tmp.c_str(), "wb9");
    REQUIRE(f != nullptr);
    REQUIRE(gzwrite(f, b.data(), static_cast<unsigned>(b.size())) == int(b.size()));
    gzclose(f);
    std::ifstream in(tmp, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("dataset_file: read_dataset_file reads plain and gzip files and names the path") {
    TempDir dir;
    const Bytes raw = make_file(7, 4, 5, 3, "disk");
    const Bytes gz = gzip_bytes(dir, raw);

    write_plain(dir.file("plain.aeds"), raw);
    write_plain(dir.file("packed.aeds.gz"), gz);
    for (const char* name : {"plain.aeds", "packed.aeds.gz"}) {
        CAPTURE(name);
        const ae::DatasetFile ds = ae::read_dataset_file(dir.file(name));
        CHECK(ds.name == "disk");
        CHECK(ds.count == 7);
        CHECK(ds.pixels == Bytes(raw.begin() + 48 + 7, raw.end()));
    }

    const std::string missing = dir.file("missing.aeds.gz");
    CHECK_THROWS_WITH_AS(ae::read_dataset_file(missing),
                         doctest::Contains(("cannot open dataset file " + missing).c_str()), ae::Error);

    write_plain(dir.file("cut.aeds.gz"), Bytes(gz.begin(), gz.begin() + gz.size() / 2));
    CHECK_THROWS_WITH_AS(ae::read_dataset_file(dir.file("cut.aeds.gz")),
                         doctest::Contains("gzip data ends early"), ae::Error);

    Bytes damaged = gz;
    for (std::size_t i = 12; i < 40 && i < damaged.size(); ++i) damaged[i] ^= 0x5a;
    write_plain(dir.file("damaged.aeds.gz"), damaged);
    CHECK_THROWS_WITH_AS(ae::read_dataset_file(dir.file("damaged.aeds.gz")),
                         doctest::Contains("cannot read dataset file"), ae::Error);

    Bytes bad_label = raw;
    bad_label[48] = 9;
    write_plain(dir.file("bad_label.aeds"), bad_label);
    CHECK_THROWS_WITH_AS(ae::read_dataset_file(dir.file("bad_label.aeds")),
                         doctest::Contains((dir.file("bad_label.aeds") + ": label 9 of image 0").c_str()),
                         ae::Error);
}

TEST_CASE("dataset_file: the prepared MNIST test set (web/public/data/mnist-test.aeds.gz)") {
    const std::string path = std::string(AE_SOURCE_DIR) + "/web/public/data/mnist-test.aeds.gz";
    if (!std::ifstream(path)) {
        MESSAGE("skipped: " << path << " not found; run `node datasets/prepare.mjs`");
        return;
    }
    const ae::DatasetFile ds = ae::read_dataset_file(path);
    CHECK(ds.name == "mnist");
    CHECK(ds.count == 10000);
    CHECK(ds.height == 28);
    CHECK(ds.width == 28);
    CHECK(ds.classes == 10);
    CHECK(ds.pixels.size() == 10000u * 28 * 28);
    // Official MNIST test-set class counts; image 0 is a 7.
    std::array<int, 10> hist{};
    for (std::uint8_t l : ds.labels) ++hist[l];
    CHECK(hist == std::array<int, 10>{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009});
    CHECK(ds.labels[0] == 7);
    CHECK(ds.labels[1] == 2);
}

#endif  // __EMSCRIPTEN__

// NumPy .npz export (io/npz.hpp): .npy headers byte-identical to what numpy.save writes
// (golden strings taken from NumPy 1.24), and a model's archive parsed here from its ZIP
// structures (end record, central directory, local headers, CRCs) back to the model's own
// tensors in PyTorch layout. numpy.load on a real export was checked by hand (FORMAT.md).
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "core/config_reader.hpp"
#include "io/crc32.hpp"
#include "io/model_file.hpp"
#include "io/npz.hpp"
#include "train/session.hpp"

using namespace ae;
using Bytes = std::vector<std::uint8_t>;

namespace {

std::uint16_t u16(const Bytes& b, std::size_t at) { return std::uint16_t(b.at(at) | b.at(at + 1) << 8); }
std::uint32_t u32(const Bytes& b, std::size_t at) { return std::uint32_t(u16(b, at)) | std::uint32_t(u16(b, at + 2)) << 16; }

// numpy.save's header for an array: the dict, spaces, '\n', 118 bytes in all for these small
// arrays (10 + 118 = 128: the data starts 64-byte aligned).
std::string numpy_header(const std::string& dict) { return dict + std::string(117 - dict.size(), ' ') + "\n"; }

struct Npy {
    std::string header;  // the dict text, padded
    std::string descr, shape;
    Bytes data;
};

Npy parse_npy(const Bytes& b) {
    REQUIRE(b.size() >= 10);
    REQUIRE(std::string(b.begin(), b.begin() + 6) == "\x93NUMPY");
    REQUIRE(b[6] == 1);
    REQUIRE(b[7] == 0);
    const std::size_t hl = u16(b, 8);
    Npy n;
    n.header = std::string(b.begin() + 10, b.begin() + 10 + std::ptrdiff_t(hl));
    CHECK((10 + hl) % 64 == 0);
    CHECK(n.header.back() == '\n');
    const auto field = [&](const std::string& key, char open, char close) {
        const std::size_t k = n.header.find("'" + key + "': ");
        REQUIRE(k != std::string::npos);
        const std::size_t s = n.header.find(open, k + key.size() + 4);
        const std::size_t e = n.header.find(close, s + 1);
        return n.header.substr(s + 1, e - s - 1);
    };
    n.descr = field("descr", '\'', '\'');
    n.shape = field("shape", '(', ')');
    CHECK(n.header.find("'fortran_order': False") != std::string::npos);
    n.data.assign(b.begin() + 10 + std::ptrdiff_t(hl), b.end());
    return n;
}

// The members of a stored (uncompressed) ZIP, found through its central directory.
std::map<std::string, Bytes> parse_zip(const Bytes& z) {
    REQUIRE(z.size() >= 22);
    const std::size_t eocd = z.size() - 22;  // no archive comment
    REQUIRE(u32(z, eocd) == 0x06054b50u);
    const std::size_t count = u16(z, eocd + 10), cd_size = u32(z, eocd + 12), cd_off = u32(z, eocd + 16);
    CHECK(u16(z, eocd + 8) == count);
    CHECK(cd_off + cd_size == eocd);
    std::map<std::string, Bytes> out;
    std::size_t p = cd_off;
    for (std::size_t i = 0; i < count; ++i) {
        REQUIRE(u32(z, p) == 0x02014b50u);
        CHECK(u16(z, p + 10) == 0);  // stored
        const std::uint32_t crc = u32(z, p + 16), csize = u32(z, p + 20), usize = u32(z, p + 24);
        const std::size_t nlen = u16(z, p + 28), xlen = u16(z, p + 30), clen = u16(z, p + 32);
        const std::size_t local = u32(z, p + 42);
        const std::string name(z.begin() + std::ptrdiff_t(p + 46), z.begin() + std::ptrdiff_t(p + 46 + nlen));
        CHECK(csize == usize);
        // The local header repeats name, sizes and CRC.
        REQUIRE(u32(z, local) == 0x04034b50u);
        CHECK(u16(z, local + 8) == 0);
        CHECK(u32(z, local + 14) == crc);
        CHECK(u32(z, local + 18) == csize);
        const std::size_t lnlen = u16(z, local + 26), lxlen = u16(z, local + 28);
        CHECK(std::string(z.begin() + std::ptrdiff_t(local + 30), z.begin() + std::ptrdiff_t(local + 30 + lnlen)) == name);
        const std::size_t data = local + 30 + lnlen + lxlen;
        REQUIRE(data + csize <= cd_off);
        Bytes member(z.begin() + std::ptrdiff_t(data), z.begin() + std::ptrdiff_t(data + csize));
        CHECK(crc32(member.data(), member.size()) == crc);
        out[name] = std::move(member);
        p += 46 + nlen + xlen + clen;
    }
    return out;
}

float f32_at(const Bytes& b, std::size_t i) {
    const std::uint32_t bits = u32(b, 4 * i);
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

}  // namespace

TEST_CASE("npz: .npy headers match numpy.save byte for byte") {
    const float v[6] = {0, 1, 2, 3, 4, 5};
    const Bytes a = npy_bytes(npy_float32("a", {2, 3}, v));
    CHECK(a.size() == 152);  // numpy.save(np.arange(6, dtype=np.float32).reshape(2, 3)): 152 bytes
    const Npy na = parse_npy(a);
    CHECK(na.header == numpy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"));
    for (int i = 0; i < 6; ++i) CHECK(f32_at(na.data, std::size_t(i)) == float(i));

    CHECK(parse_npy(npy_bytes(npy_float32("b", {3}, v))).header ==
          numpy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"));
    CHECK(parse_npy(npy_bytes(npy_float32("c", {1, 2, 1, 1}, v))).header ==
          numpy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 1, 1), }"));
    const Bytes s = npy_bytes(npy_unicode("s", "hello"));
    CHECK(s.size() == 148);  // numpy.save(np.array('hello'))
    const Npy ns = parse_npy(s);
    CHECK(ns.header == numpy_header("{'descr': '<U5', 'fortran_order': False, 'shape': (), }"));
    CHECK(ns.data == Bytes{'h', 0, 0, 0, 'e', 0, 0, 0, 'l', 0, 0, 0, 'l', 0, 0, 0, 'o', 0, 0, 0});
    CHECK_THROWS_AS(npy_unicode("s", "caf\xc3\xa9"), Error);
}

TEST_CASE("npz: a model's archive holds every parameter and buffer in PyTorch layout, and its config") {
    Session s;
    s.configure(R"({"variant":"dense","input":[1,4,4],"encoder":[6],"latent":3,"batchnorm":true})",
                R"({"batch_size":4,"seed":3})");
    DatasetFile d;
    d.name = "ramp";
    d.count = 8;
    d.height = d.width = 4;
    d.classes = 1;
    d.labels.assign(8, 0);
    for (std::size_t i = 0; i < 8 * 16; ++i) d.pixels.push_back(std::uint8_t(i * 37 % 256));
    s.set_dataset(Split::Train, d);
    s.train_steps(3);  // batch-norm running statistics move away from 0 and 1

    const Bytes z = s.export_npz();
    const std::map<std::string, Bytes> members = parse_zip(z);
    const std::vector<TensorRef> tensors = model_tensors(s.model());
    CHECK(members.size() == tensors.size() + 1);
    bool saw_buffer = false, saw_weight = false;
    for (const TensorRef& t : tensors) {
        CAPTURE(t.name);
        REQUIRE(members.count(t.name + ".npy"));
        const Npy n = parse_npy(members.at(t.name + ".npy"));
        CHECK(n.descr == "<f4");
        saw_buffer = saw_buffer || t.kind == "buffer";
        if (t.shape.size() == 2) {  // Dense (D_in, D_out) → nn.Linear (D_out, D_in)
            saw_weight = true;
            const std::size_t din = t.shape[0], dout = t.shape[1];
            CHECK(n.shape == std::to_string(dout) + ", " + std::to_string(din));
            for (std::size_t i = 0; i < din; ++i)
                for (std::size_t o = 0; o < dout; ++o) CHECK(f32_at(n.data, o * din + i) == float(t.data[i * dout + o]));
        } else {
            REQUIRE(t.shape.size() == 1);
            CHECK(n.shape == std::to_string(t.shape[0]) + ",");
            for (std::size_t i = 0; i < t.shape[0]; ++i) CHECK(f32_at(n.data, i) == float(t.data[i]));
        }
    }
    CHECK(saw_buffer);
    CHECK(saw_weight);
    REQUIRE(members.count("model_config.npy"));
    const Npy cfg = parse_npy(members.at("model_config.npy"));
    std::string text;
    for (std::size_t i = 0; i < cfg.data.size(); i += 4) text += char(cfg.data[i]);
    CHECK(cfg.descr == "<U" + std::to_string(text.size()));
    CHECK(parse_model_config(text).batchnorm);
    CHECK(text == s.model_config_json());
    // Deterministic: the same model gives the same bytes.
    CHECK(s.export_npz() == z);
}

TEST_CASE("npz: conv tensors keep their PyTorch layout") {
    Session s;
    s.configure(R"({"variant":"conv","input":[1,8,8],"conv":{"channels":[2,3]},"latent":2})", "{}");
    const std::map<std::string, Bytes> members = parse_zip(s.export_npz());
    for (const TensorRef& t : model_tensors(s.model())) {
        if (t.shape.size() != 4) continue;
        const Npy n = parse_npy(members.at(t.name + ".npy"));
        std::string want;
        for (std::size_t k = 0; k < 4; ++k) want += (k ? ", " : "") + std::to_string(t.shape[k]);
        CHECK(n.shape == want);  // (OC, C, K, K) or (C_in, OC, K, K): as stored
        for (std::size_t i = 0; i < n.data.size() / 4; ++i) CHECK(f32_at(n.data, i) == float(t.data[i]));
    }
}

// Model files (io/model_file.hpp, layout in io/FORMAT.md): the layout rebuilt independently
// byte for byte, save → load gives identical outputs and identical continued training for
// every variant and optimizer, every refusal produced by editing the bytes of a real saved
// file, all-or-nothing loading, quantised round trips within stated tolerances, the committed
// fuzz corpus and every fuzz regression replayed through the loader.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>

#include "core/config_reader.hpp"
#include "core/error.hpp"
#include "io/crc32.hpp"
#include "io/half.hpp"
#include "io/model_file.hpp"
#include "train/session.hpp"

#include "error_of.hpp"
#include "toy_data.hpp"

using namespace ae;
using Bytes = std::vector<std::uint8_t>;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

ModelFile read(const Bytes& b) { return read_model_file(b.data(), b.size()); }
std::string load_error(const Bytes& b) {
    return error_of([&] { restore_trainer(read(b)); });
}

// ---- The documented layout, written independently of the engine's writer -----------------
std::uint32_t u32_at(const Bytes& b, std::size_t at) {
    return std::uint32_t(b[at]) | std::uint32_t(b[at + 1]) << 8 | std::uint32_t(b[at + 2]) << 16 |
           std::uint32_t(b[at + 3]) << 24;
}
void put_u32(Bytes& b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = std::uint8_t(v >> (8 * i));
}
void push_u32(Bytes& b, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(std::uint8_t(v >> (8 * i)));
}

struct Parts {
    Json header;               // the JSON header, parsed
    std::vector<Bytes> chunks; // the bytes of each directory entry, in order
};

Parts split(const Bytes& f) {
    const std::size_t H = u32_at(f, 8);
    Parts p;
    p.header = Json::parse(std::string(f.begin() + 28, f.begin() + 28 + std::ptrdiff_t(H)));
    const std::size_t data = 28 + H;
    for (const Json& e : p.header["tensors"]) {
        const std::size_t off = e["offset"].get<std::size_t>(), n = e["bytes"].get<std::size_t>();
        p.chunks.emplace_back(f.begin() + std::ptrdiff_t(data + off), f.begin() + std::ptrdiff_t(data + off + n));
    }
    return p;
}

// Offsets, lengths, padding and every checksum recomputed: a well-formed file around
// whatever the header and chunks say.
Bytes join(Parts p) {
    Bytes data;
    for (std::size_t i = 0; i < p.chunks.size(); ++i) {
        while (data.size() % 8) data.push_back(0);
        Json& e = p.header["tensors"][i];
        e["offset"] = data.size();
        e["bytes"] = p.chunks[i].size();
        e["crc32"] = crc32(p.chunks[i].data(), p.chunks[i].size());
        data.insert(data.end(), p.chunks[i].begin(), p.chunks[i].end());
    }
    while (data.size() % 8) data.push_back(0);
    std::string json = p.header.dump();
    while ((28 + json.size()) % 8) json += ' ';
    Bytes f = {'A', 'E', 'M', 'F'};
    push_u32(f, 1);
    push_u32(f, std::uint32_t(json.size()));
    push_u32(f, crc32(reinterpret_cast<const std::uint8_t*>(json.data()), json.size()));
    push_u32(f, std::uint32_t(data.size()));
    push_u32(f, std::uint32_t(std::uint64_t(data.size()) >> 32));
    push_u32(f, crc32(f.data(), 24));
    f.insert(f.end(), json.begin(), json.end());
    f.insert(f.end(), data.begin(), data.end());
    push_u32(f, crc32(f.data(), f.size()));
    return f;
}

// A file whose JSON text is replaced verbatim (checksums fixed), for invalid-JSON cases.
Bytes with_json_text(const Bytes& f, std::string json) {
    const std::size_t H = u32_at(f, 8);
    while ((28 + json.size()) % 8) json += ' ';
    Bytes out(f.begin(), f.begin() + 28);
    put_u32(out, 8, std::uint32_t(json.size()));
    put_u32(out, 12, crc32(reinterpret_cast<const std::uint8_t*>(json.data()), json.size()));
    put_u32(out, 24, crc32(out.data(), 24));
    out.insert(out.end(), json.begin(), json.end());
    out.insert(out.end(), f.begin() + std::ptrdiff_t(28 + H), f.end() - 4);
    push_u32(out, crc32(out.data(), out.size()));
    return out;
}

std::size_t entry_index(const Parts& p, const std::string& name) {
    for (std::size_t i = 0; i < p.header["tensors"].size(); ++i)
        if (p.header["tensors"][i]["name"] == name) return i;
    FAIL("no tensor ", name);
    return 0;
}

// ---- Training fixtures ---------------------------------------------------------------------
using toy::kSmallModel;
using toy::kSmallTrain;

// n images of side × side: a bar in row (i mod side), its lit pixels shaded (toy_data.hpp).
DatasetFile bars(std::uint32_t n, std::uint32_t side) { return toy::bars(n, side, toy::Bars::Rows, toy::kShaded); }

struct Fixture {
    const char* name;
    const char* model;
    const char* train;
    std::uint32_t side;  // image side
};

const Fixture kFixtures[] = {
    {"dense + adam", kSmallModel, kSmallTrain, 4},
    {"deep + sgd nesterov", R"({"variant":"deep","input":[1,4,4],"encoder":[12,6],"latent":3})",
     R"({"optimizer":"sgd","lr":0.05,"momentum":0.9,"nesterov":true,"batch_size":8,"seed":2})", 4},
    {"sparse + rmsprop", R"({"variant":"sparse","input":[1,4,4],"encoder":[8],"latent":4})",
     R"({"optimizer":"rmsprop","lr":0.01,"momentum":0.5,"sparsity_weight":0.1,"batch_size":8,"seed":3})", 4},
    {"denoising", R"({"variant":"denoising","input":[1,4,4],"encoder":[8],"latent":3})",
     R"({"noise":"gaussian","noise_amount":0.3,"batch_size":8,"seed":4})", 4},
    {"vae + cosine schedule", R"({"variant":"vae","input":[1,4,4],"encoder":[8],"latent":2})",
     R"({"schedule":"cosine","cosine_epochs":3,"batch_size":8,"seed":6})", 4},
    {"dense + batchnorm + dropout + decay", R"({"variant":"dense","input":[1,4,4],"encoder":[8],"latent":2,"batchnorm":true,"dropout":0.2})",
     R"({"weight_decay_l2":0.001,"weight_decay_l1":0.0001,"batch_size":8,"seed":7})", 4},
    {"conv + batchnorm", R"({"variant":"conv","input":[1,8,8],"conv":{"channels":[2,3]},"latent":3,"batchnorm":true})",
     R"({"batch_size":8,"seed":8})", 8},
    {"conv_vae", R"({"variant":"conv_vae","input":[1,8,8],"conv":{"channels":[2,3]},"encoder":[6],"latent":2})",
     R"({"batch_size":8,"seed":9})", 8},
    {"sequence", R"({"variant":"sequence","input":[1,4,4],"encoder":[6],"latent":3})", R"({"batch_size":8,"seed":10})",
     4},
    {"aae + prior_labels", R"({"variant":"aae","input":[1,4,4],"encoder":[8],"latent":2,"prior_labels":true,
                              "discriminator":[6]})",
     R"({"batch_size":8,"seed":11,"adversarial_lr":0.0005})", 4},
};

std::vector<double> losses(Session& s, int steps) {
    std::vector<double> out;
    for (int i = 0; i < steps; ++i) out.push_back(s.train_steps(1).loss.total());
    return out;
}

Bytes small_file(bool with_optimizer = true) {
    Session s;
    s.configure(kSmallModel, kSmallTrain);
    s.set_dataset(Split::Train, bars(40, 4));
    s.train_steps(7);  // mid-epoch: 5 steps per epoch
    return s.save_model(R"({"curve":[1,2,3]})", with_optimizer);
}

}  // namespace

TEST_CASE("model_file: crc32 and half precision match their references") {
    const char* check = "123456789";
    CHECK(crc32(reinterpret_cast<const std::uint8_t*>(check), 9) == 0xCBF43926u);  // the CRC-32 check value
    const auto* b = reinterpret_cast<const std::uint8_t*>(check);
    CHECK(crc32(b + 4, 5, crc32(b, 4)) == 0xCBF43926u);  // running checksum

    CHECK(float_to_half(1.0f) == 0x3C00);
    CHECK(float_to_half(-2.0f) == 0xC000);
    CHECK(float_to_half(65504.0f) == 0x7BFF);               // largest half
    CHECK(float_to_half(65520.0f) == 0x7C00);               // rounds up to infinity
    CHECK(float_to_half(std::ldexp(1.0f, -24)) == 0x0001);  // smallest subnormal
    CHECK(float_to_half(std::ldexp(1.0f, -25)) == 0x0000);  // a tie rounds to even (0)
    CHECK(float_to_half(std::ldexp(1.5f, -25)) == 0x0001);
    CHECK(float_to_half(-0.0f) == 0x8000);
    CHECK(float_to_half(1.0f + std::ldexp(1.0f, -11)) == 0x3C00);  // tie → even
    CHECK(float_to_half(1.0f + std::ldexp(3.0f, -11)) == 0x3C02);  // tie → even (up)
    CHECK(std::isnan(half_to_float(float_to_half(std::nanf("")))));
    // Every half value survives half → float → half.
    int mismatches = 0;
    for (std::uint32_t h = 0; h < 0x10000; ++h) {
        const float f = half_to_float(std::uint16_t(h));
        if (std::isnan(f)) continue;
        mismatches += float_to_half(f) != h;
    }
    CHECK(mismatches == 0);
    CHECK(half_to_float(0x3555) == doctest::Approx(0.333251953125).epsilon(1e-12));
    CHECK(half_to_float(0x0001) == std::ldexp(1.0f, -24));
}

TEST_CASE("model_file: the documented layout rebuilds a saved file byte for byte") {
    const Bytes f = small_file();
    CHECK(std::string(f.begin(), f.begin() + 4) == "AEMF");
    CHECK(u32_at(f, 4) == kModelFileVersion);
    CHECK(u32_at(f, 20) == 0);  // B's high half
    CHECK((28 + u32_at(f, 8)) % 8 == 0);
    CHECK(f.size() == 28 + u32_at(f, 8) + u32_at(f, 16) + 4);
    CHECK(join(split(f)) == f);

    const Parts p = split(f);
    CHECK(p.header["state"]["step"] == 7);
    CHECK(p.header["state"]["epoch"] == 1);
    CHECK(p.header["state"]["position"] == 16);
    CHECK(p.header["state"]["optimizer_steps"] == 7);
    CHECK(p.header["optimizer_state"] == true);
    CHECK(p.header["history"] == Json::parse(R"({"curve":[1,2,3]})"));
    CHECK(p.header["tensors"][0]["name"] == "encoder.0.weight");
    CHECK(p.header["tensors"][0]["shape"] == Json::parse("[16, 8]"));
    for (const Json& e : p.header["tensors"]) CHECK(e["offset"].get<std::size_t>() % 8 == 0);
}

TEST_CASE("model_file: save → load gives identical outputs and identical continued training") {
    for (const Fixture& fx : kFixtures) {
        CAPTURE(fx.name);
        const DatasetFile train = bars(40, fx.side), test = bars(12, fx.side);
        Session a;
        a.configure(fx.model, fx.train);
        a.set_dataset(Split::Train, train);
        a.set_dataset(Split::Test, test);
        a.train_steps(7);  // one epoch of 5 steps, then 2 into the next
        const Bytes saved = a.save_model(R"([{"step":7}])");
        const std::vector<double> uninterrupted = losses(a, 9);  // crosses the next epoch boundary

        Session b;  // datasets first, then the model
        b.set_dataset(Split::Train, train);
        b.set_dataset(Split::Test, test);
        CHECK(b.load_model(saved.data(), saved.size()) == R"([{"step":7}])");
        CHECK(b.trainer().step() == 7);
        CHECK(b.trainer().epoch() == 1);
        const auto x = b.images(Split::Test, {0, 1, 2, 3});
        Session c;  // the model first, then the datasets
        c.load_model(saved.data(), saved.size());
        c.set_dataset(Split::Train, train);
        c.set_dataset(Split::Test, test);
        CHECK(b.reconstruct(x, 4) == c.reconstruct(x, 4));
        CHECK(b.encode(x, 4) == c.encode(x, 4));

        // The reloaded model computes what the saved one computed at save time.
        Session d;
        d.set_dataset(Split::Train, train);
        d.load_model(saved.data(), saved.size());
        d.set_dataset(Split::Test, test);
        CHECK(d.evaluate(Split::Test).total() == b.evaluate(Split::Test).total());

        CHECK(losses(b, 9) == uninterrupted);
        CHECK(losses(c, 9) == uninterrupted);
        CHECK(b.trainer().position().position == a.trainer().position().position);
        // Saving the reloaded model again gives the same bytes as saving the original.
        CHECK(b.save_model("") == a.save_model(""));
    }
}

TEST_CASE("model_file: without optimizer state the weights load, and the optimizer starts fresh") {
    Session a;
    a.configure(kSmallModel, kSmallTrain);
    a.set_dataset(Split::Train, bars(40, 4));
    a.train_steps(7);
    const Bytes full = a.save_model("null"), light = a.save_model("null", false);
    CHECK(light.size() < full.size());
    const ModelFile f = read(light);
    CHECK_FALSE(f.optimizer_state);
    for (const FileTensor& t : f.tensors) CHECK(t.kind != "optimizer");
    Session b;
    b.load_model(light.data(), light.size());
    CHECK(b.trainer().optimizer().steps() == 0);
    CHECK(b.trainer().step() == 7);
    for (auto& [name, slot] : b.trainer().optimizer().slots()) CHECK(xt::amax(xt::abs(*slot))() == 0);
    const auto x = a.images(Split::Train, {0, 5});
    CHECK(b.reconstruct(x, 2) == a.reconstruct(x, 2));
}

TEST_CASE("model_file: an aae file holds its discriminator and its three optimizers' states") {
    Session a;
    a.configure(R"({"variant":"aae","input":[1,4,4],"encoder":[8],"latent":2,"discriminator":[6]})",
                R"({"batch_size":8,"seed":12})");
    a.set_dataset(Split::Train, bars(40, 4));
    a.train_steps(3);
    const Bytes f = a.save_model("");
    Parts p = split(f);
    CHECK(p.header["model"]["discriminator"] == Json::parse("[6]"));
    CHECK(p.header["state"]["optimizer_steps"] == 3);
    CHECK(p.header["state"]["adversarial_optimizer_steps"] == Json::parse(R"({"discriminator":3,"generator":3})"));
    std::vector<std::string> names;
    for (const Json& e : p.header["tensors"]) names.push_back(e["name"]);
    // params: encoder 0, 2; decoder 0, 2; then the discriminator's, then the three optimizers' slots
    CHECK(names[8] == "discriminator.0.weight");
    CHECK(names[11] == "discriminator.2.bias");
    CHECK(names[12] == "optimizer.adam.m.0");
    CHECK(std::count(names.begin(), names.end(), "optimizer.discriminator.adam.v.3") == 1);
    CHECK(std::count(names.begin(), names.end(), "optimizer.generator.adam.m.3") == 1);  // the encoder's 4 params
    CHECK(std::count(names.begin(), names.end(), "optimizer.generator.adam.m.4") == 0);
    CHECK(names.size() == 12 + 16 + 8 + 8);

    Session b;
    b.load_model(f.data(), f.size());
    CHECK(b.trainer().discriminator_optimizer()->steps() == 3);
    CHECK(b.trainer().generator_optimizer()->steps() == 3);

    // The step counts belong with the slots: missing from an aae file with optimizer state, or in
    // a file whose model has no discriminator, the file is refused.
    Parts q = p;
    q.header["state"].erase("adversarial_optimizer_steps");
    CHECK(contains(load_error(join(q)), "state lacks adversarial_optimizer_steps, which an aae model's optimizer "
                                        "state needs"));
    Session c;
    c.configure(kSmallModel, kSmallTrain);
    Parts r = split(c.save_model(""));
    r.header["state"]["adversarial_optimizer_steps"] = Json::parse(R"({"discriminator":1,"generator":1})");
    CHECK(contains(load_error(join(r)), "the state counts adversarial optimizer steps but the model is a dense, "
                                        "which has no discriminator"));
    Parts t = p;
    t.header["tensors"].erase(t.header["tensors"].begin() + 8);
    t.chunks.erase(t.chunks.begin() + 8);
    CHECK(contains(load_error(join(t)), "missing 'discriminator.0.weight' [2, 6]"));
}

TEST_CASE("model_file: a sequence file's GRU weights keep nn.GRU's names and are quantised like weights") {
    Session a;
    a.configure(R"({"variant":"sequence","input":[1,4,4],"encoder":[5],"latent":2})", R"({"batch_size":8})");
    a.set_dataset(Split::Train, bars(40, 4));
    a.train_steps(2);
    SaveOptions f16;
    f16.weights = WeightDType::F16;
    const ModelFile f = read(write_model_file(a.trainer(), "", f16));
    std::map<std::string, std::string> dtype;
    for (const FileTensor& t : f.tensors) dtype[t.name] = t.dtype;
    CHECK(dtype.at("encoder.0.weight_ih_l0") == "f16");
    CHECK(dtype.at("encoder.0.weight_hh_l0") == "f16");
    CHECK(dtype.at("encoder.0.bias_ih_l0") == "f32");
    CHECK(dtype.at("decoder.1.bias_hh_l0") == "f32");
    CHECK(dtype.at("decoder.2.weight") == "f16");  // the Dense per step
}

TEST_CASE("model_file: quantised weights round-trip within their stated tolerances") {
    Session s;
    s.configure(R"({"variant":"dense","input":[1,4,4],"encoder":[8],"latent":2,"batchnorm":true})", kSmallTrain);
    s.set_dataset(Split::Train, bars(40, 4));
    s.train_steps(12);
    Trainer& t = s.trainer();
    const std::vector<TensorRef> refs = model_tensors(t.model());
    for (const char* dtype : {"f16", "u8"}) {
        CAPTURE(dtype);
        SaveOptions opt;
        opt.weights = parse_weight_dtype(dtype);
        const Bytes q = write_model_file(t, "", opt);
        const ModelFile f = read(q);
        CHECK(f.weights_dtype == dtype);
        CHECK_FALSE(f.optimizer_state);  // a quantised file never carries optimizer state
        for (const TensorRef& r : refs) {
            CAPTURE(r.name);
            const FileTensor* ft = nullptr;
            for (const FileTensor& x : f.tensors)
                if (x.name == r.name) ft = &x;
            REQUIRE(ft);
            CHECK(ft->dtype == (r.weight ? dtype : "f32"));  // biases and buffers stay exact
            float lo = float(r.data[0]), hi = lo;
            for (std::size_t i = 0; i < ft->values.size(); ++i) lo = std::min(lo, float(r.data[i])), hi = std::max(hi, float(r.data[i]));
            for (std::size_t i = 0; i < ft->values.size(); ++i) {
                const double w = double(r.data[i]), got = ft->values[i];
                if (!r.weight)
                    CHECK(got == float(w));
                else if (std::string(dtype) == "f16")  // relative 2^-11 (normal range)
                    CHECK(std::fabs(got - w) <= std::fabs(w) * std::ldexp(1.0, -11) + std::ldexp(1.0, -25));
                else  // u8: half a step of (max − min) / 255
                    CHECK(std::fabs(got - w) <= (double(hi) - double(lo)) / 510.0 * (1 + 1e-6) + 1e-12);
            }
        }
        // It loads as a model and still trains.
        Session b;
        b.set_dataset(Split::Train, bars(40, 4));
        b.load_model(q.data(), q.size());
        CHECK(std::isfinite(b.train_steps(3).loss.total()));
    }
    // A weight beyond f16's range is an error, not a silent infinity.
    const float keep = float(refs[0].data[0]);
    refs[0].data[0] = Scalar(1e5);
    SaveOptions half{false, WeightDType::F16};
    CHECK(contains(error_of([&] { write_model_file(t, "", half); }), "cannot store 'encoder.0.weight' as f16"));
    refs[0].data[0] = Scalar(keep);
    // f16 is half the weight bytes, u8 a quarter.
    SaveOptions f32{false, WeightDType::F32}, f16{false, WeightDType::F16}, u8{false, WeightDType::U8};
    const auto weight_bytes = [&](const SaveOptions& o) {
        std::uint64_t n = 0;
        for (const FileTensor& x : read(write_model_file(t, "", o)).tensors) n += x.kind == "param" && x.dtype != "f32" ? x.bytes : 0;
        return n;
    };
    CHECK(weight_bytes(f16) * 2 == weight_bytes(u8) * 4);
    CHECK(weight_bytes(f32) == 0);
}

TEST_CASE("model_file: refuses a file that is not a model file") {
    Bytes f = small_file();
    Bytes bad = f;
    bad[0] = 'X';
    CHECK(contains(load_error(bad), "not an AEMF model file"));
    Bytes gz = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    CHECK(contains(load_error(gz), "gzip-compressed"));
    Bytes aeds(64, 0);
    std::memcpy(aeds.data(), "AEDS", 4);
    CHECK(contains(load_error(aeds), "dataset file"));
    Bytes text = {'{', '"', 'a', '"', ':', '1', '}'};
    CHECK(contains(load_error(text), "not an AEMF model file"));
}

TEST_CASE("model_file: truncation at every offset is refused as truncated") {
    const Bytes f = small_file();
    const std::size_t header_end = 28 + u32_at(f, 8);
    const ModelFile good = read(f);
    for (std::size_t n = 0; n < f.size(); ++n) {
        CAPTURE(n);
        const Bytes cut(f.begin(), f.begin() + std::ptrdiff_t(n));
        const std::string e = load_error(cut);
        REQUIRE(contains(e, "model file: truncated"));
        if (n >= 8) CHECK(contains(e, "header says " + std::to_string(n < 28 ? 28 : f.size())));
        if (n >= 28 && n < header_end) CHECK(contains(e, "inside the JSON header"));
        for (const FileTensor& t : good.tensors)
            if (n >= header_end + t.offset && n < header_end + t.offset + t.bytes) CHECK(contains(e, "inside tensor '" + t.name + "'"));
    }
}

TEST_CASE("model_file: any single flipped byte is refused, and a flipped tensor byte names the tensor") {
    const Bytes f = small_file();
    const ModelFile good = read(f);
    const std::size_t header_end = 28 + u32_at(f, 8);
    for (std::size_t i = 0; i < f.size(); ++i) {
        CAPTURE(i);
        Bytes bad = f;
        bad[i] ^= 0x01;
        const std::string e = load_error(bad);
        REQUIRE(contains(e, "model file: "));
        if (i < 4) CHECK(contains(e, "not an AEMF model file"));
        if (i < 8) continue;  // the version: "newer format version" or "version 0"
        if (i < 28 || i >= f.size() - 4 || i < header_end) CHECK(contains(e, "corrupted"));
        for (const FileTensor& t : good.tensors)
            if (i >= header_end + t.offset && i < header_end + t.offset + t.bytes)
                CHECK(contains(e, "checksum mismatch in tensor '" + t.name + "'"));
    }
    Bytes bad = f;
    bad[8] ^= 0x40;  // the JSON length: the fixed header's checksum catches it, not "truncated"
    CHECK(contains(load_error(bad), "corrupted: checksum mismatch in the fixed header"));
    bad = f;
    bad.push_back(0);
    CHECK(contains(load_error(bad), "1 unexpected bytes follow the end"));
}

TEST_CASE("model_file: a newer format version is refused with both versions named") {
    Bytes f = small_file();
    put_u32(f, 4, 2);
    const std::string e = load_error(f);
    CHECK(contains(e, "newer format version: the file is version 2 but this build reads version 1"));
    put_u32(f, 4, 0);
    CHECK(contains(load_error(f), "version 0"));
}

TEST_CASE("model_file: tensors that don't match the config are named") {
    const Bytes f = small_file();
    Parts p = split(f);

    SUBCASE("wrong shape") {
        p.header["tensors"][entry_index(p, "encoder.0.weight")]["shape"] = {8, 16};
        const std::string e = load_error(join(p));
        CHECK(contains(e, "tensors don't match the dense model in its config: wrong shape: 'encoder.0.weight'"));
        CHECK(contains(e, "[8, 16], the config needs a param of shape [16, 8]"));
    }
    SUBCASE("missing") {
        const std::size_t i = entry_index(p, "decoder.2.bias");
        p.header["tensors"].erase(i);
        p.chunks.erase(p.chunks.begin() + std::ptrdiff_t(i));
        CHECK(contains(load_error(join(p)), "missing 'decoder.2.bias' [16]"));
    }
    SUBCASE("missing optimizer state that the file says it has") {
        const std::size_t i = entry_index(p, "optimizer.adam.v.0");
        p.header["tensors"].erase(i);
        p.chunks.erase(p.chunks.begin() + std::ptrdiff_t(i));
        CHECK(contains(load_error(join(p)), "missing 'optimizer.adam.v.0'"));
    }
    SUBCASE("unexpected") {
        p.header["tensors"].push_back({{"name", "encoder.9.weight"}, {"kind", "param"}, {"dtype", "f32"}, {"shape", {2}}});
        p.chunks.push_back(Bytes(8, 0));
        CHECK(contains(load_error(join(p)), "unexpected 'encoder.9.weight'"));
    }
    SUBCASE("optimizer slots in a file that says it has none") {
        p.header["optimizer_state"] = false;
        p.header["state"]["optimizer_steps"] = 0;
        CHECK(contains(load_error(join(p)), "unexpected 'optimizer.adam.m.0'"));
    }
    SUBCASE("a config whose model is different") {
        p.header["model"]["latent"] = 3;
        CHECK(contains(load_error(join(p)), "wrong shape: 'encoder.2.weight'"));
    }
    SUBCASE("the rebuilt file itself is fine") {
        CHECK(load_error(join(p)) == "(no error)");
    }
}

TEST_CASE("model_file: a bad header or config is refused with the parser's message") {
    const Bytes f = small_file();
    CHECK(contains(load_error(with_json_text(f, "{not json")), "the JSON header is not valid JSON"));
    CHECK(contains(load_error(with_json_text(f, "[1,2]")), "the JSON header must be a JSON object"));
    std::string deep(100000, '[');
    CHECK(contains(load_error(with_json_text(f, deep)), "nested deeper than 65 levels"));

    Parts p = split(f);
    SUBCASE("invalid model config") {
        p.header["model"]["latent"] = 0;
        CHECK(contains(load_error(join(p)), "the model config is invalid: model config: 'latent' must be an integer in [1"));
    }
    SUBCASE("a model too large to build") {
        // 16-8192-…-8192-2 and back: 2·(15·(8192² + 8192)) + (16·8192 + 8192) + (8192·2 + 2)
        // + (2·8192 + 8192) + (8192·16 + 16) parameters, refused before the tensors are matched.
        p.header["model"]["variant"] = "deep";
        p.header["model"]["encoder"] = std::vector<int>(16, 8192);
        const Bytes b = join(p);
        CHECK(contains(load_error(b), "the model config is invalid: model config: this model would have "
                                      "2,013,822,994 parameters; the playground allows at most 64,000,000"));
        const Error e = thrown([&] { Session().load_model(b.data(), b.size()); });
        CHECK(e.code() == "too_many_parameters");
        CHECK(e.number("parameters") == 2013822994.0);
    }
    SUBCASE("invalid training config") {
        p.header["train"]["lr"] = nullptr;
        CHECK(contains(load_error(join(p)), "the training config is invalid: training config: 'lr' is null"));
    }
    SUBCASE("unknown header key") {
        p.header["extra"] = 1;
        CHECK(contains(load_error(join(p)), "unknown key 'extra'"));
    }
    SUBCASE("state's optimizer differs from the config's") {
        p.header["state"]["optimizer"] = "sgd";
        CHECK(contains(load_error(join(p)), "the state's optimizer 'sgd' is not the training config's 'adam'"));
    }
    SUBCASE("a directory entry with a wrong byte count") {
        p.header["tensors"][0]["shape"] = {16, 9};
        CHECK(contains(load_error(join(p)), "bytes do not hold shape [16, 9]"));
    }
    SUBCASE("a huge shape") {
        p.header["tensors"][0]["shape"] = {4294967296ull, 4294967296ull, 4294967296ull};
        CHECK(contains(load_error(join(p)), "needs more bytes than the file's"));
    }
    SUBCASE("a non-finite weight") {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        std::memcpy(p.chunks[0].data() + 12, &nan, 4);
        const Bytes b = join(p);
        CHECK(contains(load_error(b), "tensor 'encoder.0.weight' holds a non-finite value (NaN or infinity) at index 3"));
        const Error e = thrown([&] { Session().load_model(b.data(), b.size()); });
        CHECK(e.code() == "nonfinite_model");
        CHECK(e.text("tensor") == "encoder.0.weight");
        CHECK(e.number("index") == 3);
        CHECK(e.text("value") == "nan");
    }
    SUBCASE("a quantised optimizer slot") {
        const std::size_t i = entry_index(p, "optimizer.adam.m.1");
        p.header["tensors"][i]["dtype"] = "f16";
        p.chunks[i].resize(p.chunks[i].size() / 2);
        CHECK(contains(load_error(join(p)), "only parameters may be quantised"));
    }
    SUBCASE("a generator state of zeros") {
        p.header["state"]["rng"]["s"] = {"0000000000000000", "0000000000000000", "0000000000000000", "0000000000000000"};
        CHECK(contains(load_error(join(p)), "all zero"));
    }
}

TEST_CASE("model_file: a refused file leaves the session's model untouched") {
    Session s;
    s.configure(kSmallModel, kSmallTrain);
    s.set_dataset(Split::Train, bars(40, 4));
    s.train_steps(3);
    const auto x = s.images(Split::Train, {0, 1});
    const auto before = s.reconstruct(x, 2);

    Bytes other;
    {
        Session o;
        o.configure(R"({"input":[1,4,4],"encoder":[5],"latent":3})", kSmallTrain);
        other = o.save_model("");
    }
    Bytes bad = other;
    bad[bad.size() / 2] ^= 0xFF;
    CHECK_THROWS_AS(s.load_model(bad.data(), bad.size()), Error);
    Bytes cut(other.begin(), other.begin() + 100);
    CHECK_THROWS_AS(s.load_model(cut.data(), cut.size()), Error);
    CHECK(s.model().latent_size() == 2);
    CHECK(s.trainer().step() == 3);
    CHECK(s.reconstruct(x, 2) == before);

    // A position past the loaded training set is refused too, keeping the model.
    Session big;
    big.configure(kSmallModel, R"({"batch_size":8})");
    big.set_dataset(Split::Train, bars(80, 4));
    big.train_steps(6);  // 48 images into the epoch
    const Bytes far = big.save_model("");
    CHECK(contains(error_of([&] { s.load_model(far.data(), far.size()); }), "past the end of this training set"));
    CHECK(s.reconstruct(x, 2) == before);
    // The session stays usable.
    const std::vector<double> l = losses(s, 2);
    CHECK(std::isfinite(l[1]));
}

TEST_CASE("model_file: history must be JSON; an empty history is null") {
    Session s;
    s.configure(kSmallModel, kSmallTrain);
    CHECK(contains(error_of([&] { s.save_model("{oops"); }), "the history to save is not valid JSON"));
    CHECK(contains(error_of([&] { s.save_model(std::string(100000, '[') + std::string(100000, ']')); }),
                   "the history to save is nested deeper than 64 levels"));
    const std::string deepest = std::string(64, '[') + std::string(64, ']');  // the deepest history allowed
    const Bytes d = s.save_model(deepest);
    CHECK(Session().load_model(d.data(), d.size()) == deepest);
    const Bytes f = s.save_model("");
    Session t;
    CHECK(t.load_model(f.data(), f.size()) == "null");
    CHECK(contains(error_of([] { Session().save_model(""); }), "no model to save"));
}

namespace {
std::vector<std::filesystem::path> files_in(const std::string& dir) {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.is_regular_file() && e.path().extension() != ".md") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}
Bytes slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}
}  // namespace

TEST_CASE("model_file: the committed fuzz corpus loads, and AE_WRITE_FUZZ_SEEDS=dir regenerates it") {
    const std::string dir = std::string(AE_SOURCE_DIR) + "/tests/fuzz/corpus";
    if (const char* out = std::getenv("AE_WRITE_FUZZ_SEEDS")) {
        for (const Fixture& fx : kFixtures) {
            Session s;
            s.configure(fx.model, fx.train);
            s.set_dataset(Split::Train, bars(24, fx.side));
            s.train_steps(4);
            std::string name;  // "dense + adam" → "dense-adam"
            for (char c : std::string(fx.name))
                if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') name += c;
                else if (!name.empty() && name.back() != '-') name += '-';
            const Bytes b = s.save_model(R"({"seed":true})");
            std::ofstream(std::string(out) + "/" + name + ".aemf", std::ios::binary)
                .write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
            SaveOptions q{false, WeightDType::U8};
            const Bytes bq = write_model_file(s.trainer(), "", q);
            std::ofstream(std::string(out) + "/" + name + ".u8.aemf", std::ios::binary)
                .write(reinterpret_cast<const char*>(bq.data()), std::streamsize(bq.size()));
        }
    }
    const auto seeds = files_in(dir);
    CHECK(seeds.size() >= 3);
    for (const auto& p : seeds) {
        CAPTURE(p.string());
        const Bytes b = slurp(p);
        CHECK(load_error(b) == "(no error)");
    }
}

TEST_CASE("model_file: every fuzz regression input is refused with the message its fix gave, never a crash") {
    // One line per file in tests/fuzz/regressions (its README says what each once broke): a
    // missing, extra or renamed file fails here, and so does an empty or missing folder.
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"history-nested-100000-deep.aemf", "nested deeper than 65 levels"},
        {"offset-1e300.aemf", "'offset' must be an integer in [0, 3864], got 1e+300"},
        {"shape-count-overflow.aemf", "needs more bytes than the file's"},
    };
    const std::string dir = std::string(AE_SOURCE_DIR) + "/tests/fuzz/regressions";
    REQUIRE_MESSAGE(std::filesystem::is_directory(dir), dir, " is missing");
    const auto found = files_in(dir);
    std::vector<std::string> names;
    for (const auto& p : found) names.push_back(p.filename().string());
    std::vector<std::string> want;
    for (const auto& [name, message] : expected) want.push_back(name);
    CHECK(names == want);
    for (const auto& entry : expected) {
        const std::string& name = entry.first;  // clang 14 cannot capture a structured binding (CAPTURE)
        const auto& message = entry.second;
        CAPTURE(name);
        const Bytes b = slurp(dir + "/" + name);
        REQUIRE(!b.empty());
        const std::string e = load_error(b);
        CHECK(e != "(no error)");
        CHECK(contains(e, message));
    }
}

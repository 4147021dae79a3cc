#include "io/model_file.hpp"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <new>
#include <set>

#include "core/config_reader.hpp"
#include "core/error.hpp"
#include "core/finite.hpp"
#include "io/bytes.hpp"
#include "io/crc32.hpp"
#include "io/half.hpp"

namespace ae {

namespace {

constexpr char kMagic[4] = {'A', 'E', 'M', 'F'};
constexpr std::uint64_t kMaxHeaderBytes = 64ull << 20;  // the JSON header: configs, directory, history
constexpr std::uint64_t kAlign = 8;                      // tensor data and every tensor start 8-aligned
constexpr std::size_t kMaxRank = 4;

std::uint64_t align_up(std::uint64_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

std::string shape_str(const std::vector<std::size_t>& s) {
    std::string r = "[";
    for (std::size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
    return r + "]";
}

std::size_t dtype_bytes(const std::string& dtype) { return dtype == "f32" ? 4 : dtype == "f16" ? 2 : 1; }

std::string hex64(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016" PRIx64, v);
    return buf;
}

std::uint64_t parse_hex64(const Json& j, const char* what) {
    require(j.is_string() && j.get<std::string>().size() == 16, "model file: the JSON header's ", what,
            " must be a 16-digit hex string");
    std::uint64_t v = 0;
    for (char c : j.get<std::string>()) {
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        require(d >= 0, "model file: the JSON header's ", what, " must be a 16-digit hex string");
        v = v << 4 | std::uint64_t(d);
    }
    return v;
}

Json rng_to_json(const Rng::State& s) {
    return Json{{"s", {hex64(s.s[0]), hex64(s.s[1]), hex64(s.s[2]), hex64(s.s[3])}},
                {"spare", s.spare},
                {"has_spare", s.has_spare}};
}

// allow_zero: epoch_rng is all zero until the first epoch starts.
Rng::State rng_from_json(const Json& j, const char* what, bool allow_zero) {
    const std::string section = std::string("model file: the JSON header's ") + what;
    ConfigReader r(j, section);
    Rng::State st{};
    require(r.has("s") && j.at("s").is_array() && j.at("s").size() == 4, section,
            ": 's' must be an array of 4 hex strings");
    for (int i = 0; i < 4; ++i) st.s[i] = parse_hex64(j.at("s")[i], what);
    require(allow_zero || (st.s[0] | st.s[1] | st.s[2] | st.s[3]), section, ": the generator state is all zero, which xoshiro never reaches");
    st.spare = 0.0;
    r.number("spare", st.spare, -1e300, 1e300);
    st.has_spare = false;
    r.boolean("has_spare", st.has_spare);
    r.reject_unknown();
    return st;
}

// nlohmann's dump() and copies recurse once per nesting level (100,000 nested arrays overflow
// the stack): refuse deep nesting before parsing. Our own header nests 4 levels.
constexpr int kMaxJsonDepth = 64;  // for the history; the header holds it one level down
bool json_depth_ok(const std::string& text, int max_depth = kMaxJsonDepth) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) return false;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return true;
}

// The JSON value of a config string produced by to_json (kept as objects in the header).
Json config_object(const std::string& json) { return Json::parse(json); }

[[noreturn]] void truncated(std::size_t size, std::uint64_t expected, const std::string& where) {
    fail("model file: truncated: the file has ", size, " bytes but its header says ", expected, " (", where,
         "). The download or copy was cut short: save or download the model again.");
}

}  // namespace

WeightDType parse_weight_dtype(const std::string& name) {
    if (name == "f32") return WeightDType::F32;
    if (name == "f16") return WeightDType::F16;
    if (name == "u8") return WeightDType::U8;
    fail("unknown weight type '", name, "' (expected f32, f16 or u8)");
}

const char* dtype_name(WeightDType d) { return d == WeightDType::F16 ? "f16" : d == WeightDType::U8 ? "u8" : "f32"; }

std::vector<TensorRef> model_tensors(Autoencoder& model) {
    std::vector<TensorRef> out;
    for (Param* p : model.params()) out.push_back({p->name, "param", p->shape, p->data(), p->decay});
    for (Param* p : model.adversary_params()) out.push_back({p->name, "param", p->shape, p->data(), p->decay});
    for (Param* b : model.buffers()) out.push_back({b->name, "buffer", b->shape, b->data(), false});
    return out;
}

std::vector<TensorRef> optimizer_tensors(Trainer& trainer) {
    std::vector<TensorRef> out;
    auto add = [&](Optimizer* opt, const std::string& prefix) {
        if (!opt) return;
        for (auto& [name, vec] : opt->slots())
            out.push_back({prefix + name, "optimizer", {vec->size()}, vec->data(), false});
    };
    add(&trainer.optimizer(), "optimizer.");
    add(trainer.discriminator_optimizer(), "optimizer.discriminator.");
    add(trainer.generator_optimizer(), "optimizer.generator.");
    return out;
}

// ------------------------------------------------------------------------------------------
// Writing

std::vector<std::uint8_t> write_model_file(Trainer& trainer, const std::string& history_json,
                                           const SaveOptions& options) {
    Json history = nullptr;
    require(json_depth_ok(history_json), "the history to save is nested deeper than ", kMaxJsonDepth, " levels");
    if (!history_json.empty()) history = parse_json(history_json, "the history to save");
    const bool quantised = options.weights != WeightDType::F32;
    const bool with_opt = options.with_optimizer && !quantised;

    std::vector<TensorRef> tensors = model_tensors(trainer.model());
    if (with_opt)
        for (TensorRef& t : optimizer_tensors(trainer)) tensors.push_back(t);

    // A diverged model is never written: no reader would load it.
    for (const TensorRef& t : tensors) {
        std::size_t n = 1;
        for (std::size_t d : t.shape) n *= d;
        const std::size_t i = first_nonfinite(t.data, n);
        if (i < n)
            fail_coded("nonfinite_model", {{"tensor", t.name}, {"index", double(i)}, {"value", nonfinite_name(t.data[i])}},
                       "cannot save the model: tensor '", t.name, "' holds ", nonfinite_text(t.data[i]), " at index ", i,
                       " (the training diverged); a model file never holds NaN or infinity: go back to an earlier "
                       "state or reset the model");
    }

    // Tensor data first (the directory needs offsets and checksums), into the buffer that
    // becomes the file: the header is inserted before it in place, so a model is held once
    // more while it is saved, not twice (train/cost.hpp counts it).
    Bytes data;
    std::size_t capacity = kModelFileFixedHeader + 4096 + history_json.size() + 4;
    for (const TensorRef& t : tensors) {
        std::size_t n = 1;
        for (std::size_t d : t.shape) n *= d;
        capacity += align_up(4 * n) + 256 + t.name.size();
    }
    data.reserve(capacity);
    ByteWriter w(data);
    Json directory = Json::array();
    for (const TensorRef& t : tensors) {
        std::size_t n = 1;
        for (std::size_t d : t.shape) n *= d;
        w.zeros(align_up(data.size()) - data.size());
        const std::size_t offset = data.size();
        const WeightDType dt = t.weight ? options.weights : WeightDType::F32;
        Json entry = {{"name", t.name}, {"kind", t.kind}, {"dtype", dtype_name(dt)}, {"shape", t.shape}};
        if (dt == WeightDType::F32) {
            store_f32s(w, t.data, n);
        } else if (dt == WeightDType::F16) {
            for (std::size_t i = 0; i < n; ++i) {
                const std::uint16_t h = float_to_half(float(t.data[i]));
                require((h & 0x7C00u) != 0x7C00u, "cannot store '", t.name, "' as f16: it holds ", t.data[i],
                        ", beyond f16's range of ±65504; use f32 or u8");
                w.u16(h);
            }
        } else {
            // u8: value = min + scale · q, q in 0..255, rounded to nearest; one (min, scale) per tensor.
            float lo = n ? float(t.data[0]) : 0.f, hi = lo;
            for (std::size_t i = 0; i < n; ++i) lo = std::min(lo, float(t.data[i])), hi = std::max(hi, float(t.data[i]));
            const double scale = hi > lo ? (double(hi) - double(lo)) / 255.0 : 0.0;
            for (std::size_t i = 0; i < n; ++i) {
                const double q = scale > 0 ? std::round((double(t.data[i]) - lo) / scale) : 0.0;
                w.u8(std::uint8_t(std::min(255.0, std::max(0.0, q))));
            }
            entry["min"] = double(lo);
            entry["scale"] = scale;
        }
        entry["offset"] = offset;
        entry["bytes"] = data.size() - offset;
        entry["crc32"] = crc32(data.data() + offset, data.size() - offset);
        directory.push_back(entry);
    }
    w.zeros(align_up(data.size()) - data.size());

    Trainer::Position pos = trainer.position();
    Optimizer& opt = trainer.optimizer();
    Json state = {{"step", pos.step},
                  {"epoch", pos.epoch},
                  {"position", pos.position},
                  {"rng", rng_to_json(pos.rng)},
                  {"epoch_rng", rng_to_json(pos.epoch_rng)},
                  {"optimizer", opt.name()},
                  {"optimizer_steps", with_opt ? opt.steps() : 0}};
    if (trainer.discriminator_optimizer())
        state["adversarial_optimizer_steps"] = {
            {"discriminator", with_opt ? trainer.discriminator_optimizer()->steps() : 0},
            {"generator", with_opt ? trainer.generator_optimizer()->steps() : 0}};
    Json header = {
        {"model", config_object(to_json(trainer.model().config()))},
        {"train", config_object(to_json(trainer.config()))},
        {"state", state},
        {"optimizer_state", with_opt},
        {"weights", dtype_name(options.weights)},
        {"history", history},
        {"tensors", directory},
    };
    std::string json = header.dump();
    json.append(align_up(kModelFileFixedHeader + json.size()) - kModelFileFixedHeader - json.size(), ' ');
    require(json.size() <= kMaxHeaderBytes, "model file: the JSON header would be ", json.size(),
            " bytes, more than the ", kMaxHeaderBytes, " a reader accepts: the history is too long");

    Bytes head;
    head.reserve(kModelFileFixedHeader + json.size());
    ByteWriter f(head);
    f.raw(kMagic, 4);
    f.u32(kModelFileVersion);
    f.u32(std::uint32_t(json.size()));
    f.u32(crc32(reinterpret_cast<const std::uint8_t*>(json.data()), json.size()));
    f.u64(data.size());
    f.u32(crc32(head.data(), 24));
    f.str(json);
    data.reserve(head.size() + data.size() + 4);  // no-op when the estimate above held
    data.insert(data.begin(), head.begin(), head.end());
    w.u32(crc32(data.data(), data.size()));
    return data;
}

// ------------------------------------------------------------------------------------------
// Reading: each check in the order a damaged file is most usefully described.

namespace {

void check_magic_and_version(const std::uint8_t* b, std::size_t size) {
    const std::size_t k = std::min<std::size_t>(size, 4);
    bool prefix = true;
    for (std::size_t i = 0; i < k; ++i) prefix = prefix && b[i] == std::uint8_t(kMagic[i]);
    if (!prefix) {
        if (size >= 2 && b[0] == 0x1f && b[1] == 0x8b)
            fail("model file: not an AEMF model file: it is gzip-compressed; decompress it first (gunzip)");
        if (size >= 4 && std::string(reinterpret_cast<const char*>(b), 4) == "AEDS")
            fail("model file: not an AEMF model file: this is a dataset file (AEDS)");
        if (size >= 4 && b[0] == 'P' && b[1] == 'K')
            fail("model file: not an AEMF model file: this is a ZIP archive (an exported .npz?); "
                 "only .aemf files can be loaded");
        fail("model file: not an AEMF model file: a model file starts with the 4 bytes 'AEMF'");
    }
    if (size < 8) truncated(size, kModelFileFixedHeader, "it ends inside the fixed 28-byte header");
    const std::uint32_t version = load_u32(b + 4);
    require(version != 0, "model file: corrupted: format version 0 does not exist");
    require(version <= kModelFileVersion, "model file: newer format version: the file is version ", version,
            " but this build reads version ", kModelFileVersion, " and older. Update the playground (or ae) to load it.");
    if (size < kModelFileFixedHeader) truncated(size, kModelFileFixedHeader, "it ends inside the fixed 28-byte header");
    require(crc32(b, 24) == load_u32(b + 24),
            "model file: corrupted: checksum mismatch in the fixed header (bytes 0-27)");
}

// The directory entry of one tensor, checked against the dtype rules and the data length.
FileTensor read_entry(const Json& e, std::size_t index, std::uint64_t data_bytes) {
    const std::string where = "model file: the JSON header's tensor " + std::to_string(index);
    ConfigReader r(e, where);
    FileTensor t;
    r.string("name", t.name);
    require(!t.name.empty(), where, " has no name");
    const std::string named = "model file: tensor '" + t.name + "'";
    r.string("kind", t.kind, {"param", "buffer", "optimizer"});
    r.string("dtype", t.dtype, {"f32", "f16", "u8"});
    require(r.has("shape") && e.at("shape").is_array() && e.at("shape").size() <= kMaxRank, named,
            ": 'shape' must be an array of at most ", kMaxRank, " sizes");
    std::uint64_t count = 1;
    for (const Json& d : e.at("shape")) {
        require(d.is_number_unsigned() && d.get<std::uint64_t>() >= 1, named, ": 'shape' must hold sizes >= 1");
        const std::uint64_t n = d.get<std::uint64_t>();
        t.shape.push_back(std::size_t(std::min<std::uint64_t>(n, std::numeric_limits<std::size_t>::max())));
        require(n <= data_bytes / count, named, ": its shape ", shape_str(t.shape), " needs more bytes than the file's ",
                data_bytes, " bytes of tensor data");
        count *= n;
    }
    r.integer("offset", t.offset, 0, (long long)data_bytes);
    r.integer("bytes", t.bytes, 0, (long long)data_bytes);
    r.integer("crc32", t.crc, 0, 0xFFFFFFFFll);
    require(e.contains("offset") && e.contains("bytes") && e.contains("crc32") && e.contains("kind") &&
                e.contains("dtype"),
            named, " lacks one of: kind, dtype, offset, bytes, crc32");
    if (t.dtype == "u8") {
        r.number("min", t.min, -3.4e38, 3.4e38);
        r.number("scale", t.scale, 0.0, 3.4e38);
        require(e.contains("min") && e.contains("scale"), named, ": a u8 tensor needs 'min' and 'scale'");
    }
    r.reject_unknown();
    require(t.bytes == count * dtype_bytes(t.dtype), named, ": ", t.bytes, " bytes do not hold shape ",
            shape_str(t.shape), " of ", t.dtype, " (", count * dtype_bytes(t.dtype), " bytes)");
    require(t.kind == "param" || t.dtype == "f32", named, ": only parameters may be quantised");
    return t;
}

void decode(FileTensor& t, const std::uint8_t* p) {
    const std::size_t n = std::size_t(t.bytes / dtype_bytes(t.dtype));
    t.values.resize(n);
    if (t.dtype == "f32") {
        load_f32s(p, n, t.values.data());
    } else if (t.dtype == "f16") {
        for (std::size_t i = 0; i < n; ++i) t.values[i] = half_to_float(load_u16(p + 2 * i));
    } else {
        for (std::size_t i = 0; i < n; ++i) t.values[i] = float(t.min + t.scale * double(p[i]));
    }
    const std::size_t i = first_nonfinite(t.values.data(), n);
    if (i < n)
        fail_coded("nonfinite_model", {{"tensor", t.name}, {"index", double(i)}, {"value", nonfinite_name(t.values[i])}},
                   "model file: tensor '", t.name, "' holds a non-finite value (NaN or infinity) at index ", i,
                   "; a model that diverged cannot be loaded");
}

}  // namespace

ModelFile read_model_file(const std::uint8_t* b, std::size_t size) {
    require(b != nullptr || size == 0, "model file: no bytes given");
    if (size == 0) fail("model file: truncated: the file is empty (0 bytes)");
    check_magic_and_version(b, size);

    const std::uint64_t H = load_u32(b + 8);
    const std::uint32_t header_crc = load_u32(b + 12);
    const std::uint64_t B = load_u64(b + 16);
    require(H <= kMaxHeaderBytes && (kModelFileFixedHeader + H) % kAlign == 0,
            "model file: corrupted: the JSON header length ", H, " is not possible (at most ", kMaxHeaderBytes,
            " bytes, ending 8-byte aligned)");
    require(B % kAlign == 0 && B <= (std::uint64_t(1) << 40), "model file: corrupted: the tensor data length ", B,
            " is not possible");
    const std::uint64_t header_end = kModelFileFixedHeader + H, data_end = header_end + B, total = data_end + 4;
    if (size < header_end) truncated(size, total, "it ends inside the JSON header");

    require(crc32(b + kModelFileFixedHeader, H) == header_crc, "model file: corrupted: checksum mismatch in the JSON header");
    const std::string text(reinterpret_cast<const char*>(b + kModelFileFixedHeader), std::size_t(H));
    require(json_depth_ok(text, kMaxJsonDepth + 1), "model file: the JSON header is nested deeper than ",
            kMaxJsonDepth + 1, " levels");
    Json header;
    try {
        header = Json::parse(text);
    } catch (const Json::exception& e) {
        fail("model file: the JSON header is not valid JSON: ", e.what());
    }

    ModelFile f;
    f.version = load_u32(b + 4);
    f.file_bytes = size;
    require(header.is_object(), "model file: the JSON header must be a JSON object");
    if (header.contains("history")) f.history_json = header.at("history").dump();
    header.erase("history");  // opaque: any JSON value, null included
    ConfigReader r(header, "model file: the JSON header");
    const Json* model = r.object("model");
    const Json* train = r.object("train");
    const Json* state = r.object("state");
    require(model && train && state && header.contains("tensors") && header.contains("optimizer_state"),
            "model file: the JSON header lacks one of: model, train, state, optimizer_state, tensors");
    r.boolean("optimizer_state", f.optimizer_state);
    r.string("weights", f.weights_dtype, {"f32", "f16", "u8"});
    require(r.has("tensors") && header.at("tensors").is_array(), "model file: the JSON header's 'tensors' must be an array");
    r.reject_unknown();

    // The directory: tensors in order, each 8-aligned right after the previous one, zero gaps.
    std::set<std::string> names;
    std::uint64_t next = 0;
    for (std::size_t i = 0; i < header.at("tensors").size(); ++i) {
        FileTensor t = read_entry(header.at("tensors")[i], i, B);
        require(names.insert(t.name).second, "model file: tensor '", t.name, "' appears twice in the directory");
        require(t.offset == align_up(next), "model file: tensor '", t.name, "' starts at byte ", t.offset,
                " of the tensor data, expected ", align_up(next), " (tensors are stored in order, 8-byte aligned)");
        next = t.offset + t.bytes;
        require(next <= B, "model file: tensor '", t.name, "' ends past the tensor data (", next, " > ", B, " bytes)");
        f.tensors.push_back(std::move(t));
    }
    require(align_up(next) == B, "model file: the tensor data is ", B, " bytes but the directory accounts for ",
            align_up(next));

    if (size < total) {
        std::string where = "it ends inside the final checksum";
        for (const FileTensor& t : f.tensors)
            if (size < header_end + t.offset + t.bytes) {
                where = "it ends inside tensor '" + t.name + "'";
                break;
            }
        truncated(size, total, where);
    }
    require(size == total, "model file: corrupted: ", size - total, " unexpected bytes follow the end of the model (",
            total, " bytes)");

    const std::uint8_t* data = b + header_end;
    std::uint64_t gap_start = 0;
    for (FileTensor& t : f.tensors) {
        require(crc32(data + t.offset, std::size_t(t.bytes)) == t.crc, "model file: corrupted: checksum mismatch in tensor '",
                t.name, "'");
        for (std::uint64_t k = gap_start; k < t.offset; ++k)
            require(data[k] == 0, "model file: corrupted: a padding byte before tensor '", t.name, "' is not zero");
        gap_start = t.offset + t.bytes;
    }
    for (std::uint64_t k = gap_start; k < B; ++k)
        require(data[k] == 0, "model file: corrupted: a padding byte after the last tensor is not zero");
    require(crc32(b, std::size_t(data_end)) == load_u32(b + data_end),
            "model file: corrupted: checksum mismatch in the final checksum (the last 4 bytes)");

    // Configs, with the parsers' own messages.
    try {
        f.model = parse_model_config(model->dump());
    } catch (const Error& e) {
        fail_prefixed("model file: the model config is invalid: ", e);
    }
    try {
        f.train = parse_train_config(train->dump());
    } catch (const Error& e) {
        fail_prefixed("model file: the training config is invalid: ", e);
    }

    ConfigReader s(*state, "model file: the JSON header's state");
    const auto max_int = (long long)(1ll << 53);
    s.integer("step", f.state.step, 0, max_int);
    s.integer("epoch", f.state.epoch, 0, max_int);
    s.integer("position", f.state.position, 0, max_int);
    s.string("optimizer", f.state.optimizer);
    s.integer("optimizer_steps", f.state.optimizer_steps, 0, max_int);
    require(s.has("rng") && s.has("epoch_rng") && s.has("optimizer"),
            "model file: the JSON header's state lacks one of: rng, epoch_rng, optimizer");
    f.state.rng = rng_from_json(state->at("rng"), "state.rng", false);
    f.state.epoch_rng = rng_from_json(state->at("epoch_rng"), "state.epoch_rng", true);
    if (const Json* adv = s.object("adversarial_optimizer_steps")) {
        ConfigReader a(*adv, "model file: the JSON header's state.adversarial_optimizer_steps");
        a.integer("discriminator", f.state.discriminator_optimizer_steps, 0, max_int);
        a.integer("generator", f.state.generator_optimizer_steps, 0, max_int);
        a.reject_unknown();
        require(f.model.is_adversarial(), "model file: the state counts adversarial optimizer steps but the model ",
                "is a ", f.model.variant, ", which has no discriminator");
    }
    require(!f.model.is_adversarial() || !f.optimizer_state || state->contains("adversarial_optimizer_steps"),
            "model file: the JSON header's state lacks adversarial_optimizer_steps, which an aae model's ",
            "optimizer state needs");
    s.reject_unknown();
    require(f.state.optimizer == f.train.optimizer.name, "model file: the state's optimizer '", f.state.optimizer,
            "' is not the training config's '", f.train.optimizer.name, "'");
    require(f.optimizer_state || (f.state.optimizer_steps == 0 && f.state.discriminator_optimizer_steps == 0 &&
                                  f.state.generator_optimizer_steps == 0),
            "model file: the state counts optimizer steps but the file has no optimizer state");

    for (FileTensor& t : f.tensors) decode(t, data + t.offset);
    return f;
}

std::unique_ptr<Trainer> restore_trainer(const ModelFile& file) {
    std::unique_ptr<Trainer> trainer;
    try {
        trainer = std::make_unique<Trainer>(file.model, file.train);
    } catch (const Error& e) {  // each config is valid alone, but not with the other
        fail_prefixed("model file: the model and training configs don't fit together: ", e);
    } catch (const std::bad_alloc&) {
        fail_coded("out_of_memory", {}, "model file: out of memory: the model it describes does not fit in the memory ",
                   "left (", to_json(file.model), ")");
    }
    std::vector<TensorRef> expected = model_tensors(trainer->model());
    if (file.optimizer_state)
        for (TensorRef& t : optimizer_tensors(*trainer)) expected.push_back(t);

    std::map<std::string, const FileTensor*> in_file;
    for (const FileTensor& t : file.tensors) in_file[t.name] = &t;

    std::string missing, wrong;
    std::set<std::string> used;
    for (const TensorRef& e : expected) {
        auto it = in_file.find(e.name);
        if (it == in_file.end()) {
            missing += (missing.empty() ? "" : ", ") + ("'" + e.name + "' " + shape_str(e.shape));
            continue;
        }
        used.insert(e.name);
        const FileTensor& t = *it->second;
        if (t.shape != e.shape || t.kind != e.kind)
            wrong += (wrong.empty() ? "" : "; ") + ("'" + e.name + "' is a " + t.kind + " of shape " + shape_str(t.shape) +
                                                   ", the config needs a " + e.kind + " of shape " + shape_str(e.shape));
    }
    std::string unexpected;
    for (const FileTensor& t : file.tensors)
        if (!used.count(t.name)) unexpected += (unexpected.empty() ? "" : ", ") + ("'" + t.name + "'");
    const std::string cfg = "the " + file.model.variant + " model in its config";
    require(wrong.empty(), "model file: tensors don't match ", cfg, ": wrong shape: ", wrong);
    require(missing.empty(), "model file: tensors don't match ", cfg, ": missing ", missing);
    require(unexpected.empty(), "model file: tensors don't match ", cfg, ": unexpected ", unexpected,
            file.optimizer_state ? "" : " (the file says it has no optimizer state)");

    for (const TensorRef& e : expected) {
        const std::vector<float>& v = in_file.at(e.name)->values;
        for (std::size_t i = 0; i < v.size(); ++i) e.data[i] = Scalar(v[i]);
    }
    trainer->optimizer().set_steps(file.optimizer_state ? file.state.optimizer_steps : 0);
    if (Optimizer* d = trainer->discriminator_optimizer())
        d->set_steps(file.optimizer_state ? file.state.discriminator_optimizer_steps : 0);
    if (Optimizer* g = trainer->generator_optimizer())
        g->set_steps(file.optimizer_state ? file.state.generator_optimizer_steps : 0);
    Trainer::Position pos;
    pos.step = file.state.step;
    pos.epoch = file.state.epoch;
    pos.position = file.state.position;
    pos.rng = file.state.rng;
    pos.epoch_rng = file.state.epoch_rng;
    trainer->restore_position(pos);
    return trainer;
}

}  // namespace ae

#include "common.hpp"

#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "core/config_reader.hpp"
#include "core/error.hpp"
#include "io/model_file.hpp"
#include "kernels/gemm.hpp"

namespace ae::cli {

namespace fs = std::filesystem;

std::string version_line() {
#if defined(__AVX512F__)
    const char* simd = "avx512";
#elif defined(__AVX2__) && defined(__FMA__)
    const char* simd = "avx2-fma";
#elif defined(__AVX__)
    const char* simd = "avx";
#elif defined(__SSE2__)
    const char* simd = "sse2";
#elif defined(__aarch64__)
    const char* simd = "neon";
#else
    const char* simd = "none";
#endif
#if defined(__clang__)
    const std::string compiler = "clang-" + std::to_string(__clang_major__) + "." + std::to_string(__clang_minor__) +
                                 "." + std::to_string(__clang_patchlevel__);
#elif defined(__GNUC__)
    const std::string compiler = "gcc-" + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "." +
                                 std::to_string(__GNUC_PATCHLEVEL__);
#else
    const std::string compiler = "unknown";
#endif
    return std::string("version engine=") + kEngineVersion + " aemf=" + std::to_string(kModelFileVersion) +
           " gemm=" + kernels::gemm_backend() + " simd=" + simd + " compiler=" + compiler;
}

std::vector<std::uint8_t> read_file(const std::string& path, std::uint64_t max_bytes, const char* what) {
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) fail("cannot open '", path, "': ", ec ? ec.message() : "no such file");
    if (fs::is_directory(st)) fail("'", path, "' is a directory; give the path of a ", what, " inside it");
    if (!fs::is_regular_file(st))
        fail("'", path, "' is not a regular file (a device, pipe or socket); give the path of a ", what);
    const std::uintmax_t size = fs::file_size(path, ec);
    if (ec) fail("cannot read '", path, "': ", ec.message());
    if (size > max_bytes)
        fail("'", path, "' is ", size, " bytes, more than any ", what, " this program reads (at most ", max_bytes,
             " bytes)");
    std::ifstream in(path, std::ios::binary);
    require(bool(in), "cannot open '", path, "': ", std::strerror(errno));
    std::vector<std::uint8_t> b(static_cast<std::size_t>(size));
    in.read(reinterpret_cast<char*>(b.data()), std::streamsize(b.size()));
    require(in.gcount() == std::streamsize(b.size()) && !in.bad(), "cannot read '", path, "': it ended after ",
            in.gcount(), " of its ", size, " bytes (is it being written?)");
    return b;
}

void write_file(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        require(bool(out), "cannot write '", tmp, "': ", std::strerror(errno));
        out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        out.flush();
        require(bool(out), "cannot write '", tmp, "' (disk full?)");
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    require(!ec, "cannot rename '", tmp, "' to '", path, "': ", ec.message());
}

void check_writable(const std::string& path, const std::string& flag) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) fail(flag, " '", path, "' is a directory; give a file name, e.g. ", path, "/model.aemf");
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec))
        fail(flag, " '", path, "': the folder '", parent.string(), "' does not exist");
    const std::string tmp = path + ".tmp";
    const bool existed = fs::exists(tmp, ec);
    {
        std::ofstream probe(tmp, std::ios::binary | std::ios::app);
        if (!probe) fail(flag, " '", path, "' cannot be written: ", std::strerror(errno));
    }
    if (!existed) fs::remove(tmp, ec);
}

void check_not_input(const std::string& output, const std::string& input, const std::string& flag) {
    std::error_code ec;
    if (output == input || fs::equivalent(output, input, ec))
        throw UsageError(flag + " '" + output + "' is the model file being read: write to another file (the input " +
                             "stays as it is)",
                         false);
}

namespace {
constexpr const char* kNameRule = "letters, digits, '-', '_' and '.', not starting with '.'";
bool is_dataset_name(const std::string& name) {
    bool plain = !name.empty() && name.size() <= 64 && name[0] != '.';
    for (char c : name) plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
    return plain;
}
}  // namespace

std::string history_dataset(const Json& history) {
    if (!history.is_object() || !history.contains("dataset") || !history["dataset"].is_string()) return "";
    const std::string name = history["dataset"].get<std::string>();
    require(is_dataset_name(name), "the model file's history names the dataset '", name.substr(0, 80),
            "', which is not a dataset name (", kNameRule, "); give the dataset with --dataset");
    return name;
}

std::string data_dir(const Args& args) {
    if (args.has("data-dir")) return args.get("data-dir");
    if (const char* env = std::getenv("AE_DATA_DIR"); env && *env) return env;
    if (fs::is_directory("web/public/data")) return "web/public/data";
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);  // <repo>/build/<dir>/engine/ae
    if (!ec) {
        const fs::path guess = exe.parent_path().parent_path().parent_path().parent_path() / "web/public/data";
        if (fs::is_directory(guess)) return guess.string();
    }
    return "web/public/data";
}

DatasetFile load_split(const std::string& dir, const std::string& name, const std::string& split, std::size_t limit) {
    require(is_dataset_name(name), "dataset name '", name.substr(0, 80), "' is not a dataset name (", kNameRule,
            "): give one such as mnist or fashion-mnist, and --data-dir for another folder");
    const std::string base = dir + "/" + name + "-" + split + ".aeds";
    std::string path = base + ".gz";
    if (!fs::exists(path) && fs::exists(base)) path = base;
    require(fs::exists(path), "dataset file '", path, "' not found: run `node datasets/prepare.mjs` (or `npm run setup`)",
            " to prepare MNIST and Fashion-MNIST, or pass --data-dir");
    DatasetFile d = read_dataset_file(path);
    if (limit && limit < d.count) {
        const std::size_t px = std::size_t(d.height) * d.width;
        d.count = std::uint32_t(limit);
        d.labels.resize(limit);
        d.pixels.resize(limit * px);
    }
    return d;
}

std::string split_arg(const Args& args) {
    const std::string split = args.get("split", "test");
    if (split != "test" && split != "train") throw UsageError("--split must be test or train, got '" + split + "'");
    return split;
}

std::string load_model_and_dataset(Session& s, const std::string& path, const Args& args) {
    const auto bytes = read_file(path);
    const Json history = Json::parse(s.load_model(bytes.data(), bytes.size()));
    if (args.has("dataset")) return args.get("dataset");
    const std::string named = history_dataset(history);
    return named.empty() ? "mnist" : named;
}

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

std::string terms(const LossTerms& t, const std::string& prefix, bool adversarial) {
    std::string s = prefix + "recon=" + num(t.recon) + " " + prefix + "kl=" + num(t.kl) + " " + prefix +
                    "sparsity=" + num(t.sparsity) + " " + prefix + "weight_decay=" + num(t.weight_decay);
    if (adversarial) s += " " + prefix + "disc=" + num(t.disc) + " " + prefix + "gen=" + num(t.gen);
    return s;
}

bool parse_or_help(const Command& cmd, const std::vector<std::string>& argv, Args& out) {
    out = parse_args(cmd, argv);
    if (!out.has("help")) return false;
    std::cout << usage(cmd);
    return true;
}

}  // namespace ae::cli

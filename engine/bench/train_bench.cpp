// Training throughput of one model on the real MNIST training set: W warm-up batches, then R
// timed repeats of B batches each, one JSON line per repeat and a summary line at the end.
// scripts/bench.mjs runs the native build; the WASM build (train_bench.cjs, node) measures the
// engine without the Embind layer and reads the dataset through node's fs and zlib.
//
//   train_bench [--model seed|conv|sequence|aae] [--model-json JSON] [--data FILE] [--warmup W]
//               [--repeats R] [--batches B] [--batch-size N] [--seed S] [--threads T]
//
//   --model seed      784-400-20-400-784, ReLU, sigmoid output, BCE (the seed documents' model)
//   --model conv      Conv(1→32, k3 s2 p1) → Conv(32→64) → Dense(3136→20) and the mirrored decoder
//   --model sequence  GRU(28→128) over the 28 rows → Dense(→20); GRU(20→128) → Dense(→28) per row
//   --model aae       the seed's layers around a 2-D code, discriminator 128-128, three phases
//   --threads T       T threads (core/parallel.hpp; native, or a threaded WASM build), default 1
//   Training: Adam, lr 1e-3, batch 128, seed 1. Each step gathers its batch from the shuffled
//   set, runs forward, backward and the optimizer step, exactly as Session::train_steps does.
//
// Output (stdout), one object per line:
//   {"bench":"train","engine":"native",...,"repeat":1,"samples":12800,"seconds":0.64,
//    "samples_per_s":20000,"loss":131.2,"cpu_seconds":0.63,"other_cores":0.03}
//   {"bench":"train_summary",...,"median":…,"min":…,"max":…}
// cpu_seconds: this process's CPU time during the repeat (null where it cannot be read);
// other_cores: CPU time of every other process on the machine during the repeat, in cores
// (from /proc/stat minus this process's CPU time); null where that cannot be read.
// Exit codes: 0 done, 2 bad arguments or unreadable data (the message says which).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench_args.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "data/dataset_file.hpp"
#include "kernels/gemm.hpp"
#include "train/session.hpp"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>

// No file system in this build (no NODERAWFS): node's fs and zlib read and gunzip the file
// into a JS buffer, whose size comes back first and whose bytes are then copied into ours.
EM_JS(double, bench_read_file_js, (const char* path), {
    const fs = require('fs');
    const zlib = require('zlib');
    const name = UTF8ToString(path);
    try {
        let bytes = fs.readFileSync(name);
        if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = zlib.gunzipSync(bytes);
        Module.benchBytes = bytes;
        return bytes.length;
    } catch (e) {
        Module.benchError = String(e && e.message || e);
        return -1;
    }
});
EM_JS(void, bench_copy_file_js, (std::uint8_t* dst), {
    HEAPU8.set(Module.benchBytes, dst);
    Module.benchBytes = null;
});
EM_JS(int, bench_error_length_js, (), {
    return lengthBytesUTF8(Module.benchError || 'unknown error');
});
EM_JS(void, bench_copy_error_js, (char* dst, int size), {
    stringToUTF8(Module.benchError || 'unknown error', dst, size);
});
#endif

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    std::string model = "seed";  // a name, or "custom" with model_json
    std::string model_json = ae::bench::model_json("seed");
    std::string data = "web/public/data/mnist-train.aeds.gz";
    long warmup = 10, repeats = 3, batches = 100, batch_size = 128, seed = 1, threads = 1;
};

const char* const kUsage =
    "usage: train_bench [--model seed|conv|sequence|aae] [--model-json JSON] [--data FILE] [--warmup W]\n"
    "                   [--repeats R] [--batches B] [--batch-size N] [--seed S] [--threads T]\n";

using ae::bench::integer_flag;

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string flag = argv[i], value;
        const auto eq = flag.find('=');
        if (eq != std::string::npos) {
            value = flag.substr(eq + 1);
            flag = flag.substr(0, eq);
        } else if (flag == "--help" || flag == "-h") {
            std::fputs(kUsage, stdout);
            std::exit(0);
        } else {
            ae::require(i + 1 < argc, flag, " needs a value\n", kUsage);
            value = argv[++i];
        }
        if (flag == "--model") {
            o.model_json = ae::bench::model_json(value);
            o.model = value;
        } else if (flag == "--model-json") {
            o.model = "custom";
            o.model_json = value;
        } else if (flag == "--data") {
            o.data = value;
        } else if (flag == "--warmup") {
            o.warmup = integer_flag(flag, value, 0, 100000);
        } else if (flag == "--repeats") {
            o.repeats = integer_flag(flag, value, 1, 1000);
        } else if (flag == "--batches") {
            o.batches = integer_flag(flag, value, 1, 100000);
        } else if (flag == "--batch-size") {
            o.batch_size = integer_flag(flag, value, 1, 60000);
        } else if (flag == "--seed") {
            o.seed = integer_flag(flag, value, 0, 2147483647);
        } else if (flag == "--threads") {
            o.threads = integer_flag(flag, value, 1, ae::max_threads());
        } else {
            ae::fail("unknown option '", flag, "'\n", kUsage);
        }
    }
    return o;
}

ae::DatasetFile load_training_set(const std::string& path) {
#ifdef __EMSCRIPTEN__
    const double n = bench_read_file_js(path.c_str());
    if (n < 0) {
        std::vector<char> msg(std::size_t(bench_error_length_js()) + 1, '\0');
        bench_copy_error_js(msg.data(), int(msg.size()));
        ae::fail("cannot read the training set ", path, ": ", msg.data(), " (run `npm run setup` to prepare the datasets)");
    }
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(n));
    bench_copy_file_js(bytes.data());
    return ae::parse_dataset(bytes.data(), bytes.size());
#else
    return ae::read_dataset_file(path);
#endif
}

// Busy time of the whole machine and CPU time of this process, to tell how much of the
// machine other processes used during a repeat (2 cores here, shared).
struct LoadProbe {
    bool ok = false;
    double busy_s = 0, own_s = 0;
    Clock::time_point t;

    static LoadProbe now() {
        LoadProbe p;
        p.t = Clock::now();
#if defined(__linux__) && !defined(__EMSCRIPTEN__)
        std::ifstream f("/proc/stat");
        std::string cpu;
        unsigned long long v[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        if (f >> cpu >> v[0] >> v[1] >> v[2] >> v[3] >> v[4] >> v[5] >> v[6] >> v[7]) {
            const unsigned long long total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
            p.busy_s = double(total - v[3] - v[4]) / 100.0;  // USER_HZ = 100
            timespec ts{};
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
            p.own_s = double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
            p.ok = true;
        }
#endif
        return p;
    }
};

// This process's CPU seconds between two probes, or null: with the machine shared, samples per
// CPU second tells the engine's speed apart from the time it spent waiting for a core.
std::string cpu_seconds(const LoadProbe& a, const LoadProbe& b) {
    if (!a.ok || !b.ok) return "null";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", b.own_s - a.own_s);
    return buf;
}

std::string other_cores(const LoadProbe& a, const LoadProbe& b) {
    const double wall = std::chrono::duration<double>(b.t - a.t).count();
    if (!a.ok || !b.ok || wall <= 0) return "null";
    const double other = std::max(0.0, ((b.busy_s - a.busy_s) - (b.own_s - a.own_s)) / wall);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", other);
    return buf;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int run(const Options& o) {
    const char* engine =
#ifdef __EMSCRIPTEN__
        "wasm_node_raw";
#else
        "native";
#endif
    const int threads = ae::set_threads(int(o.threads));
    ae::Session session;
    std::ostringstream train_json;
    train_json << R"({"optimizer":"adam","lr":0.001,"batch_size":)" << o.batch_size << R"(,"seed":)" << o.seed << "}";
    session.configure(o.model_json, train_json.str());
    session.set_dataset(ae::Split::Train, load_training_set(o.data));

    char head[256];
    std::snprintf(head, sizeof head, R"("engine":"%s","backend":"%s","model":"%s","batch":%ld,"threads":%d)",
                  engine, ae::kernels::gemm_backend(), o.model.c_str(), o.batch_size, threads);

    if (o.warmup > 0) session.train_steps(std::uint32_t(o.warmup));
    std::vector<double> rates;
    for (long r = 1; r <= o.repeats; ++r) {
        const LoadProbe a = LoadProbe::now();
        const ae::StepStats s = session.train_steps(std::uint32_t(o.batches));
        const LoadProbe b = LoadProbe::now();
        const double seconds = std::chrono::duration<double>(b.t - a.t).count();
        const double rate = double(s.samples) / seconds;
        rates.push_back(rate);
        std::printf(
            R"({"bench":"train",%s,"warmup":%ld,"repeat":%ld,"batches":%ld,"samples":%llu,"seconds":%.4f,"samples_per_s":%.1f,"loss":%.4f,"cpu_seconds":%s,"other_cores":%s})"
            "\n",
            head, o.warmup, r, o.batches, static_cast<unsigned long long>(s.samples), seconds, rate,
            s.loss.total(), cpu_seconds(a, b).c_str(), other_cores(a, b).c_str());
        std::fflush(stdout);
    }
    std::printf(R"({"bench":"train_summary",%s,"repeats":%ld,"median":%.1f,"min":%.1f,"max":%.1f})" "\n", head,
                o.repeats, median(rates), *std::min_element(rates.begin(), rates.end()),
                *std::max_element(rates.begin(), rates.end()));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(parse_options(argc, argv));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "train_bench: %s\n", e.what());
        return 2;
    }
}

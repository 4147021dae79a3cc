// Where a model's step goes, layer by layer: each layer's forward and backward pass, the best of
// R runs of each, on a batch that flows through the model's layers as in training (random input
// and output gradient at the ends; activations absorbed into the layer before them, no input
// gradient for the first layer).
// The optimizer, the loss and the data are left out; train_bench measures the whole step.
// The README's Performance section reads the conv AE's passes from it.
//
//   layer_bench [--model seed|conv|sequence|aae] [--model-json JSON] [--warmup W] [--repeats R]
//               [--batch-size N] [--seed S] [--threads T]
//
// W warm-up passes of each part (forward and backward, default 10), then R timed runs of each
// layer's forward and backward (default 30).
//
// Output (stdout): one line per layer, then the sum, in milliseconds per batch:
//   encoder 0  conv2d            1x28x28 -> 32x14x14    forward   0.620 ms   backward   0.780 ms
// Exit codes: 0 done, 2 bad arguments (the message says which).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_args.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "models/config.hpp"
#include "models/factory.hpp"

namespace {

const char* const kUsage =
    "usage: layer_bench [--model seed|conv|sequence|aae] [--model-json JSON] [--warmup W] [--repeats R]\n"
    "                   [--batch-size N] [--seed S] [--threads T]\n";

using ae::bench::integer_flag;

std::string shape(const ae::FeatureShape& s) {
    return std::to_string(s.c) + "x" + std::to_string(s.h) + "x" + std::to_string(s.w);
}

// The fastest of `repeats` runs of f, in milliseconds.
template <class F>
double best_ms(long repeats, F f) {
    double best = 1e300;
    for (long r = 0; r < repeats; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        std::string json = ae::bench::model_json("seed");
        long warmup = 10, repeats = 30, batch = 128, seed = 1, threads = 1;
        for (int i = 1; i < argc; ++i) {
            const std::string flag = argv[i];
            if (flag == "--help" || flag == "-h") {
                std::fputs(kUsage, stdout);
                return 0;
            }
            ae::require(i + 1 < argc, flag, " needs a value\n", kUsage);
            const std::string value = argv[++i];
            if (flag == "--model") {
                json = ae::bench::model_json(value);
            } else if (flag == "--model-json") {
                json = value;
            } else if (flag == "--warmup") {
                warmup = integer_flag(flag, value, 0, 10000);
            } else if (flag == "--repeats") {
                repeats = integer_flag(flag, value, 1, 10000);
            } else if (flag == "--batch-size") {
                batch = integer_flag(flag, value, 1, 4096);
            } else if (flag == "--seed") {
                seed = integer_flag(flag, value, 0, 2147483647L);
            } else if (flag == "--threads") {
                threads = integer_flag(flag, value, 1, ae::max_threads());
            } else {
                ae::fail("unknown flag '", flag, "'\n", kUsage);
            }
        }
        ae::set_threads(int(threads));
        const ae::ModelConfig cfg = ae::parse_model_config(json);
        ae::validate(cfg);
        ae::Network net = ae::build_network(cfg);
        ae::Rng rng{std::uint64_t(seed)};
        ae::Context ctx;
        ctx.mode = ae::Mode::Train;
        ctx.rng = &rng;
        const std::size_t N = std::size_t(batch);
        double total_f = 0, total_b = 0;
        // Each part as the model runs it: every layer gets its predecessor's output (so an absorbed
        // activation passes it through, as in training), and backward hands each layer its
        // successor's input gradient; random input and random gradient at the ends.
        auto run = [&](const char* part, ae::Sequential& seq) {
            if (seq.empty()) return;
            for (std::size_t k = 0; k < seq.size(); ++k) seq[k].init(rng);
            ae::Mat x({N, seq[0].in_shape().size()}), dy({N, seq.back().out_shape().size()});
            for (auto& v : x) v = ae::Scalar(rng.uniform(-1, 1));
            for (auto& v : dy) v = ae::Scalar(rng.uniform(-1, 1));
            std::vector<double> f(seq.size()), b(seq.size());
            // Warm-up passes first: V8 runs a WASM function in its baseline tier until it is hot.
            for (long w = 0; w < warmup; ++w) {
                seq.forward(x, ctx);
                seq.backward(dy);
            }
            const ae::Mat* h = &x;
            for (std::size_t k = 0; k < seq.size(); ++k) {
                const ae::Mat* out = nullptr;
                f[k] = best_ms(repeats, [&] { out = &seq[k].forward(*h, ctx); });
                h = out;
            }
            const ae::Mat* g = &dy;
            for (std::size_t k = seq.size(); k-- > 0;) {
                const ae::Mat* out = nullptr;
                b[k] = best_ms(repeats, [&] { out = &seq[k].backward(*g); });
                g = out;
            }
            for (std::size_t k = 0; k < seq.size(); ++k) {
                const ae::Layer& layer = seq[k];
                total_f += f[k];
                total_b += b[k];
                std::printf("%-13s %2zu  %-17s %10s -> %-10s  forward %8.3f ms   backward %8.3f ms\n", part, k,
                            layer.kind().c_str(), shape(layer.in_shape()).c_str(), shape(layer.out_shape()).c_str(),
                            f[k], b[k]);
            }
        };
        run("encoder", net.encoder);
        run("decoder", net.decoder);
        run("discriminator", net.discriminator);
        std::printf("all layers, batch %zu, %ld thread(s), best of %ld: forward %.3f ms, backward %.3f ms\n", N, threads,
                    repeats, total_f, total_b);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "layer_bench: %s\n", e.what());
        return 2;
    }
}

// The object JS holds: a Session whose methods take and return JS values. Every method is
// guarded, so a C++ exception arrives in JS as an Error with the engine's message and the
// engine stays usable.
#pragma once
#include <algorithm>
#include <cmath>
#include <string>

#include "analysis/latent_map.hpp"
#include "convert.hpp"
#include "data/noise.hpp"
#include "core/checked.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "kernels/gemm.hpp"
#include "train/cost.hpp"
#include "train/session.hpp"

namespace ae::js {

class Engine {
public:
    void configure(const std::string& model_json, const std::string& train_json) {
        guarded([&] { s_.configure(model_json, train_json); });
    }
    void set_training(const std::string& train_json) {
        guarded([&] { s_.set_training(train_json); });
    }
    void reset() {
        guarded([&] { s_.reset(); });
    }

    val load_dataset(const std::string& split, const val& bytes) {
        return guarded([&] {
            const std::vector<std::uint8_t> b = copy_in<std::uint8_t>(bytes);
            s_.load_dataset(parse_split(split), b.data(), b.size());
            return dataset_info(split);
        });
    }
    val dataset_info(const std::string& split) {
        return guarded([&] {
            const DatasetFile& d = s_.dataset(parse_split(split));
            val o = val::object();
            o.set("name", d.name);
            o.set("count", d.count);
            o.set("height", d.height);
            o.set("width", d.width);
            o.set("classes", d.classes);
            return o;
        });
    }
    bool has_dataset(const std::string& split) {
        return guarded([&] { return s_.has_dataset(parse_split(split)); });
    }

    val train_steps(double n) {
        return guarded([&] { return to_val(s_.train_steps(std::uint32_t(count_arg(n, "trainSteps: n", 0, 100000)))); });
    }
    val evaluate(const std::string& split, double start, double count) {
        return guarded([&] {
            const std::size_t first = count_arg(start, "evaluate: start", 0, kMaxCount);
            return to_val(s_.evaluate(parse_split(split), first, count_arg(count, "evaluate: count", 0, kMaxCount)));
        });
    }

    // n images (or codes) as one flat Float32Array of n · D (or n · Z) values.
    val reconstruct(const val& x, double n) {
        return guarded([&] { return batch_call(x, n, "reconstruct", &Session::reconstruct); });
    }
    val encode(const val& x, double n) {
        return guarded([&] { return batch_call(x, n, "encode", &Session::encode); });
    }
    // VAEs: n images → Float32Array (n·2Z), each row [μ | log σ²].
    val posterior(const val& x, double n) {
        return guarded([&] { return batch_call(x, n, "posterior", &Session::posterior); });
    }
    val decode(const val& z, double n) {
        return guarded([&] { return batch_call(z, n, "decode", &Session::decode); });
    }

    // What training a model would cost (train/cost.hpp), before building it: Engine.estimate(
    // modelJson, trainJson) → { parameters, activationsPerImage, batchSize, trainFlopsPerSample,
    // reconstructFlopsPerSample, modelBytes, batchBytes, saveBytes, restoreBytes, peakBytes,
    // limitBytes }.
    // Throws exactly what configure would for these configs (a model above the caps: the coded
    // Error with its numbers).
    static val estimate(const std::string& model_json, const std::string& train_json) {
        return guarded([&] {
            const ModelConfig m = parse_model_config(model_json);
            const TrainConfig t = parse_train_config(train_json);
            validate(t, m);
            const TrainingCost c = training_cost(m, t);
            val o = val::object();
            o.set("parameters", double(c.size.parameters));
            o.set("activationsPerImage", double(c.size.activations));
            o.set("batchSize", double(c.batch_size));
            o.set("trainFlopsPerSample", c.train_flops_per_sample);
            o.set("reconstructFlopsPerSample", c.reconstruct_flops_per_sample);
            o.set("modelBytes", double(c.model_bytes));
            o.set("batchBytes", double(c.batch_bytes));
            o.set("saveBytes", double(c.save_bytes));
            o.set("restoreBytes", double(c.restore_bytes));
            o.set("peakBytes", double(c.peak_bytes));
            o.set("limitBytes", double(kMaxTrainingBytes));
            return o;
        });
    }

    // ---- The adversarial variant (aae). priorLogLikelihood(split, start, count) → the mean log p(z)
    // of the codes of those images (count 0: to the end); samplePrior(n, seed, classes | null) →
    // {codes: Float32Array (n·Z), components: Uint8Array (n), the mixture's Gaussian of each};
    // discriminate(codes, n, classes | null) → Float32Array (n) of D's probability "from the prior".
    double prior_log_likelihood(const std::string& split, double start, double count) {
        return guarded([&] {
            const std::size_t first = count_arg(start, "priorLogLikelihood: start", 0, kMaxCount);
            return s_.prior_log_likelihood(parse_split(split), first,
                                           count_arg(count, "priorLogLikelihood: count", 0, kMaxCount));
        });
    }
    val sample_prior(double count, double seed, const val& classes) {
        return guarded([&] {
            const std::size_t n = count_arg(count, "samplePrior: n", 1, 1000000);
            require(std::isfinite(seed) && seed >= 0 && seed < 9007199254740992.0 && seed == std::floor(seed),
                    "samplePrior: seed must be an integer >= 0");
            const std::vector<std::uint8_t> c = optional_classes(classes, n, "samplePrior");
            std::vector<std::uint8_t> components;
            const std::vector<float> z =
                s_.sample_prior(n, std::uint64_t(seed), components, c.empty() ? nullptr : c.data());
            val o = val::object();
            o.set("codes", float32_out(z));
            o.set("components", uint8_out(components));
            return o;
        });
    }
    val discriminate(const val& codes, double count, const val& classes) {
        return guarded([&] {
            const std::size_t n = count_arg(count, "discriminate: n", 1, kMaxCount);
            const std::vector<float> c = copy_in_rows(codes, n, s_.model().latent_size(), "discriminate");
            const std::vector<std::uint8_t> k = optional_classes(classes, n, "discriminate");
            return float32_out(s_.discriminate(c, n, k.empty() ? nullptr : k.data()));
        });
    }

    // ---- The sequence variant. decodeSteps(codes, n) → {rows: Float32Array (n·T·W, as decode
    // gives them: row t is step t's output), states: Float32Array (n·T·H, the decoder's last
    // recurrent state after each step), steps: T, stepSize: W, hidden: H}.
    val decode_steps(const val& codes, double count) {
        return guarded([&] {
            const std::size_t n = count_arg(count, "decodeSteps: n", 1, kMaxCount);
            const std::vector<float> c = copy_in_rows(codes, n, s_.model().latent_size(), "decodeSteps");
            const Session::SequenceDecoding d = s_.decode_sequence(c, n);
            val o = val::object();
            o.set("rows", float32_out(d.rows));
            o.set("states", float32_out(d.states));
            o.set("steps", d.steps);
            o.set("stepSize", d.step_size);
            o.set("hidden", d.hidden);
            return o;
        });
    }

    val images(const std::string& split, const val& indices) {
        return guarded([&] { return float32_out(s_.images(parse_split(split), index_list(indices))); });
    }
    val labels(const std::string& split, const val& indices) {
        return guarded([&] { return uint8_out(s_.labels(parse_split(split), index_list(indices))); });
    }

    std::string model_config() { return guarded([&] { return s_.model_config_json(); }); }
    // The session itself, for the applications lab's object (labs_js.hpp).
    Session& session() { return s_; }
    std::string train_config() { return guarded([&] { return s_.train_config_json(); }); }

    // ---- Model files (engine/src/io/FORMAT.md). saveModel → Uint8Array of an .aemf file
    // (history: any JSON text, "" = null); loadModel(Uint8Array) → the file's history JSON text,
    // replacing the model only if the whole file is valid; exportNpz → Uint8Array of an .npz.
    val save_model(const std::string& history_json, bool with_optimizer) {
        return guarded([&] { return uint8_out(s_.save_model(history_json, with_optimizer)); });
    }
    std::string load_model(const val& bytes) {
        return guarded([&] {
            require(bytes.instanceof(val::global("Uint8Array")), "loadModel expects a Uint8Array of the file's bytes");
            const std::vector<std::uint8_t> b = copy_in<std::uint8_t>(bytes);
            return s_.load_model(b.data(), b.size());
        });
    }
    val export_npz() {
        return guarded([&] { return uint8_out(s_.export_npz()); });
    }

    val info() {
        return guarded([&] {
            val o = val::object();
            o.set("backend", std::string(kernels::gemm_backend()));
            o.set("build", std::string(max_threads() > 1 ? "threads" : "single"));  // which WASM module
            o.set("threads", threads());
            o.set("configured", s_.configured());
            if (s_.configured()) {
                o.set("inputSize", s_.model().input_size());
                o.set("latentSize", s_.model().latent_size());
                o.set("variant", s_.model().config().variant);
                o.set("parameterCount", s_.model().parameter_count());
                o.set("step", double(s_.trainer().step()));
                o.set("epoch", double(s_.trainer().epoch()));
            }
            return o;
        });
    }

    // ---- The latent map (analysis/latent_map.hpp): codes of a slice of a split, the 2-D projection
    // fitted to them (raw axes for Z ≤ 2, PCA above), kept to place new codes on the same map.
    val latent_codes(const std::string& split, double start, double count) {
        return guarded([&] { return latent_codes_of(split, start, count); });
    }
    val fit_latent_map(const val& codes, double n) {
        return guarded([&] { return fit_map(codes, n); });
    }
    val latent_map(const std::string& split, double start, double count) {
        return guarded([&] {
            val out = latent_codes_of(split, start, count);
            val fit = fit_map(out["codes"], count);
            for (const char* key : {"method", "projected", "explainedVariance", "variance", "components", "mean"})
                out.set(key, fit[key]);
            return out;
        });
    }
    val project_codes(const val& codes, double count) {
        return guarded([&] {
            require_map();
            const std::size_t n = count_arg(count, "project: n", 1, kMaxCount);
            const std::vector<float> c = copy_in_rows(codes, n, map_.z, "project");
            std::vector<float> pts(checked_mul(n, 2, "project"));
            project(map_, c.data(), n, pts.data());
            return float32_out(pts);
        });
    }
    val unproject_points(const val& points, double count) {
        return guarded([&] {
            require_map();
            const std::size_t n = count_arg(count, "unproject: n", 1, kMaxCount);
            const std::vector<float> p = copy_in_rows(points, n, 2, "unproject");
            std::vector<float> codes(checked_mul(n, map_.z, "unproject"));
            unproject(map_, p.data(), n, codes.data());
            return float32_out(codes);
        });
    }
    // n images corrupted as denoising training corrupts them (data/noise.hpp), from their own
    // seed, so the same call shows the same noisy images.
    val corrupt_images(const val& x, double count, const std::string& noise, double amount, double seed) {
        return guarded([&] {
            const NoiseKind kind = parse_noise(noise);
            require(std::isfinite(seed) && seed >= 0 && seed < 9007199254740992.0, "corrupt: seed must be an integer >= 0");
            const std::size_t d = s_.model().input_size();
            const std::size_t n = count_arg(count, "corrupt: n", 1, kMaxCount);
            const std::vector<float> v = copy_in_rows(x, n, d, "corrupt");
            Mat clean = Mat::from_shape({n, d});
            for (std::size_t i = 0; i < v.size(); ++i) clean.data()[i] = Scalar(v[i]);
            Mat noisy;
            Rng rng{static_cast<std::uint64_t>(seed)};
            corrupt(kind, amount, clean, noisy, rng);
            return float32_out(std::vector<float>(noisy.begin(), noisy.end()));
        });
    }

private:
    using BatchFn = std::vector<float> (Session::*)(const std::vector<float>&, std::size_t);

    val batch_call(const val& x, double count, const char* what, BatchFn fn) {
        const std::size_t n = count_arg(count, (std::string(what) + ": n").c_str(), 1, kMaxCount);
        const std::size_t d = fn == &Session::decode ? s_.model().latent_size() : s_.model().input_size();
        return float32_out((s_.*fn)(copy_in_rows(x, n, d, what), n));
    }

    // n rows of d values from a JS array, refused before anything is copied when the array does
    // not hold exactly n · d values (and n · d is checked before it is computed).
    static std::vector<float> copy_in_rows(const val& array, std::size_t n, std::size_t d, const char* what) {
        const std::size_t values = checked_mul(n, d, what);
        const double length = array["length"].as<double>();
        require(length == double(values), what, ": expected ", n, " x ", d, " = ", values, " values, got ", length);
        return copy_in<float>(array);
    }

    val latent_codes_of(const std::string& split, double first, double number) {
        const Split sp = parse_split(split);
        const std::size_t total = s_.dataset(sp).count;
        const std::size_t start = count_arg(first, "latentCodes: start", 0, kMaxCount);
        const std::size_t count = count_arg(number, "latentCodes: count", 1, kMaxCount);
        require(start < total && count <= total - start, "latentCodes: images [start, start + count) must lie inside the ",
                split, " set of ", total, " images, got start ", start, " and count ", count);
        const std::size_t z = s_.model().latent_size();
        std::vector<float> codes;  // (count, Z)
        codes.reserve(checked_mul(count, z, "latentCodes"));
        std::vector<std::uint32_t> idx;
        for (std::size_t s0 = start; s0 < start + count; s0 += 256) {
            idx.clear();
            for (std::size_t i = s0; i < std::min(start + count, s0 + 256); ++i) idx.push_back(std::uint32_t(i));
            const std::vector<float> c = s_.encode(s_.images(sp, idx), idx.size());
            codes.insert(codes.end(), c.begin(), c.end());
        }
        idx.clear();
        for (std::size_t i = start; i < start + count; ++i) idx.push_back(std::uint32_t(i));
        val o = val::object();
        o.set("codes", float32_out(codes));
        o.set("labels", uint8_out(s_.labels(sp, idx)));
        return o;
    }
    val fit_map(const val& codes, double count) {
        const std::size_t z = s_.model().latent_size();
        require(count >= 2, "fitLatentMap: needs at least 2 codes, got ", count);
        const std::size_t n = count_arg(count, "fitLatentMap: n", 2, kMaxCount);
        const std::vector<float> c = copy_in_rows(codes, n, z, "fitLatentMap");
        LatentProjection fit = fit_latent_projection(c.data(), n, z);
        std::vector<float> pts(checked_mul(n, 2, "fitLatentMap"));
        project(fit, c.data(), n, pts.data());
        map_ = std::move(fit);
        return map_info(pts);
    }
    void require_map() {
        require(map_.fitted(), "latent map: nothing to project onto yet; compute the latent map first");
        require(map_.z == s_.model().latent_size(), "latent map: the model's latent size changed since the map ",
                "was computed; compute the map again");
    }
    val map_info(const std::vector<float>& pts) const {
        val o = val::object();
        o.set("method", std::string(map_.method_name()));
        o.set("projected", float32_out(pts));
        val ev = val::array();
        ev.call<void>("push", map_.explained(0));
        ev.call<void>("push", map_.explained(1));
        o.set("explainedVariance", ev);
        val var = val::array();
        var.call<void>("push", map_.variance[0]);
        var.call<void>("push", map_.variance[1]);
        o.set("variance", var);
        const std::vector<float> comps(map_.components.begin(), map_.components.end());
        o.set("components", float32_out(comps));
        o.set("mean", float32_out(std::vector<float>(map_.mean.begin(), map_.mean.end())));
        return o;
    }

    // null or undefined → none; else a Uint8Array or array of n classes.
    static std::vector<std::uint8_t> optional_classes(const val& classes, std::size_t n, const char* what) {
        if (classes.isNull() || classes.isUndefined()) return {};
        const std::size_t len = count_arg(classes["length"].as<double>(), "the classes' length", 0, kMaxCount);
        require(len == n, what, ": expected ", n, " classes, got ", len);
        std::vector<std::uint8_t> out(len);
        for (std::size_t i = 0; i < len; ++i) {
            const double v = classes[i].as<double>();
            require(v >= 0 && v < 256 && v == double(int(v)), what, ": classes must be integers in [0, 255]");
            out[i] = std::uint8_t(v);
        }
        return out;
    }

    static std::vector<std::uint32_t> index_list(const val& indices) {
        const std::size_t n = count_arg(indices["length"].as<double>(), "the number of image indices", 0, kMaxCount);
        std::vector<std::uint32_t> out(n);
        for (std::size_t i = 0; i < n; ++i) {
            const double v = indices[i].as<double>();
            require(v >= 0 && v < 4294967296.0 && v == double(std::uint32_t(v)), "image indices must be integers >= 0");
            out[i] = std::uint32_t(v);
        }
        return out;
    }

    Session s_;
    LatentProjection map_;  // the latent map's current fit
};

// setThreads(n): the engine's thread count (core/parallel.hpp), for the whole module; returns
// the count in effect (lower when the worker pool is smaller). The single-threaded build takes 1.
inline int set_threads(int n) {
    return guarded([&] { return ae::set_threads(n); });
}

}  // namespace ae::js

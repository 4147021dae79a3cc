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
#include "core/error.hpp"
#include "kernels/gemm.hpp"
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

    val train_steps(int n) {
        return guarded([&] {
            require(n >= 0 && n <= 100000, "trainSteps: n must be in [0, 100000], got ", n);
            return to_val(s_.train_steps(std::uint32_t(n)));
        });
    }
    val evaluate(const std::string& split, int start, int count) {
        return guarded([&] {
            require(start >= 0 && count >= 0, "evaluate: start and count must be >= 0");
            return to_val(s_.evaluate(parse_split(split), std::size_t(start), std::size_t(count)));
        });
    }

    val reconstruct(const val& x, int n) {
        return guarded([&] { return batch_call(x, n, s_.model().input_size(), &Session::reconstruct); });
    }
    val encode(const val& x, int n) {
        return guarded([&] { return batch_call(x, n, s_.model().input_size(), &Session::encode); });
    }
    // VAEs: n images → Float32Array (n·2Z), each row [μ | log σ²].
    val posterior(const val& x, int n) {
        return guarded([&] { return batch_call(x, n, s_.model().input_size(), &Session::posterior); });
    }
    val decode(const val& z, int n) {
        return guarded([&] { return batch_call(z, n, s_.model().latent_size(), &Session::decode); });
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
            o.set("configured", s_.configured());
            if (s_.configured()) {
                o.set("inputSize", s_.model().input_size());
                o.set("latentSize", s_.model().latent_size());
                o.set("parameterCount", s_.model().parameter_count());
                o.set("step", double(s_.trainer().step()));
                o.set("epoch", double(s_.trainer().epoch()));
            }
            return o;
        });
    }

    // ---- The latent map (analysis/latent_map.hpp): codes of a slice of a split, the 2-D projection
    // fitted to them (raw axes for Z ≤ 2, PCA above), kept to place new codes on the same map.
    val latent_codes(const std::string& split, int start, int count) {
        return guarded([&] { return latent_codes_of(split, start, count); });
    }
    val fit_latent_map(const val& codes, int n) {
        return guarded([&] { return fit_map(codes, n); });
    }
    val latent_map(const std::string& split, int start, int count) {
        return guarded([&] {
            val out = latent_codes_of(split, start, count);
            val fit = fit_map(out["codes"], count);
            for (const char* key : {"method", "projected", "explainedVariance", "variance", "components", "mean"})
                out.set(key, fit[key]);
            return out;
        });
    }
    val project_codes(const val& codes, int n) {
        return guarded([&] {
            require_map();
            const std::vector<float> c = copy_in<float>(codes);
            require(n >= 1 && c.size() == std::size_t(n) * map_.z, "project: expected ", n, " x ", map_.z, " = ",
                    std::size_t(n) * map_.z, " values, got ", c.size());
            std::vector<float> pts(std::size_t(n) * 2);
            project(map_, c.data(), std::size_t(n), pts.data());
            return float32_out(pts);
        });
    }
    val unproject_points(const val& points, int n) {
        return guarded([&] {
            require_map();
            const std::vector<float> p = copy_in<float>(points);
            require(n >= 1 && p.size() == std::size_t(n) * 2, "unproject: expected ", n, " x 2 = ", std::size_t(n) * 2,
                    " values, got ", p.size());
            std::vector<float> codes(std::size_t(n) * map_.z);
            unproject(map_, p.data(), std::size_t(n), codes.data());
            return float32_out(codes);
        });
    }
    // n images corrupted as denoising training corrupts them (data/noise.hpp), from their own
    // seed, so the same call shows the same noisy images.
    val corrupt_images(const val& x, int n, const std::string& noise, double amount, double seed) {
        return guarded([&] {
            const NoiseKind kind = parse_noise(noise);
            require(std::isfinite(seed) && seed >= 0 && seed < 9007199254740992.0, "corrupt: seed must be an integer >= 0");
            const std::size_t d = s_.model().input_size();
            const std::vector<float> v = copy_in<float>(x);
            require(n >= 1 && v.size() == std::size_t(n) * d, "corrupt: expected ", n, " x ", d, " = ",
                    std::size_t(n) * d, " values, got ", v.size());
            Mat clean = Mat::from_shape({std::size_t(n), d});
            for (std::size_t i = 0; i < v.size(); ++i) clean.data()[i] = Scalar(v[i]);
            Mat noisy;
            Rng rng{static_cast<std::uint64_t>(seed)};
            corrupt(kind, amount, clean, noisy, rng);
            return float32_out(std::vector<float>(noisy.begin(), noisy.end()));
        });
    }

private:
    using BatchFn = std::vector<float> (Session::*)(const float*, std::size_t);

    val batch_call(const val& x, int n, std::size_t d, BatchFn fn) {
        require(n >= 1, "batch size must be at least 1, got ", n);
        const std::vector<float> v = copy_in<float>(x);
        require(v.size() == std::size_t(n) * d, "expected ", n, " x ", d, " = ", std::size_t(n) * d,
                " values, got ", v.size());
        return float32_out((s_.*fn)(v.data(), std::size_t(n)));
    }

    val latent_codes_of(const std::string& split, int start, int count) {
        const Split sp = parse_split(split);
        const std::size_t total = s_.dataset(sp).count;
        require(start >= 0 && count >= 1 && std::size_t(start) + std::size_t(count) <= total,
                "latentCodes: images [start, start + count) must lie inside the ", split, " set of ", total,
                " images, got start ", start, " and count ", count);
        const std::size_t z = s_.model().latent_size();
        std::vector<float> codes;  // (count, Z)
        codes.reserve(std::size_t(count) * z);
        std::vector<std::uint32_t> idx;
        for (int s0 = start; s0 < start + count; s0 += 256) {
            idx.clear();
            for (int i = s0; i < std::min(start + count, s0 + 256); ++i) idx.push_back(std::uint32_t(i));
            const std::vector<float> x = s_.images(sp, idx);
            const std::vector<float> c = s_.encode(x.data(), idx.size());
            codes.insert(codes.end(), c.begin(), c.end());
        }
        idx.clear();
        for (int i = start; i < start + count; ++i) idx.push_back(std::uint32_t(i));
        val o = val::object();
        o.set("codes", float32_out(codes));
        o.set("labels", uint8_out(s_.labels(sp, idx)));
        return o;
    }
    val fit_map(const val& codes, int n) {
        const std::size_t z = s_.model().latent_size();
        require(n >= 2, "fitLatentMap: needs at least 2 codes, got ", n);
        const std::vector<float> c = copy_in<float>(codes);
        require(c.size() == std::size_t(n) * z, "fitLatentMap: expected ", n, " x ", z, " = ", std::size_t(n) * z,
                " values, got ", c.size());
        LatentProjection fit = fit_latent_projection(c.data(), std::size_t(n), z);
        std::vector<float> pts(std::size_t(n) * 2);
        project(fit, c.data(), std::size_t(n), pts.data());
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

    static std::vector<std::uint32_t> index_list(const val& indices) {
        const std::size_t n = indices["length"].as<std::size_t>();
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

}  // namespace ae::js

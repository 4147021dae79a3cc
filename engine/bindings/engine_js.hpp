// The object JS holds: a Session whose methods take and return JS values. Every method is
// guarded, so a C++ exception arrives in JS as an Error with the engine's message and the
// engine stays usable.
#pragma once
#include <string>

#include "convert.hpp"
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
    std::string train_config() { return guarded([&] { return s_.train_config_json(); }); }

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

private:
    using BatchFn = std::vector<float> (Session::*)(const float*, std::size_t);

    val batch_call(const val& x, int n, std::size_t d, BatchFn fn) {
        require(n >= 1, "batch size must be at least 1, got ", n);
        const std::vector<float> v = copy_in<float>(x);
        require(v.size() == std::size_t(n) * d, "expected ", n, " x ", d, " = ", std::size_t(n) * d,
                " values, got ", v.size());
        return float32_out((s_.*fn)(v.data(), std::size_t(n)));
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
};

}  // namespace ae::js

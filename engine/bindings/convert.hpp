// Conversions between Embind values and engine types. Bulk data crosses by copy: in with
// one TypedArray.set into engine memory, out as a fresh TypedArray that JS owns (never a raw
// view into WASM memory, which memory growth would detach).
#pragma once
#include <cmath>
#include <cstdint>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include <emscripten/heap.h>
#include <emscripten/val.h>

#include "core/error.hpp"

#include "models/loss_terms.hpp"
#include "train/trainer.hpp"

namespace ae::js {

using emscripten::val;

// Every C++ error reaches JS as an Error carrying the message; an ae::Error with a code
// (core/error.hpp) also carries it as err.code and its parameters as err.params (numbers and
// strings), so that the page acts on what happened without reading the text. A failed
// allocation becomes an "out_of_memory" Error saying what to change, never "std::bad_alloc";
// the engine stays usable after any of them.
[[noreturn]] inline void throw_error(const std::string& message, const std::string& code = "",
                                     const ErrorParams& params = {}) {
    val error = val::global("Error").new_(message);
    if (!code.empty()) {
        val p = val::object();
        for (const ErrorParam& param : params) {
            if (const double* d = std::get_if<double>(&param.value)) p.set(param.name, *d);
            else p.set(param.name, std::get<std::string>(param.value));
        }
        error.set("code", code);
        error.set("params", p);
    }
    error.throw_();
}

[[noreturn]] inline void out_of_memory() {
    const double heap = double(emscripten_get_heap_size());
    throw_error("out of memory: the engine could not get the memory it needed (it holds " +
                    std::to_string(int(heap / 1e6)) +
                    " MB of the browser's 2 GB for WebAssembly). Lower the batch size or use a smaller model "
                    "(fewer channels, fewer or narrower layers); the model you had is still loaded.",
                "out_of_memory", {{"heapBytes", heap}});
}

template <class F>
auto guarded(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const Error& e) {
        throw_error(e.what(), e.code(), e.params());
    } catch (const std::bad_alloc&) {
        out_of_memory();
    } catch (const std::length_error&) {  // a container asked for more than the address space
        out_of_memory();
    } catch (const std::exception& e) {
        throw_error(e.what());
    }
}

// A JS number used as a count: an integer in [lo, hi], else an Error naming `what`. Counts
// cross as double so that no value is silently wrapped to 32 bits on the way in.
inline std::size_t count_arg(double v, const char* what, double lo, double hi) {
    if (!(v >= lo && v <= hi && v == std::floor(v)))
        fail_coded("count_overflow", {{"what", what}, {"count", v}}, what, " must be an integer in [",
                   static_cast<long long>(lo), ", ", static_cast<long long>(hi), "], got ", v);
    return std::size_t(v);
}
// The largest count a JS caller may pass: what a 32-bit size_t holds.
constexpr double kMaxCount = 4294967295.0;

template <class T>
std::vector<T> copy_in(const val& typed_array) {
    const std::size_t n = count_arg(typed_array["length"].as<double>(), "the array's length", 0, kMaxCount);
    std::vector<T> v(n);
    if (n) val(emscripten::typed_memory_view(n, v.data())).call<void>("set", typed_array);
    return v;
}

inline val float32_out(const std::vector<float>& v) {
    return val::global("Float32Array").new_(emscripten::typed_memory_view(v.size(), v.data()));
}
inline val uint8_out(const std::vector<std::uint8_t>& v) {
    return val::global("Uint8Array").new_(emscripten::typed_memory_view(v.size(), v.data()));
}

inline val to_val(const LossTerms& t) {
    val o = val::object();
    o.set("recon", t.recon);
    o.set("kl", t.kl);
    o.set("sparsity", t.sparsity);
    o.set("weightDecay", t.weight_decay);
    o.set("disc", t.disc);  // aae: the discriminator's and the generator's losses (not in total)
    o.set("gen", t.gen);
    o.set("total", t.total());
    return o;
}

inline val to_val(const StepStats& s) {
    val o = val::object();
    o.set("step", double(s.step));
    o.set("epoch", double(s.epoch));
    o.set("epochProgress", s.epoch_progress);
    o.set("samples", double(s.samples));
    o.set("steps", s.steps);
    o.set("epochEnd", s.epoch_end);
    o.set("lr", s.lr);
    o.set("loss", to_val(s.loss));
    return o;
}

}  // namespace ae::js

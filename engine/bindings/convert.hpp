// Conversions between Embind values and engine types. Bulk data crosses by copy: in with
// one TypedArray.set into engine memory, out as a fresh TypedArray that JS owns (never a raw
// view into WASM memory, which memory growth would detach).
#pragma once
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include <emscripten/val.h>

#include "models/loss_terms.hpp"
#include "train/trainer.hpp"

namespace ae::js {

using emscripten::val;

// Every C++ error reaches JS as an Error carrying the message.
[[noreturn]] inline void throw_error(const std::string& message) { val::global("Error").new_(message).throw_(); }

template <class F>
auto guarded(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const std::exception& e) {
        throw_error(e.what());
    }
}

template <class T>
std::vector<T> copy_in(const val& typed_array) {
    const std::size_t n = typed_array["length"].as<std::size_t>();
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

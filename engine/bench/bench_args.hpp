// What the benchmark programs (train_bench, layer_bench) share: the four models they know by
// name, and their integer flags.
#pragma once
#include <cstdlib>
#include <string>

#include "core/error.hpp"

namespace ae::bench {

// The model JSON of --model NAME; throws ae::Error for a name it does not know:
//   seed      784-400-20-400-784, ReLU, sigmoid output, BCE (the seed documents' model)
//   conv      Conv(1→32, k3 s2 p1) → Conv(32→64) → Dense(3136→20) and the mirrored decoder
//   sequence  GRU(28→128) over the 28 rows → Dense(→20); GRU(20→128) → Dense(→28) per row
//   aae       the seed's layers around a 2-D code, discriminator 128-128
inline const char* model_json(const std::string& name) {
    if (name == "seed")
        return R"({"variant":"dense","input":[1,28,28],"encoder":[400],"latent":20,"activation":"relu","output":"sigmoid","loss":"bce"})";
    if (name == "conv")
        return R"({"variant":"conv","input":[1,28,28],"encoder":[],"latent":20,"conv":{"channels":[32,64],"kernel":3,"stride":2,"padding":1}})";
    if (name == "sequence") return R"({"variant":"sequence","input":[1,28,28],"encoder":[128],"latent":20})";
    if (name == "aae")
        return R"({"variant":"aae","input":[1,28,28],"encoder":[400],"latent":2,"prior":"mixture","discriminator":[128,128]})";
    fail("--model expects seed, conv, sequence or aae, got '", name, "' (use --model-json for any other model)");
}

// The value of an integer flag in [lo, hi]; throws ae::Error naming the flag otherwise.
inline long integer_flag(const std::string& flag, const std::string& v, long lo, long hi) {
    char* end = nullptr;
    const long x = std::strtol(v.c_str(), &end, 10);
    require(!v.empty() && end && *end == '\0' && x >= lo && x <= hi, flag, " expects an integer in [", lo, ", ", hi,
            "], got '", v, "'");
    return x;
}

}  // namespace ae::bench

#include "models/config.hpp"

#include "core/config_reader.hpp"
#include "layers/activation.hpp"

namespace ae {

ModelConfig parse_model_config(const std::string& text) {
    const Json j = parse_json(text, "model config");
    ConfigReader r(j, "model config");
    ModelConfig c;
    r.string("variant", c.variant, {"dense"});
    if (r.has("input")) {
        std::vector<std::size_t> in;
        r.sizes("input", in, 1, 4096, 3);
        require(in.size() == 3, "model config: 'input' must be [channels, height, width]");
        c.input = {in[0], in[1], in[2]};
    }
    r.sizes("encoder", c.encoder, 1, 8192, 16);
    r.integer("latent", c.latent, 1, 4096);
    r.string("activation", c.activation);
    r.string("output", c.output);
    r.string("loss", c.loss, {"bce", "mse"});
    r.reject_unknown();
    validate(c);
    return c;
}

void validate(const ModelConfig& c) {
    require(c.input.size() > 0, "model config: input must have at least one value");
    require(c.latent >= 1, "model config: latent size must be at least 1, got ", c.latent);
    for (std::size_t w : c.encoder) require(w >= 1, "model config: every encoder width must be at least 1");
    parse_activation(c.activation);
    parse_activation(c.output);
    require(c.loss != "bce" || c.output == "sigmoid",
            "model config: loss 'bce' needs output 'sigmoid' (got '", c.output, "')");
}

std::string to_json(const ModelConfig& c) {
    Json j;
    j["variant"] = c.variant;
    j["input"] = {c.input.c, c.input.h, c.input.w};
    j["encoder"] = c.encoder;
    j["latent"] = c.latent;
    j["activation"] = c.activation;
    j["output"] = c.output;
    j["loss"] = c.loss;
    return j.dump();
}

}  // namespace ae

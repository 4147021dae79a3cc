#include "models/config.hpp"

#include <cmath>

#include "core/config_reader.hpp"
#include "layers/activation.hpp"
#include "models/factory.hpp"
#include "models/prior.hpp"

namespace ae {

const std::vector<std::string>& model_variants() {
    static const std::vector<std::string> v{"dense", "deep", "sparse", "denoising", "vae", "conv", "conv_vae",
                                              "sequence", "aae"};
    return v;
}

ModelConfig default_model_config(const std::string& variant) {
    ModelConfig c;
    c.variant = variant;
    if (c.is_conv()) c.encoder.clear();
    if (c.is_sequence()) c.encoder = {128};
    if (c.is_adversarial()) c.latent = 2;
    if (variant == "sparse") c.code_activation = "sigmoid";
    return c;
}

namespace {

const std::vector<std::string> kActivations{"relu", "leaky_relu", "sigmoid", "tanh", "identity"};

// 612000000 → "612,000,000"
std::string with_commas(std::uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

void check_size(const ModelConfig& c) {
    const ModelSize size = model_size(c);
    if (size.parameters > kMaxModelParameters)
        fail_coded("too_many_parameters",
                   {{"parameters", double(size.parameters)}, {"limit", double(kMaxModelParameters)}},
                   "model config: this model would have ", with_commas(size.parameters),
                   " parameters; the playground allows at most ", with_commas(kMaxModelParameters),
                   " — use fewer or narrower layers");
    if (size.activations > kMaxActivationsPerImage)
        fail_coded("too_many_activations",
                   {{"activations", double(size.activations)}, {"limit", double(kMaxActivationsPerImage)}},
                   "model config: one image would need ", with_commas(size.activations),
                   " activation values in this model's layers (their outputs and each convolution's unfolded "
                   "input); the playground allows at most ",
                   with_commas(kMaxActivationsPerImage),
                   " per image, so that a batch fits in memory — use fewer channels or layers, a larger stride or a "
                   "smaller input");
}

// The recurrent variant reads each image as H steps of W pixels.
void check_sequence(const ModelConfig& c) {
    require(c.input.c == 1, "model config: variant 'sequence' reads the image row by row, so it takes one channel: ",
            "'input' must be [1, height, width], got [", c.input.c, ", ", c.input.h, ", ", c.input.w, "]");
    require(!c.encoder.empty(), "model config: variant 'sequence' needs at least one width in 'encoder' (the ",
            "recurrent layers' state sizes, e.g. [128])");
    require(!c.batchnorm, "model config: 'batchnorm' does not apply to variant 'sequence' (its recurrent layers ",
            "have none): set it to false");
    require(c.dropout == 0, "model config: 'dropout' does not apply to variant 'sequence' (its recurrent layers ",
            "have none): set it to 0");
}

// The adversarial variant's prior and discriminator.
void check_adversarial(const ModelConfig& c) {
    const PriorKind prior = parse_prior(c.prior);
    require(prior != PriorKind::Mixture || c.latent % 2 == 0, "model config: prior 'mixture' puts ten Gaussians ",
            "on a circle in each pair of code dimensions, so 'latent' must be even, got ", c.latent);
    require(!c.prior_labels || prior == PriorKind::Mixture, "model config: 'prior_labels' gives each class its own ",
            "Gaussian of the mixture: it needs prior 'mixture', not '", c.prior, "'");
    require(c.code_activation == "identity", "model config: variant 'aae' shapes its code like the prior, so its ",
            "code_activation must be 'identity', got '", c.code_activation, "'");
    for (std::size_t w : c.discriminator)
        require(w >= 1, "model config: every discriminator width must be at least 1, got ", w);
}

void read_conv(const Json& obj, ConvConfig& conv) {
    ConfigReader r(obj, "model config: conv");
    r.sizes("channels", conv.channels, 1, 1024, 8);
    r.integer("kernel", conv.kernel, 1, 64);
    r.integer("stride", conv.stride, 1, 16);
    r.integer("padding", conv.padding, 0, 64);
    r.reject_unknown();
}

}  // namespace

ModelConfig parse_model_config(const std::string& text) {
    const Json j = parse_json(text, "model config");
    ConfigReader r(j, "model config");
    std::string variant = "dense";
    r.string("variant", variant, model_variants());
    ModelConfig c = default_model_config(variant);
    if (r.has("input")) {
        std::vector<std::size_t> in;
        r.sizes("input", in, 1, 4096, 3);
        require(in.size() == 3, "model config: 'input' must be [channels, height, width], got ", in.size(),
                " values");
        c.input = {in[0], in[1], in[2]};
    }
    r.sizes("encoder", c.encoder, 1, 8192, 16);
    if (const Json* conv = r.object("conv")) {
        require(c.is_conv(), "model config: 'conv' applies only to the conv and conv_vae variants, not '", c.variant,
                "'");
        read_conv(*conv, c.conv);
    }
    r.integer("latent", c.latent, 1, 4096);
    r.string("activation", c.activation, kActivations);
    if (r.has("code_activation")) {
        require(!c.is_vae(), "model config: 'code_activation' does not apply to variant '", c.variant,
                "' (its code is the sampled z = mu + sigma * eps)");
        r.string("code_activation", c.code_activation, kActivations);
    }
    r.string("output", c.output, {"sigmoid", "identity", "tanh"});
    r.string("loss", c.loss, {"bce", "mse"});
    r.boolean("batchnorm", c.batchnorm);
    r.number("dropout", c.dropout, 0.0, 1.0);
    for (const char* key : {"prior", "prior_labels", "discriminator"})
        require(!r.has(key) || c.is_adversarial(), "model config: '", key, "' applies only to variant 'aae', not '",
                c.variant, "'");
    r.string("prior", c.prior, {"normal", "mixture"});
    r.boolean("prior_labels", c.prior_labels);
    r.sizes("discriminator", c.discriminator, 1, 8192, 8);
    r.reject_unknown();
    validate(c);
    return c;
}

void validate(const ModelConfig& c) {
    bool known = false;
    for (const auto& v : model_variants()) known = known || v == c.variant;
    require(known, "model config: unknown variant '", c.variant,
            "' (expected dense, deep, sparse, denoising, vae, conv, conv_vae, sequence or aae)");
    require(c.input.c >= 1 && c.input.h >= 1 && c.input.w >= 1, "model config: every 'input' dimension must be at least 1");
    require(c.latent >= 1, "model config: latent size must be at least 1, got ", c.latent);
    for (std::size_t w : c.encoder) require(w >= 1, "model config: every encoder width must be at least 1, got ", w);
    parse_activation(c.activation);
    parse_activation(c.code_activation);
    require(!c.is_vae() || c.code_activation == "identity", "model config: variant '", c.variant,
            "' has no code activation (its code is the sampled z)");
    require(c.output == "sigmoid" || c.output == "identity" || c.output == "tanh",
            "model config: unknown output '", c.output, "' (expected sigmoid, identity or tanh)");
    require(c.loss == "bce" || c.loss == "mse", "model config: unknown loss '", c.loss, "' (expected bce or mse)");
    require(c.loss != "bce" || c.output == "sigmoid",
            "model config: loss 'bce' needs output 'sigmoid' (got '", c.output, "')");
    require(std::isfinite(c.dropout) && c.dropout >= 0 && c.dropout < 1,
            "model config: 'dropout' must be a probability in [0, 1), got ", c.dropout);
    if (c.is_conv()) conv_stages(c);
    if (c.is_sequence()) check_sequence(c);
    if (c.is_adversarial()) check_adversarial(c);
    check_size(c);
}

std::vector<ConvStage> conv_stages(const ModelConfig& c) {
    const ConvConfig& k = c.conv;
    require(!k.channels.empty(), "model config: conv 'channels' must list at least one layer");
    require(k.kernel >= 1 && k.stride >= 1, "model config: conv 'kernel' and 'stride' must be at least 1");
    require(k.padding < k.kernel, "model config: conv 'padding' (", k.padding, ") must be smaller than 'kernel' (",
            k.kernel, ")");
    std::vector<ConvStage> stages;
    FeatureShape shape = c.input;
    for (std::size_t i = 0; i < k.channels.size(); ++i) {
        const std::size_t ph = shape.h + 2 * k.padding, pw = shape.w + 2 * k.padding;
        require(k.kernel <= ph && k.kernel <= pw, "model config: conv layer ", i + 1, " has kernel ", k.kernel,
                " but its input is only ", shape.h, "x", shape.w, " (", ph, "x", pw, " with padding ", k.padding,
                "): use a smaller kernel, fewer layers or a larger input");
        ConvStage s;
        s.in = shape;
        s.out = {k.channels[i], (ph - k.kernel) / k.stride + 1, (pw - k.kernel) / k.stride + 1};
        // The transposed convolution without output padding gives (H' − 1) s − 2p + k.
        const long long base_h = (long long)(s.out.h - 1) * k.stride - 2 * (long long)k.padding + k.kernel;
        const long long base_w = (long long)(s.out.w - 1) * k.stride - 2 * (long long)k.padding + k.kernel;
        const long long oph = (long long)shape.h - base_h, opw = (long long)shape.w - base_w;
        require(oph >= 0 && oph < (long long)k.stride && opw >= 0 && opw < (long long)k.stride,
                "model config: conv layer ", i + 1, " maps ", shape.h, "x", shape.w, " to ", s.out.h, "x", s.out.w,
                ", which no transposed convolution with output padding in [0, stride) maps back");
        require(oph == opw, "model config: conv layer ", i + 1, " maps ", shape.h, "x", shape.w, " to ", s.out.h,
                "x", s.out.w, ", and mapping it back needs output padding ", oph, " in height but ", opw,
                " in width; a transposed convolution has one output padding: change the input size or the stride");
        s.output_padding = std::size_t(oph);
        stages.push_back(s);
        shape = s.out;
    }
    return stages;
}

std::string to_json(const ModelConfig& c) {
    Json j;
    j["variant"] = c.variant;
    j["input"] = {c.input.c, c.input.h, c.input.w};
    j["encoder"] = c.encoder;
    if (c.is_conv())
        j["conv"] = {{"channels", c.conv.channels},
                     {"kernel", c.conv.kernel},
                     {"stride", c.conv.stride},
                     {"padding", c.conv.padding}};
    j["latent"] = c.latent;
    j["activation"] = c.activation;
    if (!c.is_vae()) j["code_activation"] = c.code_activation;
    j["output"] = c.output;
    j["loss"] = c.loss;
    j["batchnorm"] = c.batchnorm;
    j["dropout"] = c.dropout;
    if (c.is_adversarial()) {
        j["prior"] = c.prior;
        j["prior_labels"] = c.prior_labels;
        j["discriminator"] = c.discriminator;
    }
    return j.dump();
}

}  // namespace ae

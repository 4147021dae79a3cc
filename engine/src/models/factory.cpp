#include "models/factory.hpp"

#include <limits>

#include "core/error.hpp"
#include "layers/activation.hpp"
#include "layers/batchnorm.hpp"
#include "layers/conv2d.hpp"
#include "layers/conv_transpose2d.hpp"
#include "layers/dense.hpp"
#include "layers/dropout.hpp"
#include "layers/reshape.hpp"
#include "kernels/im2col.hpp"

namespace ae {

namespace {

enum class Part { Encoder, Decoder };

// C·H·W as one flat width, saturated at SIZE_MAX: a config can ask for more values than a
// 32-bit size_t (WebAssembly's) holds; the size check then refuses it before anything is built.
FeatureShape flattened(FeatureShape s) {
    constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max();
    std::size_t n = s.c;
    for (std::size_t d : {s.h, s.w}) n = n != 0 && d > kMax / n ? kMax : n * d;
    return FeatureShape::flat(n);
}

// Every variant's layers, in order, described once and walked by two sinks: LayerBuilder makes
// them (build_network), SizeCounter counts what they would hold (model_size) without allocating.
// A sink has one call per layer kind: dense, conv, conv_transpose, batchnorm, activation,
// dropout, reshape, each with the Part it goes into and its input shape first.
template <class Sink>
void lay_out(const ModelConfig& cfg, Sink& sink) {
    const ActKind act = parse_activation(cfg.activation);

    // After a hidden Dense or Conv: (BatchNorm) → activation → (Dropout).
    auto hidden_tail = [&](Part part, FeatureShape shape) {
        if (cfg.batchnorm) sink.batchnorm(part, shape);
        sink.activation(part, shape, act);
        if (cfg.dropout > 0) sink.dropout(part, shape, cfg.dropout);
    };
    auto dense_hidden = [&](Part part, FeatureShape shape, const std::vector<std::size_t>& widths) {
        for (std::size_t w : widths) {
            sink.dense(part, shape, w);
            shape = FeatureShape::flat(w);
            hidden_tail(part, shape);
        }
        return shape;
    };
    auto code = [&](FeatureShape shape) {
        const std::size_t z = cfg.is_vae() ? 2 * cfg.latent : cfg.latent;
        sink.dense(Part::Encoder, shape, z);
        const ActKind code_act = parse_activation(cfg.code_activation);
        if (!cfg.is_vae() && code_act != ActKind::Identity) sink.activation(Part::Encoder, FeatureShape::flat(z), code_act);
    };

    const std::vector<std::size_t> mirrored(cfg.encoder.rbegin(), cfg.encoder.rend());
    if (!cfg.is_conv()) {
        code(dense_hidden(Part::Encoder, cfg.input, cfg.encoder));
        const FeatureShape h = dense_hidden(Part::Decoder, FeatureShape::flat(cfg.latent), mirrored);
        sink.dense(Part::Decoder, h, flattened(cfg.input).c);
        return;
    }
    const std::vector<ConvStage> stages = conv_stages(cfg);
    const ConvConfig& k = cfg.conv;
    for (const ConvStage& s : stages) {
        sink.conv(Part::Encoder, s.in, s.out, k);
        hidden_tail(Part::Encoder, s.out);
    }
    const FeatureShape last = stages.back().out;  // (C_L, H_L, W_L)
    code(dense_hidden(Part::Encoder, last, cfg.encoder));

    const FeatureShape h = dense_hidden(Part::Decoder, FeatureShape::flat(cfg.latent), mirrored);
    const FeatureShape flat_last = flattened(last);
    sink.dense(Part::Decoder, h, flat_last.size());
    hidden_tail(Part::Decoder, flat_last);
    sink.reshape(Part::Decoder, flat_last, last);
    for (std::size_t i = stages.size(); i-- > 0;) {
        sink.conv_transpose(Part::Decoder, stages[i], k);
        if (i > 0) hidden_tail(Part::Decoder, stages[i].in);
    }
}

class LayerBuilder {
public:
    Network net;

    void dense(Part p, FeatureShape in, std::size_t out) { add(p, std::make_unique<Dense>(in, out)); }
    void conv(Part p, FeatureShape in, FeatureShape out, const ConvConfig& k) {
        add(p, std::make_unique<Conv2D>(in, out.c, k.kernel, k.stride, k.padding));
    }
    // Maps the stage's output back to its input.
    void conv_transpose(Part p, const ConvStage& s, const ConvConfig& k) {
        add(p, std::make_unique<ConvTranspose2D>(s.out, s.in.c, k.kernel, k.stride, k.padding, s.output_padding));
        require(part(p).back().out_shape() == s.in,
                "internal: a transposed convolution does not give back its convolution's input shape");
    }
    void batchnorm(Part p, FeatureShape in) { add(p, std::make_unique<BatchNorm>(in)); }
    void activation(Part p, FeatureShape in, ActKind act) { add(p, std::make_unique<Activation>(in, act)); }
    void dropout(Part p, FeatureShape in, double rate) { add(p, std::make_unique<Dropout>(in, rate)); }
    void reshape(Part p, FeatureShape in, FeatureShape out) { add(p, std::make_unique<Reshape>(in, out)); }

private:
    Sequential& part(Part p) { return p == Part::Encoder ? net.encoder : net.decoder; }
    void add(Part p, LayerPtr layer) { part(p).add(std::move(layer)); }
};

// Counts in 64 bits, saturating, from the shapes' components, so that a config asking for more
// than a 32-bit size_t holds still comes out too large. Each layer's buffers are those of its
// class (layers/*.hpp): an output and an input gradient per image for every layer, plus x̂ for
// batch norm, the mask for dropout, and one group's im2col and product for the convolutions.
class SizeCounter {
public:
    ModelSize size;

    void dense(Part, FeatureShape in, std::size_t out) {
        param(mul(add(values(in), 1), out));  // W (D_in, D_out), b (D_out)
        act(out);
        rows(out, values(in));
        macs(mul(values(in), out));
    }
    void conv(Part, FeatureShape in, FeatureShape out, const ConvConfig& k) {
        const std::uint64_t taps = mul(in.c, mul(k.kernel, k.kernel));  // C·K·K
        const std::uint64_t pixels = mul(out.h, out.w);                  // P = OH·OW
        param(mul(out.c, add(taps, 1)));                                 // W (OC, C, K, K), b (OC)
        act(values(out));
        act(mul(taps, pixels));  // im2col (C·K·K, OH·OW)
        rows(values(out), values(in));
        group(mul(add(taps, out.c), group_columns(pixels)));  // cols (C·K·K, G·P), Yg (OC, G·P)
        macs(mul(out.c, mul(taps, pixels)));
    }
    void conv_transpose(Part, const ConvStage& s, const ConvConfig& k) {
        // From s.out (C, H, W) back to s.in (OC, OH, OW): W (C, OC, K, K), b (OC).
        const std::uint64_t taps = mul(s.in.c, mul(k.kernel, k.kernel));  // OC·K·K
        const std::uint64_t pixels = mul(s.out.h, s.out.w);                // P = H·W
        param(add(mul(s.out.c, taps), s.in.c));
        act(values(s.in));
        act(mul(taps, pixels));  // cols (OC·K·K, H·W)
        rows(values(s.in), values(s.out));
        group(mul(add(taps, s.out.c), group_columns(pixels)));  // Xg (C, G·P), cols (OC·K·K, G·P)
        macs(mul(s.out.c, mul(taps, pixels)));
    }
    void batchnorm(Part, FeatureShape in) {
        param(mul(2, in.c));  // γ, β (C); the running statistics are buffers, not parameters
        size.buffers = add(size.buffers, mul(2, in.c));
        act(values(in));
        rows(mul(2, values(in)), values(in));  // y and x̂; dx
    }
    void activation(Part, FeatureShape in, ActKind) {
        act(values(in));
        rows(values(in), values(in));
    }
    void dropout(Part, FeatureShape in, double) {
        act(values(in));
        rows(mul(2, values(in)), values(in));  // y and the mask; dx
    }
    void reshape(Part, FeatureShape, FeatureShape) {}  // passes its input and gradient through

private:
    static constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    static std::uint64_t mul(std::uint64_t a, std::uint64_t b) { return a != 0 && b > kMax / a ? kMax : a * b; }
    static std::uint64_t add(std::uint64_t a, std::uint64_t b) { return b > kMax - a ? kMax : a + b; }
    static std::uint64_t values(FeatureShape s) { return mul(s.c, mul(s.h, s.w)); }
    // G·P columns of a convolution's group buffers once the batch is at least a group.
    static std::uint64_t group_columns(std::uint64_t pixels) {
        if (pixels == 0 || pixels >= kernels::kConvGroupColumns) return pixels;
        return (kernels::kConvGroupColumns / pixels) * pixels;
    }
    void param(std::uint64_t n) { size.parameters = add(size.parameters, n); }
    void act(std::uint64_t n) { size.activations = add(size.activations, n); }
    // The first layer's input gradient is never computed (build_network switches it off).
    void rows(std::uint64_t forward, std::uint64_t backward) {
        size.forward_values = add(size.forward_values, forward);
        if (!first_) size.backward_values = add(size.backward_values, backward);
        first_ = false;
    }
    void group(std::uint64_t n) { size.group_values = add(size.group_values, n); }
    void macs(std::uint64_t n) {
        if (size.forward_macs == 0) size.first_layer_macs = n;
        size.forward_macs = add(size.forward_macs, n);
    }
    bool first_ = true;
};

}  // namespace

ModelSize model_size(const ModelConfig& cfg) {
    SizeCounter counter;
    lay_out(cfg, counter);
    return counter.size;
}

Network build_network(const ModelConfig& cfg) {
    validate(cfg);
    LayerBuilder builder;
    lay_out(cfg, builder);
    Network& net = builder.net;
    net.encoder[0].set_needs_input_grad(false);  // nothing consumes d(loss)/d(input)
    return std::move(net);
}

}  // namespace ae

#include "models/factory.hpp"

#include <limits>

#include "core/error.hpp"
#include "layers/activation.hpp"
#include "layers/batchnorm.hpp"
#include "layers/conv2d.hpp"
#include "layers/conv_transpose2d.hpp"
#include "layers/dense.hpp"
#include "layers/dropout.hpp"
#include "layers/gru.hpp"
#include "layers/repeat.hpp"
#include "layers/reshape.hpp"
#include "kernels/im2col.hpp"

namespace ae {

namespace {

enum class Part { Encoder, Decoder, Discriminator };

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
// A sink has one call per layer kind: dense (optionally per step), conv, conv_transpose,
// batchnorm, activation, dropout, reshape, gru, repeat, each with the Part it goes into first.
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
    if (cfg.is_sequence()) {
        // H steps of W pixels (one channel). Encoder: GRUs, each but the last handing every step's
        // state on, the last its final state → code. Decoder: the code at every step → GRUs →
        // Dense(→ W) per step: step t writes row t.
        const std::size_t T = cfg.input.h, W = cfg.input.w;
        std::size_t in = W;
        for (std::size_t i = 0; i < cfg.encoder.size(); ++i) {
            sink.gru(Part::Encoder, T, in, cfg.encoder[i], i + 1 < cfg.encoder.size());
            in = cfg.encoder[i];
        }
        code(FeatureShape::flat(in));
        sink.repeat(Part::Decoder, cfg.latent, T);
        in = cfg.latent;
        for (std::size_t w : mirrored) {
            sink.gru(Part::Decoder, T, in, w, true);
            in = w;
        }
        sink.dense(Part::Decoder, FeatureShape::flat(T * in), W, T);
        return;
    }
    if (!cfg.is_conv()) {
        code(dense_hidden(Part::Encoder, cfg.input, cfg.encoder));
        const FeatureShape h = dense_hidden(Part::Decoder, FeatureShape::flat(cfg.latent), mirrored);
        sink.dense(Part::Decoder, h, flattened(cfg.input).c);
        if (cfg.is_adversarial()) {
            // [Dense(w) → act] per width → Dense(→ 1): the logit of "drawn from the prior".
            FeatureShape d = FeatureShape::flat(cfg.discriminator_input());
            for (std::size_t w : cfg.discriminator) {
                sink.dense(Part::Discriminator, d, w);
                d = FeatureShape::flat(w);
                sink.activation(Part::Discriminator, d, act);
            }
            sink.dense(Part::Discriminator, d, 1);
        }
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

    void dense(Part p, FeatureShape in, std::size_t out, std::size_t steps = 1) {
        add(p, std::make_unique<Dense>(in, out, steps));
    }
    void gru(Part p, std::size_t steps, std::size_t input, std::size_t hidden, bool all_steps) {
        add(p, std::make_unique<GRU>(steps, input, hidden, all_steps));
    }
    void repeat(Part p, std::size_t size, std::size_t steps) { add(p, std::make_unique<Repeat>(size, steps)); }
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
    Sequential& part(Part p) {
        return p == Part::Encoder ? net.encoder : p == Part::Decoder ? net.decoder : net.discriminator;
    }
    void add(Part p, LayerPtr layer) { part(p).add(std::move(layer)); }
};

// Counts in 64 bits, saturating, from the shapes' components, so that a config asking for more
// than a 32-bit size_t holds still comes out too large. Each layer's buffers are those of its
// class (layers/*.hpp): an output and an input gradient per image for every layer, plus x̂ for
// batch norm, the mask for dropout, and one group's im2col and product for the convolutions.
class SizeCounter {
public:
    ModelSize size;

    void dense(Part p, FeatureShape in, std::size_t out, std::size_t steps = 1) {
        param(p, mul(add(values(in) / steps, 1), out));  // W (D_in, D_out), b (D_out); D_in per step
        act(mul(steps, out));
        rows(p, mul(steps, out), values(in));
        macs(p, mul(values(in), out));  // T·D_in·D_out
    }
    void gru(Part p, std::size_t steps, std::size_t input, std::size_t hidden, bool all_steps) {
        const std::uint64_t gates = mul(3, hidden);
        param(p, mul(gates, add(add(input, hidden), 2)));  // W_ih (I, 3H), W_hh (H, 3H), b_ih, b_hh (3H)
        // Every step's gates and h·W_hh + b_hh (T·3H each), every step's state (T·H), and the last
        // state on its own when only that is handed on.
        const std::uint64_t forward = add(mul(steps, add(mul(2, gates), hidden)), all_steps ? 0 : hidden);
        act(forward);
        // Backward's own buffers exist even when dx is not computed: da, dg (T·3H each), dh and
        // dhₜ₋₁ (H each); they are counted with the forward values so the first layer keeps them.
        rows(p, add(forward, add(mul(steps, mul(2, gates)), mul(2, hidden))), mul(steps, input));
        // T·(I + H)·3H; its input gradient is the T·I·3H part (the state's gradient through time,
        // T·H·3H, is computed even for the first layer: W_hh's gradient needs it)
        macs(p, mul(steps, mul(add(input, hidden), gates)), mul(steps, mul(input, gates)));
    }
    void repeat(Part p, std::size_t size, std::size_t steps) {
        act(mul(size, steps));
        rows(p, mul(size, steps), size);  // y (T·D); dx (D)
    }
    void conv(Part p, FeatureShape in, FeatureShape out, const ConvConfig& k) {
        const std::uint64_t taps = mul(in.c, mul(k.kernel, k.kernel));  // C·K·K
        const std::uint64_t pixels = mul(out.h, out.w);                  // P = OH·OW
        param(p, mul(out.c, add(taps, 1)));                              // W (OC, C, K, K), b (OC)
        act(values(out));
        act(mul(taps, pixels));  // im2col (C·K·K, OH·OW)
        rows(p, values(out), values(in));
        group(mul(add(taps, out.c), group_columns(pixels)));  // cols (C·K·K, G·P), Yg (OC, G·P)
        macs(p, mul(out.c, mul(taps, pixels)));
    }
    void conv_transpose(Part p, const ConvStage& s, const ConvConfig& k) {
        // From s.out (C, H, W) back to s.in (OC, OH, OW): W (C, OC, K, K), b (OC).
        const std::uint64_t taps = mul(s.in.c, mul(k.kernel, k.kernel));  // OC·K·K
        const std::uint64_t pixels = mul(s.out.h, s.out.w);                // P = H·W
        param(p, add(mul(s.out.c, taps), s.in.c));
        act(values(s.in));
        act(mul(taps, pixels));  // cols (OC·K·K, H·W)
        rows(p, values(s.in), values(s.out));
        group(mul(add(taps, s.out.c), group_columns(pixels)));  // Xg (C, G·P), cols (OC·K·K, G·P)
        macs(p, mul(s.out.c, mul(taps, pixels)));
    }
    void batchnorm(Part p, FeatureShape in) {
        param(p, mul(2, in.c));  // γ, β (C); the running statistics are buffers, not parameters
        size.buffers = add(size.buffers, mul(2, in.c));
        act(values(in));
        rows(p, mul(2, values(in)), values(in));  // y and x̂; dx
    }
    void activation(Part p, FeatureShape in, ActKind) {
        act(values(in));
        rows(p, values(in), values(in));
    }
    void dropout(Part p, FeatureShape in, double) {
        act(values(in));
        rows(p, mul(2, values(in)), values(in));  // y and the mask; dx
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
    void param(Part p, std::uint64_t n) {
        size.parameters = add(size.parameters, n);
        if (p == Part::Encoder) size.encoder_parameters = add(size.encoder_parameters, n);
    }
    void act(std::uint64_t n) { size.activations = add(size.activations, n); }
    // The first layer's input gradient is never computed (build_network switches it off). The
    // discriminator's buffers hold 2 rows per image (prior samples and codes: models/adversary.hpp).
    void rows(Part p, std::uint64_t forward, std::uint64_t backward) {
        const std::uint64_t per = p == Part::Discriminator ? 2 : 1;
        size.forward_values = add(size.forward_values, mul(per, forward));
        if (!first_) size.backward_values = add(size.backward_values, mul(per, backward));
        first_ = false;
    }
    void group(std::uint64_t n) { size.group_values = add(size.group_values, n); }
    // n forward multiply-adds, of which input_grad are what the input gradient costs (n for a
    // dense or conv layer; skipped for the first layer). The discriminator's products are apart:
    // encoding and decoding do not use it.
    void macs(Part p, std::uint64_t n) { macs(p, n, n); }
    void macs(Part p, std::uint64_t n, std::uint64_t input_grad) {
        if (p == Part::Discriminator) {
            size.discriminator_macs = add(size.discriminator_macs, n);
            return;
        }
        if (size.forward_macs == 0) size.first_layer_macs = input_grad;
        size.forward_macs = add(size.forward_macs, n);
        if (p == Part::Encoder) size.encoder_macs = add(size.encoder_macs, n);
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

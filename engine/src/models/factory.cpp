#include "models/factory.hpp"

#include "core/error.hpp"
#include "layers/activation.hpp"
#include "layers/batchnorm.hpp"
#include "layers/conv2d.hpp"
#include "layers/conv_transpose2d.hpp"
#include "layers/dense.hpp"
#include "layers/dropout.hpp"
#include "layers/reshape.hpp"

namespace ae {

namespace {

// After a hidden Dense or Conv: (BatchNorm) → activation → (Dropout).
void add_hidden_tail(Sequential& seq, FeatureShape shape, const ModelConfig& cfg, ActKind act) {
    if (cfg.batchnorm) seq.add(std::make_unique<BatchNorm>(shape));
    seq.add(std::make_unique<Activation>(shape, act));
    if (cfg.dropout > 0) seq.add(std::make_unique<Dropout>(shape, cfg.dropout));
}

FeatureShape add_dense_hidden(Sequential& seq, FeatureShape shape, const std::vector<std::size_t>& widths,
                              const ModelConfig& cfg, ActKind act) {
    for (std::size_t w : widths) {
        seq.add(std::make_unique<Dense>(shape, w));
        shape = FeatureShape::flat(w);
        add_hidden_tail(seq, shape, cfg, act);
    }
    return shape;
}

void add_code(Sequential& seq, FeatureShape shape, const ModelConfig& cfg) {
    const std::size_t z = cfg.is_vae() ? 2 * cfg.latent : cfg.latent;
    seq.add(std::make_unique<Dense>(shape, z));
    const ActKind code_act = parse_activation(cfg.code_activation);
    if (!cfg.is_vae() && code_act != ActKind::Identity)
        seq.add(std::make_unique<Activation>(FeatureShape::flat(z), code_act));
}

}  // namespace

Network build_network(const ModelConfig& cfg) {
    validate(cfg);
    const ActKind act = parse_activation(cfg.activation);
    const std::vector<std::size_t> mirrored(cfg.encoder.rbegin(), cfg.encoder.rend());
    Network net;
    if (!cfg.is_conv()) {
        add_code(net.encoder, add_dense_hidden(net.encoder, cfg.input, cfg.encoder, cfg, act), cfg);
        const FeatureShape h = add_dense_hidden(net.decoder, FeatureShape::flat(cfg.latent), mirrored, cfg, act);
        net.decoder.add(std::make_unique<Dense>(h, cfg.input.size()));
    } else {
        const std::vector<ConvStage> stages = conv_stages(cfg);
        const ConvConfig& k = cfg.conv;
        for (const ConvStage& s : stages) {
            net.encoder.add(std::make_unique<Conv2D>(s.in, s.out.c, k.kernel, k.stride, k.padding));
            add_hidden_tail(net.encoder, s.out, cfg, act);
        }
        const FeatureShape last = stages.back().out;  // (C_L, H_L, W_L)
        add_code(net.encoder, add_dense_hidden(net.encoder, last, cfg.encoder, cfg, act), cfg);

        const FeatureShape h = add_dense_hidden(net.decoder, FeatureShape::flat(cfg.latent), mirrored, cfg, act);
        net.decoder.add(std::make_unique<Dense>(h, last.size()));
        add_hidden_tail(net.decoder, FeatureShape::flat(last.size()), cfg, act);
        net.decoder.add(std::make_unique<Reshape>(FeatureShape::flat(last.size()), last));
        for (std::size_t i = stages.size(); i-- > 0;) {
            const ConvStage& s = stages[i];
            net.decoder.add(
                std::make_unique<ConvTranspose2D>(s.out, s.in.c, k.kernel, k.stride, k.padding, s.output_padding));
            require(net.decoder.back().out_shape() == s.in, "internal: transposed convolution ", i + 1,
                    " does not give back its convolution's input shape");
            if (i > 0) add_hidden_tail(net.decoder, s.in, cfg, act);
        }
    }
    net.encoder[0].set_needs_input_grad(false);  // nothing consumes d(loss)/d(input)
    return net;
}

}  // namespace ae

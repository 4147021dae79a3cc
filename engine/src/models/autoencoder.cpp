#include "models/autoencoder.hpp"

#include "core/error.hpp"
#include "layers/dense.hpp"
#include "losses/bce.hpp"
#include "losses/mse.hpp"

namespace ae {

namespace {

// Dense(+activation) stack through `widths`, ending in a Dense to `last` with no activation.
void build_mlp(Sequential& seq, FeatureShape in, const std::vector<std::size_t>& widths, std::size_t last,
               ActKind act) {
    FeatureShape shape = in;
    for (std::size_t w : widths) {
        seq.add(std::make_unique<Dense>(shape, w));
        shape = FeatureShape::flat(w);
        seq.add(std::make_unique<Activation>(shape, act));
    }
    seq.add(std::make_unique<Dense>(shape, last));
}

void collect(Sequential& seq, const char* prefix, std::vector<Param*>& out) {
    static const char* names[] = {"weight", "bias", "p2", "p3"};
    for (std::size_t i = 0; i < seq.size(); ++i) {
        auto ps = seq[i].params();
        for (std::size_t k = 0; k < ps.size(); ++k) {
            ps[k]->name = std::string(prefix) + "." + std::to_string(i) + "." + (k < 4 ? names[k] : "p");
            out.push_back(ps[k]);
        }
    }
}

}  // namespace

Autoencoder::Autoencoder(const ModelConfig& cfg) : cfg_(cfg), out_act_(parse_activation(cfg.output)) {
    validate(cfg_);
    const ActKind act = parse_activation(cfg_.activation);
    build_mlp(encoder_, cfg_.input, cfg_.encoder, cfg_.latent, act);
    std::vector<std::size_t> dec(cfg_.encoder.rbegin(), cfg_.encoder.rend());
    build_mlp(decoder_, FeatureShape::flat(cfg_.latent), dec, cfg_.input.size(), act);
    encoder_[0].set_needs_input_grad(false);  // nothing consumes d(loss)/d(input)
    collect(encoder_, "encoder", params_);
    collect(decoder_, "decoder", params_);
}

void Autoencoder::init(Rng& rng) {
    for (std::size_t i = 0; i < encoder_.size(); ++i) encoder_[i].init(rng);
    for (std::size_t i = 0; i < decoder_.size(); ++i) decoder_[i].init(rng);
}

std::size_t Autoencoder::parameter_count() const {
    std::size_t n = 0;
    for (const Param* p : params_) n += p->size();
    return n;
}

const Mat& Autoencoder::encode(const Mat& x, const Context& ctx) {
    require(cols(x) == input_size(), "the model expects images of ", input_size(), " pixels, got ", cols(x));
    return encoder_.forward(x, ctx);
}

const Mat& Autoencoder::decode_logits(const Mat& z, const Context& ctx) {
    require(cols(z) == latent_size(), "the model's code has ", latent_size(), " dimensions, got ", cols(z));
    return decoder_.forward(z, ctx);
}

const Mat& Autoencoder::decode(const Mat& z, const Context& ctx) {
    const Mat& logits = decode_logits(z, ctx);
    ensure_shape(y_, rows(logits), cols(logits));
    activation_forward(out_act_, logits.data(), y_.data(), logits.size());
    return y_;
}

double Autoencoder::reconstruction(const Mat& logits, const Mat& target, bool with_grad) {
    if (cfg_.loss == "bce") return bce_with_logits(logits, target, with_grad ? &dlogits_ : nullptr);
    // mse on x̂ = out(logits): d/dlogits = d/dx̂ · out'(logits)
    ensure_shape(y_, rows(logits), cols(logits));
    activation_forward(out_act_, logits.data(), y_.data(), logits.size());
    const double v = mse(y_, target, with_grad ? &dlogits_ : nullptr);
    if (with_grad)
        activation_backward(out_act_, logits.data(), y_.data(), dlogits_.data(), dlogits_.data(), logits.size());
    return v;
}

LossTerms Autoencoder::forward_backward(const Mat& input, const Mat& target, const Context& ctx) {
    const Mat& code = encode(input, ctx);
    const Mat& logits = decode_logits(code, ctx);
    LossTerms terms;
    terms.recon = reconstruction(logits, target, true);
    const Mat& dcode = decoder_.backward(dlogits_);
    encoder_.backward(dcode);
    return terms;
}

LossTerms Autoencoder::loss(const Mat& input, const Mat& target, const Context& ctx) {
    const Mat& code = encode(input, ctx);
    const Mat& logits = decode_logits(code, ctx);
    LossTerms terms;
    terms.recon = reconstruction(logits, target, false);
    return terms;
}

}  // namespace ae

#include "models/autoencoder.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "losses/bce.hpp"
#include "losses/kl_normal.hpp"
#include "losses/mse.hpp"
#include "losses/sparsity.hpp"
#include "losses/weight_decay.hpp"
#include "models/factory.hpp"

namespace ae {

namespace {

void collect(Sequential& seq, const char* prefix, std::vector<Param*>& params, std::vector<Param*>& buffers) {
    static const char* buffer_names[] = {"running_mean", "running_var"};
    for (std::size_t i = 0; i < seq.size(); ++i) {
        const std::string base = std::string(prefix) + "." + std::to_string(i) + ".";
        const bool batchnorm = seq[i].kind() == "batchnorm";
        auto ps = seq[i].params();
        for (std::size_t k = 0; k < ps.size(); ++k) {
            ps[k]->name = base + seq[i].param_name(k);
            if (batchnorm) ps[k]->decay = false;  // γ and β are not weights
            params.push_back(ps[k]);
        }
        auto bs = seq[i].buffers();
        for (std::size_t k = 0; k < bs.size(); ++k) {
            bs[k]->name = base + (k < 2 ? buffer_names[k] : "b" + std::to_string(k));
            buffers.push_back(bs[k]);
        }
    }
}

}  // namespace

Autoencoder::Autoencoder(const ModelConfig& cfg) : cfg_(cfg), out_act_(parse_activation(cfg.output)) {
    Network net = build_network(cfg_);
    encoder_ = std::move(net.encoder);
    decoder_ = std::move(net.decoder);
    if (cfg_.is_vae()) sampling_ = std::make_unique<Sampling>(cfg_.latent);
    collect(encoder_, "encoder", params_, buffers_);
    encoder_params_ = params_;
    collect(decoder_, "decoder", params_, buffers_);
    if (cfg_.is_adversarial()) {
        adversary_ = std::make_unique<Adversary>(cfg_, std::move(net.discriminator));
        collect(adversary_->discriminator(), "discriminator", adversary_params_, buffers_);
    }
}

void Autoencoder::init(Rng& rng) {
    for (std::size_t i = 0; i < encoder_.size(); ++i) encoder_[i].init(rng);
    for (std::size_t i = 0; i < decoder_.size(); ++i) decoder_[i].init(rng);
    if (adversary_)
        for (std::size_t i = 0; i < adversary_->discriminator().size(); ++i) adversary_->discriminator()[i].init(rng);
}

std::size_t Autoencoder::parameter_count() const {
    std::size_t n = 0;
    for (const Param* p : params_) n += p->size();
    for (const Param* p : adversary_params_) n += p->size();
    return n;
}

Adversary& Autoencoder::adversary() {
    require(adversary_ != nullptr, "variant '", cfg_.variant, "' has no discriminator (only variant 'aae' has one)");
    return *adversary_;
}

void Autoencoder::set_penalties(const Penalties& p) {
    validate(p, cfg_);
    pen_ = p;
}

const Mat& Autoencoder::encode(const Mat& x, const Context& ctx) {
    require(cols(x) == input_size(), "the model expects images of ", input_size(), " pixels, got ", cols(x));
    const Mat& h = encoder_.forward(x, ctx);
    if (!sampling_) return h;
    // [μ | log σ²] → μ
    const std::size_t N = rows(h), Z = latent_size();
    ensure_shape(mu_, N, Z);
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t j = 0; j < Z; ++j) mu_(n, j) = h(n, j);
    return mu_;
}

const Mat& Autoencoder::posterior(const Mat& x, const Context& ctx) {
    require(sampling_ != nullptr, "posterior: only a VAE's encoder gives a mean and a variance (this model is '",
            cfg_.variant, "')");
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

void Autoencoder::add_to(Mat& acc, const Mat& g) {
    Scalar* a = acc.data();
    const Scalar* b = g.data();
    for (std::size_t i = 0, n = acc.size(); i < n; ++i) a[i] += b[i];
}

LossTerms Autoencoder::forward_backward(const Mat& input, const Mat& target, const Context& ctx) {
    return run(input, target, ctx, true);
}

LossTerms Autoencoder::loss(const Mat& input, const Mat& target, const Context& ctx) {
    return run(input, target, ctx, false);
}

LossTerms Autoencoder::run(const Mat& input, const Mat& target, const Context& ctx, bool with_grad) {
    require(cols(input) == input_size(), "the model expects images of ", input_size(), " pixels, got ",
            cols(input));
    require(input.shape() == target.shape(), "inputs (", rows(input), "x", cols(input), ") and targets (",
            rows(target), "x", cols(target), ") differ in shape");
    const Mat& h = encoder_.forward(input, ctx);  // code (N, Z) or [μ | log σ²] (N, 2Z)
    const Mat& code = sampling_ ? sampling_->forward(h, ctx) : h;
    const Mat& logits = decode_logits(code, ctx);

    LossTerms terms;
    terms.recon = reconstruction(logits, target, with_grad);
    Mat* dpen = with_grad ? &dpen_ : nullptr;
    const bool sparse = !sampling_ && pen_.sparsity_weight > 0, active = !sampling_ && pen_.activity_l1 > 0;

    // dcode_ (N, Z | 2Z) = d(loss)/dh: the reconstruction's share, then each penalty's.
    if (with_grad) {
        const Mat& dcode = decoder_.backward(dlogits_);
        const Mat& d = sampling_ ? sampling_->backward(dcode) : dcode;
        ensure_shape(dcode_, rows(d), cols(d));
        std::copy(d.begin(), d.end(), dcode_.begin());
    }
    if (sampling_) {
        terms.kl = kl_normal(h, pen_.kl_weight, dpen);
        if (with_grad) add_to(dcode_, dpen_);
    }
    if (sparse) {
        terms.sparsity += sparsity_kl(h, pen_.sparsity_target, pen_.sparsity_weight, dpen);
        if (with_grad) add_to(dcode_, dpen_);
    }
    if (active) {
        terms.sparsity += activity_l1(h, pen_.activity_l1, dpen);
        if (with_grad) add_to(dcode_, dpen_);
    }
    if (with_grad) encoder_.backward(dcode_);
    terms.weight_decay = weight_decay(params_, pen_.weight_decay_l2, pen_.weight_decay_l1, with_grad);
    return terms;
}

}  // namespace ae

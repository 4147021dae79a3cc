#include "models/adversary.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "kernels/elementwise.hpp"

namespace ae {

Adversary::Adversary(const ModelConfig& cfg, Sequential discriminator)
    : disc_(std::move(discriminator)),
      prior_(parse_prior(cfg.prior)),
      labels_(cfg.prior_labels),
      Z_(cfg.latent),
      D_(cfg.discriminator_input()) {
    require(!disc_.empty() && disc_[0].in_shape().size() == D_ && disc_.back().out_shape().size() == 1,
            "internal: the discriminator must map ", D_, " values to one logit");
}

void Adversary::put_rows(const Mat& code, const std::uint8_t* labels, std::size_t at) {
    require(cols(code) == Z_, "the discriminator reads codes of ", Z_, " values, got ", cols(code));
    require(!labels_ || labels != nullptr, "the discriminator of a model with prior_labels needs each image's class");
    for (std::size_t n = 0; n < rows(code); ++n) {
        Scalar* row = in_.data() + (at + n) * D_;
        std::copy(code.data() + n * Z_, code.data() + (n + 1) * Z_, row);
        if (!labels_) continue;
        require(labels[n] < 10, "prior_labels: class ", int(labels[n]), " has no Gaussian in the mixture (classes 0-9)");
        std::fill(row + Z_, row + D_, Scalar(0));
        row[Z_ + labels[n]] = Scalar(1);
    }
}

double Adversary::discriminator_loss(const Mat& prior, const Mat& code, const std::uint8_t* labels,
                                     const Context& ctx, bool with_grad) {
    const std::size_t N = rows(code);
    require(prior.shape() == code.shape(), "the discriminator compares as many prior samples as codes: got ",
            rows(prior), " and ", N);
    if (N == 0) return 0.0;
    ensure_shape(in_, 2 * N, D_);
    put_rows(prior, labels, 0);
    put_rows(code, labels, N);
    ensure_shape(target_, 2 * N, 1);
    std::fill(target_.begin(), target_.begin() + N, Scalar(1));
    std::fill(target_.begin() + N, target_.end(), Scalar(0));
    const Mat& logit = disc_.forward(in_, ctx);
    if (with_grad) ensure_shape(dlogit_, 2 * N, 1);
    // Σ over 2N rows / N = the mean over the prior half + the mean over the code half.
    const double loss = kernels::bce_logits(logit.data(), target_.data(), with_grad ? dlogit_.data() : nullptr,
                                            2 * N, Scalar(1) / Scalar(N)) / double(N);
    if (with_grad) disc_.backward(dlogit_);
    return loss;
}

double Adversary::generator_loss(const Mat& code, const std::uint8_t* labels, const Context& ctx, bool with_grad) {
    const std::size_t N = rows(code);
    if (N == 0) return 0.0;
    ensure_shape(in_, N, D_);
    put_rows(code, labels, 0);
    ensure_shape(target_, N, 1);
    std::fill(target_.begin(), target_.end(), Scalar(1));
    const Mat& logit = disc_.forward(in_, ctx);
    if (with_grad) ensure_shape(dlogit_, N, 1);
    const double loss = kernels::bce_logits(logit.data(), target_.data(), with_grad ? dlogit_.data() : nullptr, N,
                                            Scalar(1) / Scalar(N)) / double(N);
    if (!with_grad) return loss;
    const Mat& din = disc_.backward(dlogit_);  // (N, Z (+10)); the class columns are constants
    ensure_shape(dcode_, N, Z_);
    for (std::size_t n = 0; n < N; ++n) std::copy(din.data() + n * D_, din.data() + n * D_ + Z_, dcode_.data() + n * Z_);
    return loss;
}

const Mat& Adversary::logits(const Mat& code, const std::uint8_t* labels, const Context& ctx) {
    ensure_shape(in_, rows(code), D_);
    put_rows(code, labels, 0);
    return disc_.forward(in_, ctx);
}

}  // namespace ae

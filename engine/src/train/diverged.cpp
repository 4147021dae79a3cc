#include "train/diverged.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "core/finite.hpp"

namespace ae {

namespace {

// The first loss term that is not finite, by the name the loss reports it under.
const char* nonfinite_term(const LossTerms& t) {
    if (!std::isfinite(t.recon)) return "recon";
    if (!std::isfinite(t.kl)) return "kl";
    if (!std::isfinite(t.sparsity)) return "sparsity";
    return "weight_decay";
}

[[noreturn]] void diverged(const char* term, double value, std::uint64_t step, double lr, const char* phase) {
    const bool training = std::string(phase) == "training";
    fail_coded("diverged",
               {{"step", double(step)}, {"value", nonfinite_name(value)}, {"term", term}, {"phase", phase}, {"lr", lr}},
               "training diverged: the ", training ? "" : "evaluation ", "loss became ", nonfinite_text(value),
               " at step ", step, " (its ", term, " term)",
               training ? "; the weights were not updated. Lower the learning rate or reset the model."
                        : ": the weights give a non-finite loss. Lower the learning rate and train again from an "
                          "earlier state, or reset the model.");
}

}  // namespace

void loss_diverged(const LossTerms& t, std::uint64_t step, double lr, const char* phase) {
    diverged(nonfinite_term(t), t.total(), step, lr, phase);
}

void term_diverged(const char* term, double value, std::uint64_t step, double lr) {
    diverged(term, value, step, lr, "training");
}

// A finite loss does not make the update that followed it finite: the optimizer says whether
// every weight and slot it wrote is (for free, as it writes them), and then the first one that
// is not is named, so that a diverged state never looks trained (the page would keep it as its
// last good state, ae would save it).
void update_diverged(const std::vector<Param*>& params, Optimizer& opt, std::uint64_t step, double lr) {
    std::string tensor = "(unknown)";
    std::size_t index = 0;
    Scalar value = std::numeric_limits<Scalar>::quiet_NaN();
    auto find = [&](const char* prefix, const std::string& name, const Scalar* p, std::size_t n) {
        const std::size_t i = first_nonfinite(p, n);
        if (i == n || tensor != "(unknown)") return;
        tensor = prefix + name;
        index = i;
        value = p[i];
    };
    for (const Param* p : params) find("", p->name, p->data(), p->size());
    for (const auto& [name, slot] : opt.slots()) find("optimizer.", name, slot->data(), slot->size());
    fail_coded("diverged",
               {{"step", double(step)},
                {"value", nonfinite_name(value)},
                {"term", "weights"},
                {"phase", "training"},
                {"lr", lr},
                {"tensor", tensor}},
               "training diverged: the weights became ", nonfinite_text(value), " at step ", step, " (", tensor, "[", index,
               "]) although the loss was finite. Lower the learning rate, use gradient clipping, or reset the model.");
}

}  // namespace ae

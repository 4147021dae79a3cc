#include "models/penalties.hpp"

#include <cmath>

#include "core/error.hpp"

namespace ae {

static void check(const char* key, double v, double lo, double hi) {
    require(std::isfinite(v) && v >= lo && v <= hi, "training config: '", key, "' must be a number in [", lo, ", ",
            hi, "], got ", v);
}

void validate(const Penalties& p, const ModelConfig& m) {
    check("kl_weight", p.kl_weight, 0, 1000);
    check("sparsity_weight", p.sparsity_weight, 0, 1000);
    check("activity_l1", p.activity_l1, 0, 1000);
    check("weight_decay_l2", p.weight_decay_l2, 0, 10);
    check("weight_decay_l1", p.weight_decay_l1, 0, 10);
    require(std::isfinite(p.sparsity_target) && p.sparsity_target > 0 && p.sparsity_target < 1,
            "training config: 'sparsity_target' must be in (0, 1), got ", p.sparsity_target);
    if (p.sparsity_weight > 0) {
        require(!m.is_vae(), "training config: 'sparsity_weight' > 0 needs a code in (0, 1), but variant '",
                m.variant, "' has no code activation (its code is the sampled z): set sparsity_weight to 0");
        require(m.code_activation == "sigmoid", "training config: 'sparsity_weight' > 0 needs the code in (0, 1), ",
                "so the model's code_activation must be 'sigmoid' (it is '", m.code_activation, "')");
    }
    require(p.activity_l1 == 0 || !m.is_vae(), "training config: 'activity_l1' applies to the code of non-VAE ",
            "variants; variant '", m.variant, "' is a VAE (use kl_weight): set activity_l1 to 0");
    require(m.variant != "sparse" || p.sparsity_weight > 0, "training config: variant 'sparse' is trained with the ",
            "KL sparsity penalty: set 'sparsity_weight' > 0 (e.g. 0.1)");
}

}  // namespace ae

#include "train/train_config.hpp"

#include <cmath>

#include "core/config_reader.hpp"
#include "train/cost.hpp"

namespace ae {

TrainConfig parse_train_config(const std::string& text, const TrainConfig& base) {
    const Json j = parse_json(text, "training config");
    ConfigReader r(j, "training config");
    TrainConfig c = base;
    OptimizerConfig& o = c.optimizer;
    r.string("optimizer", o.name, {"adam", "sgd", "rmsprop"});
    r.number("lr", o.lr, 1e-12, 10.0);
    r.number("momentum", o.momentum, 0.0, 0.9999);
    r.boolean("nesterov", o.nesterov);
    r.number("beta1", o.beta1, 0.0, 0.999999);
    r.number("beta2", o.beta2, 0.0, 0.99999999);
    r.number("eps", o.eps, 1e-16, 1.0);
    r.number("alpha", o.alpha, 0.0, 0.99999999);

    ScheduleConfig& s = c.schedule;
    r.string("schedule", s.name, {"constant", "step", "exponential", "cosine"});
    r.integer("step_epochs", s.step_epochs, 1, 100000);
    if (r.has("gamma")) {
        double g = 0.5;
        r.number("gamma", g, 1e-6, 1.0);
        s.gamma = g;
    }
    r.number("cosine_epochs", s.cosine_epochs, 1e-3, 1e6);
    r.number("min_lr", s.min_lr, 0.0, 10.0);
    r.number("clip_norm", c.clip_norm, 0.0, 1e6);

    Penalties& p = c.penalties;
    r.number("weight_decay_l2", p.weight_decay_l2, 0.0, 10.0);
    r.number("weight_decay_l1", p.weight_decay_l1, 0.0, 10.0);
    r.number("sparsity_target", p.sparsity_target, 1e-6, 1.0 - 1e-6);
    r.number("sparsity_weight", p.sparsity_weight, 0.0, 1000.0);
    r.number("activity_l1", p.activity_l1, 0.0, 1000.0);
    r.number("kl_weight", p.kl_weight, 0.0, 1000.0);

    r.string("noise", c.noise, {"none", "gaussian", "masking", "salt_pepper"});
    r.number("noise_amount", c.noise_amount, 0.0, 10.0);
    r.integer("batch_size", c.batch_size, 1, 4096);
    r.integer("seed", c.seed, 0, (1ll << 53));
    if (r.has("class_filter")) {
        std::string mode;
        r.string("class_filter", mode, {"all", "except", "only"});
        c.class_filter.mode = parse_filter_mode(mode);
    }
    r.integer("filter_class", c.class_filter.cls, 0, 255);
    if (r.has("adversarial_lr")) {
        double a = 1e-3;
        r.number("adversarial_lr", a, 1e-12, 10.0);
        c.adversarial_lr = a;
    }
    r.reject_unknown();
    validate(c);
    return c;
}

void validate(const TrainConfig& c) {
    validate(c.optimizer);
    validate(c.schedule, c.optimizer.lr);
    require(std::isfinite(c.clip_norm) && c.clip_norm >= 0, "training config: 'clip_norm' must be >= 0 (0 = off), got ",
            c.clip_norm);
    const NoiseKind noise = parse_noise(c.noise);
    require(std::isfinite(c.noise_amount) && c.noise_amount >= 0, "training config: 'noise_amount' must be >= 0, got ",
            c.noise_amount);
    require(noise == NoiseKind::Gaussian || noise == NoiseKind::None || c.noise_amount <= 1,
            "training config: 'noise_amount' is a probability for noise '", c.noise, "' and must be in [0, 1], got ",
            c.noise_amount);
    require(c.batch_size >= 1, "training config: 'batch_size' must be at least 1");
    require(!c.adversarial_lr || (std::isfinite(*c.adversarial_lr) && *c.adversarial_lr > 0 && *c.adversarial_lr <= 10),
            "training config: 'adversarial_lr' must be a number in (0, 10]");
}

void validate(const TrainConfig& c, const ModelConfig& m) {
    validate(c);
    validate(c.penalties, m);
    require(m.variant != "denoising" || c.noise != "none",
            "training config: variant 'denoising' is trained on corrupted inputs: set 'noise' to gaussian, masking "
            "or salt_pepper");
    require(!m.batchnorm || c.batch_size >= 2, "training config: 'batch_size' 1 cannot train a model with batchnorm ",
            "(batch statistics need at least 2 images): use a batch size of 2 or more");
    check_training_memory(m, c);
}

std::string to_json(const TrainConfig& c) {
    const OptimizerConfig& o = c.optimizer;
    const ScheduleConfig& s = c.schedule;
    const Penalties& p = c.penalties;
    Json j;
    j["optimizer"] = o.name;
    j["lr"] = o.lr;
    j["momentum"] = o.momentum;
    j["nesterov"] = o.nesterov;
    j["beta1"] = o.beta1;
    j["beta2"] = o.beta2;
    j["eps"] = o.eps;
    j["alpha"] = o.alpha;
    j["schedule"] = s.name;
    j["step_epochs"] = s.step_epochs;
    if (s.gamma) j["gamma"] = *s.gamma;  // absent: the schedule's default applies
    j["cosine_epochs"] = s.cosine_epochs;
    j["min_lr"] = s.min_lr;
    j["clip_norm"] = c.clip_norm;
    j["weight_decay_l2"] = p.weight_decay_l2;
    j["weight_decay_l1"] = p.weight_decay_l1;
    j["sparsity_target"] = p.sparsity_target;
    j["sparsity_weight"] = p.sparsity_weight;
    j["activity_l1"] = p.activity_l1;
    j["kl_weight"] = p.kl_weight;
    j["noise"] = c.noise;
    j["noise_amount"] = c.noise_amount;
    j["batch_size"] = c.batch_size;
    j["seed"] = c.seed;
    j["class_filter"] = filter_mode_name(c.class_filter.mode);
    j["filter_class"] = c.class_filter.cls;
    if (c.adversarial_lr) j["adversarial_lr"] = *c.adversarial_lr;  // absent: lr
    return j.dump();
}

}  // namespace ae

#include "train/train_config.hpp"

#include "core/config_reader.hpp"

namespace ae {

TrainConfig parse_train_config(const std::string& text, const TrainConfig& base) {
    const Json j = parse_json(text, "training config");
    ConfigReader r(j, "training config");
    TrainConfig c = base;
    OptimizerConfig& o = c.optimizer;
    r.string("optimizer", o.name, {"adam"});
    r.number("lr", o.lr, 1e-12, 10.0);
    r.number("beta1", o.beta1, 0.0, 0.999999);
    r.number("beta2", o.beta2, 0.0, 0.99999999);
    r.number("eps", o.eps, 1e-16, 1.0);
    r.integer("batch_size", c.batch_size, 1, 4096);
    r.integer("seed", c.seed, 0, (1ll << 53));
    r.reject_unknown();
    validate(o);
    return c;
}

std::string to_json(const TrainConfig& c) {
    Json j;
    j["optimizer"] = c.optimizer.name;
    j["lr"] = c.optimizer.lr;
    j["beta1"] = c.optimizer.beta1;
    j["beta2"] = c.optimizer.beta2;
    j["eps"] = c.optimizer.eps;
    j["batch_size"] = c.batch_size;
    j["seed"] = c.seed;
    return j.dump();
}

}  // namespace ae

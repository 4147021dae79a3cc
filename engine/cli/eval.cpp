// ae eval: loads a model file and evaluates it on a dataset split (the test split by default),
// printing one line: eval model=… dataset=… split=… images=N loss=… recon=… kl=… …
// --noise/--noise-amount evaluate any model on corrupted inputs against the clean images.
#include <iostream>

#include "common.hpp"
#include "core/config_reader.hpp"
#include "train/session.hpp"

namespace ae::cli {

const Command& eval_command() {
    static const Command cmd = [] {
        Command c;
        c.name = "eval";
        c.synopsis = "ae eval MODEL.aemf [--dataset NAME] [--split test|train] [options]";
        c.about =
            "Evaluates a saved model: mean loss per image (summed over pixels) over a dataset split, in\n"
            "evaluation mode (no dropout, batch-norm running statistics; VAEs sample z as in training).\n"
            "Prints: eval model=<variant> dataset=<name> split=<split> images=N loss=… recon=… kl=…\n"
            "sparsity=… weight_decay=…\n"
            "With --noise the inputs are corrupted (draws seeded from the model's seed, so every model\n"
            "sees the same noisy images) and the loss is measured against the clean images; a denoising\n"
            "model is evaluated with its own training noise unless --noise says otherwise.\n"
            "An adversarial model (aae) also prints disc=… gen=… (its discriminator's and generator's\n"
            "losses against as many prior samples) and prior_loglik=…, the mean log-density of the\n"
            "images' codes under its prior: how well the codes fit it.";
        c.flags = {
            {"dataset", "NAME", "mnist or fashion-mnist (default: the one the CLI trained it on, else mnist)"},
            {"split", "NAME", "test (default) or train"},
            {"data-dir", "DIR", "where the .aeds.gz files are (default web/public/data)"},
            {"limit", "N", "evaluate only the first N images"},
            {"noise", "NAME", "corrupt the inputs: gaussian|masking|salt_pepper (none for no noise)"},
            {"noise-amount", "X", "noise strength: sigma for gaussian, else a probability (default 0.5)"},
        };
        c.min_positional = c.max_positional = 1;
        c.epilog =
            "examples:\n  ae eval seed.aemf --dataset mnist\n  ae eval seed.aemf --noise gaussian --noise-amount 0.5\n"
            "exit codes: 0 ok, 1 failed, 2 usage error";
        return c;
    }();
    return cmd;
}

int cmd_eval(const std::vector<std::string>& argv) {
    Args a;
    if (parse_or_help(eval_command(), argv, a)) return 0;
    const std::string split = split_arg(a);
    const std::size_t limit = std::size_t(a.integer("limit", 0, 1, 1ll << 32));

    Session s;
    const std::string dataset = load_model_and_dataset(s, a.positional[0], a);
    if (a.has("noise") || a.has("noise-amount")) {
        Json noise = Json::object();
        if (a.has("noise")) noise["noise"] = a.get("noise");
        if (a.has("noise-amount")) noise["noise_amount"] = a.number("noise-amount", 0.5);
        try {
            s.set_training(noise.dump());
        } catch (const Error& e) {
            throw UsageError(e.what(), false);
        }
    }

    const Split which = parse_split(split);
    s.set_dataset(which, load_split(data_dir(a), dataset, split, limit));
    const LossTerms t = s.evaluate(which);
    std::cout << "eval model=" << s.model().config().variant << " dataset=" << dataset << " split=" << split
              << " images=" << s.dataset(which).count;
    const TrainConfig& tc = s.trainer().config();
    if (tc.noise != "none") std::cout << " noise=" << tc.noise << " noise_amount=" << num(tc.noise_amount);
    const bool adversarial = s.model().is_adversarial();
    std::cout << " loss=" << num(t.total()) << " " << terms(t, "", adversarial);
    if (adversarial) std::cout << " prior_loglik=" << num(s.prior_log_likelihood(which));
    std::cout << std::endl;
    return 0;
}

}  // namespace ae::cli

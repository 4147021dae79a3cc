// ae train: builds a model from a config file and/or flags (or resumes a saved one), trains it
// epoch by epoch with Session::train_steps, and prints one line per epoch and a final
// machine-readable `result` line on stdout. A progress bar goes to stderr when it is a terminal.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cmath>
#include <iostream>

#include "common.hpp"
#include "core/config_reader.hpp"
#include "core/error.hpp"
#include "progress.hpp"
#include "train/session.hpp"

namespace ae::cli {

namespace {

enum class Kind { Number, Text, List, Switch };
enum class Target { Model, Conv, Train };

// Every config key has a flag: --code-activation sets the model config's "code_activation".
struct ConfigFlag {
    const char* flag;
    const char* key;
    Kind kind;
    Target target;
    const char* placeholder;
    const char* help;
};

const std::vector<ConfigFlag>& config_flags() {
    static const std::vector<ConfigFlag> flags = {
        {"variant", "variant", Kind::Text, Target::Model, "NAME", "dense|deep|sparse|denoising|vae|conv|conv_vae|sequence|aae"},
        {"input", "input", Kind::List, Target::Model, "C,H,W", "input shape (default 1,28,28)"},
        {"encoder", "encoder", Kind::List, Target::Model, "W1,W2,..", "dense hidden widths, e.g. 400 or 512,256 (sequence: GRU state sizes)"},
        {"latent", "latent", Kind::Number, Target::Model, "Z", "code size (default 20)"},
        {"activation", "activation", Kind::Text, Target::Model, "NAME", "relu|leaky_relu|sigmoid|tanh|identity"},
        {"code-activation", "code_activation", Kind::Text, Target::Model, "NAME", "activation on the code"},
        {"output", "output", Kind::Text, Target::Model, "NAME", "sigmoid|identity|tanh"},
        {"loss", "loss", Kind::Text, Target::Model, "NAME", "bce|mse"},
        {"batchnorm", "batchnorm", Kind::Switch, Target::Model, "", "batch norm after each hidden layer"},
        {"dropout", "dropout", Kind::Number, Target::Model, "P", "dropout after each hidden activation"},
        {"prior", "prior", Kind::Text, Target::Model, "NAME", "aae: normal|mixture (ten Gaussians on a circle)"},
        {"prior-labels", "prior_labels", Kind::Switch, Target::Model, "", "aae: the class picks its Gaussian (semi-supervised)"},
        {"discriminator", "discriminator", Kind::List, Target::Model, "W1,W2,..", "aae: discriminator widths (128,128)"},
        {"conv-channels", "channels", Kind::List, Target::Conv, "C1,C2,..", "conv variants: channels (32,64)"},
        {"conv-kernel", "kernel", Kind::Number, Target::Conv, "K", "conv variants: kernel size (3)"},
        {"conv-stride", "stride", Kind::Number, Target::Conv, "S", "conv variants: stride (2)"},
        {"conv-padding", "padding", Kind::Number, Target::Conv, "P", "conv variants: padding (1)"},
        {"optimizer", "optimizer", Kind::Text, Target::Train, "NAME", "adam|sgd|rmsprop"},
        {"lr", "lr", Kind::Number, Target::Train, "X", "learning rate (default 1e-3)"},
        {"momentum", "momentum", Kind::Number, Target::Train, "X", "sgd, rmsprop"},
        {"nesterov", "nesterov", Kind::Switch, Target::Train, "", "sgd: Nesterov momentum"},
        {"beta1", "beta1", Kind::Number, Target::Train, "X", "adam"},
        {"beta2", "beta2", Kind::Number, Target::Train, "X", "adam"},
        {"eps", "eps", Kind::Number, Target::Train, "X", "adam, rmsprop"},
        {"alpha", "alpha", Kind::Number, Target::Train, "X", "rmsprop smoothing"},
        {"schedule", "schedule", Kind::Text, Target::Train, "NAME", "constant|step|exponential|cosine"},
        {"step-epochs", "step_epochs", Kind::Number, Target::Train, "K", "step schedule: decay every K epochs"},
        {"gamma", "gamma", Kind::Number, Target::Train, "X", "step/exponential decay factor"},
        {"cosine-epochs", "cosine_epochs", Kind::Number, Target::Train, "T", "cosine schedule period"},
        {"min-lr", "min_lr", Kind::Number, Target::Train, "X", "cosine schedule floor"},
        {"clip-norm", "clip_norm", Kind::Number, Target::Train, "X", "clip gradients by global norm (0 = off)"},
        {"weight-decay-l2", "weight_decay_l2", Kind::Number, Target::Train, "X", "L2 penalty on weights"},
        {"weight-decay-l1", "weight_decay_l1", Kind::Number, Target::Train, "X", "L1 penalty on weights"},
        {"sparsity-target", "sparsity_target", Kind::Number, Target::Train, "RHO", "sparse: target activation"},
        {"sparsity-weight", "sparsity_weight", Kind::Number, Target::Train, "BETA", "sparse: KL penalty weight"},
        {"activity-l1", "activity_l1", Kind::Number, Target::Train, "X", "L1 penalty on the code"},
        {"kl-weight", "kl_weight", Kind::Number, Target::Train, "BETA", "vae: weight of the KL term"},
        {"adversarial-lr", "adversarial_lr", Kind::Number, Target::Train, "X", "aae: discriminator and generator phases (default lr)"},
        {"noise", "noise", Kind::Text, Target::Train, "NAME", "none|gaussian|masking|salt_pepper"},
        {"noise-amount", "noise_amount", Kind::Number, Target::Train, "X", "noise strength"},
        {"batch-size", "batch_size", Kind::Number, Target::Train, "N", "images per step (default 128)"},
        {"seed", "seed", Kind::Number, Target::Train, "N", "seed for weights, shuffling, noise (default 1)"},
        {"class-filter", "class_filter", Kind::Text, Target::Train, "MODE", "train on all|except|only --filter-class"},
        {"filter-class", "filter_class", Kind::Number, Target::Train, "C", "the class left out or kept"},
    };
    return flags;
}

Json flag_value(const ConfigFlag& f, const std::string& text) {
    const std::string name = std::string("--") + f.flag;
    switch (f.kind) {
        case Kind::Switch:
            return text == "true";
        case Kind::Text:
            return text;
        case Kind::Number: {
            double v;
            if (!parse_number(text, v)) throw UsageError(name + " expects a number, got '" + text + "'");
            if (v == std::floor(v) && std::fabs(v) < 9007199254740992.0) return (long long)v;
            return v;
        }
        case Kind::List: {
            Json arr = Json::array();
            std::size_t start = 0;
            while (start <= text.size()) {
                const std::size_t comma = std::min(text.find(',', start), text.size());
                double v;
                const std::string item = text.substr(start, comma - start);
                if (!parse_number(item, v) || v != std::floor(v))
                    throw UsageError(name + " expects comma-separated integers such as 400,200, got '" + text + "'");
                arr.push_back((long long)v);
                start = comma + 1;
            }
            return arr;
        }
    }
    return nullptr;
}

const Command& command() {
    static const Command cmd = [] {
        Command c;
        c.name = "train";
        c.synopsis = "ae train [--config FILE] [--resume FILE] [options]";
        c.about =
            "Trains an autoencoder on MNIST or Fashion-MNIST and prints one line per epoch on stdout:\n"
            "  epoch=3 train_loss=… [test_loss=…] recon=… kl=… sparsity=… weight_decay=… seconds=…\n"
            "(train_loss and its terms: mean per image over the epoch's steps; test_loss with\n"
            "--eval-every-epoch and on the last epoch), then one machine-readable line:\n"
            "  result model=<variant> dataset=<name> epochs=N train_loss=… test_loss=… test_recon=…\n"
            "Losses are per image, summed over pixels. A progress bar is drawn on stderr when it is a\n"
            "terminal. --config takes {\"model\": {...}, \"train\": {...}, \"epochs\": N, \"dataset\": \"...\"}\n"
            "(the page's config schema); flags override it. With --resume the architecture comes from\n"
            "the file; training flags still apply; --epochs counts epochs to add. Ctrl-C stops after\n"
            "the current step and saves to --save if given.";
        c.flags = {
            {"config", "FILE", "JSON file with model and train configs"},
            {"resume", "FILE", "continue training a saved model (.aemf)"},
            {"save", "FILE", "save the model (.aemf) after every epoch and at the end"},
            {"epochs", "N", "epochs to train (default 1)"},
            {"dataset", "NAME", "mnist (default) or fashion-mnist"},
            {"data-dir", "DIR", "where NAME-train.aeds.gz and NAME-test.aeds.gz are (default web/public/data)"},
            {"limit", "N", "use only the first N images of each split (quick runs)"},
            {"eval-every-epoch", "", "evaluate the test split after every epoch"},
            {"no-optimizer-state", "", "save without optimizer state (smaller; resuming restarts Adam's moments)"},
        };
        for (const ConfigFlag& f : config_flags()) c.flags.push_back({f.flag, f.placeholder, f.help});
        c.epilog =
            "examples:\n"
            "  ae train --epochs 10 --save seed.aemf\n"
            "  ae train --variant vae --latent 2 --epochs 10 --lr 1e-3 --batch-size 128 --seed 1\n"
            "  ae train --variant conv --dataset fashion-mnist --epochs 5 --eval-every-epoch\n"
            "  ae train --resume seed.aemf --epochs 5 --lr 1e-4 --save seed.aemf\n"
            "exit codes: 0 ok, 1 failed, 2 usage or configuration error, 130 interrupted";
        return c;
    }();
    return cmd;
}

volatile std::sig_atomic_t g_interrupted = 0;
void on_sigint(int) { g_interrupted = 1; }

Json loss_json(const LossTerms& t, bool adversarial) {
    Json j = {{"recon", t.recon}, {"kl", t.kl}, {"sparsity", t.sparsity}, {"weight_decay", t.weight_decay}, {"total", t.total()}};
    if (adversarial) {
        j["disc"] = t.disc;
        j["gen"] = t.gen;
    }
    return j;
}

}  // namespace

const Command& train_command() { return command(); }

int cmd_train(const std::vector<std::string>& argv) {
    Args a;
    if (parse_or_help(command(), argv, a)) return 0;

    // Configs: file, then flags on top.
    Json model = Json::object(), train = Json::object();
    long long epochs = 1;
    std::string dataset = "mnist";
    bool dataset_given = false;
    if (a.has("config")) {
        const auto bytes = read_file(a.get("config"), kMaxJsonFileBytes, "config file");
        try {
            const Json cfg = parse_json(std::string(bytes.begin(), bytes.end()), "config file '" + a.get("config") + "'");
            ConfigReader r(cfg, "config file '" + a.get("config") + "'");
            if (const Json* m = r.object("model")) model = *m;
            if (const Json* t = r.object("train")) train = *t;
            r.integer("epochs", epochs, 1, 100000);
            if (r.has("dataset")) {
                r.string("dataset", dataset);
                dataset_given = true;
            }
            r.reject_unknown();
        } catch (const Error& e) {
            throw UsageError(e.what(), false);
        }
    }
    std::vector<std::string> arch_flags;
    for (const ConfigFlag& f : config_flags()) {
        if (!a.has(f.flag)) continue;
        const Json v = flag_value(f, a.get(f.flag));
        if (f.target == Target::Train) {
            train[f.key] = v;
        } else {
            arch_flags.push_back(std::string("--") + f.flag);
            if (f.target == Target::Model) {
                model[f.key] = v;
            } else {
                if (!model.contains("conv") || !model["conv"].is_object()) model["conv"] = Json::object();
                model["conv"][f.key] = v;
            }
        }
    }
    epochs = a.integer("epochs", epochs, 1, 100000);
    if (a.has("dataset")) {
        dataset = a.get("dataset");
        dataset_given = true;
    }
    const std::size_t limit = std::size_t(a.integer("limit", 0, 1, 1ll << 32));
    if (a.has("save")) check_writable(a.get("save"), "--save");  // before an epoch of work is lost

    Session s;
    Json history = Json::object();
    if (a.has("resume")) {
        if (!arch_flags.empty() || !model.empty())
            throw UsageError((arch_flags.empty() ? std::string("a 'model' config") : arch_flags.front()) +
                             " changes the architecture, which comes from the file when resuming");
        const auto bytes = read_file(a.get("resume"));
        history = Json::parse(s.load_model(bytes.data(), bytes.size()));
        if (!history.is_object()) history = Json{{"previous", history}};
        if (!dataset_given && !history_dataset(history).empty()) dataset = history_dataset(history);
        if (!train.empty()) {
            try {
                s.set_training(train.dump());
            } catch (const Error& e) {
                throw UsageError(e.what(), false);
            }
        }
    } else {
        try {
            s.configure(model.dump(), train.dump());
        } catch (const Error& e) {
            throw UsageError(e.what(), false);
        }
    }
    history["dataset"] = dataset;
    if (!history.contains("epochs") || !history["epochs"].is_array()) history["epochs"] = Json::array();

    const std::string dir = data_dir(a);
    s.set_dataset(Split::Train, load_split(dir, dataset, "train", limit));
    s.set_dataset(Split::Test, load_split(dir, dataset, "test", limit));
    const std::size_t train_count = s.dataset(Split::Train).count;

    const bool save = a.has("save");
    const bool with_opt = !a.has("no-optimizer-state") || a.get("no-optimizer-state") == "false";
    // A model whose loss is not finite is not saved, even when its weights are (huge weights
    // overflow in the forward pass): without this epoch's test loss, a first slice of the test
    // set is evaluated, which throws "training diverged" for such a model.
    auto save_now = [&](bool tested_now) {
        if (!save) return;
        if (!tested_now) s.evaluate(Split::Test, 0, s.trainer().eval_rows());
        write_file(a.get("save"), s.save_model(history.dump(), with_opt));
    };

    std::signal(SIGINT, on_sigint);
    Progress bar(isatty(STDERR_FILENO) == 1);
    const std::string variant = s.model().config().variant;
    const bool adversarial = s.model().is_adversarial();
    const std::uint64_t first_epoch = s.trainer().epoch(), last_epoch = first_epoch + std::uint64_t(epochs);
    LossTerms last_train, test;
    bool tested = false;
    while (s.trainer().epoch() < last_epoch) {
        const auto t0 = std::chrono::steady_clock::now();
        LossTerms sum;
        std::uint64_t seen = 0;
        for (;;) {
            const StepStats st = s.train_steps(1);
            sum += st.loss.scaled(double(st.samples));
            seen += st.samples;
            const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            bar.update(st.epoch + (st.epoch_end ? 0 : 1), last_epoch, st.epoch_end ? 1.0 : st.epoch_progress,
                       train_count, seen, secs, sum.total() / double(seen));
            if (st.epoch_end || g_interrupted) break;
        }
        if (g_interrupted) {
            bar.clear();
            save_now(false);
            std::cerr << "ae train: interrupted at step " << s.trainer().step() << " (epoch "
                      << s.trainer().epoch() << ")" << (save ? "; saved to " + a.get("save") : std::string()) << "\n";
            return 130;
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        last_train = sum.scaled(1.0 / double(seen));
        const std::uint64_t epoch = s.trainer().epoch();
        tested = a.has("eval-every-epoch") || epoch == last_epoch;
        if (tested) test = s.evaluate(Split::Test);
        bar.clear();
        std::string line = "epoch=" + std::to_string(epoch) + " train_loss=" + num(last_train.total());
        if (tested) line += " test_loss=" + num(test.total());
        line += " " + terms(last_train, "", adversarial) + " seconds=" + num(seconds);
        std::cout << line << std::endl;
        Json entry = {{"epoch", epoch}, {"step", s.trainer().step()}, {"train", loss_json(last_train, adversarial)},
                      {"seconds", seconds}};
        if (tested) entry["test"] = loss_json(test, adversarial);
        history["epochs"].push_back(entry);
        save_now(tested);
    }
    std::cout << "result model=" << variant << " dataset=" << dataset << " epochs=" << s.trainer().epoch()
              << " train_loss=" << num(last_train.total()) << " test_loss=" << num(test.total())
              << " test_recon=" << num(test.recon) << std::endl;
    return 0;
}

}  // namespace ae::cli

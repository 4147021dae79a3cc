// ae sweep and ae overfit: the "choosing the latent size, and overfitting" lab, as the page's
// worker runs them (train/latent_sweep.hpp, train/train_run.hpp), here without a time budget.
#include <iostream>

#include "common.hpp"
#include "core/config_reader.hpp"
#include "data/dataset_view.hpp"
#include "data/label_budget.hpp"
#include "labs.hpp"
#include "train/latent_sweep.hpp"
#include "train/train_run.hpp"

namespace ae::cli {

namespace {

// --config FILE ({"model": {...}, "train": {...}}), else the seed model and default training.
void read_configs(const Args& a, ModelConfig& model, TrainConfig& train) {
    Json m = Json::object(), t = Json::object();
    if (a.has("config")) {
        const auto bytes = read_file(a.get("config"));
        const Json cfg = parse_json(std::string(bytes.begin(), bytes.end()), "config file '" + a.get("config") + "'");
        ConfigReader r(cfg, "config file '" + a.get("config") + "'");
        if (const Json* x = r.object("model")) m = *x;
        if (const Json* x = r.object("train")) t = *x;
        long long ignored = 1;
        r.integer("epochs", ignored, 1, 100000);
        std::string ds;
        r.string("dataset", ds);
        r.reject_unknown();
    }
    if (a.has("seed")) t["seed"] = a.integer("seed", 1, 0, 1ll << 53);
    try {
        model = parse_model_config(m.dump());
        train = parse_train_config(t.dump());
    } catch (const Error& e) {
        throw UsageError(e.what(), false);
    }
}

DatasetFile split_of(const Args& a, const std::string& dataset, const std::string& split) {
    return load_split(data_dir(a), dataset, split, 0);
}

// The first n images (all when n is 0 or larger than the set).
std::vector<std::uint32_t> first_images(const DatasetFile& d, std::size_t n) {
    return range_indices(d, 0, n && n < d.count ? n : 0);
}

}  // namespace

const Command& sweep_command() {
    static const Command cmd = [] {
        Command c;
        c.name = "sweep";
        c.synopsis = "ae sweep [--latents 2,4,8,16,32,64] [--epochs N] [--train-images N] [options]";
        c.about =
            "Choosing the latent size: the model (--config, default the seed model) trained with each latent\n"
            "size for a few epochs on the first --train-images training images, then its test error on the\n"
            "first --test-images test images; PCA fitted on the same training images, its test error for\n"
            "every k. Prints one line per k:\n"
            "  sweep dataset=… k=… epochs=… train_images=… test_images=… test_bce=… test_mse=… pca_mse=…\n"
            "(BCE per image summed over pixels, MSE per pixel; PCA unclipped).";
        c.flags = {
            {"dataset", "NAME", "mnist (default) or fashion-mnist"},
            {"data-dir", "DIR", "where the .aeds.gz files are (default web/public/data)"},
            {"config", "FILE", "JSON with \"model\" and \"train\" configs (default: the seed model)"},
            {"latents", "K1,K2,..", "latent sizes (default 2,4,8,16,32,64)"},
            {"epochs", "N", "epochs per model (default 3)"},
            {"train-images", "N", "training images (default 10000; 0 = all)"},
            {"test-images", "N", "test images to measure on (default 2000; 0 = all)"},
            {"seed", "N", "training seed (default the config's, 1)"},
        };
        c.epilog = "example:\n  ae sweep --latents 2,8,32 --epochs 2\nexit codes: 0 ok, 1 failed, 2 usage error";
        return c;
    }();
    return cmd;
}

int cmd_sweep(const std::vector<std::string>& argv) {
    Args a;
    if (parse_or_help(sweep_command(), argv, a)) return 0;
    SweepSpec spec;
    read_configs(a, spec.model, spec.train);
    spec.latents = size_list(a, "latents", "2,4,8,16,32,64", 1, 4096);
    spec.epochs = std::size_t(a.integer("epochs", 3, 1, 100000));
    const std::string dataset = a.get("dataset", "mnist");
    const DatasetFile train = split_of(a, dataset, "train"), test = split_of(a, dataset, "test");
    spec.train_subset = first_images(train, std::size_t(a.integer("train-images", 10000, 0, 1ll << 32)));
    spec.test_subset = first_images(test, std::size_t(a.integer("test-images", 2000, 0, 1ll << 32)));
    LatentSweep sweep(spec, train, test);
    while (!sweep.advance(1000)) {}
    for (const SweepPoint& p : sweep.points()) {
        const double pca = p.k < sweep.pca_mse().size() ? sweep.pca_mse()[p.k] : 0.0;
        std::cout << "sweep dataset=" << dataset << " k=" << p.k << " epochs=" << spec.epochs
                  << " train_images=" << spec.train_subset.size() << " test_images=" << spec.test_subset.size()
                  << " test_bce=" << num(p.test_bce) << " test_mse=" << num(p.test_mse) << " pca_mse=" << num(pca)
                  << std::endl;
    }
    return 0;
}

const Command& overfit_command() {
    static const Command cmd = [] {
        Command c;
        c.name = "overfit";
        c.synopsis = "ae overfit [--images 1000] [--latent 64] [--epochs 50] [--dropout P] [--weight-decay X]";
        c.about =
            "Overfitting: the model (--config, default the seed model with --latent) trained on a few\n"
            "training images (a stratified sample, seed 0), evaluated after every epoch in eval mode on\n"
            "those images and on the test images. Prints per epoch, then a summary:\n"
            "  overfit epoch=… train_bce=… test_bce=… gap=…\n"
            "  overfit_result dataset=… images=… latent=… dropout=… weight_decay=… epochs=… train_bce=…\n"
            "  test_bce=… gap=… best_test_bce=… best_epoch=…\n"
            "--dropout sets dropout after each hidden layer; --weight-decay an L2 penalty on the weights\n"
            "(coupled, as PyTorch's Adam weight_decay).";
        c.flags = {
            {"dataset", "NAME", "mnist (default) or fashion-mnist"},
            {"data-dir", "DIR", "where the .aeds.gz files are (default web/public/data)"},
            {"config", "FILE", "JSON with \"model\" and \"train\" configs (default: the seed model)"},
            {"images", "N", "training images (default 1000)"},
            {"latent", "Z", "latent size (default 64)"},
            {"epochs", "N", "epochs (default 50)"},
            {"dropout", "P", "dropout after each hidden layer (default 0)"},
            {"weight-decay", "X", "L2 weight decay (default 0)"},
            {"test-images", "N", "test images to evaluate on (default all)"},
            {"seed", "N", "training seed (default the config's, 1)"},
        };
        c.epilog = "example:\n  ae overfit --epochs 50 --dropout 0.2\nexit codes: 0 ok, 1 failed, 2 usage error";
        return c;
    }();
    return cmd;
}

int cmd_overfit(const std::vector<std::string>& argv) {
    Args a;
    if (parse_or_help(overfit_command(), argv, a)) return 0;
    TrainRunSpec spec;
    read_configs(a, spec.model, spec.train);
    spec.model.latent = std::size_t(a.integer("latent", 64, 1, 4096));
    spec.model.dropout = a.number("dropout", 0.0);
    spec.train.penalties.weight_decay_l2 = a.number("weight-decay", 0.0);
    try {
        validate(spec.model);
        validate(spec.train, spec.model);
    } catch (const Error& e) {
        throw UsageError(e.what(), false);
    }
    spec.epochs = std::size_t(a.integer("epochs", 50, 1, 100000));
    const std::string dataset = a.get("dataset", "mnist");
    const DatasetFile train = split_of(a, dataset, "train"), test = split_of(a, dataset, "test");
    const std::size_t n = std::size_t(a.integer("images", 1000, 1, train.count));
    spec.train_subset = stratified_sample(train.labels, range_indices(train, 0, 0), train.classes, n, 0);
    spec.eval_train = spec.train_subset;
    spec.eval_test = first_images(test, std::size_t(a.integer("test-images", 0, 0, 1ll << 32)));
    TrainRun run(spec, train, test);
    std::size_t shown = 0;
    while (!run.done()) {
        run.advance(50);
        for (; shown < run.records().size(); ++shown) {
            const EpochRecord& r = run.records()[shown];
            std::cout << "overfit epoch=" << r.epoch << " train_bce=" << num(r.train_bce) << " test_bce=" << num(r.test_bce)
                      << " gap=" << num(r.test_bce - r.train_bce) << std::endl;
        }
    }
    const EpochRecord& last = run.records().back();
    const EpochRecord* best = &last;
    for (const EpochRecord& r : run.records())
        if (r.test_bce < best->test_bce) best = &r;
    std::cout << "overfit_result dataset=" << dataset << " images=" << n << " latent=" << spec.model.latent
              << " dropout=" << num(spec.model.dropout) << " weight_decay=" << num(spec.train.penalties.weight_decay_l2)
              << " epochs=" << last.epoch << " train_bce=" << num(last.train_bce) << " test_bce=" << num(last.test_bce)
              << " gap=" << num(last.test_bce - last.train_bce) << " best_test_bce=" << num(best->test_bce)
              << " best_epoch=" << best->epoch << std::endl;
    return 0;
}

}  // namespace ae::cli

// ae probe: the features lab. How much of the labels the model's codes carry when labels are
// scarce: a softmax probe (multinomial logistic regression, C = 1, features standardised on the
// labelled images) trained on n stratified labelled training images, tested on the test set;
// the same on PCA coefficients (k = the model's latent size, fitted without labels on every
// training image) and on raw pixels. --knn adds k-nearest-neighbours (5, Euclidean) with every
// training label.
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "analysis/knn.hpp"
#include "analysis/model_on_view.hpp"
#include "analysis/softmax_probe.hpp"
#include "common.hpp"
#include "data/dataset_view.hpp"
#include "data/label_budget.hpp"
#include "labs.hpp"

namespace ae::cli {

const Command& probe_command() {
    static const Command cmd = [] {
        Command c;
        c.name = "probe";
        c.synopsis = "ae probe MODEL.aemf [--labels 100,1000,10000] [--knn] [options]";
        c.about =
            "Feature probes. Features, fitted without labels on the training images: the model's codes,\n"
            "PCA coefficients (k = latent size) and raw pixels. For each label budget n, a stratified\n"
            "sample of n training images (fixed seed) trains a softmax probe (L2, C=1 as sklearn's\n"
            "LogisticRegression, L-BFGS to convergence, StandardScaler fitted on the n images); accuracy\n"
            "on the test set. Prints one line per budget:\n"
            "  probe dataset=… labels=100 acc_codes=… acc_pca=… acc_pixels=… iters_codes=… iters_pca=…\n"
            "  iters_pixels=…\n"
            "and with --knn: knn dataset=… k=5 train_labels=… acc_codes=… acc_pca=… acc_pixels=…";
        c.flags = {
            {"dataset", "NAME", "mnist or fashion-mnist (default: the model's)"},
            {"data-dir", "DIR", "where the .aeds.gz files are (default web/public/data)"},
            {"limit", "N", "use only the first N images of each split"},
            {"labels", "N1,N2,..", "label budgets (default 100,1000,10000)"},
            {"features", "LIST", "some of codes,pca,pixels (default all three)"},
            {"seed", "N", "seed of the stratified label sample (default 0)"},
            {"label-file", "PATH", "the labelled images per budget instead of the stratified sample: lines 'n: i1 i2 ...'"},
            {"c", "X", "inverse L2 strength C (default 1)"},
            {"knn", "", "also k-nearest-neighbours with every training label"},
            {"neighbours", "K", "k of kNN (default 5)"},
        };
        c.min_positional = c.max_positional = 1;
        c.epilog = "example:\n  ae probe seed.aemf --labels 100,1000 --knn\nexit codes: 0 ok, 1 failed, 2 usage error";
        return c;
    }();
    return cmd;
}

namespace {

// A --label-file: one line per budget, "n: i1 i2 … in" (indices into the training split).
std::map<std::size_t, std::vector<std::uint32_t>> read_label_file(const std::string& path, std::size_t train_size) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("--label-file: cannot read '" + path + "'");
    std::map<std::size_t, std::vector<std::uint32_t>> lists;
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
        if (line.empty()) continue;
        const std::string where = path + ":" + std::to_string(number);
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos) throw std::runtime_error(where + ": expected 'n: i1 i2 ...'");
        std::istringstream head(line.substr(0, colon)), body(line.substr(colon + 1));
        std::size_t n = 0;
        if (!(head >> n) || n == 0) throw std::runtime_error(where + ": the budget before ':' must be a count >= 1");
        std::vector<std::uint32_t> idx;
        std::string word;
        while (body >> word) {
            std::size_t used = 0;
            unsigned long long v = 0;
            try {
                v = std::stoull(word, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used != word.size() || v >= train_size)
                throw std::runtime_error(where + ": '" + word + "' is not an index into the " +
                                         std::to_string(train_size) + " training images");
            idx.push_back(std::uint32_t(v));
        }
        if (idx.size() != n)
            throw std::runtime_error(where + ": budget " + std::to_string(n) + " lists " + std::to_string(idx.size()) +
                                     " images");
        lists[n] = std::move(idx);
    }
    return lists;
}

}  // namespace

int cmd_probe(const std::vector<std::string>& argv) {
    Args a;
    if (parse_or_help(probe_command(), argv, a)) return 0;
    const std::vector<std::size_t> budgets = size_list(a, "labels", "100,1000,10000", 1, 1u << 30);
    const std::uint64_t seed = std::uint64_t(a.integer("seed", 0, 0, 1ll << 53));
    const double C = a.number("c", 1.0);
    if (!(C > 0)) throw UsageError("--c must be > 0");
    std::vector<std::string> kinds;
    {
        const std::string list = a.get("features", "codes,pca,pixels");
        std::size_t start = 0;
        while (start <= list.size()) {
            const std::size_t comma = std::min(list.find(',', start), list.size());
            const std::string k = list.substr(start, comma - start);
            if (k != "codes" && k != "pca" && k != "pixels")
                throw UsageError("--features lists codes, pca or pixels, got '" + k + "'");
            kinds.push_back(k);
            start = comma + 1;
        }
    }
    const std::size_t neighbours = std::size_t(a.integer("neighbours", 5, 1, 1000));
    LabData lab;  // the command line is checked first: a usage error never waits for the data
    load_lab(lab, a.positional[0], a);
    Session& s = lab.session;
    const auto train_all = range_indices(lab.train, 0, 0);
    const auto test_all = range_indices(lab.test, 0, 0);
    const std::size_t d = std::size_t(lab.train.height) * lab.train.width;

    // Features of every training and test image, per kind: (N, F).
    struct Features {
        std::string kind;
        std::size_t f;
        std::vector<float> train, test;
    };
    std::vector<Features> feats;
    for (const std::string& kind : kinds) {
        Features fe{kind, 0, {}, {}};
        if (kind == "codes") {
            fe.f = s.model().latent_size();
            fe.train = encode_images(s.model(), lab.train, train_all.data(), train_all.size());
            fe.test = encode_images(s.model(), lab.test, test_all.data(), test_all.size());
        } else {
            std::vector<float> xtr, xte;
            gather_images(lab.train, train_all.data(), train_all.size(), xtr);
            gather_images(lab.test, test_all.data(), test_all.size(), xte);
            if (kind == "pixels") {
                fe.f = d;
                fe.train = std::move(xtr);
                fe.test = std::move(xte);
            } else {
                const Pca pca = fit_pca(xtr.data(), train_all.size(), d, std::min(d, s.model().latent_size()));
                fe.f = pca.k;
                fe.train.resize(train_all.size() * pca.k);
                fe.test.resize(test_all.size() * pca.k);
                pca.project(xtr.data(), train_all.size(), fe.train.data());
                pca.project(xte.data(), test_all.size(), fe.test.data());
            }
        }
        feats.push_back(std::move(fe));
    }
    const std::size_t classes = lab.train.classes;
    const auto accuracy = [&](const std::vector<std::uint8_t>& pred) {
        std::size_t ok = 0;
        for (std::size_t i = 0; i < pred.size(); ++i) ok += pred[i] == lab.test.labels[i] ? 1 : 0;
        return double(ok) / double(pred.size());
    };
    const auto from_file = a.has("label-file") ? read_label_file(a.get("label-file", ""), train_all.size())
                                               : std::map<std::size_t, std::vector<std::uint32_t>>{};
    for (std::size_t n : budgets)
        if (a.has("label-file") && !from_file.count(n))
            throw std::runtime_error("--label-file has no line for the budget " + std::to_string(n));
    for (std::size_t n : budgets) {
        const auto chosen =
            a.has("label-file") ? from_file.at(n) : stratified_sample(lab.train.labels, train_all, classes, n, seed);
        std::vector<std::uint8_t> y(n);
        for (std::size_t i = 0; i < n; ++i) y[i] = lab.train.labels[chosen[i]];
        std::string acc, iters;
        for (const Features& fe : feats) {
            std::vector<float> x(n * fe.f);
            for (std::size_t i = 0; i < n; ++i)
                std::copy(fe.train.begin() + long(chosen[i] * fe.f), fe.train.begin() + long((chosen[i] + 1) * fe.f),
                          x.begin() + long(i * fe.f));
            SoftmaxProbe probe(x.data(), y.data(), n, fe.f, classes, C, true);
            while (!probe.iterate(100).done) {}
            std::vector<std::uint8_t> pred(test_all.size());
            probe.predict(fe.test.data(), test_all.size(), pred.data());
            acc += " acc_" + fe.kind + "=" + num(accuracy(pred));
            iters += " iters_" + fe.kind + "=" + std::to_string(probe.status().iterations) +
                     (probe.status().converged ? "" : "(not converged)");
        }
        std::cout << "probe dataset=" << lab.dataset << " labels=" << n << acc << iters << std::endl;
    }
    if (a.has("knn")) {
        const std::size_t k = neighbours;
        std::string acc;
        for (const Features& fe : feats) {
            KnnClassifier knn(fe.train.data(), lab.train.labels.data(), train_all.size(), fe.f, classes);
            std::vector<std::uint8_t> pred(test_all.size());
            knn.predict(fe.test.data(), test_all.size(), k, pred.data());
            acc += " acc_" + fe.kind + "=" + num(accuracy(pred));
        }
        std::cout << "knn dataset=" << lab.dataset << " k=" << k << " train_labels=" << train_all.size() << acc << std::endl;
    }
    return 0;
}

}  // namespace ae::cli

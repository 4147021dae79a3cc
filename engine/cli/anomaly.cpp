// ae anomaly: the anomaly-detection lab. The model file says what "normal" was (its training
// config's class filter: all classes but one, or one class only); every test image is scored by
// its reconstruction error and the images of the other classes are the anomalies to find.
#include <iostream>

#include "analysis/model_on_view.hpp"
#include "analysis/roc.hpp"
#include "common.hpp"
#include "core/error.hpp"
#include "data/dataset_view.hpp"
#include "labs.hpp"

namespace ae::cli {

const Command& anomaly_command() {
    static const Command cmd = [] {
        Command c;
        c.name = "anomaly";
        c.synopsis = "ae anomaly MODEL.aemf [--dataset NAME] [--pca-k K] [options]";
        c.about =
            "Anomaly detection by reconstruction error. The model must have been trained on part of the\n"
            "classes (ae train --class-filter except --filter-class C, or --class-filter only): the test\n"
            "images of the other classes are the anomalies. Every test image is scored by the model's\n"
            "per-image MSE, BCE (summed over pixels, logs clamped at -100) and BCE minus the image's own\n"
            "entropy floor (kl), and by the squared error of PCA with K components (default: the model's\n"
            "latent size) fitted on the same training images. Prints one line:\n"
            "  anomaly dataset=… filter=except class=3 k=20 train_images=… test_images=… positives=…\n"
            "  auc_mse=… auc_bce=… auc_kl=… auc_pca=… f1_bce=… thr_bce=… precision_bce=… recall_bce=…\n"
            "  f1_mse=… thr_mse=… f1_kl=… f1_pca=… mean_bce_pos=… mean_bce_neg=… mean_mse_pos=…\n"
            "  mean_mse_neg=… mean_entropy_pos=… mean_entropy_neg=… mean_pca_mse_pos=… mean_pca_mse_neg=…\n"
            "AUC as sklearn's roc_auc_score; best F1 over every threshold (flag if score >= thr).";
        c.flags = {
            {"dataset", "NAME", "mnist or fashion-mnist (default: the model's)"},
            {"data-dir", "DIR", "where the .aeds.gz files are (default web/public/data)"},
            {"limit", "N", "use only the first N images of each split"},
            {"pca-k", "K", "PCA components for the baseline (default: the model's latent size)"},
        };
        c.min_positional = c.max_positional = 1;
        c.epilog =
            "example:\n  ae train --epochs 5 --class-filter except --filter-class 3 --save no3.aemf\n"
            "  ae anomaly no3.aemf\nexit codes: 0 ok, 1 failed, 2 usage error";
        return c;
    }();
    return cmd;
}

int cmd_anomaly(const std::vector<std::string>& argv) {
    Args a;
    if (parse_or_help(anomaly_command(), argv, a)) return 0;
    const long long k_flag = a.integer("pca-k", 0, 1, 4096);  // 0: the model's latent size
    LabData lab;
    load_lab(lab, a.positional[0], a);
    Session& s = lab.session;
    const ClassFilter filter = s.trainer().config().class_filter;
    require(filter.mode != ClassFilter::Mode::All,
            "this model was trained on every class, so no test image is an anomaly to it: train one with "
            "--class-filter except --filter-class C (or --class-filter only --filter-class C)");
    const std::size_t k = k_flag ? std::size_t(k_flag) : s.model().latent_size();

    const auto train_view = filter_indices(lab.train, filter);
    const auto test_all = range_indices(lab.test, 0, 0);
    ReconScores ae_scores, pca_scores;
    score_images(s.model(), lab.test, test_all.data(), test_all.size(), ae_scores);
    PcaAccumulator acc(std::size_t(lab.train.height) * lab.train.width);
    accumulate_images(acc, lab.train, train_view.data(), train_view.size());
    const Pca pca = acc.fit(std::min(k, acc.dims()));
    score_images(pca, pca.k, false, lab.test, test_all.data(), test_all.size(), pca_scores);

    const std::size_t n = test_all.size();
    std::vector<std::uint8_t> positive(n);
    std::size_t positives = 0;
    for (std::size_t i = 0; i < n; ++i) positives += positive[i] = filter.keeps(lab.test.labels[i]) ? 0 : 1;
    std::vector<float> kl(n);
    for (std::size_t i = 0; i < n; ++i) kl[i] = ae_scores.kl(i);

    auto split_means = [&](const std::vector<float>& v, const char* name) {
        double sp = 0, sn = 0;
        for (std::size_t i = 0; i < n; ++i) (positive[i] ? sp : sn) += v[i];
        return std::string(" mean_") + name + "_pos=" + num(sp / double(positives)) + " mean_" + name +
               "_neg=" + num(sn / double(n - positives));
    };
    const ThresholdStats f_bce = best_f1(ae_scores.bce.data(), positive.data(), n);
    const ThresholdStats f_mse = best_f1(ae_scores.mse.data(), positive.data(), n);
    const ThresholdStats f_kl = best_f1(kl.data(), positive.data(), n);
    const ThresholdStats f_pca = best_f1(pca_scores.mse.data(), positive.data(), n);
    std::cout << "anomaly dataset=" << lab.dataset << " filter=" << filter_mode_name(filter.mode)
              << " class=" << filter.cls << " k=" << pca.k << " train_images=" << train_view.size()
              << " test_images=" << n << " positives=" << positives
              << " auc_mse=" << num(roc_auc(ae_scores.mse.data(), positive.data(), n))
              << " auc_bce=" << num(roc_auc(ae_scores.bce.data(), positive.data(), n))
              << " auc_kl=" << num(roc_auc(kl.data(), positive.data(), n))
              << " auc_pca=" << num(roc_auc(pca_scores.mse.data(), positive.data(), n)) << " f1_bce=" << num(f_bce.f1)
              << " thr_bce=" << num(f_bce.threshold) << " precision_bce=" << num(f_bce.precision)
              << " recall_bce=" << num(f_bce.recall) << " f1_mse=" << num(f_mse.f1) << " thr_mse=" << num(f_mse.threshold)
              << " f1_kl=" << num(f_kl.f1) << " f1_pca=" << num(f_pca.f1) << split_means(ae_scores.bce, "bce")
              << split_means(ae_scores.mse, "mse") << split_means(ae_scores.entropy, "entropy")
              << split_means(pca_scores.mse, "pca_mse") << std::endl;
    return 0;
}

}  // namespace ae::cli

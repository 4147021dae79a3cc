// The applications lab for JS (issue 11, "6 · What it's for"): a second object bound to the
// worker's Engine, so engine_js.hpp stays the engine's face and this file the lab's. Every heavy
// step runs here in the worker, in slices the worker sizes to its time budget; the page only draws.
// Every method is guarded (C++ errors arrive as JS Errors with the engine's message), checks its
// counts before multiplying them (32-bit WASM: size_t is 32 bits), and returns copies JS owns.
//
//   const lab = new Module.Lab(engine);            // one per engine, .delete() with it
//
// Scores (anomaly lab):
//   scoreImages(split, start, count) → {mse, bce, entropy, kl: Float32Array, labels: Uint8Array}
//       per-image reconstruction scores of images [start, start+count) (analysis/recon_scores.hpp)
//   scorePca(split, start, count, k, clip) → the same for the fitted PCA with its first k components
//   scorePixels(x, n) / scorePcaPixels(x, n, k, clip) → {mse, bce, entropy, kl} of any images x
//       (n, D), such as a drawing
//   roc(scores, positive) → {auc, fpr, tpr, thresholds: Float64Array, positives, negatives}
//   atThreshold(scores, positive, t) / bestF1(scores, positive)
//       → {threshold, tp, fp, tn, fn, precision, recall, f1, fpr}
//   histogram(values, lo, hi, bins) → Uint32Array
//   trainView() → {filter: "all"|"except"|"only", cls, count}: what the model trains on (set it
//       with engine.setTraining('{"class_filter":"except","filter_class":3}'))
// PCA (any k, fitted in slices):
//   pcaBegin(); pcaAdd(split, start, count, filtered) → images so far (filtered: only the images
//   the training class filter keeps); pcaFit(k) → {k, fittedOn, variance, explained:
//   Float64Array (cumulative), totalVariance}; pcaProject(x, n) → Float32Array (n, k);
//   pcaReconstruct(coefficients, n, k, clip) → Float32Array (n, D); pcaErrorCurve(split, start,
//   count) → Float64Array (k+1): Σ over the images of ‖x − x̂_j‖² for j = 0 … k (unclipped)
// Compression (codes as bytes):
//   rangesBegin(method); rangesAdd(method, split, start, count) → codes seen; method "ae" (the
//   model's codes) or "pca" (coefficients of the fitted PCA); compress(method, x, n) →
//   {bytes: Uint8Array (n, k), decoded, decodedFloat: Float32Array (n, D), psnr, ssim, psnrFloat,
//   ssimFloat: Float32Array (n)}; compressSplit(method, split, start, count) → the same for images
//   of a split; compressPca(x, n, k) / compressPcaSplit(split, start, count, k) → the same for PCA
//   with only its first k ≤ K components (k bytes per image: one fit with the largest k and its
//   ranges serve every smaller k, as `ae compress --pca-k` does); quality(x, y, n) → {psnr, ssim}
// Features (probe, kNN):
//   probeBegin(features, labels, seed) → {count}: a softmax probe (C = 1, standardised) on a
//   stratified sample of `labels` training images; features "codes" | "pca" | "pixels";
//   probeStep(iterations) → {iterations, loss, gradMax, converged, done};
//   probeEvaluate(split, start, count) → {correct, count, predictions: Uint8Array}
//   knnBegin(features); knnAdd(start, count) → reference images so far (training split);
//   knnClassify(split, start, count, k) → {correct, count, predictions}
// Latent size and overfitting (budgeted training runs of their own models):
//   sweepBegin(json) with {model?, train?, latents, epochs, trainImages, testImages};
//   sweepAdvance(units) → {progress, done, points: [{k, done, testBce, testMse}], pcaMse: Float64Array}
//   runBegin(json) with {model?, train?, epochs, trainImages, testImages, dropout, weightDecay, latent};
//   runAdvance(units) → {progress, done, epochs: [{epoch, trainLoss, trainBce, testBce, trainMse, testMse}]}
//   (a unit is one training batch or the evaluation of 256 images; model/train default to the
//   engine's current configs)
#pragma once
#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/image_quality.hpp"
#include "analysis/knn.hpp"
#include "analysis/model_on_view.hpp"
#include "analysis/pca.hpp"
#include "analysis/quantize.hpp"
#include "analysis/roc.hpp"
#include "analysis/softmax_probe.hpp"
#include "convert.hpp"
#include "data/dataset_view.hpp"
#include "data/label_budget.hpp"
#include "engine_js.hpp"
#include "train/latent_sweep.hpp"
#include "train/train_run.hpp"

namespace ae::js {

class Lab {
public:
    explicit Lab(Engine& engine) : s_(&engine.session()) {}

    val score_images(const std::string& split, int start, int count) {
        return guarded([&] {
            const auto [data, idx] = slice(split, start, count, "scoreImages");
            ReconScores sc;
            ae::score_images(s_->model(), *data, idx.data(), idx.size(), sc);
            return scores_out(sc, *data, idx);
        });
    }
    val score_pca(const std::string& split, int start, int count, int k, bool clip) {
        return guarded([&] {
            const Pca& p = require_pca(k);
            const auto [data, idx] = slice(split, start, count, "scorePca");
            ReconScores sc;
            ae::score_images(p, std::size_t(k), clip, *data, idx.data(), idx.size(), sc);
            return scores_out(sc, *data, idx);
        });
    }
    val score_pixels(const val& x, int n) {
        return guarded([&] {
            const std::vector<float> v = rows_in(x, n, s_->model().input_size(), "scorePixels");
            const std::vector<float> y = s_->reconstruct(v, std::size_t(n));
            ReconScores sc;
            score_reconstructions(v.data(), y.data(), std::size_t(n), s_->model().input_size(), sc);
            return scores_out(sc);
        });
    }
    val score_pca_pixels(const val& x, int n, int k, bool clip) {
        return guarded([&] {
            const Pca& p = require_pca(k);
            const std::vector<float> v = rows_in(x, n, p.d, "scorePcaPixels");
            std::vector<float> c(checked(std::size_t(n), p.k, "scorePcaPixels")), ck, y(checked(std::size_t(n), p.d, "scorePcaPixels"));
            p.project(v.data(), std::size_t(n), c.data());
            first_columns(c, std::size_t(n), p.k, std::size_t(k), ck);
            p.reconstruct(ck.data(), std::size_t(n), std::size_t(k), clip, y.data());
            ReconScores sc;
            score_reconstructions(v.data(), y.data(), std::size_t(n), p.d, sc);
            return scores_out(sc);
        });
    }
    val roc(const val& scores, const val& positive) {
        return guarded([&] {
            const auto [s, p] = scored(scores, positive, "roc");
            const RocCurve c = roc_curve(s.data(), p.data(), s.size());
            val o = val::object();
            o.set("auc", c.auc);
            o.set("fpr", float64_out(c.fpr));
            o.set("tpr", float64_out(c.tpr));
            o.set("thresholds", float64_out(c.thresholds));
            o.set("positives", double(c.positives));
            o.set("negatives", double(c.negatives));
            return o;
        });
    }
    val at_threshold_js(const val& scores, const val& positive, double t) {
        return guarded([&] {
            const auto [s, p] = scored(scores, positive, "atThreshold");
            return stats_out(at_threshold(s.data(), p.data(), s.size(), t));
        });
    }
    val best_f1_js(const val& scores, const val& positive) {
        return guarded([&] {
            const auto [s, p] = scored(scores, positive, "bestF1");
            return stats_out(best_f1(s.data(), p.data(), s.size()));
        });
    }
    val histogram_js(const val& values, double lo, double hi, int bins) {
        return guarded([&] {
            require(bins >= 1 && bins <= 100000, "histogram: bins must be in [1, 100000], got ", bins);
            const std::vector<float> v = copy_in<float>(values);
            const std::vector<std::uint32_t> h = histogram(v.data(), v.size(), lo, hi, std::size_t(bins));
            return val::global("Uint32Array").new_(emscripten::typed_memory_view(h.size(), h.data()));
        });
    }
    val train_view() {
        return guarded([&] {
            const ClassFilter& f = s_->trainer().config().class_filter;
            val o = val::object();
            o.set("filter", std::string(filter_mode_name(f.mode)));
            o.set("cls", int(f.cls));
            o.set("count", double(s_->trainer().train_view().size()));
            return o;
        });
    }

    // ---- PCA
    void pca_begin() {
        guarded([&] {
            const DatasetFile& d = s_->dataset(Split::Train);
            acc_ = std::make_unique<PcaAccumulator>(std::size_t(d.height) * d.width);
        });
    }
    double pca_add(const std::string& split, int start, int count, bool filtered) {
        return guarded([&] {
            require(acc_ != nullptr, "pcaAdd: call pcaBegin first");
            auto [data, idx] = slice(split, start, count, "pcaAdd");
            if (filtered) {
                const ClassFilter& f = s_->trainer().config().class_filter;
                std::vector<std::uint32_t> kept;
                for (std::uint32_t i : idx)
                    if (f.keeps(data->labels[i])) kept.push_back(i);
                idx.swap(kept);
            }
            accumulate_images(*acc_, *data, idx.data(), idx.size());
            return double(acc_->count());
        });
    }
    val pca_fit(int k) {
        return guarded([&] {
            require(acc_ != nullptr, "pcaFit: call pcaBegin and pcaAdd first");
            require(k >= 1, "pcaFit: k must be at least 1, got ", k);
            pca_ = acc_->fit(std::size_t(k));
            ranges_[1] = CodeRanges();
            std::vector<double> explained(pca_->k);
            for (std::size_t j = 0; j < pca_->k; ++j) explained[j] = pca_->explained(j + 1);
            val o = val::object();
            o.set("k", int(pca_->k));
            o.set("fittedOn", double(pca_->fitted_on));
            o.set("variance", float64_out(pca_->variance));
            o.set("explained", float64_out(explained));
            o.set("totalVariance", pca_->total_variance);
            return o;
        });
    }
    val pca_project(const val& x, int n) {
        return guarded([&] {
            const Pca& p = require_pca(1);
            const std::vector<float> v = rows_in(x, n, p.d, "pcaProject");
            std::vector<float> c(checked(std::size_t(n), p.k, "pcaProject"));
            p.project(v.data(), std::size_t(n), c.data());
            return float32_out(c);
        });
    }
    val pca_reconstruct(const val& coefficients, int n, int k, bool clip) {
        return guarded([&] {
            const Pca& p = require_pca(k);
            const std::vector<float> c = rows_in(coefficients, n, std::size_t(k), "pcaReconstruct");
            std::vector<float> out(checked(std::size_t(n), p.d, "pcaReconstruct"));
            p.reconstruct(c.data(), std::size_t(n), std::size_t(k), clip, out.data());
            return float32_out(out);
        });
    }
    val pca_error_curve(const std::string& split, int start, int count) {
        return guarded([&] {
            const Pca& p = require_pca(1);
            const auto [data, idx] = slice(split, start, count, "pcaErrorCurve");
            std::vector<float> x;
            gather_images(*data, idx.data(), idx.size(), x);
            std::vector<double> err(checked(idx.size(), p.k + 1, "pcaErrorCurve")), sum(p.k + 1, 0.0);
            p.error_curve(x.data(), idx.size(), err.data());
            for (std::size_t i = 0; i < idx.size(); ++i)
                for (std::size_t j = 0; j <= p.k; ++j) sum[j] += err[i * (p.k + 1) + j];
            return float64_out(sum);
        });
    }

    // ---- Compression
    void ranges_begin(const std::string& method) {
        guarded([&] { ranges_[method_index(method)] = CodeRanges(); });
    }
    double ranges_add(const std::string& method, const std::string& split, int start, int count) {
        return guarded([&] {
            const int m = method_index(method);
            const auto [data, idx] = slice(split, start, count, "rangesAdd");
            std::vector<float> x;
            gather_images(*data, idx.data(), idx.size(), x);
            const std::vector<float> c = codes_of(m, x, idx.size());
            ranges_[m].update(c.data(), idx.size(), code_size(m));
            return double(ranges_[m].count);
        });
    }
    val compress(const std::string& method, const val& x, int n) {
        return guarded([&] {
            const std::vector<float> v = rows_in(x, n, s_->model().input_size(), "compress");
            return compress_rows(method_index(method), v, std::size_t(n));
        });
    }
    val compress_split(const std::string& method, const std::string& split, int start, int count) {
        return guarded([&] {
            const auto [data, idx] = slice(split, start, count, "compressSplit");
            std::vector<float> x;
            gather_images(*data, idx.data(), idx.size(), x);
            return compress_rows(method_index(method), x, idx.size());
        });
    }
    val compress_pca(const val& x, int n, int k) {
        return guarded([&] {
            const std::vector<float> v = rows_in(x, n, require_pca(k).d, "compressPca");
            return compress_pca_rows(v, std::size_t(n), k);
        });
    }
    val compress_pca_split(const std::string& split, int start, int count, int k) {
        return guarded([&] {
            require_pca(k);
            const auto [data, idx] = slice(split, start, count, "compressPcaSplit");
            std::vector<float> x;
            gather_images(*data, idx.data(), idx.size(), x);
            return compress_pca_rows(x, idx.size(), k);
        });
    }
    val quality(const val& x, const val& y, int n) {
        return guarded([&] {
            const std::size_t d = s_->model().input_size();
            const std::vector<float> a = rows_in(x, n, d, "quality"), b = rows_in(y, n, d, "quality");
            std::vector<float> ps, ss;
            measure(a, b, std::size_t(n), ps, ss);
            val o = val::object();
            o.set("psnr", float32_out(ps));
            o.set("ssim", float32_out(ss));
            return o;
        });
    }

    // ---- Features
    val probe_begin(const std::string& features, int labels, double seed) {
        return guarded([&] {
            require(std::isfinite(seed) && seed >= 0 && seed < 9007199254740992.0, "probeBegin: seed must be an integer >= 0");
            feature_ = feature_index(features);
            const DatasetFile& d = s_->dataset(Split::Train);
            require(labels >= 1, "probeBegin: at least 1 labelled image is needed, got ", labels);
            const auto all = range_indices(d, 0, 0);
            const auto chosen = stratified_sample(d.labels, all, d.classes, std::size_t(labels), std::uint64_t(seed));
            std::vector<float> x;
            gather_images(d, chosen.data(), chosen.size(), x);
            const std::vector<float> f = features_of(feature_, x, chosen.size());
            std::vector<std::uint8_t> y(chosen.size());
            for (std::size_t i = 0; i < chosen.size(); ++i) y[i] = d.labels[chosen[i]];
            probe_ = std::make_unique<SoftmaxProbe>(f.data(), y.data(), chosen.size(), f.size() / chosen.size(),
                                                    d.classes, 1.0, true);
            probe_feature_ = feature_;
            val o = val::object();
            o.set("count", double(chosen.size()));
            return o;
        });
    }
    val probe_step(int iterations) {
        return guarded([&] {
            require(probe_ != nullptr, "probeStep: call probeBegin first");
            require(iterations >= 0 && iterations <= 100000, "probeStep: iterations must be in [0, 100000]");
            const ProbeStatus st = probe_->iterate(std::size_t(iterations));
            val o = val::object();
            o.set("iterations", double(st.iterations));
            o.set("loss", st.loss);
            o.set("gradMax", st.grad_max);
            o.set("converged", st.converged);
            o.set("done", st.done);
            return o;
        });
    }
    val probe_evaluate(const std::string& split, int start, int count) {
        return guarded([&] {
            require(probe_ != nullptr, "probeEvaluate: call probeBegin first");
            const auto [data, idx] = slice(split, start, count, "probeEvaluate");
            std::vector<float> x;
            gather_images(*data, idx.data(), idx.size(), x);
            const std::vector<float> f = features_of(probe_feature_, x, idx.size());
            std::vector<std::uint8_t> pred(idx.size());
            probe_->predict(f.data(), idx.size(), pred.data());
            return predictions_out(pred, *data, idx);
        });
    }
    void knn_begin(const std::string& features) {
        guarded([&] {
            knn_feature_ = feature_index(features);
            knn_ref_.clear();
            knn_labels_.clear();
            knn_.reset();
        });
    }
    double knn_add(int start, int count) {
        return guarded([&] {
            const auto [data, idx] = slice("train", start, count, "knnAdd");
            std::vector<float> x;
            gather_images(*data, idx.data(), idx.size(), x);
            const std::vector<float> f = features_of(knn_feature_, x, idx.size());
            knn_ref_.insert(knn_ref_.end(), f.begin(), f.end());
            for (std::uint32_t i : idx) knn_labels_.push_back(data->labels[i]);
            knn_.reset();
            return double(knn_labels_.size());
        });
    }
    val knn_classify(const std::string& split, int start, int count, int k) {
        return guarded([&] {
            require(!knn_labels_.empty(), "knnClassify: add reference images with knnAdd first");
            const DatasetFile& tr = s_->dataset(Split::Train);
            if (!knn_)
                knn_ = std::make_unique<KnnClassifier>(knn_ref_.data(), knn_labels_.data(), knn_labels_.size(),
                                                       knn_ref_.size() / knn_labels_.size(), tr.classes);
            require(k >= 1, "knnClassify: k must be at least 1, got ", k);
            const auto [data, idx] = slice(split, start, count, "knnClassify");
            std::vector<float> x;
            gather_images(*data, idx.data(), idx.size(), x);
            const std::vector<float> f = features_of(knn_feature_, x, idx.size());
            std::vector<std::uint8_t> pred(idx.size());
            knn_->predict(f.data(), idx.size(), std::size_t(k), pred.data());
            return predictions_out(pred, *data, idx);
        });
    }

    // ---- Sweep and training runs
    void sweep_begin(const std::string& json) {
        guarded([&] {
            const nlohmann::json j = parse(json, "sweepBegin");
            SweepSpec spec;
            configs(j, spec.model, spec.train);
            spec.latents = j.value("latents", std::vector<std::size_t>{2, 4, 8, 16, 32, 64});
            spec.epochs = j.value("epochs", std::size_t(3));
            const DatasetFile& tr = s_->dataset(Split::Train);
            const DatasetFile& te = s_->dataset(Split::Test);
            spec.train_subset = first(tr, j.value("trainImages", std::size_t(10000)));
            spec.test_subset = first(te, j.value("testImages", std::size_t(2000)));
            sweep_ = std::make_unique<LatentSweep>(spec, tr, te);
        });
    }
    val sweep_advance(int units) {
        return guarded([&] {
            require(sweep_ != nullptr, "sweepAdvance: call sweepBegin first");
            require(units >= 1 && units <= 1000000, "sweepAdvance: units must be in [1, 1000000], got ", units);
            sweep_->advance(std::size_t(units));
            val pts = val::array();
            for (const SweepPoint& p : sweep_->points()) {
                val o = val::object();
                o.set("k", double(p.k));
                o.set("done", p.done);
                o.set("testBce", p.test_bce);
                o.set("testMse", p.test_mse);
                pts.call<void>("push", o);
            }
            val o = val::object();
            o.set("progress", sweep_->progress());
            o.set("done", sweep_->done());
            o.set("points", pts);
            o.set("pcaMse", float64_out(sweep_->pca_mse()));
            return o;
        });
    }
    void run_begin(const std::string& json) {
        guarded([&] {
            const nlohmann::json j = parse(json, "runBegin");
            TrainRunSpec spec;
            configs(j, spec.model, spec.train);
            if (j.contains("latent")) spec.model.latent = j["latent"].get<std::size_t>();
            if (j.contains("dropout")) spec.model.dropout = j["dropout"].get<double>();
            if (j.contains("weightDecay")) spec.train.penalties.weight_decay_l2 = j["weightDecay"].get<double>();
            validate(spec.model);
            validate(spec.train, spec.model);
            spec.epochs = j.value("epochs", std::size_t(50));
            const DatasetFile& tr = s_->dataset(Split::Train);
            const DatasetFile& te = s_->dataset(Split::Test);
            const std::size_t n = j.value("trainImages", std::size_t(1000));
            spec.train_subset = stratified_sample(tr.labels, range_indices(tr, 0, 0), tr.classes, n, 0);
            spec.eval_train = spec.train_subset;
            spec.eval_test = first(te, j.value("testImages", std::size_t(2000)));
            run_ = std::make_unique<TrainRun>(spec, tr, te);
        });
    }
    val run_advance(int units) {
        return guarded([&] {
            require(run_ != nullptr, "runAdvance: call runBegin first");
            require(units >= 1 && units <= 1000000, "runAdvance: units must be in [1, 1000000], got ", units);
            run_->advance(std::size_t(units));
            val eps = val::array();
            for (const EpochRecord& r : run_->records()) {
                val o = val::object();
                o.set("epoch", double(r.epoch));
                o.set("trainLoss", r.train_loss);
                o.set("trainBce", r.train_bce);
                o.set("testBce", r.test_bce);
                o.set("trainMse", r.train_mse);
                o.set("testMse", r.test_mse);
                eps.call<void>("push", o);
            }
            val o = val::object();
            o.set("progress", run_->progress());
            o.set("done", run_->done());
            o.set("epochs", eps);
            return o;
        });
    }

private:
    using Slice = std::pair<const DatasetFile*, std::vector<std::uint32_t>>;

    // n · d values, refused when the product does not fit the 32-bit heap's arrays.
    static std::size_t checked(std::size_t n, std::size_t d, const char* who) {
        require(d == 0 || n <= (std::size_t(1) << 29) / d, who, ": ", n, " x ", d, " values are too many");
        return n * d;
    }
    Slice slice(const std::string& split, int start, int count, const char* who) {
        const DatasetFile& d = s_->dataset(parse_split(split));
        require(start >= 0 && count >= 1 && std::size_t(start) + std::size_t(count) <= d.count, who, ": images [start, ",
                "start + count) must lie inside the ", split, " set of ", d.count, " images, got start ", start,
                " and count ", count);
        return {&d, range_indices(d, std::size_t(start), std::size_t(count))};
    }
    static std::vector<float> rows_in(const val& x, int n, std::size_t d, const char* who) {
        require(n >= 1, who, ": at least 1 row is needed, got ", n);
        const std::size_t want = checked(std::size_t(n), d, who);
        const std::size_t got = x["length"].as<std::size_t>();
        require(got == want, who, ": expected ", n, " x ", d, " = ", want, " values, got ", got);
        return copy_in<float>(x);
    }
    static std::pair<std::vector<float>, std::vector<std::uint8_t>> scored(const val& s, const val& p, const char* who) {
        std::vector<float> scores = copy_in<float>(s);
        std::vector<std::uint8_t> pos = copy_in<std::uint8_t>(p);
        require(scores.size() == pos.size(), who, ": ", scores.size(), " scores but ", pos.size(), " labels");
        require(!scores.empty(), who, ": no scores");
        for (std::uint8_t& v : pos) v = v ? 1 : 0;
        return {std::move(scores), std::move(pos)};
    }
    static val float64_out(const std::vector<double>& v) {
        return val::global("Float64Array").new_(emscripten::typed_memory_view(v.size(), v.data()));
    }
    static val scores_out(const ReconScores& sc) {
        std::vector<float> kl(sc.size());
        for (std::size_t i = 0; i < sc.size(); ++i) kl[i] = sc.kl(i);
        val o = val::object();
        o.set("mse", float32_out(sc.mse));
        o.set("bce", float32_out(sc.bce));
        o.set("entropy", float32_out(sc.entropy));
        o.set("kl", float32_out(kl));
        return o;
    }
    static val scores_out(const ReconScores& sc, const DatasetFile& d, const std::vector<std::uint32_t>& idx) {
        std::vector<std::uint8_t> labels(idx.size());
        for (std::size_t i = 0; i < idx.size(); ++i) labels[i] = d.labels[idx[i]];
        val o = scores_out(sc);
        o.set("labels", uint8_out(labels));
        return o;
    }
    // The first k of each row's kk values: c (n, kk) → out (n, k).
    static void first_columns(const std::vector<float>& c, std::size_t n, std::size_t kk, std::size_t k,
                              std::vector<float>& out) {
        out.resize(n * k);
        for (std::size_t i = 0; i < n; ++i)
            std::copy(c.begin() + long(i * kk), c.begin() + long(i * kk + k), out.begin() + long(i * k));
    }
    static val stats_out(const ThresholdStats& t) {
        val o = val::object();
        o.set("threshold", t.threshold);
        o.set("tp", double(t.tp));
        o.set("fp", double(t.fp));
        o.set("tn", double(t.tn));
        o.set("fn", double(t.fn));
        o.set("precision", t.precision);
        o.set("recall", t.recall);
        o.set("f1", t.f1);
        o.set("fpr", t.fpr);
        return o;
    }
    static val predictions_out(const std::vector<std::uint8_t>& pred, const DatasetFile& d,
                               const std::vector<std::uint32_t>& idx) {
        std::size_t correct = 0;
        for (std::size_t i = 0; i < idx.size(); ++i) correct += pred[i] == d.labels[idx[i]] ? 1 : 0;
        val o = val::object();
        o.set("correct", double(correct));
        o.set("count", double(idx.size()));
        o.set("predictions", uint8_out(pred));
        return o;
    }
    const Pca& require_pca(int k) const {
        require(pca_.has_value(), "PCA: not fitted yet (pcaBegin, pcaAdd, pcaFit)");
        require(k >= 0 && std::size_t(k) <= pca_->k, "PCA: ", k, " components asked for, but the fit has ", pca_->k);
        return *pca_;
    }
    static int method_index(const std::string& m) {
        if (m == "ae") return 0;
        if (m == "pca") return 1;
        fail("unknown compression method '", m, "' (expected ae or pca)");
    }
    static int feature_index(const std::string& f) {
        if (f == "codes") return 0;
        if (f == "pca") return 1;
        if (f == "pixels") return 2;
        fail("unknown features '", f, "' (expected codes, pca or pixels)");
    }
    std::size_t code_size(int m) const { return m == 0 ? s_->model().latent_size() : require_pca(1).k; }
    // Codes of x (n, D): the model's (m = 0) or PCA coefficients (m = 1).
    std::vector<float> codes_of(int m, const std::vector<float>& x, std::size_t n) {
        if (m == 0) return s_->encode(x, n);
        const Pca& p = require_pca(1);
        std::vector<float> c(checked(n, p.k, "codes"));
        p.project(x.data(), n, c.data());
        return c;
    }
    std::vector<float> features_of(int f, const std::vector<float>& x, std::size_t n) {
        if (f == 2) return x;
        return codes_of(f == 0 ? 0 : 1, x, n);
    }
    std::vector<float> decode_of(int m, const std::vector<float>& c, std::size_t n) {
        if (m == 0) return s_->decode(c, n);
        const Pca& p = require_pca(1);
        std::vector<float> out(checked(n, p.d, "decode"));
        p.reconstruct(c.data(), n, p.k, true, out.data());
        return out;
    }
    void measure(const std::vector<float>& x, const std::vector<float>& y, std::size_t n, std::vector<float>& ps,
                 std::vector<float>& ss) const {
        const DatasetFile& d = s_->dataset(Split::Train);
        const std::size_t px = std::size_t(d.height) * d.width;
        ps.resize(n);
        ss.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            ps[i] = float(psnr(x.data() + i * px, y.data() + i * px, px));
            ss[i] = float(ssim(x.data() + i * px, y.data() + i * px, d.height, d.width));
        }
    }
    val compress_rows(int m, const std::vector<float>& x, std::size_t n) {
        const CodeRanges& r = ranges_[m];
        require(r.count > 0, "compress: measure the code ranges on training images first (rangesBegin, rangesAdd)");
        const std::vector<float> c = codes_of(m, x, n);
        require(c.size() / n == r.z(), "compress: the codes have ", c.size() / n, " values but the ranges ", r.z(),
                "; measure the ranges again");
        std::vector<std::uint8_t> q(c.size());
        quantize(r, c.data(), n, q.data());
        std::vector<float> deq(c.size());
        dequantize(r, q.data(), n, deq.data());
        return quality_out(x, decode_of(m, deq, n), decode_of(m, c, n), q, n);
    }
    // PCA with its first k components: the fit's coefficients and ranges cut to k (the ranges
    // are per coefficient, so those of a fit with more components serve).
    val compress_pca_rows(const std::vector<float>& x, std::size_t n, int k) {
        const Pca& p = require_pca(k);
        require(k >= 1, "compressPca: k must be at least 1, got ", k);
        const CodeRanges& all = ranges_[1];
        require(all.count > 0 && all.z() == p.k,
                "compressPca: measure the PCA coefficients' ranges on training images first (rangesBegin, rangesAdd)");
        const std::size_t kk = std::size_t(k);
        CodeRanges r;
        r.lo.assign(all.lo.begin(), all.lo.begin() + long(kk));
        r.hi.assign(all.hi.begin(), all.hi.begin() + long(kk));
        r.count = all.count;
        std::vector<float> full(checked(n, p.k, "compressPca")), c;
        p.project(x.data(), n, full.data());
        first_columns(full, n, p.k, kk, c);
        std::vector<std::uint8_t> q(c.size());
        quantize(r, c.data(), n, q.data());
        std::vector<float> deq(c.size()), y8(checked(n, p.d, "compressPca")), yf(n * p.d);
        dequantize(r, q.data(), n, deq.data());
        p.reconstruct(deq.data(), n, kk, true, y8.data());
        p.reconstruct(c.data(), n, kk, true, yf.data());
        return quality_out(x, y8, yf, q, n);
    }
    val quality_out(const std::vector<float>& x, const std::vector<float>& y8, const std::vector<float>& yf,
                    const std::vector<std::uint8_t>& q, std::size_t n) const {
        std::vector<float> p8, s8, pf, sf;
        measure(x, y8, n, p8, s8);
        measure(x, yf, n, pf, sf);
        val o = val::object();
        o.set("bytes", uint8_out(q));
        o.set("decoded", float32_out(y8));
        o.set("decodedFloat", float32_out(yf));
        o.set("psnr", float32_out(p8));
        o.set("ssim", float32_out(s8));
        o.set("psnrFloat", float32_out(pf));
        o.set("ssimFloat", float32_out(sf));
        return o;
    }
    static nlohmann::json parse(const std::string& text, const char* who) {
        try {
            const nlohmann::json j = nlohmann::json::parse(text);
            require(j.is_object(), who, ": expects a JSON object");
            return j;
        } catch (const nlohmann::json::exception& e) {
            fail(who, ": bad JSON: ", e.what());
        }
    }
    void configs(const nlohmann::json& j, ModelConfig& model, TrainConfig& train) {
        model = j.contains("model") ? parse_model_config(j["model"].dump()) : s_->model().config();
        train = j.contains("train") ? parse_train_config(j["train"].dump()) : s_->trainer().config();
    }
    static std::vector<std::uint32_t> first(const DatasetFile& d, std::size_t n) {
        return range_indices(d, 0, n && n < d.count ? n : 0);
    }

    Session* s_;
    std::unique_ptr<PcaAccumulator> acc_;
    std::optional<Pca> pca_;
    CodeRanges ranges_[2];  // "ae", "pca"
    int feature_ = 0, probe_feature_ = 0, knn_feature_ = 0;
    std::unique_ptr<SoftmaxProbe> probe_;
    std::vector<float> knn_ref_;
    std::vector<std::uint8_t> knn_labels_;
    std::unique_ptr<KnnClassifier> knn_;
    std::unique_ptr<LatentSweep> sweep_;
    std::unique_ptr<TrainRun> run_;
};

}  // namespace ae::js

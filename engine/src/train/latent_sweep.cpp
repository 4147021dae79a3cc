#include "train/latent_sweep.hpp"

#include <algorithm>

#include "analysis/model_on_view.hpp"
#include "core/error.hpp"
#include "data/dataset_view.hpp"

namespace ae {

namespace {
constexpr std::size_t kSlice = 256;
}

LatentSweep::LatentSweep(const SweepSpec& spec, const DatasetFile& train, const DatasetFile& test)
    : spec_(spec), train_(&train), test_(&test) {
    require(!spec.latents.empty() && spec.latents.size() <= 64, "latent sweep: give 1 to 64 latent sizes, got ",
            spec.latents.size());
    for (std::size_t k : spec.latents) require(k >= 1 && k <= 4096, "latent sweep: latent sizes must be in [1, 4096], got ", k);
    require(!spec.test_subset.empty(), "latent sweep: no test images to measure on");
    for (std::uint32_t i : spec.test_subset)
        require(i < test.count, "latent sweep: test image ", i, " is out of range (", test.count, " images)");
    for (std::size_t k : spec.latents) {
        ModelConfig m = spec.model;
        m.latent = k;
        validate(m);
        validate(spec.train, m);
        points_.push_back({k});
    }
    if (spec.pca) {
        pca_train_ = spec.train_subset.empty() ? filter_indices(train, spec.train.class_filter) : spec.train_subset;
        acc_ = std::make_unique<PcaAccumulator>(std::size_t(train.height) * train.width);
    }
}

double LatentSweep::progress() const {
    const double per = 1.0 / double(spec_.latents.size() + (spec_.pca ? 1 : 0));
    double p = per * double(next_) + (run_ ? per * run_->progress() : 0.0);
    if (spec_.pca) {
        const double n = double(pca_train_.size() + spec_.test_subset.size());
        p += pca_done() ? per : per * std::min(1.0, double(acc_ ? acc_->count() + pca_pos_ : 0) / n);
    }
    return done() ? 1.0 : std::min(1.0, p);
}

bool LatentSweep::advance(std::size_t units) {
    std::size_t u = 0;
    while (u < units && !done()) {
        if (!pca_done()) {  // PCA first: cheap, and it draws the reference curve at once
            ++u;
            if (acc_->count() < pca_train_.size()) {
                const std::size_t b = std::min(kSlice, pca_train_.size() - acc_->count());
                accumulate_images(*acc_, *train_, pca_train_.data() + acc_->count(), b);
                continue;
            }
            if (!pca_) {
                const std::size_t kmax = *std::max_element(spec_.latents.begin(), spec_.latents.end());
                pca_ = acc_->fit(std::min(kmax, acc_->dims()));
                pca_sum_.assign(pca_->k + 1, 0.0);
                continue;
            }
            const std::size_t b = std::min(kSlice, spec_.test_subset.size() - pca_pos_);
            std::vector<float> x;
            gather_images(*test_, spec_.test_subset.data() + pca_pos_, b, x);
            std::vector<double> err(b * (pca_->k + 1));
            pca_->error_curve(x.data(), b, err.data());
            for (std::size_t i = 0; i < b; ++i)
                for (std::size_t k = 0; k <= pca_->k; ++k) pca_sum_[k] += err[i * (pca_->k + 1) + k];
            pca_pos_ += b;
            if (pca_pos_ >= spec_.test_subset.size()) {
                const double denom = double(spec_.test_subset.size()) * double(pca_->d);
                pca_mse_.resize(pca_sum_.size());
                for (std::size_t k = 0; k < pca_sum_.size(); ++k) pca_mse_[k] = pca_sum_[k] / denom;
                acc_.reset();
            }
            continue;
        }
        if (!run_) {
            TrainRunSpec rs;
            rs.model = spec_.model;
            rs.model.latent = spec_.latents[next_];
            rs.train = spec_.train;
            rs.epochs = spec_.epochs;
            rs.train_subset = spec_.train_subset;
            rs.eval_test = spec_.test_subset;
            rs.eval_every_epoch = false;
            run_ = std::make_unique<TrainRun>(rs, *train_, *test_);
        }
        run_->advance(units - u);
        u = units;  // the run used at most the rest of the budget
        if (run_->done()) {
            const EpochRecord& r = run_->records().back();
            SweepPoint& p = points_[next_];
            p.done = true;
            p.test_bce = r.test_bce;
            p.test_mse = r.test_mse;
            p.train_loss = r.train_loss;
            run_.reset();
            ++next_;
        }
    }
    return done();
}

}  // namespace ae

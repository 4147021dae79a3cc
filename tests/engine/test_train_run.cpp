// Budgeted training runs (train/train_run.hpp) and the latent-size sweep (train/latent_sweep.hpp)
// on toy bars: they finish in units, record per-epoch train/test errors, and the sweep's PCA
// curve falls with k.
#include <doctest/doctest.h>

#include <numeric>

#include "models/config.hpp"
#include "train/latent_sweep.hpp"
#include "train/train_run.hpp"

#include "error_of.hpp"
#include "toy_data.hpp"

using namespace ae;

namespace {
std::vector<std::uint32_t> first(std::size_t n) {
    std::vector<std::uint32_t> v(n);
    std::iota(v.begin(), v.end(), 0u);
    return v;
}
}  // namespace

TEST_CASE("a training run on a subset, evaluated every epoch, done in budgeted units") {
    const DatasetFile train = toy::bars(200, 4, toy::Bars::RowsAndColumns, toy::kShaded);
    const DatasetFile test = toy::bars(80, 4, toy::Bars::RowsAndColumns, toy::kShaded);
    TrainRunSpec spec;
    spec.model = parse_model_config(toy::kSmallModel);
    spec.train = parse_train_config(toy::kSmallTrain);
    spec.epochs = 30;
    spec.train_subset = first(24);  // 3 steps per epoch
    spec.eval_train = spec.train_subset;
    spec.eval_test = first(80);
    TrainRun run(spec, train, test);
    std::size_t calls = 0;
    double last = -1;
    while (!run.advance(4)) {
        ++calls;
        CHECK(run.progress() >= last);
        last = run.progress();
        // A record appears only once its epoch's evaluation is complete.
        for (const EpochRecord& r : run.records()) CHECK((r.train_bce > 0 && r.test_bce > 0));
    }
    CHECK(run.progress() == 1.0);
    // 30 epochs × (3 steps + 1 + 1 evaluation slices) = 150 units in calls of 4
    CHECK(calls == 37);
    REQUIRE(run.records().size() == 30);
    const EpochRecord& a = run.records().front();
    const EpochRecord& b = run.records().back();
    CHECK(a.evaluated);
    CHECK(b.epoch == 30);
    CHECK(b.train_bce < a.train_bce);
    CHECK(b.test_bce < a.test_bce);
    CHECK(b.train_mse > 0);
    CHECK(run.trainer().train_view().size() == 24);
}

TEST_CASE("the latent sweep trains one model per k and measures PCA for every k") {
    const DatasetFile train = toy::bars(160, 4, toy::Bars::RowsAndColumns, toy::kShaded);
    const DatasetFile test = toy::bars(64, 4, toy::Bars::RowsAndColumns, toy::kShaded);
    SweepSpec spec;
    spec.model = parse_model_config(toy::kSmallModel);
    spec.train = parse_train_config(toy::kSmallTrain);
    spec.latents = {1, 2, 4};
    spec.epochs = 3;
    spec.test_subset = first(64);
    LatentSweep sweep(spec, train, test);
    int calls = 0;
    while (!sweep.advance(10)) ++calls;
    CHECK(calls > 3);
    REQUIRE(sweep.points().size() == 3);
    for (const SweepPoint& p : sweep.points()) {
        CHECK(p.done);
        CHECK(p.test_mse > 0);
        CHECK(p.test_bce > 0);
    }
    const std::vector<double>& pca = sweep.pca_mse();
    REQUIRE(pca.size() == 5);  // k = 0 … 4
    for (std::size_t k = 1; k < pca.size(); ++k) CHECK(pca[k] <= pca[k - 1]);
    spec.latents = {};
    CHECK(error_of([&] { LatentSweep(spec, train, test); }) == "latent sweep: give 1 to 64 latent sizes, got 0");
}

// Views of a dataset (data/dataset_view.hpp) and label budgets (data/label_budget.hpp), and the
// class filter as training uses it: the trainer learns from the view only, a new filter starts a
// new epoch, and a model file keeps the filter so resuming continues on the same images.
#include <doctest/doctest.h>

#include <numeric>
#include <set>

#include "analysis/model_on_view.hpp"
#include "data/dataset_view.hpp"
#include "data/label_budget.hpp"
#include "train/session.hpp"
#include "train/train_config.hpp"

#include "error_of.hpp"
#include "toy_data.hpp"

using namespace ae;

TEST_CASE("class filters keep all classes but one, one class only, or everything") {
    const DatasetFile d = toy::bars(20, 4);  // labels 0 1 2 3 0 1 2 3 ...
    ClassFilter f;
    CHECK(filter_indices(d, f).size() == 20);
    f.mode = ClassFilter::Mode::Except;
    f.cls = 2;
    const auto except2 = filter_indices(d, f);
    CHECK(except2.size() == 15);
    for (std::uint32_t i : except2) CHECK(d.labels[i] != 2);
    CHECK(std::is_sorted(except2.begin(), except2.end()));
    f.mode = ClassFilter::Mode::Only;
    const auto only2 = filter_indices(d, f);
    CHECK(only2 == std::vector<std::uint32_t>{2, 6, 10, 14, 18});
    CHECK(describe(f) == "only 2");
    f.cls = 4;
    CHECK(error_of([&] { filter_indices(d, f); }) == "class filter 'only 4': the bars set has classes 0 to 3");
    DatasetFile no3 = toy::bars(3, 4);  // labels 0 1 2 only
    f.cls = 3;
    CHECK(error_of([&] { filter_indices(no3, f); }) == "class filter 'only 3' leaves no image of the 3 in the set");
    CHECK(range_indices(d, 18, 0) == std::vector<std::uint32_t>{18, 19});
    CHECK(error_of([&] { range_indices(d, 18, 3); }) == "images [18, 21) are past the end of the set (20 images)");
}

TEST_CASE("the training config carries the class filter, strictly parsed, into JSON and back") {
    const TrainConfig c = parse_train_config(R"({"class_filter":"except","filter_class":7})");
    CHECK(c.class_filter.mode == ClassFilter::Mode::Except);
    CHECK(c.class_filter.cls == 7);
    const TrainConfig back = parse_train_config(to_json(c));
    CHECK(back.class_filter == c.class_filter);
    CHECK(parse_train_config("{}").class_filter.mode == ClassFilter::Mode::All);
    CHECK(error_of([] { parse_train_config(R"({"class_filter":"without"})"); }).find("class_filter") != std::string::npos);
    CHECK(error_of([] { parse_train_config(R"({"filter_class":300})"); }).find("filter_class") != std::string::npos);
}

TEST_CASE("training on a class-filtered view: only those images, a new filter is a new epoch") {
    Session s;
    s.configure(toy::kSmallModel, R"({"optimizer":"adam","lr":0.01,"batch_size":8,"seed":5,"class_filter":"only","filter_class":1})");
    const auto bytes = toy::aeds_bytes(toy::bars(64, 4));
    s.load_dataset(Split::Train, bytes.data(), bytes.size());
    s.load_dataset(Split::Test, bytes.data(), bytes.size());
    const auto& view = s.trainer().train_view();
    CHECK(view.size() == 16);
    for (std::uint32_t i : view) CHECK(s.dataset(Split::Train).labels[i] == 1);
    const StepStats st = s.train_steps(2);  // 16 images, batch 8: one epoch is 2 steps
    CHECK(st.epoch_end);
    CHECK(st.epoch == 1);
    s.train_steps(400);
    // The model learnt row 1 and little else: its error on row-1 images is far below the others'.
    const DatasetFile& d = s.dataset(Split::Test);
    ReconScores sc;
    const auto all = range_indices(d, 0, 0);
    score_images(s.model(), d, all.data(), all.size(), sc);
    double normal = 0, other = 0;
    for (std::size_t i = 0; i < all.size(); ++i) (d.labels[i] == 1 ? normal : other) += sc.mse[i];
    CHECK(normal / 16 < 0.2 * (other / 48));

    // A new filter: a new epoch over the new view (48 images: 6 steps of 8).
    s.set_training(R"({"class_filter":"except","filter_class":1})");
    CHECK(s.trainer().train_view().size() == 48);
    const StepStats a = s.train_steps(5);
    CHECK(!a.epoch_end);
    CHECK(s.train_steps(1).epoch_end);
    CHECK(error_of([&] { s.set_training(R"({"class_filter":"only","filter_class":9})"); }) ==
          "class filter 'only 9': the bars set has classes 0 to 3");
    CHECK(s.trainer().train_view().size() == 48);  // unchanged by the refused setting
}

TEST_CASE("filter 'all' trains exactly as before: the view is the whole set in order") {
    Session s;
    s.configure(toy::kSmallModel, toy::kSmallTrain);
    const auto bytes = toy::aeds_bytes(toy::bars(40, 4));
    s.load_dataset(Split::Train, bytes.data(), bytes.size());
    std::vector<std::uint32_t> iota(40);
    std::iota(iota.begin(), iota.end(), 0u);
    CHECK(s.trainer().train_view() == iota);
}

TEST_CASE("a model file keeps the class filter; resuming mid-epoch continues on the same view") {
    const auto bytes = toy::aeds_bytes(toy::bars(64, 4));
    const char* train = R"({"optimizer":"adam","lr":0.01,"batch_size":8,"seed":3,"class_filter":"except","filter_class":0})";
    Session a;
    a.configure(toy::kSmallModel, train);
    a.load_dataset(Split::Train, bytes.data(), bytes.size());
    a.train_steps(3);  // 3 of the 6 steps of an epoch over 48 images
    const auto file = a.save_model("", true);
    Session b;
    b.load_dataset(Split::Train, bytes.data(), bytes.size());
    b.load_model(file.data(), file.size());
    CHECK(b.trainer().config().class_filter.mode == ClassFilter::Mode::Except);
    CHECK(b.trainer().train_view().size() == 48);
    const StepStats ra = a.train_steps(5), rb = b.train_steps(5);
    CHECK(ra.loss.total() == rb.loss.total());  // bit for bit
    CHECK(ra.epoch == rb.epoch);
}

TEST_CASE("label budgets are stratified, seeded, and inside the view") {
    const DatasetFile d = toy::bars(1000, 4);  // 250 per class
    ClassFilter f;
    const auto view = filter_indices(d, f);
    const auto a = stratified_sample(d.labels, view, 4, 100, 0);
    CHECK(a.size() == 100);
    std::vector<int> per(4, 0);
    for (std::uint32_t i : a) ++per[d.labels[i]];
    CHECK(per == std::vector<int>{25, 25, 25, 25});
    CHECK(std::set<std::uint32_t>(a.begin(), a.end()).size() == 100);
    CHECK(stratified_sample(d.labels, view, 4, 100, 0) == a);
    CHECK(stratified_sample(d.labels, view, 4, 100, 1) != a);
    // 10 of 4 classes: shares 2.5 each → two classes get 3 (largest remainder, ties to the smaller class)
    const auto b = stratified_sample(d.labels, view, 4, 10, 0);
    std::vector<int> per_b(4, 0);
    for (std::uint32_t i : b) ++per_b[d.labels[i]];
    CHECK(per_b == std::vector<int>{3, 3, 2, 2});
    // A view without class 0: nothing from it.
    f.mode = ClassFilter::Mode::Except;
    const auto no0 = filter_indices(d, f);
    for (std::uint32_t i : stratified_sample(d.labels, no0, 4, 30, 0)) CHECK(d.labels[i] != 0);
    CHECK(error_of([&] { stratified_sample(d.labels, no0, 4, 751, 0); }) ==
          "label budget: 751 labelled images asked for, but only 750 are available");
}

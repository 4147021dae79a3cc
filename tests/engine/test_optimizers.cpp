// Optimizers, clipping and learning-rate schedules against numbers worked out by hand.
//
// Every optimizer test takes the same two steps on one parameter w = (1, −2):
//   step 1 with gradient g1 = (0.5, −1),  step 2 with g2 = (0.25, 2).
// Each expected value is derived in the comment beside it from the update rule of PyTorch's
// optimizer (torch.optim.SGD / RMSprop / Adam), with the intermediate numbers written out.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>

#include "core/error.hpp"
#include "optim/clip.hpp"
#include "optim/lr_schedule.hpp"
#include "optim/optimizer.hpp"
#include "train/trainer.hpp"

#include "toy_data.hpp"

using namespace ae;

namespace {

struct TwoSteps {
    double w1[2], w2[2];
};

TwoSteps two_steps(OptimizerConfig cfg, double lr) {
    Param w({2});
    w.value[0] = 1;
    w.value[1] = -2;
    std::vector<Param*> ps{&w};
    auto opt = make_optimizer(cfg);
    opt->attach(ps);
    TwoSteps r{};
    w.grad[0] = 0.5f;
    w.grad[1] = -1.0f;
    opt->step(ps, lr);
    r.w1[0] = w.value[0];
    r.w1[1] = w.value[1];
    w.grad[0] = 0.25f;
    w.grad[1] = 2.0f;
    opt->step(ps, lr);
    r.w2[0] = w.value[0];
    r.w2[1] = w.value[1];
    CHECK(opt->steps() == 2);
    return r;
}

void check(const TwoSteps& got, double a1, double b1, double a2, double b2) {
    CHECK(got.w1[0] == doctest::Approx(a1).epsilon(1e-6));
    CHECK(got.w1[1] == doctest::Approx(b1).epsilon(1e-6));
    CHECK(got.w2[0] == doctest::Approx(a2).epsilon(1e-6));
    CHECK(got.w2[1] == doctest::Approx(b2).epsilon(1e-6));
}

OptimizerConfig opt(const char* name, double momentum = 0, bool nesterov = false) {
    OptimizerConfig c;
    c.name = name;
    c.momentum = momentum;
    c.nesterov = nesterov;
    return c;
}

}  // namespace

TEST_CASE("sgd: w <- w - lr g") {
    // lr 0.1:  w1 = (1 − 0.05, −2 + 0.1) = (0.95, −1.9)
    //          w2 = (0.95 − 0.025, −1.9 − 0.2) = (0.925, −2.1)
    check(two_steps(opt("sgd"), 0.1), 0.95, -1.9, 0.925, -2.1);
}

TEST_CASE("sgd with momentum: b <- mu b + g (b = g at first), w <- w - lr b") {
    // lr 0.1, μ 0.9:  b1 = g1 = (0.5, −1)             w1 = (0.95, −1.9)
    //                 b2 = 0.9 b1 + g2 = (0.7, 1.1)    w2 = (0.95 − 0.07, −1.9 − 0.11) = (0.88, −2.01)
    check(two_steps(opt("sgd", 0.9), 0.1), 0.95, -1.9, 0.88, -2.01);
}

TEST_CASE("sgd with nesterov: b <- mu b + g, w <- w - lr (g + mu b)") {
    // lr 0.1, μ 0.9:  b1 = (0.5, −1);  g1 + 0.9 b1 = (0.95, −1.9)      w1 = (0.905, −1.81)
    //                 b2 = (0.7, 1.1); g2 + 0.9 b2 = (0.88, 2.99)      w2 = (0.905 − 0.088, −1.81 − 0.299)
    check(two_steps(opt("sgd", 0.9, true), 0.1), 0.905, -1.81, 0.817, -2.109);
}

TEST_CASE("rmsprop: v <- a v + (1-a) g^2, w <- w - lr g / (sqrt v + eps)") {
    // lr 0.01, α 0.99, ε 1e-8 (negligible here):
    //   v1 = 0.01 g1² = (0.0025, 0.01), √v1 = (0.05, 0.1), g1/√v1 = (10, −10)      w1 = (0.9, −1.9)
    //   v2 = 0.99 v1 + 0.01 g2² = (0.002475 + 0.000625, 0.0099 + 0.04) = (0.0031, 0.0499)
    //   √v2 = (0.0556776, 0.2233831), g2/√v2 = (4.490128, 8.953230)
    //   w2 = (0.9 − 0.04490128, −1.9 − 0.08953230) = (0.85509872, −1.98953230)
    check(two_steps(opt("rmsprop"), 0.01), 0.9, -1.9, 0.85509872, -1.98953230);
}

TEST_CASE("rmsprop with momentum: b <- mu b + g / (sqrt v + eps), w <- w - lr b") {
    // lr 0.01, μ 0.9, steps g/√v as above:
    //   b1 = (10, −10)                                   w1 = (0.9, −1.9)
    //   b2 = 0.9 b1 + (4.490128, 8.953230) = (13.490128, −0.046770)
    //   w2 = (0.9 − 0.13490128, −1.9 + 0.00046770) = (0.76509872, −1.89953230)
    check(two_steps(opt("rmsprop", 0.9), 0.01), 0.9, -1.9, 0.76509872, -1.89953230);
}

TEST_CASE("adam: bias-corrected moments") {
    // lr 0.1, β1 0.9, β2 0.999, ε 1e-8:
    //   t=1: m̂ = g1, v̂ = g1², step = lr·g/|g| = lr·sign(g)              w1 = (0.9, −1.9)
    //   t=2: m = 0.9·0.1 g1 + 0.1 g2 = (0.07, 0.11),   m̂ = m / (1 − 0.81) = (0.3684211, 0.5789474)
    //        v = 0.999·0.001 g1² + 0.001 g2² = (0.00031225, 0.004999),
    //        v̂ = v / (1 − 0.998001) = (0.1562031, 2.5007504), √v̂ = (0.3952254, 1.5813761)
    //        step = 0.1 m̂/√v̂ = (0.0932180, 0.0366104)               w2 = (0.8067820, −1.9366104)
    check(two_steps(opt("adam"), 0.1), 0.9, -1.9, 0.80678204, -1.93661035);
}

TEST_CASE("optimizer configs are checked") {
    CHECK_THROWS_WITH_AS(make_optimizer(opt("sgd", 0, true)), doctest::Contains("nesterov needs a momentum > 0"), Error);
    CHECK_THROWS_WITH_AS(make_optimizer(opt("lbfgs")), doctest::Contains("unknown optimizer 'lbfgs'"), Error);
    OptimizerConfig c = opt("rmsprop");
    c.alpha = 1.0;
    CHECK_THROWS_WITH_AS(make_optimizer(c), doctest::Contains("alpha"), Error);
    CHECK(make_optimizer(opt("sgd"))->name() == "sgd");
    CHECK(make_optimizer(opt("rmsprop"))->name() == "rmsprop");
}

TEST_CASE("slots are parallel to the parameters and named by index") {
    Param a({2}), b({3});
    std::vector<Param*> ps{&a, &b};
    auto rms = make_optimizer(opt("rmsprop", 0.5));
    rms->attach(ps);
    auto slots = rms->slots();
    REQUIRE(slots.size() == 4);
    CHECK(slots[0].first == "rmsprop.square_avg.0");
    CHECK(slots[1].second->size() == 3);
    CHECK(slots[3].first == "rmsprop.momentum.1");
    auto sgd = make_optimizer(opt("sgd", 0.9));
    sgd->attach(ps);
    REQUIRE(sgd->slots().size() == 2);
    CHECK(sgd->slots()[1].first == "sgd.momentum.1");
}

TEST_CASE("clip_by_global_norm: scales every gradient by max_norm / (norm + 1e-6) when that is < 1") {
    Param a({1}), b({1});
    std::vector<Param*> ps{&a, &b};
    a.grad[0] = 3;
    b.grad[0] = 4;  // global norm √(9 + 16) = 5
    CHECK(clip_by_global_norm(ps, 10) == doctest::Approx(5));
    CHECK(a.grad[0] == 3);  // under the limit: untouched
    CHECK(clip_by_global_norm(ps, 0) == doctest::Approx(5));  // 0 = off
    CHECK(b.grad[0] == 4);
    CHECK(clip_by_global_norm(ps, 1) == doctest::Approx(5));
    CHECK(a.grad[0] == doctest::Approx(3 / (5 + 1e-6)).epsilon(1e-6));  // 0.6
    CHECK(b.grad[0] == doctest::Approx(4 / (5 + 1e-6)).epsilon(1e-6));  // 0.8
    CHECK(global_grad_norm(ps) == doctest::Approx(1).epsilon(1e-5));
}

TEST_CASE("schedules: values at several epochs") {
    ScheduleConfig s;
    const double lr = 0.1;
    SUBCASE("constant") {
        for (double e : {0.0, 0.5, 3.0, 100.0}) CHECK(scheduled_lr(lr, s, e) == lr);
    }
    SUBCASE("step: lr * gamma^floor(e / k)") {
        s.name = "step";
        s.step_epochs = 2;
        CHECK(s.effective_gamma() == 0.5);  // default for step
        CHECK(scheduled_lr(lr, s, 0.0) == doctest::Approx(0.1));
        CHECK(scheduled_lr(lr, s, 1.99) == doctest::Approx(0.1));
        CHECK(scheduled_lr(lr, s, 2.0) == doctest::Approx(0.05));
        CHECK(scheduled_lr(lr, s, 4.5) == doctest::Approx(0.025));
        s.gamma = 0.1;
        CHECK(scheduled_lr(lr, s, 6.0) == doctest::Approx(1e-4));  // 0.1 · 0.1³
    }
    SUBCASE("exponential: lr * gamma^e, continuous in e") {
        s.name = "exponential";
        CHECK(s.effective_gamma() == 0.95);  // default for exponential
        CHECK(scheduled_lr(lr, s, 0.0) == doctest::Approx(0.1));
        CHECK(scheduled_lr(lr, s, 1.0) == doctest::Approx(0.095));
        CHECK(scheduled_lr(lr, s, 2.0) == doctest::Approx(0.09025));
        CHECK(scheduled_lr(lr, s, 0.5) == doctest::Approx(0.1 * 0.9746794));  // √0.95
    }
    SUBCASE("cosine: min_lr + (lr - min_lr) (1 + cos(pi e / T)) / 2, then min_lr") {
        s.name = "cosine";
        s.cosine_epochs = 10;
        s.min_lr = 0.01;
        CHECK(scheduled_lr(lr, s, 0.0) == doctest::Approx(0.1));
        CHECK(scheduled_lr(lr, s, 5.0) == doctest::Approx(0.055));   // halfway: (0.1 + 0.01) / 2
        CHECK(scheduled_lr(lr, s, 2.5) == doctest::Approx(0.01 + 0.09 * (1 + std::sqrt(0.5)) / 2));
        CHECK(scheduled_lr(lr, s, 10.0) == doctest::Approx(0.01));
        CHECK(scheduled_lr(lr, s, 25.0) == doctest::Approx(0.01));   // no restart
    }
    SUBCASE("bad schedules are refused") {
        s.name = "cosine";
        s.min_lr = 0.5;
        CHECK_THROWS_WITH_AS(validate(s, lr), doctest::Contains("min_lr (0.5) must not exceed lr"), Error);
        s.name = "step";
        s.gamma = 1.5;
        CHECK_THROWS_WITH_AS(validate(s, lr), doctest::Contains("gamma must be in (0, 1]"), Error);
    }
}

namespace {

std::vector<std::vector<float>> slot_values(Optimizer& o) {
    std::vector<std::vector<float>> out;
    for (auto& [name, v] : o.slots()) out.emplace_back(v->begin(), v->end());
    return out;
}

}  // namespace

TEST_CASE("changing lr and schedule mid-training keeps the optimizer and its slots") {
    for (const char* name : {"adam", "sgd", "rmsprop"}) {
        INFO("optimizer " << name);
        const DatasetFile data = toy::bars(32, 4);  // 4×4, one row lit
        TrainConfig tc = parse_train_config(std::string(R"({"lr":0.01,"momentum":0.5,"batch_size":8,"optimizer":")") +
                                            name + "\"}");
        Trainer t(parse_model_config(R"({"input":[1,4,4],"encoder":[6],"latent":2})"), tc);
        t.set_data(&data);
        t.train_steps(5);
        Optimizer* before = &t.optimizer();
        const auto slots = slot_values(t.optimizer());
        bool nonzero = false;
        for (const auto& s : slots)
            for (float v : s) nonzero = nonzero || v != 0;
        CHECK(nonzero);

        t.set_config(parse_train_config(R"({"lr":0.002,"schedule":"cosine","cosine_epochs":3,"min_lr":0.0001})",
                                        t.config()));
        CHECK(&t.optimizer() == before);
        CHECK(t.optimizer().steps() == 5);
        CHECK(slot_values(t.optimizer()) == slots);
        CHECK(t.config().optimizer.lr == doctest::Approx(0.002));
        CHECK(t.config().schedule.name == "cosine");
        CHECK(t.lr() < 0.002);  // 5 of 4 steps per epoch taken: already decaying

        // A different optimizer starts afresh.
        t.set_config(parse_train_config(std::string(R"({"optimizer":")") + (name == std::string("sgd") ? "adam" : "sgd") +
                                            "\"}",
                                        t.config()));
        CHECK(&t.optimizer() != before);
        CHECK(t.optimizer().steps() == 0);
        for (const auto& s : slot_values(t.optimizer()))
            for (float v : s) CHECK(v == 0);
    }
}

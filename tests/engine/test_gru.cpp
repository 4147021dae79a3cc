// The GRU's fast path against its references (kernels/gru_naive.hpp):
//   - the vectorised gate kernels (kernels/gru.hpp) against the reference loops, on batch sizes
//     and widths that give whole and partial vectors, with strided rows as the layer uses them;
//   - the layer (layers/gru.hpp: GEMMs over all steps and per step, the gate kernels) against a
//     whole GRU written as plain loops accumulated in double, forward and backward through time.
// PyTorch's own nn.GRU is the third opinion: tests/engine/test_golden.cpp (sequence variant).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/rng.hpp"
#include "kernels/gru.hpp"
#include "kernels/gru_naive.hpp"
#include "layers/gru.hpp"

using namespace ae;

namespace {

std::vector<float> randoms(Rng& rng, std::size_t n, double scale) {
    std::vector<float> v(n);
    for (auto& x : v) x = float(rng.normal() * scale);
    return v;
}

// max over i of |a − b| / (atol + rtol·|b|): at most 1 when every value is within tolerance.
double worst(const float* a, const float* b, std::size_t n, double atol, double rtol) {
    double w = 0;
    for (std::size_t i = 0; i < n; ++i)
        w = std::max(w, std::fabs(double(a[i]) - double(b[i])) / (atol + rtol * std::fabs(double(b[i]))));
    return w;
}

double max_abs(const float* v, std::size_t n) {
    double m = 0;
    for (std::size_t i = 0; i < n; ++i) m = std::max(m, double(std::fabs(v[i])));
    return m;
}

}  // namespace

TEST_CASE("gru gate kernels match the reference loops, with strided rows") {
    Rng rng(5);
    for (std::size_t N : {1, 3}) {
        for (std::size_t H = 1; H <= 37; H += (H < 20 ? 1 : 8)) {
            INFO("N=" << N << " H=" << H);
            const std::size_t G = 3 * H, ld = G + 5, ldh = H + 3;  // rows wider than the data, as per step slices
            const std::vector<float> a0 = randoms(rng, N * ld, 2.0), g = randoms(rng, N * ld, 2.0),
                                     hp = randoms(rng, N * ldh, 0.8), dh = randoms(rng, N * ldh, 1.0),
                                     dy = randoms(rng, N * ldh, 1.0);
            for (bool with_prev : {false, true}) {
                std::vector<float> a = a0, ar = a0, h(N * ldh, 7.f), hr(N * ldh, 7.f);
                const float* prev = with_prev ? hp.data() : nullptr;
                kernels::gru_gates_forward(N, H, a.data(), ld, g.data(), ld, prev, ldh, h.data(), ldh);
                kernels::naive::gru_gates_forward(N, H, ar.data(), ld, g.data(), ld, prev, ldh, hr.data(), ldh);
                // σ and tanh are each a few float ulps from <cmath> (test_elementwise.cpp); n's
                // argument carries r's rounding times g_n (|g_n| < 8 here): about 1e-6 absolute.
                CHECK(worst(a.data(), ar.data(), a.size(), 2e-6, 2e-6) <= 1);
                CHECK(worst(h.data(), hr.data(), h.size(), 2e-6, 2e-6) <= 1);
                CHECK(h[ldh - 1] == 7.f);  // past the row's H values: untouched

                std::vector<float> da(N * ld, 0.f), dg(N * ld, 0.f), dhp(N * ldh, 0.f);
                std::vector<float> dar = da, dgr = dg, dhpr = dhp;
                for (const float* dyp : {(const float*)nullptr, dy.data()}) {
                    kernels::gru_gates_backward(N, H, dh.data(), ldh, dyp, ldh, ar.data(), ld, g.data(), ld, prev, ldh,
                                                da.data(), ld, dg.data(), ld, dhp.data(), ldh);
                    kernels::naive::gru_gates_backward(N, H, dh.data(), ldh, dyp, ldh, ar.data(), ld, g.data(), ld,
                                                       prev, ldh, dar.data(), ld, dgr.data(), ld, dhpr.data(), ldh);
                    // The same products in another order: a few float roundings of values below ~20.
                    CHECK(worst(da.data(), dar.data(), da.size(), 1e-6, 1e-6) <= 1);
                    CHECK(worst(dg.data(), dgr.data(), dg.size(), 1e-6, 1e-6) <= 1);
                    CHECK(worst(dhp.data(), dhpr.data(), dhp.size(), 1e-6, 1e-6) <= 1);
                }
            }
        }
    }
}

TEST_CASE("gru layer (GEMMs and vectorised gates) matches a plain-loop GRU, forward and backward") {
    Rng rng(6);
    // {N, T, I, H}: the sequence autoencoder's shapes (28 steps of 28 pixels) included, smaller.
    for (const auto& s : {std::array<std::size_t, 4>{1, 1, 1, 1}, {3, 5, 4, 7}, {5, 28, 28, 19}, {2, 28, 20, 33}}) {
        const std::size_t N = s[0], T = s[1], I = s[2], H = s[3];
        for (bool all : {true, false}) {
            INFO("N=" << N << " T=" << T << " I=" << I << " H=" << H << (all ? " all states" : " last state"));
            GRU layer(T, I, H, all);
            layer.init(rng);
            const std::vector<float> xv = randoms(rng, N * T * I, 1.0);
            Mat x({N, T * I});
            std::copy(xv.begin(), xv.end(), x.begin());
            const Context ctx{Mode::Train, &rng};
            const Mat y = layer.forward(x, ctx);

            const std::vector<Param*> p = layer.params();
            std::vector<float> hs(N * T * H);
            kernels::naive::gru_sequence_forward(N, T, I, H, x.data(), p[0]->data(), p[1]->data(), p[2]->data(),
                                                 p[3]->data(), hs.data());
            // Float GEMMs and gates against double loops, through up to 28 steps: states in (−1, 1)
            // within 1e-5.
            CHECK(worst(layer.states().data(), hs.data(), hs.size(), 1e-5, 0) <= 1);
            if (!all)  // the last state, copied
                for (std::size_t n = 0; n < N; ++n)
                    for (std::size_t j = 0; j < H; ++j) CHECK(y(n, j) == layer.states()(n, (T - 1) * H + j));

            const std::vector<float> dyv = randoms(rng, y.size(), 1.0);
            Mat dy(y.shape());
            std::copy(dyv.begin(), dyv.end(), dy.begin());
            const Mat dx = layer.backward(dy);
            // The reference takes d(loss)/d(every state): zeros but the last for the last-state mode.
            std::vector<float> dhs(N * T * H, 0.f);
            for (std::size_t n = 0; n < N; ++n)
                for (std::size_t t = 0; t < T; ++t)
                    for (std::size_t j = 0; j < H; ++j)
                        if (all) dhs[(n * T + t) * H + j] = dy(n, t * H + j);
                        else if (t == T - 1) dhs[(n * T + t) * H + j] = dy(n, j);
            std::vector<float> rdx(N * T * I), rWih(I * 3 * H), rWhh(H * 3 * H), rbih(3 * H), rbhh(3 * H);
            kernels::naive::gru_sequence_backward(N, T, I, H, x.data(), p[0]->data(), p[1]->data(), p[2]->data(),
                                                  p[3]->data(), hs.data(), dhs.data(), rdx.data(), rWih.data(),
                                                  rWhh.data(), rbih.data(), rbhh.data());
            // Sums over up to N·T = 140 rows of float products, against double sums: within 1e-4 of
            // each tensor's largest value (cancelling sums near 0 cannot be relatively exact).
            auto check = [](const char* what, const float* ours, const std::vector<float>& ref) {
                INFO(what);
                CHECK(worst(ours, ref.data(), ref.size(), 1e-4 * max_abs(ref.data(), ref.size()), 1e-4) <= 1);
            };
            check("dx", dx.data(), rdx);
            check("dW_ih", p[0]->gdata(), rWih);
            check("dW_hh", p[1]->gdata(), rWhh);
            check("db_ih", p[2]->gdata(), rbih);
            check("db_hh", p[3]->gdata(), rbhh);
        }
    }
}

TEST_CASE("gru layer: names, shapes and refusals") {
    GRU layer(28, 28, 16, false);
    CHECK(layer.in_shape().size() == 28 * 28);
    CHECK(layer.out_shape().size() == 16);
    CHECK(layer.param_name(0) == "weight_ih_l0");
    CHECK(layer.param_name(3) == "bias_hh_l0");
    CHECK(layer.params()[0]->shape == std::vector<std::size_t>{28, 48});
    CHECK(layer.params()[1]->shape == std::vector<std::size_t>{16, 48});
    CHECK(layer.params()[0]->decay);
    CHECK_FALSE(layer.params()[2]->decay);
    Rng rng(1);
    Mat x({2, 27 * 28});
    CHECK_THROWS_WITH(layer.forward(x, Context{Mode::Train, &rng}),
                      "gru layer expects 28 steps of 28 values (784 per row), got 756");
    CHECK_THROWS_WITH(GRU(0, 3, 4, true), "gru layer needs positive sizes, got 0 steps of 3 values and a state of 4");
}

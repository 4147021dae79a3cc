// Central-difference gradient checks, used by the grad_*.cpp tests (double-precision engine).
//
// For a layer f and a fixed random "upstream gradient" g, the scalar L(x, θ) = Σ g ⊙ f(x; θ)
// has dL/dx = backward(g) and dL/dθ = the Param grads. Each analytic entry is compared with
// (L(v + h) − L(v − h)) / 2h, entry by entry, with a relative tolerance.
#pragma once
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include <doctest/doctest.h>

#include "core/layer.hpp"
#include "core/rng.hpp"

namespace ae::test {

inline Mat random_mat(Rng& rng, std::size_t n, std::size_t d, double scale = 1.0) {
    Mat m({n, d});
    for (auto& v : m) v = Scalar(rng.normal() * scale);
    return m;
}

inline double sum_product(const Mat& a, const Mat& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += double(a.data()[i]) * double(b.data()[i]);
    return s;
}

// |a − n| ≤ atol + rtol · max(|a|, |n|)
inline void check_close(double analytic, double numeric, const std::string& what, double rtol = 1e-6,
                        double atol = 1e-8) {
    const double tol = atol + rtol * std::max(std::fabs(analytic), std::fabs(numeric));
    INFO(what << ": analytic " << analytic << " vs numeric " << numeric);
    CHECK(std::fabs(analytic - numeric) <= tol);
}

// Checks dx and every Param gradient of `layer` at x. `max_entries` limits the entries
// probed per tensor (spread evenly) to keep big layers fast.
inline void gradcheck_layer(Layer& layer, const Mat& x, Rng& rng, Mode mode = Mode::Train, double h = 1e-6,
                            double rtol = 1e-6, std::size_t max_entries = 200) {
    Context ctx{mode, &rng};
    // Layers that draw random numbers in forward (dropout, sampling) must see the same draws
    // on every evaluation: restore the generator state before each forward.
    const Rng::State rng_state = rng.state();
    auto forward = [&](const Mat& in) -> const Mat& {
        rng.set_state(rng_state);
        return layer.forward(in, ctx);
    };
    const Mat y0 = forward(x);
    Rng grng(12345);
    const Mat g = random_mat(grng, rows(y0), cols(y0));
    auto loss = [&](const Mat& in) { return sum_product(forward(in), g); };

    forward(x);
    const Mat dx = layer.backward(g);
    std::vector<Vec> pgrads;
    for (Param* p : layer.params()) pgrads.push_back(p->grad);

    Mat xp = x;
    const std::size_t nx = x.size();
    const std::size_t stride_x = std::max<std::size_t>(1, nx / max_entries);
    if (layer.needs_input_grad()) {
        for (std::size_t i = 0; i < nx; i += stride_x) {
            const Scalar keep = xp.data()[i];
            xp.data()[i] = keep + h;
            const double lp = loss(xp);
            xp.data()[i] = keep - h;
            const double lm = loss(xp);
            xp.data()[i] = keep;
            check_close(dx.data()[i], (lp - lm) / (2 * h), layer.kind() + " dx[" + std::to_string(i) + "]", rtol);
        }
    }
    auto params = layer.params();
    for (std::size_t k = 0; k < params.size(); ++k) {
        Param& p = *params[k];
        const std::size_t np = p.size();
        const std::size_t stride = std::max<std::size_t>(1, np / max_entries);
        for (std::size_t i = 0; i < np; i += stride) {
            const Scalar keep = p.value[i];
            p.value[i] = keep + h;
            const double lp = loss(x);
            p.value[i] = keep - h;
            const double lm = loss(x);
            p.value[i] = keep;
            check_close(pgrads[k][i], (lp - lm) / (2 * h),
                        layer.kind() + " param " + std::to_string(k) + "[" + std::to_string(i) + "]", rtol);
        }
    }
}

// Checks the gradient of a loss L(z) written into dz by `fn(z, dz)`, which returns L.
inline void gradcheck_loss(const std::function<double(const Mat&, Mat*)>& fn, const Mat& z, const std::string& what,
                           double h = 1e-6, double rtol = 1e-6) {
    Mat dz;
    fn(z, &dz);
    Mat zp = z;
    for (std::size_t i = 0; i < z.size(); ++i) {
        const Scalar keep = zp.data()[i];
        zp.data()[i] = keep + h;
        const double lp = fn(zp, nullptr);
        zp.data()[i] = keep - h;
        const double lm = fn(zp, nullptr);
        zp.data()[i] = keep;
        check_close(dz.data()[i], (lp - lm) / (2 * h), what + "[" + std::to_string(i) + "]", rtol);
    }
}

}  // namespace ae::test

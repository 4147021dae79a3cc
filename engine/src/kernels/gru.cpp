// Vectorised GRU gates (contracts in gru.hpp): for each row of the batch, W lanes of every gate
// at a time, then one partial vector (loaded zero-padded, stored lane by lane), so each element
// goes through the same arithmetic wherever it sits.
#include "kernels/gru.hpp"

#include "core/parallel.hpp"
#include "kernels/gru_naive.hpp"
#include "kernels/simd.hpp"
#include "kernels/vmath.hpp"

namespace ae::kernels {

namespace {

using namespace simd;

// Lanes [j, j + r) of a row: whole vectors when r == W, else a zero-padded partial one.
inline vf ld(const float* p, int r) { return r == W ? load(p) : load_partial(p, r); }
inline void st(float* p, vf v, int r) {
    if (r == W) store(p, v);
    else store_partial(p, v, r);
}

// Rows per part when the batch is shared among threads. Rows are independent, so any cut gives
// the same values. A row is 3H lanes of sigmoid/tanh arithmetic, several times an elementwise
// pass's cost per lane (elementwise.cpp cuts at 2^14), so a part has at least 2,048 lanes.
inline std::size_t min_rows(std::size_t H) { return (std::size_t(2048) + H - 1) / H; }

}  // namespace

void gru_gates_forward(std::size_t N, std::size_t H, float* a, std::size_t ld_a, const float* g, std::size_t ld_g,
                       const float* h_prev, std::size_t ld_hp, float* h, std::size_t ld_h) {
    parallel_for(N, min_rows(H), 1, [&](std::size_t i0, std::size_t i1) {
        const vf one = splat(1.0f);
        for (std::size_t i = i0; i < i1; ++i) {
            float* ar = a + i * ld_a;
            const float* gr = g + i * ld_g;
            const float* hp = h_prev ? h_prev + i * ld_hp : nullptr;
            float* hr = h + i * ld_h;
            for (std::size_t j = 0; j < H; j += W) {
                const int r = int(H - j < std::size_t(W) ? H - j : W);
                const vf rg = vmath::sigmoid(add(ld(ar + j, r), ld(gr + j, r)));
                const vf zg = vmath::sigmoid(add(ld(ar + H + j, r), ld(gr + H + j, r)));
                const vf ng = vmath::tanh(add(ld(ar + 2 * H + j, r), mul(rg, ld(gr + 2 * H + j, r))));
                const vf hprev = hp ? ld(hp + j, r) : zero();
                st(ar + j, rg, r);
                st(ar + H + j, zg, r);
                st(ar + 2 * H + j, ng, r);
                st(hr + j, add(mul(sub(one, zg), ng), mul(zg, hprev)), r);
            }
        }
    });
}

void gru_gates_backward(std::size_t N, std::size_t H, const float* dh, std::size_t ld_dh, const float* dy,
                        std::size_t ld_dy, const float* gates, std::size_t ld_a, const float* g, std::size_t ld_g,
                        const float* h_prev, std::size_t ld_hp, float* da, std::size_t ld_da, float* dg,
                        std::size_t ld_dg, float* dh_prev, std::size_t ld_dhp) {
    parallel_for(N, min_rows(H), 1, [&](std::size_t i0, std::size_t i1) {
        const vf one = splat(1.0f);
        for (std::size_t i = i0; i < i1; ++i) {
            const float* gt = gates + i * ld_a;
            const float* gn = g + i * ld_g + 2 * H;
            const float* hp = h_prev ? h_prev + i * ld_hp : nullptr;
            const float* dhr = dh + i * ld_dh;
            const float* dyr = dy ? dy + i * ld_dy : nullptr;
            float* dar = da + i * ld_da;
            float* dgr = dg + i * ld_dg;
            float* dhp = dh_prev + i * ld_dhp;
            for (std::size_t j = 0; j < H; j += W) {
                const int r = int(H - j < std::size_t(W) ? H - j : W);
                const vf rg = ld(gt + j, r), zg = ld(gt + H + j, r), ng = ld(gt + 2 * H + j, r);
                const vf hprev = hp ? ld(hp + j, r) : zero();
                const vf d = dyr ? add(ld(dhr + j, r), ld(dyr + j, r)) : ld(dhr + j, r);
                const vf dn = mul(mul(d, sub(one, zg)), sub(one, mul(ng, ng)));
                const vf dz = mul(mul(d, sub(hprev, ng)), mul(zg, sub(one, zg)));
                const vf dr = mul(mul(dn, ld(gn + j, r)), mul(rg, sub(one, rg)));
                st(dar + j, dr, r);
                st(dar + H + j, dz, r);
                st(dar + 2 * H + j, dn, r);
                st(dgr + j, dr, r);
                st(dgr + H + j, dz, r);
                st(dgr + 2 * H + j, mul(dn, rg), r);
                st(dhp + j, mul(d, zg), r);
            }
        }
    });
}

// ---- double: the references ------------------------------------------------------------------
void gru_gates_forward(std::size_t N, std::size_t H, double* a, std::size_t ld_a, const double* g, std::size_t ld_g,
                       const double* h_prev, std::size_t ld_hp, double* h, std::size_t ld_h) {
    naive::gru_gates_forward(N, H, a, ld_a, g, ld_g, h_prev, ld_hp, h, ld_h);
}

void gru_gates_backward(std::size_t N, std::size_t H, const double* dh, std::size_t ld_dh, const double* dy,
                        std::size_t ld_dy, const double* gates, std::size_t ld_a, const double* g, std::size_t ld_g,
                        const double* h_prev, std::size_t ld_hp, double* da, std::size_t ld_da, double* dg,
                        std::size_t ld_dg, double* dh_prev, std::size_t ld_dhp) {
    naive::gru_gates_backward(N, H, dh, ld_dh, dy, ld_dy, gates, ld_a, g, ld_g, h_prev, ld_hp, da, ld_da, dg, ld_dg,
                              dh_prev, ld_dhp);
}

}  // namespace ae::kernels

// Vectorised elementwise kernels (contracts in elementwise.hpp). Every loop runs whole vectors
// of simd::W lanes and finishes with one partial vector (loaded zero-padded, stored lane by
// lane), so every element goes through the same arithmetic wherever it sits in the array; long
// maps are therefore cut among the threads (core/parallel.hpp) without changing a bit. The loss
// sums are cut into fixed blocks whose sums are added in block order (sum_blocks), and column
// sums by columns, so they too are the one thread's results, bit for bit.
#include "kernels/elementwise.hpp"

#include "core/parallel.hpp"
#include "kernels/elementwise_naive.hpp"
#include "kernels/simd.hpp"
#include "kernels/vmath.hpp"

namespace ae::kernels {

namespace {

using namespace simd;

// Maps shorter than this stay on the caller (a part must outweigh waking a thread).
constexpr std::size_t kMinPart = std::size_t(1) << 14;

// y[i] = f(x[i]) for b ≤ i < e, on this thread; in place allowed (each vector is loaded before
// it is stored).
template <class F>
void map1_range(const float* x, float* y, std::size_t b, std::size_t e, F f) {
    std::size_t i = b;
    for (; i + W <= e; i += W) store(y + i, f(load(x + i)));
    if (i < e) store_partial(y + i, f(load_partial(x + i, int(e - i))), int(e - i));
}

// z[i] = f(x[i], y[i]) for b ≤ i < e, on this thread; z may alias x or y.
template <class F>
void map2_range(const float* x, const float* y, float* z, std::size_t b, std::size_t e, F f) {
    std::size_t i = b;
    for (; i + W <= e; i += W) store(z + i, f(load(x + i), load(y + i)));
    if (i < e) {
        const int r = int(e - i);
        store_partial(z + i, f(load_partial(x + i, r), load_partial(y + i, r)), r);
    }
}

// The same over [0, n), cut among the threads when long.
template <class F>
void map1(const float* x, float* y, std::size_t n, F f) {
    parallel_for(n, kMinPart, 4 * W, [&](std::size_t b, std::size_t e) { map1_range(x, y, b, e, f); });
}

template <class F>
void map2(const float* x, const float* y, float* z, std::size_t n, F f) {
    parallel_for(n, kMinPart, 4 * W, [&](std::size_t b, std::size_t e) { map2_range(x, y, z, b, e, f); });
}

template <class F>
void map3(const float* x, const float* y, const float* w, float* z, std::size_t n, F f) {
    parallel_for(n, kMinPart, 4 * W, [&](std::size_t b, std::size_t e) {
        std::size_t i = b;
        for (; i + W <= e; i += W) store(z + i, f(load(x + i), load(y + i), load(w + i)));
        if (i < e) {
            const int r = int(e - i);
            store_partial(z + i, f(load_partial(x + i, r), load_partial(y + i, r), load_partial(w + i, r)), r);
        }
    });
}

using vmath::act_v;

template <Act Kind>
void act_forward_t(const float* x, float* y, std::size_t n, float slope) {
    const vf a = splat(slope);
    map1(x, y, n, [a](vf v) { return act_v<Kind>(v, a); });
}

template <Act Kind>
void bias_act_t(float slope, const float* bias, float* C, std::size_t m, std::size_t n, std::size_t ldc) {
    const vf a = splat(slope);
    // Rows among the threads, each row's map on its thread. The GEMM calls this on one column
    // panel at a time (128 rows of 8 in a dense layer's product): a per-row map that asked the
    // thread pool whether to split itself cost 2.4 times the product's epilogue (WASM, Dense
    // 20 → 3136 + ReLU at batch 128: 0.28 ms a call against 0.12 ms for one pass over all of C).
    // A panel of whole vectors (n = 8 in the WASM GEMM's panels) keeps its bias in registers.
    if (bias && n > 0 && n % W == 0 && n <= 2 * W) {
        const vf b0 = load(bias), b1 = n > W ? load(bias + W) : zero();
        parallel_for(m, (kMinPart + n - 1) / n, 1, [&](std::size_t r0, std::size_t r1) {
            for (std::size_t i = r0; i < r1; ++i) {
                float* row = C + i * ldc;
                store(row, act_v<Kind>(add(load(row), b0), a));
                if (n > W) store(row + W, act_v<Kind>(add(load(row + W), b1), a));
            }
        });
        return;
    }
    parallel_for(m, n ? (kMinPart + n - 1) / n : m, 1, [&](std::size_t r0, std::size_t r1) {
        for (std::size_t i = r0; i < r1; ++i) {
            float* row = C + i * ldc;
            if (bias)
                map2_range(row, bias, row, 0, n, [a](vf c, vf b) { return act_v<Kind>(add(c, b), a); });
            else if constexpr (Kind != Act::Identity)
                map1_range(row, row, 0, n, [a](vf c) { return act_v<Kind>(c, a); });
        }
    });
}

// body(i, c, from, to) for every plane (i < count, c < C) of P values, from = its offset in
// layout `in`, to = in layout `out`: whole images among the threads, each part at least kMinPart
// values. The plane passes below (bias_act_planes, act_backward_planes, copy_planes).
template <class Body>
void each_plane(std::size_t count, std::size_t C, std::size_t P, PlaneLayout in, PlaneLayout out, Body&& body) {
    const std::size_t image = C * P;
    parallel_for(count, image ? (kMinPart + image - 1) / image : count, 1, [&](std::size_t i0, std::size_t i1) {
        for (std::size_t i = i0; i < i1; ++i)
            for (std::size_t c = 0; c < C; ++c) body(i, c, i * in.image + c * in.channel, i * out.image + c * out.channel);
    });
}

template <Act Kind>
void bias_act_planes_t(float slope, const float* bias, const float* src, PlaneLayout in, std::size_t count,
                       std::size_t C, std::size_t P, float* dst, PlaneLayout out) {
    const vf a = splat(slope);
    each_plane(count, C, P, in, out, [&](std::size_t, std::size_t c, std::size_t from, std::size_t to) {
        if (bias) {
            const vf b = splat(bias[c]);
            map1_range(src + from, dst + to, 0, P, [a, b](vf v) { return act_v<Kind>(add(v, b), a); });
        } else {
            map1_range(src + from, dst + to, 0, P, [a](vf v) { return act_v<Kind>(v, a); });
        }
    });
}

// Σ of a loss over n elements: per-lane float partial sums over blocks of kBlock vectors, each
// block's lanes then added in double (the float sums stay short, so the total keeps the
// precision of the per-element double sum of the reference to about 1e-7).
constexpr std::size_t kBlock = 64;

// Σ over the n/W whole vectors of block_sum(first vector, vectors) per block of kBlock vectors,
// each block's sum (its lanes added in double) added to the double total in block order. The blocks are the same for
// any thread count and are summed in the same order, so the total is the one thread's, bit for
// bit; the blocks themselves (and whatever block_sum writes) are computed among the threads.
template <class BlockSum>
double sum_blocks(std::size_t n, BlockSum block_sum) {
    const std::size_t vectors = n / W, blocks = (vectors + kBlock - 1) / kBlock;
    constexpr std::size_t kChunk = 256;  // blocks per round (a stack array of their sums)
    double sums[kChunk];
    double total = 0.0;
    for (std::size_t c0 = 0; c0 < blocks; c0 += kChunk) {
        const std::size_t nb = blocks - c0 < kChunk ? blocks - c0 : kChunk;
        parallel_for(nb, kMinPart / (kBlock * W), 1, [&](std::size_t b0, std::size_t b1) {
            for (std::size_t b = b0; b < b1; ++b) {
                const std::size_t v0 = (c0 + b) * kBlock, nv = vectors - v0 < kBlock ? vectors - v0 : kBlock;
                sums[b] = block_sum(v0 * W, nv);
            }
        });
        for (std::size_t b = 0; b < nb; ++b) total += sums[b];
    }
    return total;
}

}  // namespace

void act_forward(Act kind, const float* x, float* y, std::size_t n, float slope) {
    switch (kind) {
        case Act::Identity:
            if (y != x) map1(x, y, n, [](vf v) { return v; });
            break;
        case Act::ReLU: act_forward_t<Act::ReLU>(x, y, n, slope); break;
        case Act::LeakyReLU: act_forward_t<Act::LeakyReLU>(x, y, n, slope); break;
        case Act::Sigmoid: act_forward_t<Act::Sigmoid>(x, y, n, slope); break;
        case Act::Tanh: act_forward_t<Act::Tanh>(x, y, n, slope); break;
    }
}

void act_forward(Act kind, const float* x, float bias, float* y, std::size_t n, float slope) {
    const vf a = splat(slope), b = splat(bias);
    vmath::with_act(kind, [&](auto k) {
        constexpr Act Kind = decltype(k)::value;
        map1(x, y, n, [a, b](vf v) { return act_v<Kind>(add(v, b), a); });
    });
}

// use(g) with g(s, dy) = dy · f'(·) of `kind` as a vector map, s being y (x for LeakyReLU when
// given): the derivatives written once for act_backward and act_backward_sum. Not Identity.
template <class Use>
decltype(auto) with_act_grad(Act kind, float slope, Use&& use) {
    const vf a = splat(slope), one = splat(1.0f);
    switch (kind) {
        case Act::LeakyReLU: return use([a](vf s, vf g) { return select(gt(s, zero()), g, mul(a, g)); });
        case Act::Sigmoid: return use([one](vf yv, vf g) { return mul(mul(g, yv), sub(one, yv)); });
        case Act::Tanh: return use([one](vf yv, vf g) { return mul(g, sub(one, mul(yv, yv))); });
        case Act::ReLU:
        case Act::Identity: break;
    }
    return use([](vf yv, vf g) { return select(gt(yv, zero()), g, zero()); });  // ReLU
}

void act_backward(Act kind, const float* x, const float* y, const float* dy, float* dx, std::size_t n,
                  float slope) {
    if (kind == Act::Identity) {
        if (dx != dy) map1(dy, dx, n, [](vf v) { return v; });
        return;
    }
    const float* s = kind == Act::LeakyReLU && x ? x : y;
    with_act_grad(kind, slope, [&](auto g) { map2(s, dy, dx, n, g); });
}

// z[i] = f(x[i], y[i]) on one thread, returning Σ z in sum()'s order: lane sums over the whole
// vectors, then the lanes and the last entries added in double.
template <class F>
float map2_sum(const float* x, const float* y, float* z, std::size_t n, F f) {
    vf acc = zero();
    std::size_t i = 0;
    for (; i + W <= n; i += W) {
        const vf v = f(load(x + i), load(y + i));
        store(z + i, v);
        acc = add(acc, v);
    }
    double s = hsum(acc);
    if (i < n) {
        const int r = int(n - i);
        store_partial(z + i, f(load_partial(x + i, r), load_partial(y + i, r)), r);
        for (; i < n; ++i) s += double(z[i]);
    }
    return float(s);
}

float act_backward_sum(Act kind, const float* y, const float* dy, float* dx, std::size_t n, float slope) {
    if (kind == Act::Identity) return sum(dy, dx, n);
    return with_act_grad(kind, slope, [&](auto g) { return map2_sum(y, dy, dx, n, g); });
}

void bias_act(Act kind, float slope, const float* bias, float* C, std::size_t m, std::size_t n, std::size_t ldc) {
    vmath::with_act(kind, [&](auto k) { bias_act_t<decltype(k)::value>(slope, bias, C, m, n, ldc); });
}

void bias_act_planes(Act kind, float slope, const float* bias, const float* src, PlaneLayout in, std::size_t count,
                     std::size_t C, std::size_t P, float* dst, PlaneLayout out) {
    vmath::with_act(kind, [&](auto k) { bias_act_planes_t<decltype(k)::value>(slope, bias, src, in, count, C, P, dst, out); });
}

void act_backward_planes(Act kind, float slope, const float* y, const float* dy, PlaneLayout in, std::size_t count,
                         std::size_t C, std::size_t P, float* dx, PlaneLayout out, float* sums) {
    each_plane(count, C, P, in, out, [&](std::size_t i, std::size_t c, std::size_t from, std::size_t to) {
        sums[i * C + c] = kind == Act::Identity && !dx ? sum(dy + from, nullptr, P)
                                                       : act_backward_sum(kind, y + from, dy + from, dx + to, P, slope);
    });
}

void copy_planes(const float* src, PlaneLayout in, std::size_t count, std::size_t C, std::size_t P, float* dst,
                 PlaneLayout out) {
    each_plane(count, C, P, in, out,
               [&](std::size_t, std::size_t, std::size_t from, std::size_t to) { copy(src + from, dst + to, P); });
}

double bce_logits(const float* z, const float* t, float* dz, std::size_t n, float dz_scale) {
    const vf one = splat(1.0f), scale = splat(dz_scale);
    // The loss of one vector (and its gradient into dz, if wanted).
    auto term = [&](vf zv, vf tv, float* g, int r) {
        const vf e = vmath::exp_nonpos(neg(abs(zv)));  // in (0, 1]
        const vf loss = add(sub(select(gt(zv, zero()), zv, zero()), mul(zv, tv)), vmath::log1p_unit(e));
        if (g) {
            const vf p = div(select(ge(zv, zero()), one, e), add(one, e));  // σ(z)
            const vf gv = mul(sub(p, tv), scale);
            if (r == W) store(g, gv);
            else store_partial(g, gv, r);
        }
        return loss;
    };
    double total = sum_blocks(n, [&](std::size_t i, std::size_t nv) {
        vf acc = zero();
        for (std::size_t b = 0; b < nv; ++b, i += W) acc = add(acc, term(load(z + i), load(t + i), dz ? dz + i : nullptr, W));
        return hsum(acc);
    });
    const std::size_t i = n / W * W;
    if (i < n) {
        const int r = int(n - i);
        float l[W];
        store(l, term(load_partial(z + i, r), load_partial(t + i, r), dz ? dz + i : nullptr, r));
        for (int k = 0; k < r; ++k) total += double(l[k]);
    }
    return total;
}

double squared_error(const float* y, const float* t, float* dy, std::size_t n, float dy_scale) {
    const vf scale = splat(dy_scale);
    double total = sum_blocks(n, [&](std::size_t i, std::size_t nv) {
        vf acc = zero();
        for (std::size_t b = 0; b < nv; ++b, i += W) {
            const vf d = sub(load(y + i), load(t + i));
            acc = add(acc, mul(d, d));
            if (dy) store(dy + i, mul(scale, d));
        }
        return hsum(acc);
    });
    for (std::size_t i = n / W * W; i < n; ++i) {  // the reference's arithmetic, element by element
        const float d = y[i] - t[i];
        total += double(d) * double(d);
        if (dy) dy[i] = dy_scale * d;
    }
    return total;
}

void column_sums(const float* dy, std::size_t n, std::size_t d, float* db) {
    // Four vectors of columns at a time, summed down the rows in registers (rows in order, as
    // the reference adds them).
    constexpr std::size_t J = 4 * W;
    // Groups of J columns among the threads (each column's sum is its own: nothing to combine).
    const std::size_t groups = d / J;
    parallel_for(groups, n ? (kMinPart + n * J - 1) / (n * J) : groups, 1, [&](std::size_t g0, std::size_t g1) {
        for (std::size_t j = g0 * J; j < g1 * J; j += J) {
            vf a0 = zero(), a1 = zero(), a2 = zero(), a3 = zero();
            for (std::size_t i = 0; i < n; ++i) {
                const float* row = dy + i * d + j;
                a0 = add(a0, load(row));
                a1 = add(a1, load(row + W));
                a2 = add(a2, load(row + 2 * W));
                a3 = add(a3, load(row + 3 * W));
            }
            store(db + j, a0);
            store(db + j + W, a1);
            store(db + j + 2 * W, a2);
            store(db + j + 3 * W, a3);
        }
    });
    for (std::size_t j = groups * J; j < d; j += W) {
        const int r = int(d - j < std::size_t(W) ? d - j : W);
        vf acc = zero();
        for (std::size_t i = 0; i < n; ++i) acc = add(acc, load_partial(dy + i * d + j, r));
        store_partial(db + j, acc, r);
    }
}

void copy(const float* src, float* dst, std::size_t n) {
    std::size_t i = 0;
    for (; i + W <= n; i += W) store(dst + i, load(src + i));
    for (; i < n; ++i) dst[i] = src[i];
}

float sum(const float* x, float* dst, std::size_t n) {
    vf acc = zero();
    std::size_t i = 0;
    if (dst) {
        for (; i + W <= n; i += W) {
            const vf v = load(x + i);
            store(dst + i, v);
            acc = add(acc, v);
        }
    } else {
        for (; i + W <= n; i += W) acc = add(acc, load(x + i));
    }
    double s = hsum(acc);
    for (; i < n; ++i) {
        if (dst) dst[i] = x[i];
        s += double(x[i]);
    }
    return float(s);
}

void u8_to_unit(const std::uint8_t* src, std::size_t n, float* dst) {
    const float inv_f = 1.0f / 255.0f;
    const vf inv = splat(inv_f);
    std::size_t i = 0;
    for (; i + W <= n; i += W) store(dst + i, mul(from_u8(src + i), inv));
    for (; i < n; ++i) dst[i] = float(src[i]) * inv_f;
}

void gather_u8_to_unit(const std::uint8_t* src, std::size_t d, const std::uint32_t* rows, std::size_t n, float* dst) {
    parallel_for(n, d ? (kMinPart + d - 1) / d : n, 1, [&](std::size_t i0, std::size_t i1) {
        for (std::size_t i = i0; i < i1; ++i) u8_to_unit(src + std::size_t(rows[i]) * d, d, dst + i * d);
    });
}

void exp_nonpos(const float* x, float* y, std::size_t n) { map1(x, y, n, [](vf v) { return vmath::exp_nonpos(v); }); }
void log1p_unit(const float* x, float* y, std::size_t n) { map1(x, y, n, [](vf v) { return vmath::log1p_unit(v); }); }
void sigmoid(const float* x, float* y, std::size_t n) { map1(x, y, n, [](vf v) { return vmath::sigmoid(v); }); }
void tanh(const float* x, float* y, std::size_t n) { map1(x, y, n, [](vf v) { return vmath::tanh(v); }); }

// ---- double: the references ------------------------------------------------------------------
void act_forward(Act kind, const double* x, double* y, std::size_t n, double slope) {
    naive::act_forward(kind, x, y, n, slope);
}
void act_forward(Act kind, const double* x, double bias, double* y, std::size_t n, double slope) {
    naive::act_forward(kind, x, bias, y, n, slope);
}
void act_backward(Act kind, const double* x, const double* y, const double* dy, double* dx, std::size_t n,
                  double slope) {
    naive::act_backward(kind, x, y, dy, dx, n, slope);
}
double act_backward_sum(Act kind, const double* y, const double* dy, double* dx, std::size_t n, double slope) {
    naive::act_backward(kind, static_cast<const double*>(nullptr), y, dy, dx, n, slope);
    return naive::sum(dx, static_cast<double*>(nullptr), n);
}
void bias_act(Act kind, double slope, const double* bias, double* C, std::size_t m, std::size_t n,
              std::size_t ldc) {
    naive::bias_act(kind, slope, bias, C, m, n, ldc);
}
void bias_act_planes(Act kind, double slope, const double* bias, const double* src, PlaneLayout in,
                     std::size_t count, std::size_t C, std::size_t P, double* dst, PlaneLayout out) {
    naive::bias_act_planes(kind, slope, bias, src, in, count, C, P, dst, out);
}
void act_backward_planes(Act kind, double slope, const double* y, const double* dy, PlaneLayout in,
                         std::size_t count, std::size_t C, std::size_t P, double* dx, PlaneLayout out, double* sums) {
    naive::act_backward_planes(kind, slope, y, dy, in, count, C, P, dx, out, sums);
}
void copy_planes(const double* src, PlaneLayout in, std::size_t count, std::size_t C, std::size_t P, double* dst,
                 PlaneLayout out) {
    naive::copy_planes(src, in, count, C, P, dst, out);
}
double bce_logits(const double* z, const double* t, double* dz, std::size_t n, double dz_scale) {
    return naive::bce_logits(z, t, dz, n, dz_scale);
}
double squared_error(const double* y, const double* t, double* dy, std::size_t n, double dy_scale) {
    return naive::squared_error(y, t, dy, n, dy_scale);
}
void column_sums(const double* dy, std::size_t n, std::size_t d, double* db) { naive::column_sums(dy, n, d, db); }
void copy(const double* src, double* dst, std::size_t n) { naive::copy(src, dst, n); }
double sum(const double* x, double* dst, std::size_t n) { return naive::sum(x, dst, n); }
void u8_to_unit(const std::uint8_t* src, std::size_t n, double* dst) { naive::u8_to_unit(src, n, dst); }
void gather_u8_to_unit(const std::uint8_t* src, std::size_t d, const std::uint32_t* rows, std::size_t n, double* dst) {
    naive::gather_u8_to_unit(src, d, rows, n, dst);
}

}  // namespace ae::kernels

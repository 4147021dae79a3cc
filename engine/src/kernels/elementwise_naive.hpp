// The reference elementwise kernels: plain loops over <cmath>, one element at a time, written
// for clarity. Same contracts as the fast ones in kernels/elementwise.hpp, which the tests
// compare against these; the double-precision engine (gradient checks) runs these directly.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "kernels/act.hpp"
#include "kernels/planes.hpp"

namespace ae::kernels::naive {

template <class T>
T sigmoid(T x) {
    // Stable for large |x|: never evaluates exp of a large positive number.
    if (x >= 0) return T(1) / (T(1) + std::exp(-x));
    const T e = std::exp(x);
    return e / (T(1) + e);
}

template <class T>
T act(Act kind, T x, T slope) {
    switch (kind) {
        case Act::Identity: return x;
        case Act::ReLU: return x > 0 ? x : T(0);
        case Act::LeakyReLU: return x > 0 ? x : slope * x;
        case Act::Sigmoid: return sigmoid(x);
        case Act::Tanh: return std::tanh(x);
    }
    return x;
}

// f'(x) given x and y = f(x). x may be null: then LeakyReLU reads the sign of y (the same test
// for slope ≥ 0).
template <class T>
T act_derivative(Act kind, const T* x, T y, T slope) {
    switch (kind) {
        case Act::Identity: return T(1);
        case Act::ReLU: return y > 0 ? T(1) : T(0);
        case Act::LeakyReLU: return (x ? *x : y) > 0 ? T(1) : slope;
        case Act::Sigmoid: return y * (T(1) - y);
        case Act::Tanh: return T(1) - y * y;
    }
    return T(1);
}

template <class T>
void act_forward(Act kind, const T* x, T* y, std::size_t n, T slope) {
    for (std::size_t i = 0; i < n; ++i) y[i] = act(kind, x[i], slope);
}

template <class T>
void act_backward(Act kind, const T* x, const T* y, const T* dy, T* dx, std::size_t n, T slope) {
    for (std::size_t i = 0; i < n; ++i) {
        switch (kind) {  // dy·f' in the order the fast kernel multiplies
            case Act::Identity: dx[i] = dy[i]; break;
            case Act::ReLU: dx[i] = y[i] > 0 ? dy[i] : T(0); break;
            case Act::LeakyReLU: dx[i] = (x ? x[i] : y[i]) > 0 ? dy[i] : slope * dy[i]; break;
            case Act::Sigmoid: dx[i] = dy[i] * y[i] * (T(1) - y[i]); break;
            case Act::Tanh: dx[i] = dy[i] * (T(1) - y[i] * y[i]); break;
        }
    }
}

template <class T>
void bias_act(Act kind, T slope, const T* bias, T* C, std::size_t m, std::size_t n, std::size_t ldc) {
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            T& c = C[i * ldc + j];
            c = act(kind, bias ? c + bias[j] : c, slope);
        }
}

template <class T>
void act_backward_planes(Act kind, T slope, const T* y, const T* dy, PlaneLayout in, std::size_t count, std::size_t C,
                         std::size_t P, T* dx, PlaneLayout out, T* sums) {
    for (std::size_t i = 0; i < count; ++i)
        for (std::size_t c = 0; c < C; ++c) {
            const T* yp = y + i * in.image + c * in.channel;
            const T* dyp = dy + i * in.image + c * in.channel;
            T* dxp = dx ? dx + i * out.image + c * out.channel : nullptr;
            double s = 0.0;
            for (std::size_t q = 0; q < P; ++q) {
                T g = dyp[q];
                if (kind != Act::Identity) act_backward(kind, static_cast<const T*>(nullptr), yp + q, dyp + q, &g, 1, slope);
                if (dxp) dxp[q] = g;
                s += double(g);
            }
            sums[i * C + c] = T(s);
        }
}

template <class T>
void copy_planes(const T* src, PlaneLayout in, std::size_t count, std::size_t C, std::size_t P, T* dst, PlaneLayout out) {
    for (std::size_t i = 0; i < count; ++i)
        for (std::size_t c = 0; c < C; ++c)
            for (std::size_t q = 0; q < P; ++q) dst[i * out.image + c * out.channel + q] = src[i * in.image + c * in.channel + q];
}

template <class T>
void act_forward(Act kind, const T* x, T bias, T* y, std::size_t n, T slope) {
    for (std::size_t i = 0; i < n; ++i) y[i] = act(kind, x[i] + bias, slope);
}

template <class T>
void bias_act_planes(Act kind, T slope, const T* bias, const T* src, PlaneLayout in, std::size_t count, std::size_t C,
                     std::size_t P, T* dst, PlaneLayout out) {
    for (std::size_t i = 0; i < count; ++i)
        for (std::size_t c = 0; c < C; ++c)
            for (std::size_t q = 0; q < P; ++q) {
                const T v = src[i * in.image + c * in.channel + q];
                dst[i * out.image + c * out.channel + q] = act(kind, bias ? v + bias[c] : v, slope);
            }
}

// Σ over i of max(z,0) − z·t + log(1 + e^−|z|); dz[i] = (σ(z) − t)·dz_scale when dz is not null.
template <class T>
double bce_logits(const T* z, const T* t, T* dz, std::size_t n, T dz_scale) {
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const T zi = z[i], ti = t[i];
        const T e = std::exp(-std::fabs(zi));  // in (0, 1]
        total += double((zi > 0 ? zi : T(0)) - zi * ti + std::log1p(e));
        if (dz) {
            const T p = zi >= 0 ? T(1) / (T(1) + e) : e / (T(1) + e);
            dz[i] = (p - ti) * dz_scale;
        }
    }
    return total;
}

// Σ (y − t)²;  dy[i] = (y − t)·dy_scale when dy is not null.
template <class T>
double squared_error(const T* y, const T* t, T* dy, std::size_t n, T dy_scale) {
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const T d = y[i] - t[i];
        total += double(d) * double(d);
        if (dy) dy[i] = dy_scale * d;
    }
    return total;
}

// dst[i] = src[i].
template <class T>
void copy(const T* src, T* dst, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) dst[i] = src[i];
}

// Σ x[i], a running sum; dst[i] = x[i] when dst is not null.
template <class T>
T sum(const T* x, T* dst, std::size_t n) {
    T s = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (dst) dst[i] = x[i];
        s += x[i];
    }
    return s;
}

// Pixels 0..255 → [0, 1], as x · (1/255).
template <class T>
void u8_to_unit(const std::uint8_t* src, std::size_t n, T* dst) {
    const T inv = T(1) / T(255);
    for (std::size_t i = 0; i < n; ++i) dst[i] = T(src[i]) * inv;
}

template <class T>
void gather_u8_to_unit(const std::uint8_t* src, std::size_t d, const std::uint32_t* rows, std::size_t n, T* dst) {
    for (std::size_t i = 0; i < n; ++i) u8_to_unit(src + std::size_t(rows[i]) * d, d, dst + i * d);
}

// db[j] = Σ_i dy[i·d + j] over n rows of d.
template <class T>
void column_sums(const T* dy, std::size_t n, std::size_t d, T* db) {
    for (std::size_t j = 0; j < d; ++j) db[j] = 0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < d; ++j) db[j] += dy[i * d + j];
}

}  // namespace ae::kernels::naive

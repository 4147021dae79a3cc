// The handful of float-vector operations the elementwise kernels are written in, in each
// backend's own vocabulary, so every kernel is written once:
//
//   wasm-simd128    <wasm_simd128.h>, W = 4
//   native-vector   GCC/clang vector extensions, W = 16 (AVX-512), 8 (AVX) or 4 (SSE2); square
//                   roots through <immintrin.h>
//   scalar          W = 1 (any other compiler or target)
//
// vf holds W floats, vm a lane mask (all bits set where true). Every operation is the IEEE
// single-precision operation lane by lane (div and sqrt correctly rounded), so a kernel gives the
// same values whatever W is; natively g++ may still contract a·b + c into a fused multiply-add,
// in the vector and the scalar code alike. Loads and stores are unaligned.
//
// For internal use by engine/src/kernels/*.cpp only.
#pragma once
#include <cstdint>
#include <cstring>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define AE_SIMD_WASM 1
#elif defined(__GNUC__) && !defined(__wasm__)
#define AE_SIMD_VECTOR 1
#if defined(__SSE2__)
#include <immintrin.h>
#endif
#else
#define AE_SIMD_SCALAR 1
#endif

namespace ae::kernels::simd {

#if defined(AE_SIMD_WASM)
constexpr int W = 4;
using vf = v128_t;
using vm = v128_t;
using vi = v128_t;  // 32-bit integer lanes

inline vf load(const float* p) { return wasm_v128_load(p); }
inline void store(float* p, vf v) { wasm_v128_store(p, v); }
inline vf splat(float x) { return wasm_f32x4_splat(x); }
inline vf add(vf a, vf b) { return wasm_f32x4_add(a, b); }
inline vf sub(vf a, vf b) { return wasm_f32x4_sub(a, b); }
inline vf mul(vf a, vf b) { return wasm_f32x4_mul(a, b); }
inline vf div(vf a, vf b) { return wasm_f32x4_div(a, b); }
inline vf sqrt(vf a) { return wasm_f32x4_sqrt(a); }
inline vf abs(vf a) { return wasm_f32x4_abs(a); }
inline vf neg(vf a) { return wasm_f32x4_neg(a); }
inline vm gt(vf a, vf b) { return wasm_f32x4_gt(a, b); }
inline vm ge(vf a, vf b) { return wasm_f32x4_ge(a, b); }
inline vm lt(vf a, vf b) { return wasm_f32x4_lt(a, b); }
inline vf select(vm m, vf a, vf b) { return wasm_v128_bitselect(a, b, m); }  // m ? a : b
inline vi bits(vf a) { return a; }
inline vf from_bits(vi a) { return a; }
inline vi isub(vi a, vi b) { return wasm_i32x4_sub(a, b); }
inline vi iadd(vi a, vi b) { return wasm_i32x4_add(a, b); }
inline vi isplat(std::int32_t x) { return wasm_i32x4_splat(x); }
inline vi shl23(vi a) { return wasm_i32x4_shl(a, 23); }
// Four uint8 → four floats.
inline vf from_u8(const std::uint8_t* p) {
    const v128_t b = wasm_v128_load32_zero(p);
    return wasm_f32x4_convert_u32x4(wasm_u32x4_extend_low_u16x8(wasm_u16x8_extend_low_u8x16(b)));
}

#elif defined(AE_SIMD_VECTOR)
#if defined(__AVX512F__)
constexpr int W = 16;
#elif defined(__AVX__)
constexpr int W = 8;
#else
constexpr int W = 4;
#endif
typedef float vf __attribute__((vector_size(W * sizeof(float))));
typedef std::int32_t vi __attribute__((vector_size(W * sizeof(float))));
typedef vi vm;
typedef float vf_u __attribute__((vector_size(W * sizeof(float)), aligned(4), may_alias));

inline vf load(const float* p) { return *reinterpret_cast<const vf_u*>(p); }
inline void store(float* p, vf v) { *reinterpret_cast<vf_u*>(p) = v; }
inline vf splat(float x) { return vf{} + x; }
inline vf add(vf a, vf b) { return a + b; }
inline vf sub(vf a, vf b) { return a - b; }
inline vf mul(vf a, vf b) { return a * b; }
inline vf div(vf a, vf b) { return a / b; }
inline vf sqrt(vf a) {
#if defined(__AVX512F__)
    return (vf)_mm512_maskz_sqrt_ps(__mmask16(0xFFFF), (__m512)a);  // (_mm512_sqrt_ps trips g++ 12's -Wmaybe-uninitialized)
#elif defined(__AVX__)
    return (vf)_mm256_sqrt_ps((__m256)a);
#elif defined(__SSE2__)
    return (vf)_mm_sqrt_ps((__m128)a);
#else
    vf r;
    for (int l = 0; l < W; ++l) r[l] = __builtin_sqrtf(a[l]);
    return r;
#endif
}
inline vi bits(vf a) { return (vi)a; }
inline vf from_bits(vi a) { return (vf)a; }
inline vf abs(vf a) { return from_bits(bits(a) & (vi{} + 0x7fffffff)); }
inline vf neg(vf a) { return -a; }
inline vm gt(vf a, vf b) { return a > b; }
inline vm ge(vf a, vf b) { return a >= b; }
inline vm lt(vf a, vf b) { return a < b; }
inline vf select(vm m, vf a, vf b) { return from_bits((m & bits(a)) | (~m & bits(b))); }
inline vi isub(vi a, vi b) { return a - b; }
inline vi iadd(vi a, vi b) { return a + b; }
inline vi isplat(std::int32_t x) { return vi{} + x; }
inline vi shl23(vi a) { return a << 23; }
inline vf from_u8(const std::uint8_t* p) {
    vf r;
    for (int l = 0; l < W; ++l) r[l] = float(p[l]);  // g++ emits one widening conversion
    return r;
}

#else
constexpr int W = 1;
using vf = float;
using vi = std::int32_t;
using vm = bool;
inline vf load(const float* p) { return *p; }
inline void store(float* p, vf v) { *p = v; }
inline vf splat(float x) { return x; }
inline vf add(vf a, vf b) { return a + b; }
inline vf sub(vf a, vf b) { return a - b; }
inline vf mul(vf a, vf b) { return a * b; }
inline vf div(vf a, vf b) { return a / b; }
inline vf sqrt(vf a) { return __builtin_sqrtf(a); }
inline vf abs(vf a) { return __builtin_fabsf(a); }
inline vf neg(vf a) { return -a; }
inline vm gt(vf a, vf b) { return a > b; }
inline vm ge(vf a, vf b) { return a >= b; }
inline vm lt(vf a, vf b) { return a < b; }
inline vf select(vm m, vf a, vf b) { return m ? a : b; }
inline vi bits(vf a) {
    vi i;
    std::memcpy(&i, &a, sizeof i);
    return i;
}
inline vf from_bits(vi a) {
    vf f;
    std::memcpy(&f, &a, sizeof f);
    return f;
}
inline vi isub(vi a, vi b) { return vi(std::uint32_t(a) - std::uint32_t(b)); }
inline vi iadd(vi a, vi b) { return vi(std::uint32_t(a) + std::uint32_t(b)); }
inline vi isplat(std::int32_t x) { return x; }
inline vi shl23(vi a) { return vi(std::uint32_t(a) << 23); }
inline vf from_u8(const std::uint8_t* p) { return float(*p); }
#endif

inline vf zero() { return splat(0.0f); }

// Σ of the lanes, in double, lane 0 first.
inline double hsum(vf v) {
    float t[W];
    std::memcpy(t, &v, sizeof t);
    double s = 0;
    for (int l = 0; l < W; ++l) s += double(t[l]);
    return s;
}

// A partial vector: lanes [0, r) from p, the rest `fill`; and its store of lanes [0, r) only.
inline vf load_partial(const float* p, int r, float fill = 0.0f) {
    float t[W];
    for (int l = 0; l < W; ++l) t[l] = l < r ? p[l] : fill;
    return load(t);
}
inline void store_partial(float* p, vf v, int r) {
    float t[W];
    store(t, v);
    for (int l = 0; l < r; ++l) p[l] = t[l];
}

}  // namespace ae::kernels::simd

// Four-float vectors with lane shuffles, for the packing routines that move floats between
// layouts (kernels/gemm.cpp, kernels/conv_cols.cpp), in each backend's own vocabulary:
//
//   wasm-simd128    <wasm_simd128.h> v128_t                              AE_SIMD4 defined
//   native-vector   GCC/clang 16-byte vector extensions                  AE_SIMD4 defined
//   anything else   not available: the callers keep their scalar loops
//
// The moves are copies, so the values are the same bits whichever path ran. Loads and stores are
// unaligned. For internal use by engine/src/kernels/*.cpp only.
#pragma once

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define AE_SIMD4 1
#elif defined(__GNUC__) && !defined(__wasm__)
#define AE_SIMD4 1
#endif

#if defined(AE_SIMD4)
namespace ae::kernels::simd4 {

#if defined(__wasm_simd128__)
using f32x4 = v128_t;
inline f32x4 load4(const float* p) { return wasm_v128_load(p); }
inline void store4(float* p, f32x4 v) { wasm_v128_store(p, v); }
template <int I, int J, int K, int L>
f32x4 shuffle4(f32x4 a, f32x4 b) {  // lanes 0-3 from a, 4-7 from b
    return wasm_i32x4_shuffle(a, b, I, J, K, L);
}
#else
typedef float f32x4 __attribute__((vector_size(16)));
typedef float f32x4_u __attribute__((vector_size(16), aligned(4), may_alias));
typedef int i32x4 __attribute__((vector_size(16)));
inline f32x4 load4(const float* p) { return *reinterpret_cast<const f32x4_u*>(p); }
inline void store4(float* p, f32x4 v) { *reinterpret_cast<f32x4_u*>(p) = v; }
template <int I, int J, int K, int L>
f32x4 shuffle4(f32x4 a, f32x4 b) {  // lanes 0-3 from a, 4-7 from b
#if defined(__clang__)  // clang (the fuzz build) has no __builtin_shuffle
    return __builtin_shufflevector(a, b, I, J, K, L);
#else
    return __builtin_shuffle(a, b, i32x4{I, J, K, L});
#endif
}
#endif

// Rows r0..r3 (r_q = element (q, 0..3) of a 4×4 block) → its columns, stored at dst + i·ld
// (dst[i·ld + q] = r_q[i]).
inline void store_transposed4(f32x4 r0, f32x4 r1, f32x4 r2, f32x4 r3, float* dst, int ld) {
    const f32x4 t0 = shuffle4<0, 4, 1, 5>(r0, r1);  // r0[0] r1[0] r0[1] r1[1]
    const f32x4 t1 = shuffle4<2, 6, 3, 7>(r0, r1);  // r0[2] r1[2] r0[3] r1[3]
    const f32x4 t2 = shuffle4<0, 4, 1, 5>(r2, r3);
    const f32x4 t3 = shuffle4<2, 6, 3, 7>(r2, r3);
    store4(dst, shuffle4<0, 1, 4, 5>(t0, t2));  // r0[0] r1[0] r2[0] r3[0]
    store4(dst + ld, shuffle4<2, 3, 6, 7>(t0, t2));
    store4(dst + 2 * ld, shuffle4<0, 1, 4, 5>(t1, t3));
    store4(dst + 3 * ld, shuffle4<2, 3, 6, 7>(t1, t3));
}

}  // namespace ae::kernels::simd4
#endif

// The elementwise passes of a training step, vectorised: activations and their derivatives,
// the bias + activation epilogue of the dense layer's product, the BCE and squared-error losses
// with their gradients, bias gradients (column sums), batch assembly (uint8 pixels → floats), and
// the conv layers' planes moved between a batch's rows and a group's layout (kernels/planes.hpp)
// with their bias, activation or its derivative on the way.
//
// Each function has a float overload (the fast kernel, kernels/simd.hpp + kernels/vmath.hpp) and
// a double overload, which is the reference loop of kernels/elementwise_naive.hpp: the double
// engine used by the gradient checks runs the references, and the tests compare the float
// kernels against the same references. Arrays may not overlap unless a comment says so.
#pragma once
#include <cstddef>
#include <cstdint>

#include "kernels/act.hpp"
#include "kernels/planes.hpp"

namespace ae::kernels {

// y[i] = f(x[i]) for i < n; in place (y == x) allowed.
void act_forward(Act kind, const float* x, float* y, std::size_t n, float slope);
void act_forward(Act kind, const double* x, double* y, std::size_t n, double slope);
// y[i] = f(x[i] + bias) for i < n, one pass; in place allowed. A conv layer's output plane.
void act_forward(Act kind, const float* x, float bias, float* y, std::size_t n, float slope);
void act_forward(Act kind, const double* x, double bias, double* y, std::size_t n, double slope);

// dx[i] = dy[i] · f'(x[i]), from y = f(x) (and x for LeakyReLU; with x null it reads the sign of
// y, which needs slope ≥ 0). In place (dx == dy) allowed.
void act_backward(Act kind, const float* x, const float* y, const float* dy, float* dx, std::size_t n, float slope);
void act_backward(Act kind, const double* x, const double* y, const double* dy, double* dx, std::size_t n,
                  double slope);

// dx = dy · f'(y) as act_backward with x null (slope ≥ 0), returning Σ dx as sum(dx) would, bit
// for bit: one pass and one call where a conv layer's bias gradient needs both, one output plane
// (a few dozen values) at a time.
float act_backward_sum(Act kind, const float* y, const float* dy, float* dx, std::size_t n, float slope);
double act_backward_sum(Act kind, const double* y, const double* dy, double* dx, std::size_t n, double slope);

// dst's planes = f(src's planes + bias[c]) for every plane (i < count, c < C), from layout `in`
// to layout `out`, bias may be null: a conv layer's product for a group of images, (C, count·P)
// with the images side by side, back to rows of images with its bias and fused activation in the
// same pass. Images among the threads.
void bias_act_planes(Act kind, float slope, const float* bias, const float* src, PlaneLayout in, std::size_t count,
                     std::size_t C, std::size_t P, float* dst, PlaneLayout out);
void bias_act_planes(Act kind, double slope, const double* bias, const double* src, PlaneLayout in,
                     std::size_t count, std::size_t C, std::size_t P, double* dst, PlaneLayout out);

// For every plane (i < count, c < C): dx's plane = dy · f'(y) as act_backward_sum computes it,
// bit for bit, from y's and dy's planes in layout `in` to dx's in layout `out`, and
// sums[i·C + c] = its sum (the plane's share of the bias gradient; the caller adds the shares in
// image order). With kind Identity, dx may be null: the sums only. Images among the threads.
void act_backward_planes(Act kind, float slope, const float* y, const float* dy, PlaneLayout in, std::size_t count,
                         std::size_t C, std::size_t P, float* dx, PlaneLayout out, float* sums);
void act_backward_planes(Act kind, double slope, const double* y, const double* dy, PlaneLayout in,
                         std::size_t count, std::size_t C, std::size_t P, double* dx, PlaneLayout out, double* sums);

// dst's planes = src's planes, from layout `in` to layout `out` (count images of C planes of P
// values; no overlap). Images among the threads.
void copy_planes(const float* src, PlaneLayout in, std::size_t count, std::size_t C, std::size_t P, float* dst,
                 PlaneLayout out);
void copy_planes(const double* src, PlaneLayout in, std::size_t count, std::size_t C, std::size_t P, double* dst,
                 PlaneLayout out);

// C[i, j] = f(C[i, j] + bias[j]) over an (m, n) block with row stride ldc; bias may be null.
// The epilogue of the dense layer's GEMM (kernels/gemm.hpp), applied one tile at a time.
void bias_act(Act kind, float slope, const float* bias, float* C, std::size_t m, std::size_t n, std::size_t ldc);
void bias_act(Act kind, double slope, const double* bias, double* C, std::size_t m, std::size_t n, std::size_t ldc);

// Binary cross-entropy from logits, z and t of n values:
//   returns Σ_i max(z,0) − z·t + log(1 + e^−|z|)   (= −t log σ(z) − (1−t) log(1−σ(z)))
//   dz[i] = (σ(z[i]) − t[i]) · dz_scale            when dz is not null
double bce_logits(const float* z, const float* t, float* dz, std::size_t n, float dz_scale);
double bce_logits(const double* z, const double* t, double* dz, std::size_t n, double dz_scale);

// Σ_i (y − t)²;  dy[i] = (y[i] − t[i]) · dy_scale when dy is not null.
double squared_error(const float* y, const float* t, float* dy, std::size_t n, float dy_scale);
double squared_error(const double* y, const double* t, double* dy, std::size_t n, double dy_scale);

// db[j] = Σ_i dy[i, j] for dy (n, d) row-major: a dense layer's bias gradient.
void column_sums(const float* dy, std::size_t n, std::size_t d, float* db);
void column_sums(const double* dy, std::size_t n, std::size_t d, double* db);

// dst[i] = src[i] for i < n (no overlap). A loop of vector loads and stores: Emscripten 3.1.6's
// memcpy (std::copy) hands every copy of 512 bytes or more to JavaScript (emscripten_memcpy_big),
// a call across the boundary that costs more than copying one image plane.
void copy(const float* src, float* dst, std::size_t n);
void copy(const double* src, double* dst, std::size_t n);

// Σ x[i] for i < n: W lane sums, then the lanes and the last partial vector added in double
// (not a running sum's order, so tests compare within a float tolerance). With dst not null it
// also copies, dst[i] = x[i]. A convolution's bias gradient, one output plane at a time.
float sum(const float* x, float* dst, std::size_t n);
double sum(const double* x, double* dst, std::size_t n);

// dst[i] = src[i] · (1/255): pixels to [0, 1].
void u8_to_unit(const std::uint8_t* src, std::size_t n, float* dst);
void u8_to_unit(const std::uint8_t* src, std::size_t n, double* dst);

// A batch of images gathered from a set and converted the same way: for i < n and k < d,
//   dst[i·d + k] = src[rows[i]·d + k] · (1/255)        src: (count, d) u8, dst: (n, d)
// Rows are cut among the threads (a training step's batch: 128 × 784 scattered reads). The
// caller checks rows[i] < count.
void gather_u8_to_unit(const std::uint8_t* src, std::size_t d, const std::uint32_t* rows, std::size_t n, float* dst);
void gather_u8_to_unit(const std::uint8_t* src, std::size_t d, const std::uint32_t* rows, std::size_t n, double* dst);

// The vectorised math on its own (kernels/vmath.hpp), for the accuracy tests:
//   y = eˣ (x ≤ 0),  y = log(1 + x) (0 ≤ x ≤ 1),  y = σ(x),  y = tanh x.
void exp_nonpos(const float* x, float* y, std::size_t n);
void log1p_unit(const float* x, float* y, std::size_t n);
void sigmoid(const float* x, float* y, std::size_t n);
void tanh(const float* x, float* y, std::size_t n);

}  // namespace ae::kernels

// Eigenpairs of symmetric matrices, in double precision, for the latent map and PCA.
//
// Four solvers stand side by side, like the GEMM kernels:
//   eigen_jacobi     every eigenpair by cyclic Jacobi rotations: slow (O(Z³) per sweep), simple
//                    and exact to rounding: the reference in tests
//   eigen_top        the K leading eigenpairs by orthogonal (subspace) iteration and a final
//                    Rayleigh–Ritz rotation: O(Z²·K) per iteration, cheap for K = 2 of any Z
//                    (the latent map); slow to converge when eigenvalues near the K-th crowd
//   eigen_symmetric  every eigenpair by Householder reduction to tridiagonal form and the
//                    implicit QL algorithm (EISPACK tred2/tql2, as in JAMA): about 9 Z³ flops,
//                    robust for any spectrum
//   eigen_symmetric_top  the same for the K leading eigenpairs only, what PCA of images uses
//                    (Z = 784, K = 64: 0.25–0.3 s in WASM against eigen_symmetric's 0.9–2.1 s)
// All sort eigenvalues in descending order and use one sign convention, so the same matrix
// always gives the same vectors: in each eigenvector, the entry of largest magnitude (the
// first such entry on a tie) is positive.
#pragma once
#include <cstddef>
#include <vector>

#include <xtensor/xtensor.hpp>

namespace ae {

using MatD = xt::xtensor<double, 2>;

struct SymEigen {
    std::vector<double> values;  // (K) descending
    MatD vectors;                // (K, Z) one unit eigenvector per row
};

// a: (Z, Z) symmetric. All Z eigenpairs.
SymEigen eigen_jacobi(const MatD& a);
// a: (Z, Z) symmetric, 1 ≤ k ≤ Z. The k eigenpairs of largest eigenvalue.
SymEigen eigen_top(const MatD& a, std::size_t k);
// a: (Z, Z) symmetric (only its lower triangle is read). All Z eigenpairs.
SymEigen eigen_symmetric(const MatD& a);
// a: (Z, Z) symmetric (only its lower triangle is read), 1 ≤ k ≤ Z. The k eigenpairs of largest
// eigenvalue, as eigen_symmetric's to rounding: the same reduction and QL iteration, but the
// QL rotations are recorded and replayed on k unit vectors, and the Householder reflectors
// applied to those k vectors, instead of both being accumulated into a Z × Z matrix (about
// 1.3 Z³ + 8 Z² k flops instead of 9 Z³).
SymEigen eigen_symmetric_top(const MatD& a, std::size_t k);

// Makes the largest-magnitude entry of each row positive (first such entry on a tie).
void orient_rows(MatD& vectors);

}  // namespace ae

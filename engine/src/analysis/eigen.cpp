#include "analysis/eigen.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace ae {

namespace {

// Reorders eigenpairs by descending value (stable: equal values keep their order).
SymEigen sorted(const std::vector<double>& values, const MatD& vectors) {
    const std::size_t k = values.size(), z = vectors.shape(1);
    std::vector<std::size_t> order(k);
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] > values[b]; });
    SymEigen out;
    out.values.resize(k);
    out.vectors = MatD::from_shape({k, z});
    for (std::size_t i = 0; i < k; ++i) {
        out.values[i] = values[order[i]];
        for (std::size_t j = 0; j < z; ++j) out.vectors(i, j) = vectors(order[i], j);
    }
    orient_rows(out.vectors);
    return out;
}

// Modified Gram–Schmidt on the rows of v (K, Z), applied twice for orthogonality to rounding.
// A row that vanishes (linearly dependent) is replaced by the first unit vector independent
// of the rows before it, so the result is always orthonormal.
void orthonormalize_rows(MatD& v) {
    const std::size_t k = v.shape(0), z = v.shape(1);
    for (std::size_t i = 0; i < k; ++i) {
        for (int pass = 0; pass < 2; ++pass) {
            for (std::size_t r = 0; r < i; ++r) {
                double dot = 0;
                for (std::size_t j = 0; j < z; ++j) dot += v(i, j) * v(r, j);
                for (std::size_t j = 0; j < z; ++j) v(i, j) -= dot * v(r, j);
            }
        }
        double norm = 0;
        for (std::size_t j = 0; j < z; ++j) norm += v(i, j) * v(i, j);
        norm = std::sqrt(norm);
        if (norm > 1e-150) {
            for (std::size_t j = 0; j < z; ++j) v(i, j) /= norm;
            continue;
        }
        for (std::size_t e = 0; e < z; ++e) {  // fall back to a coordinate direction
            for (std::size_t j = 0; j < z; ++j) v(i, j) = (j == e) ? 1.0 : 0.0;
            for (std::size_t r = 0; r < i; ++r) {
                const double dot = v(r, e);
                for (std::size_t j = 0; j < z; ++j) v(i, j) -= dot * v(r, j);
            }
            double n2 = 0;
            for (std::size_t j = 0; j < z; ++j) n2 += v(i, j) * v(i, j);
            if (n2 > 0.25) {
                const double inv = 1.0 / std::sqrt(n2);
                for (std::size_t j = 0; j < z; ++j) v(i, j) *= inv;
                break;
            }
        }
    }
}

// w (K, Z) = v (K, Z) · a (Z, Z), a symmetric, so each row of w is a applied to a row of v.
void times_symmetric(const MatD& v, const MatD& a, MatD& w) {
    const std::size_t k = v.shape(0), z = v.shape(1);
    w.fill(0.0);
    for (std::size_t i = 0; i < k; ++i)
        for (std::size_t r = 0; r < z; ++r) {
            const double vr = v(i, r);
            if (vr == 0.0) continue;
            for (std::size_t j = 0; j < z; ++j) w(i, j) += vr * a(r, j);
        }
}

void require_square(const MatD& a, const char* who) {
    require(a.shape(0) == a.shape(1), who, ": the matrix must be square, got ", a.shape(0), " x ", a.shape(1));
    require(a.shape(0) >= 1, who, ": the matrix is empty");
}

}  // namespace

void orient_rows(MatD& vectors) {
    const std::size_t k = vectors.shape(0), z = vectors.shape(1);
    for (std::size_t i = 0; i < k; ++i) {
        std::size_t best = 0;
        for (std::size_t j = 1; j < z; ++j)
            if (std::abs(vectors(i, j)) > std::abs(vectors(i, best))) best = j;
        if (vectors(i, best) < 0)
            for (std::size_t j = 0; j < z; ++j) vectors(i, j) = -vectors(i, j);
    }
}

SymEigen eigen_jacobi(const MatD& a_in) {
    require_square(a_in, "eigen_jacobi");
    const std::size_t z = a_in.shape(0);
    MatD a = a_in;                      // (Z, Z) rotated towards diagonal
    MatD v = MatD::from_shape({z, z});  // (Z, Z) accumulated rotations; column i → eigenvector i
    v.fill(0.0);
    for (std::size_t i = 0; i < z; ++i) v(i, i) = 1.0;

    double scale = 0;
    for (double x : a) scale += x * x;
    for (int sweep = 0; sweep < 100; ++sweep) {
        double off = 0;
        for (std::size_t p = 0; p < z; ++p)
            for (std::size_t q = p + 1; q < z; ++q) off += a(p, q) * a(p, q);
        if (off <= 1e-30 * scale || off == 0.0) break;
        for (std::size_t p = 0; p < z; ++p) {
            for (std::size_t q = p + 1; q < z; ++q) {
                const double apq = a(p, q);
                if (std::abs(apq) < 1e-300) continue;
                // Rotation J(p, q, θ) chosen so that (Jᵀ A J)(p, q) = 0 (smaller root for stability).
                const double theta = (a(q, q) - a(p, p)) / (2.0 * apq);
                const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1.0));
                const double c = 1.0 / std::sqrt(t * t + 1.0), s = t * c;
                for (std::size_t r = 0; r < z; ++r) {  // A ← A J (columns p, q)
                    const double arp = a(r, p), arq = a(r, q);
                    a(r, p) = c * arp - s * arq;
                    a(r, q) = s * arp + c * arq;
                }
                for (std::size_t r = 0; r < z; ++r) {  // A ← Jᵀ A (rows p, q)
                    const double apr = a(p, r), aqr = a(q, r);
                    a(p, r) = c * apr - s * aqr;
                    a(q, r) = s * apr + c * aqr;
                }
                for (std::size_t r = 0; r < z; ++r) {  // V ← V J
                    const double vrp = v(r, p), vrq = v(r, q);
                    v(r, p) = c * vrp - s * vrq;
                    v(r, q) = s * vrp + c * vrq;
                }
            }
        }
    }
    std::vector<double> values(z);
    MatD rows = MatD::from_shape({z, z});
    for (std::size_t i = 0; i < z; ++i) {
        values[i] = a(i, i);
        for (std::size_t j = 0; j < z; ++j) rows(i, j) = v(j, i);
    }
    return sorted(values, rows);
}

SymEigen eigen_top(const MatD& a, std::size_t k) {
    require_square(a, "eigen_top");
    const std::size_t z = a.shape(0);
    require(k >= 1 && k <= z, "eigen_top: k must be in [1, ", z, "], got ", k);
    // A block two wider than k converges at the rate λ_{k+3}/λ_k instead of λ_{k+1}/λ_k.
    const std::size_t b = std::min(z, k + 2);
    MatD v = MatD::from_shape({b, z});  // (B, Z) orthonormal rows spanning the iterate
    Rng rng(0x9ca5eedULL);              // a fixed, generic start: the result is deterministic
    for (double& x : v) x = rng.normal();
    orthonormalize_rows(v);

    MatD w = MatD::from_shape({b, z});  // (B, Z) v · A
    MatD h = MatD::from_shape({b, b});  // (B, B) V A Vᵀ, the Rayleigh quotient matrix
    SymEigen ritz;                      // its eigenpairs: Ritz values and coordinates
    for (int it = 0;; ++it) {
        times_symmetric(v, a, w);
        for (std::size_t i = 0; i < b; ++i)
            for (std::size_t j = 0; j <= i; ++j) {
                double dot = 0;
                for (std::size_t m = 0; m < z; ++m) dot += 0.5 * (w(i, m) * v(j, m) + w(j, m) * v(i, m));
                h(i, j) = h(j, i) = dot;
            }
        ritz = eigen_jacobi(h);
        // Converged when each wanted Ritz pair (θ, u = Σ y_r v_r) has A u ≈ θ u, relative to θ₁.
        double worst = 0;
        for (std::size_t i = 0; i < k; ++i) {
            double r2 = 0;
            for (std::size_t m = 0; m < z; ++m) {
                double au = 0, u = 0;
                for (std::size_t r = 0; r < b; ++r) {
                    au += ritz.vectors(i, r) * w(r, m);
                    u += ritz.vectors(i, r) * v(r, m);
                }
                const double d = au - ritz.values[i] * u;
                r2 += d * d;
            }
            worst = std::max(worst, std::sqrt(r2));
        }
        const double scale = std::abs(ritz.values[0]);
        if (scale <= 1e-300 || worst <= 1e-12 * scale || it == 5000) break;
        v = w;
        orthonormalize_rows(v);
    }

    SymEigen out;
    out.values.assign(ritz.values.begin(), ritz.values.begin() + long(k));
    out.vectors = MatD::from_shape({k, z});
    for (std::size_t i = 0; i < k; ++i)
        for (std::size_t j = 0; j < z; ++j) {
            double x = 0;
            for (std::size_t r = 0; r < b; ++r) x += ritz.vectors(i, r) * v(r, j);
            out.vectors(i, j) = x;
        }
    orient_rows(out.vectors);
    return out;
}

namespace {

// The n × n working matrix of the Householder + QL solvers: W holds Vᵀ (row c of W is column c
// of V), so every inner loop walks a contiguous row; V(r, c) = W[c][r]. V starts as A
// (symmetric: W = A too; only A's lower triangle is read).
struct Work {
    std::size_t n;
    std::vector<double> w;
    explicit Work(const MatD& a) : n(a.shape(0)), w(n * n) {
        for (std::size_t r = 0; r < n; ++r)
            for (std::size_t c = 0; c <= r; ++c) w[c * n + r] = w[r * n + c] = a(r, c);
    }
    double& V(std::size_t r, std::size_t c) { return w[c * n + r]; }
};

// tred2's reduction: A = Q T Qᵀ with T tridiagonal (d its diagonal, e[1..n-1] its subdiagonal).
// Q = P_{n-2} ⋯ P_1 P_0 is left as Householder reflectors: P_i = I − u uᵀ / h acts on the first
// i + 1 coordinates, u = V(0..i, i + 1), h = hh[i + 1]. The diagonal of T is left in V(j, j).
void householder_reduce(Work& m, std::vector<double>& d, std::vector<double>& e) {
    const std::size_t n = m.n;
    auto V = [&](std::size_t r, std::size_t c) -> double& { return m.V(r, c); };
    for (std::size_t j = 0; j < n; ++j) d[j] = V(n - 1, j);
    for (std::size_t i = n - 1; i > 0; --i) {
        double scale = 0.0, h = 0.0;
        for (std::size_t k = 0; k < i; ++k) scale += std::abs(d[k]);
        if (scale == 0.0) {
            e[i] = d[i - 1];
            for (std::size_t j = 0; j < i; ++j) {
                d[j] = V(i - 1, j);
                V(i, j) = 0.0;
                V(j, i) = 0.0;
            }
        } else {
            for (std::size_t k = 0; k < i; ++k) {
                d[k] /= scale;
                h += d[k] * d[k];
            }
            double f = d[i - 1];
            double g = std::sqrt(h);
            if (f > 0) g = -g;
            e[i] = scale * g;
            h -= f * g;
            d[i - 1] = f - g;
            for (std::size_t j = 0; j < i; ++j) e[j] = 0.0;
            for (std::size_t j = 0; j < i; ++j) {
                f = d[j];
                V(j, i) = f;
                double* col = &V(0, j);  // column j of V: contiguous in W
                g = e[j] + col[j] * f;
                for (std::size_t k = j + 1; k < i; ++k) {
                    g += col[k] * d[k];
                    e[k] += col[k] * f;
                }
                e[j] = g;
            }
            f = 0.0;
            for (std::size_t j = 0; j < i; ++j) {
                e[j] /= h;
                f += e[j] * d[j];
            }
            const double hh = f / (h + h);
            for (std::size_t j = 0; j < i; ++j) e[j] -= hh * d[j];
            for (std::size_t j = 0; j < i; ++j) {
                f = d[j];
                g = e[j];
                double* col = &V(0, j);
                for (std::size_t k = j; k < i; ++k) col[k] -= (f * e[k] + g * d[k]);
                d[j] = V(i - 1, j);
                V(i, j) = 0.0;
            }
        }
        d[i] = h;
    }
}

// tql2's implicit QL on T (d diagonal, e subdiagonal in e[1..n-1]): d becomes the eigenvalues
// (unsorted). Each QL sweep is announced by sweep(l, m), then its plane rotations G (on
// coordinates i, i + 1, for i = m − 1 down to l: the eigenvector matrix becomes V·G) are handed
// to rotate(i, c, s). V·G rotates columns i, i + 1: V_i ← c V_i − s V_{i+1}, V_{i+1} ← s V_i + c V_{i+1}.
template <class Sweep, class Rotate>
void implicit_ql(std::vector<double>& d, std::vector<double>& e, Sweep&& sweep, Rotate&& rotate) {
    const std::size_t n = d.size();
    for (std::size_t i = 1; i < n; ++i) e[i - 1] = e[i];
    e[n - 1] = 0.0;
    double f = 0.0, tst1 = 0.0;
    const double eps = std::ldexp(1.0, -52);
    for (std::size_t l = 0; l < n; ++l) {
        tst1 = std::max(tst1, std::abs(d[l]) + std::abs(e[l]));
        std::size_t m = l;
        while (m < n && std::abs(e[m]) > eps * tst1) ++m;  // e[n-1] = 0 stops it
        if (m > l) {
            for (int iter = 0;; ++iter) {
                require(iter < 1000, "eigen_symmetric: the QL iteration did not converge (matrix with NaN or infinity?)");
                double g = d[l];
                double p = (d[l + 1] - g) / (2.0 * e[l]);
                double r = std::hypot(p, 1.0);
                if (p < 0) r = -r;
                d[l] = e[l] / (p + r);
                d[l + 1] = e[l] * (p + r);
                const double dl1 = d[l + 1];
                double h = g - d[l];
                for (std::size_t i = l + 2; i < n; ++i) d[i] -= h;
                f += h;
                p = d[m];
                double c = 1.0, c2 = c, c3 = c, s = 0.0, s2 = 0.0;
                const double el1 = e[l + 1];
                sweep(l, m);
                for (std::size_t i = m; i-- > l;) {
                    c3 = c2;
                    c2 = c;
                    s2 = s;
                    g = c * e[i];
                    h = c * p;
                    r = std::hypot(p, e[i]);
                    e[i + 1] = s * r;
                    s = e[i] / r;
                    c = p / r;
                    p = c * d[i] - s * g;
                    d[i + 1] = h + s * (c * g + s * d[i]);
                    rotate(i, c, s);
                }
                p = -s * s2 * c3 * el1 * e[l] / dl1;
                e[l] = s * p;
                d[l] = c * p;
                if (!(std::abs(e[l]) > eps * tst1)) break;
            }
        }
        d[l] += f;
        e[l] = 0.0;
    }
}

}  // namespace

SymEigen eigen_symmetric(const MatD& a) {
    require_square(a, "eigen_symmetric");
    const std::size_t n = a.shape(0);
    Work m(a);
    auto V = [&](std::size_t r, std::size_t c) -> double& { return m.V(r, c); };
    std::vector<double> d(n), e(n);
    householder_reduce(m, d, e);
    // Accumulate the reflectors into V = Q.
    for (std::size_t i = 0; i + 1 < n; ++i) {
        V(n - 1, i) = V(i, i);
        V(i, i) = 1.0;
        const double h = d[i + 1];
        double* next = &V(0, i + 1);
        if (h != 0.0) {
            for (std::size_t k = 0; k <= i; ++k) d[k] = next[k] / h;
            for (std::size_t j = 0; j <= i; ++j) {
                double* col = &V(0, j);
                double g = 0.0;
                for (std::size_t k = 0; k <= i; ++k) g += next[k] * col[k];
                for (std::size_t k = 0; k <= i; ++k) col[k] -= g * d[k];
            }
        }
        for (std::size_t k = 0; k <= i; ++k) next[k] = 0.0;
    }
    for (std::size_t j = 0; j < n; ++j) {
        d[j] = V(n - 1, j);
        V(n - 1, j) = 0.0;
    }
    V(n - 1, n - 1) = 1.0;
    e[0] = 0.0;
    // Every rotation applied to all n rows of V: about 6 n³ flops, most of the solver's work.
    implicit_ql(d, e, [](std::size_t, std::size_t) {}, [&](std::size_t i, double c, double s) {
        double* vi = &V(0, i);
        double* vi1 = &V(0, i + 1);
        for (std::size_t k = 0; k < n; ++k) {
            const double t = vi1[k];
            vi1[k] = s * vi[k] + c * t;
            vi[k] = c * vi[k] - s * t;
        }
    });
    MatD rows = MatD::from_shape({n, n});  // row c = eigenvector c = row c of W
    std::copy(m.w.begin(), m.w.end(), rows.begin());
    return sorted(d, rows);
}

SymEigen eigen_symmetric_top(const MatD& a, std::size_t k) {
    require_square(a, "eigen_symmetric_top");
    const std::size_t n = a.shape(0);
    require(k >= 1 && k <= n, "eigen_symmetric_top: k must be in [1, ", n, "], got ", k);
    Work m(a);
    std::vector<double> d(n), e(n), hh(n);
    householder_reduce(m, d, e);
    hh.swap(d);  // the reflectors' h
    for (std::size_t j = 0; j < n; ++j) d[j] = m.V(j, j);
    e[0] = 0.0;
    // The QL iteration on T alone, its rotations recorded instead of applied to n × n: the
    // (c, s) pairs in order, and for each sweep (l, m, its first pair), rotating i = m − 1 … l.
    // (About n² pairs for n = 784: 10 MB.)
    std::vector<double> cs;
    std::vector<std::size_t> sweeps;
    implicit_ql(
        d, e, [&](std::size_t l, std::size_t top) { sweeps.insert(sweeps.end(), {l, top, cs.size() / 2}); },
        [&](std::size_t, double c, double s) {
            cs.push_back(c);
            cs.push_back(s);
        });
    // The k largest eigenvalues' positions, in descending order (stable on ties, as sorted()).
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return d[x] > d[y]; });
    // Y (n, k): eigenvector j of T is G_1 ⋯ G_m e_pos(j); apply the rotations to the unit
    // vectors last to first, as left multiplications (G y)_i = c y_i + s y_{i+1},
    // (G y)_{i+1} = −s y_i + c y_{i+1}. Rows of Y are contiguous k-vectors.
    std::vector<double> y(n * k, 0.0);
    for (std::size_t j = 0; j < k; ++j) y[order[j] * k + j] = 1.0;
    for (std::size_t w = sweeps.size(); w > 0; w -= 3) {
        const std::size_t lo = sweeps[w - 3], top = sweeps[w - 2], first = sweeps[w - 1];
        // rotations of this sweep were recorded for i = top − 1, top − 2, …, lo: replay i = lo … top − 1
        for (std::size_t i = lo; i < top; ++i) {
            const std::size_t at = first + (top - 1 - i);
            const double c = cs[2 * at], s = cs[2 * at + 1];
            double* yi = &y[i * k];
            double* yi1 = &y[(i + 1) * k];
            for (std::size_t j = 0; j < k; ++j) {
                const double u = yi[j], v = yi1[j];
                yi[j] = c * u + s * v;
                yi1[j] = -s * u + c * v;
            }
        }
    }
    // Back to A's coordinates: Q Y = P_{n-2}(⋯ P_1 (P_0 Y)), about 2 n² k flops.
    std::vector<double> g(k);
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const double h = hh[i + 1];
        if (h == 0.0) continue;
        const double* u = &m.V(0, i + 1);
        std::fill(g.begin(), g.end(), 0.0);
        for (std::size_t r = 0; r <= i; ++r)
            for (std::size_t j = 0; j < k; ++j) g[j] += u[r] * y[r * k + j];
        for (std::size_t r = 0; r <= i; ++r) {
            const double ur = u[r] / h;
            for (std::size_t j = 0; j < k; ++j) y[r * k + j] -= ur * g[j];
        }
    }
    SymEigen out;
    out.values.resize(k);
    out.vectors = MatD::from_shape({k, n});
    for (std::size_t j = 0; j < k; ++j) {
        out.values[j] = d[order[j]];
        for (std::size_t r = 0; r < n; ++r) out.vectors(j, r) = y[r * k + j];
    }
    orient_rows(out.vectors);
    return out;
}

}  // namespace ae

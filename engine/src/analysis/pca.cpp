#include "analysis/pca.hpp"

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

void covariance(const float* codes, std::size_t n, std::size_t z, std::vector<double>& mean, MatD& cov) {
    require(n >= 2, "latent map: needs at least 2 codes to measure their spread, got ", n);
    mean.assign(z, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < z; ++j) mean[j] += double(codes[i * z + j]);
    for (double& m : mean) m /= double(n);
    cov = MatD::from_shape({z, z});
    cov.fill(0.0);
    std::vector<double> d(z);  // (Z) one centred code
    double* c = cov.data();
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < z; ++j) d[j] = double(codes[i * z + j]) - mean[j];
        for (std::size_t p = 0; p < z; ++p) {
            const double dp = d[p];
            for (std::size_t q = p; q < z; ++q) c[p * z + q] += dp * d[q];
        }
    }
    const double inv = 1.0 / double(n - 1);
    for (std::size_t p = 0; p < z; ++p)
        for (std::size_t q = p; q < z; ++q) c[q * z + p] = c[p * z + q] *= inv;
}

LatentProjection fit_latent_projection(const float* codes, std::size_t n, std::size_t z) {
    require(z >= 1, "latent map: the latent size must be at least 1");
    for (std::size_t i = 0; i < n * z; ++i)
        require(std::isfinite(codes[i]), "latent map: code ", i / z, " contains NaN or infinity; the model has probably ",
                "diverged (reset it, or lower the learning rate)");
    LatentProjection p;
    MatD cov;
    covariance(codes, n, z, p.mean, cov);
    p.z = z;
    p.total_variance = 0;
    for (std::size_t j = 0; j < z; ++j) p.total_variance += cov(j, j);
    p.components = MatD::from_shape({2, z});
    p.components.fill(0.0);

    if (z <= 2) {
        p.method = LatentProjection::Method::Axes;
        for (std::size_t a = 0; a < z; ++a) {
            p.components(a, a) = 1.0;
            p.variance[a] = cov(a, a);
        }
        std::fill(p.mean.begin(), p.mean.end(), 0.0);  // raw code values on the axes
        return p;
    }

    p.method = LatentProjection::Method::Pca;
    if (p.total_variance <= 0) {  // every code identical: any plane shows the single point
        p.components(0, 0) = p.components(1, 1) = 1.0;
        return p;
    }
    const SymEigen e = eigen_top(cov, 2);
    for (std::size_t a = 0; a < 2; ++a) {
        p.variance[a] = std::max(0.0, e.values[a]);
        for (std::size_t j = 0; j < z; ++j) p.components(a, j) = e.vectors(a, j);
    }
    return p;
}

void project(const LatentProjection& p, const float* codes, std::size_t n, float* points) {
    require(p.fitted(), "latent map: nothing to project onto yet; compute the latent map first");
    const std::size_t z = p.z;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t a = 0; a < 2; ++a) {
            double x = 0;
            for (std::size_t j = 0; j < z; ++j) x += (double(codes[i * z + j]) - p.mean[j]) * p.components(a, j);
            points[i * 2 + a] = float(x);
        }
}

void unproject(const LatentProjection& p, const float* points, std::size_t n, float* codes) {
    require(p.fitted(), "latent map: no map yet to place points on; compute the latent map first");
    const std::size_t z = p.z;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < z; ++j)
            codes[i * z + j] = float(p.mean[j] + double(points[i * 2]) * p.components(0, j) +
                                     double(points[i * 2 + 1]) * p.components(1, j));
}

}  // namespace ae

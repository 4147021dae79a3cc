#include "analysis/latent_map.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace ae {

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

#include "optim/clip.hpp"

#include <cmath>

#include "core/error.hpp"

namespace ae {

double global_grad_norm(const std::vector<Param*>& params) {
    double sq = 0.0;
    for (const Param* p : params)
        for (std::size_t i = 0, n = p->size(); i < n; ++i) sq += double(p->grad[i]) * double(p->grad[i]);
    return std::sqrt(sq);
}

double clip_by_global_norm(const std::vector<Param*>& params, double max_norm) {
    require(max_norm >= 0, "clip_norm must be >= 0 (0 = off), got ", max_norm);
    const double norm = global_grad_norm(params);
    if (max_norm == 0) return norm;
    const double coef = max_norm / (norm + 1e-6);
    if (coef < 1.0) {
        const Scalar c = Scalar(coef);
        for (Param* p : params) {
            Scalar* g = p->gdata();
            for (std::size_t i = 0, n = p->size(); i < n; ++i) g[i] *= c;
        }
    }
    return norm;
}

}  // namespace ae

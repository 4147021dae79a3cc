#include "losses/weight_decay.hpp"

#include <cmath>

namespace ae {

double weight_decay(const std::vector<Param*>& params, double l2, double l1, bool add_grad) {
    if (l2 == 0 && l1 == 0) return 0.0;
    double sq = 0.0, abs = 0.0;
    const Scalar s2 = Scalar(l2), s1 = Scalar(l1);
    for (Param* p : params) {
        if (!p->decay) continue;
        const Scalar* w = p->data();
        Scalar* g = p->gdata();
        for (std::size_t i = 0, n = p->size(); i < n; ++i) {
            sq += double(w[i]) * double(w[i]);
            abs += std::fabs(double(w[i]));
            if (add_grad) g[i] += s2 * w[i] + (w[i] > 0 ? s1 : (w[i] < 0 ? -s1 : Scalar(0)));
        }
    }
    return l2 * 0.5 * sq + l1 * abs;
}

}  // namespace ae

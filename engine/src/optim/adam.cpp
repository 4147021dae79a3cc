#include "optim/adam.hpp"

#include <cmath>

#include "core/error.hpp"

namespace ae {

void Adam::attach(const std::vector<Param*>& params) {
    m_.clear();
    v_.clear();
    for (const Param* p : params) {
        m_.push_back(xt::zeros<Scalar>({p->size()}));
        v_.push_back(xt::zeros<Scalar>({p->size()}));
    }
    t_ = 0;
}

void Adam::step(const std::vector<Param*>& params, double lr) {
    require(params.size() == m_.size(), "adam: optimizer attached to ", m_.size(), " parameters, stepped with ",
            params.size());
    ++t_;
    const double b1 = cfg_.beta1, b2 = cfg_.beta2;
    const double bc1 = 1.0 - std::pow(b1, double(t_));
    const double bc2 = 1.0 - std::pow(b2, double(t_));
    const Scalar step_size = Scalar(lr / bc1);
    const Scalar inv_sqrt_bc2 = Scalar(1.0 / std::sqrt(bc2));
    const Scalar eps = Scalar(cfg_.eps), sb1 = Scalar(b1), sb2 = Scalar(b2);
    const Scalar ob1 = Scalar(1.0 - b1), ob2 = Scalar(1.0 - b2);
    for (std::size_t i = 0; i < params.size(); ++i) {
        Scalar* w = params[i]->data();
        const Scalar* g = params[i]->grad.data();
        Scalar* m = m_[i].data();
        Scalar* v = v_[i].data();
        const std::size_t n = params[i]->size();
        for (std::size_t k = 0; k < n; ++k) {
            m[k] = sb1 * m[k] + ob1 * g[k];
            v[k] = sb2 * v[k] + ob2 * g[k] * g[k];
            w[k] -= step_size * m[k] / (std::sqrt(v[k]) * inv_sqrt_bc2 + eps);
        }
    }
}

std::vector<std::pair<std::string, Vec*>> Adam::slots() {
    std::vector<std::pair<std::string, Vec*>> out;
    for (std::size_t i = 0; i < m_.size(); ++i) out.emplace_back("adam.m." + std::to_string(i), &m_[i]);
    for (std::size_t i = 0; i < v_.size(); ++i) out.emplace_back("adam.v." + std::to_string(i), &v_[i]);
    return out;
}

}  // namespace ae

#include "optim/adam.hpp"

#include <cmath>

#include "core/error.hpp"
#include "kernels/optim_update.hpp"

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
    kernels::AdamCoeffs<Scalar> c;
    c.beta1 = Scalar(b1);
    c.beta2 = Scalar(b2);
    c.one_minus_beta1 = Scalar(1.0 - b1);
    c.one_minus_beta2 = Scalar(1.0 - b2);
    c.step = Scalar(lr / bc1);
    c.inv_sqrt_bc2 = Scalar(1.0 / std::sqrt(bc2));
    c.eps = Scalar(cfg_.eps);
    finite_ = true;
    for (std::size_t i = 0; i < params.size(); ++i)
        finite_ = kernels::adam_update(params[i]->data(), params[i]->grad.data(), m_[i].data(), v_[i].data(),
                                       params[i]->size(), c) &&
                  finite_;
}

std::vector<std::pair<std::string, Vec*>> Adam::slots() {
    std::vector<std::pair<std::string, Vec*>> out;
    for (std::size_t i = 0; i < m_.size(); ++i) out.emplace_back("adam.m." + std::to_string(i), &m_[i]);
    for (std::size_t i = 0; i < v_.size(); ++i) out.emplace_back("adam.v." + std::to_string(i), &v_[i]);
    return out;
}

}  // namespace ae

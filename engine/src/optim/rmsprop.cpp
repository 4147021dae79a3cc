#include "optim/rmsprop.hpp"

#include <cmath>

#include "core/error.hpp"

namespace ae {

void RmsProp::attach(const std::vector<Param*>& params) {
    sq_.clear();
    buf_.clear();
    for (const Param* p : params) {
        sq_.push_back(xt::zeros<Scalar>({p->size()}));
        buf_.push_back(xt::zeros<Scalar>({p->size()}));
    }
    t_ = 0;
}

void RmsProp::step(const std::vector<Param*>& params, double lr) {
    require(params.size() == sq_.size(), "rmsprop: optimizer attached to ", sq_.size(), " parameters, stepped with ",
            params.size());
    ++t_;
    const Scalar slr = Scalar(lr), mu = Scalar(cfg_.momentum), eps = Scalar(cfg_.eps);
    const Scalar a = Scalar(cfg_.alpha), oa = Scalar(1.0 - cfg_.alpha);
    const bool momentum = cfg_.momentum > 0;
    for (std::size_t i = 0; i < params.size(); ++i) {
        Scalar* w = params[i]->data();
        const Scalar* g = params[i]->grad.data();
        Scalar* v = sq_[i].data();
        Scalar* b = buf_[i].data();
        const std::size_t n = params[i]->size();
        for (std::size_t k = 0; k < n; ++k) {
            v[k] = a * v[k] + oa * g[k] * g[k];
            const Scalar step = g[k] / (std::sqrt(v[k]) + eps);
            if (momentum) {
                b[k] = mu * b[k] + step;
                w[k] -= slr * b[k];
            } else {
                w[k] -= slr * step;
            }
        }
    }
}

std::vector<std::pair<std::string, Vec*>> RmsProp::slots() {
    std::vector<std::pair<std::string, Vec*>> out;
    for (std::size_t i = 0; i < sq_.size(); ++i) out.emplace_back("rmsprop.square_avg." + std::to_string(i), &sq_[i]);
    for (std::size_t i = 0; i < buf_.size(); ++i) out.emplace_back("rmsprop.momentum." + std::to_string(i), &buf_[i]);
    return out;
}

}  // namespace ae

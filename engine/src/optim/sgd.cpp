#include "optim/sgd.hpp"

#include "core/error.hpp"

namespace ae {

void Sgd::attach(const std::vector<Param*>& params) {
    buf_.clear();
    for (const Param* p : params) buf_.push_back(xt::zeros<Scalar>({p->size()}));
    t_ = 0;
}

void Sgd::step(const std::vector<Param*>& params, double lr) {
    require(params.size() == buf_.size(), "sgd: optimizer attached to ", buf_.size(), " parameters, stepped with ",
            params.size());
    ++t_;
    const Scalar slr = Scalar(lr), mu = Scalar(cfg_.momentum);
    const bool momentum = cfg_.momentum != 0, nesterov = cfg_.nesterov;
    for (std::size_t i = 0; i < params.size(); ++i) {
        Scalar* w = params[i]->data();
        const Scalar* g = params[i]->grad.data();
        Scalar* b = buf_[i].data();
        const std::size_t n = params[i]->size();
        if (!momentum) {
            for (std::size_t k = 0; k < n; ++k) w[k] -= slr * g[k];
        } else if (nesterov) {
            for (std::size_t k = 0; k < n; ++k) {
                b[k] = mu * b[k] + g[k];
                w[k] -= slr * (g[k] + mu * b[k]);
            }
        } else {
            for (std::size_t k = 0; k < n; ++k) {
                b[k] = mu * b[k] + g[k];
                w[k] -= slr * b[k];
            }
        }
    }
}

std::vector<std::pair<std::string, Vec*>> Sgd::slots() {
    std::vector<std::pair<std::string, Vec*>> out;
    for (std::size_t i = 0; i < buf_.size(); ++i) out.emplace_back("sgd.momentum." + std::to_string(i), &buf_[i]);
    return out;
}

}  // namespace ae

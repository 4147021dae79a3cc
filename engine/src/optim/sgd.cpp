#include "optim/sgd.hpp"

#include "core/error.hpp"
#include "kernels/optim_update.hpp"

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
    using kernels::SgdMomentum;
    const SgdMomentum kind =
        cfg_.momentum == 0 ? SgdMomentum::None : (cfg_.nesterov ? SgdMomentum::Nesterov : SgdMomentum::Classic);
    finite_ = true;
    for (std::size_t i = 0; i < params.size(); ++i)
        finite_ = kernels::sgd_update(params[i]->data(), params[i]->grad.data(), buf_[i].data(), params[i]->size(),
                                      Scalar(lr), Scalar(cfg_.momentum), kind) &&
                  finite_;
}

std::vector<std::pair<std::string, Vec*>> Sgd::slots() {
    std::vector<std::pair<std::string, Vec*>> out;
    for (std::size_t i = 0; i < buf_.size(); ++i) out.emplace_back("sgd.momentum." + std::to_string(i), &buf_[i]);
    return out;
}

}  // namespace ae

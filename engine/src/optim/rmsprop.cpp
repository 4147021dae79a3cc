#include "optim/rmsprop.hpp"

#include <cmath>

#include "core/error.hpp"
#include "kernels/optim_update.hpp"

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
    finite_ = true;
    for (std::size_t i = 0; i < params.size(); ++i)
        finite_ = kernels::rmsprop_update(params[i]->data(), params[i]->grad.data(), sq_[i].data(), buf_[i].data(),
                                          params[i]->size(), Scalar(lr), Scalar(cfg_.alpha), Scalar(1.0 - cfg_.alpha),
                                          Scalar(cfg_.eps), Scalar(cfg_.momentum), cfg_.momentum > 0) &&
                  finite_;
}

std::vector<std::pair<std::string, Vec*>> RmsProp::slots() {
    std::vector<std::pair<std::string, Vec*>> out;
    for (std::size_t i = 0; i < sq_.size(); ++i) out.emplace_back("rmsprop.square_avg." + std::to_string(i), &sq_[i]);
    for (std::size_t i = 0; i < buf_.size(); ++i) out.emplace_back("rmsprop.momentum." + std::to_string(i), &buf_[i]);
    return out;
}

}  // namespace ae

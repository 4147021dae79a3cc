#include "layers/reshape.hpp"

#include "core/error.hpp"

namespace ae {

Reshape::Reshape(FeatureShape in, FeatureShape out) {
    require(in.size() == out.size() && in.size() > 0, "reshape: cannot reshape ", in.c, "x", in.h, "x", in.w, " (",
            in.size(), " values) to ", out.c, "x", out.h, "x", out.w, " (", out.size(),
            " values); both shapes must hold the same positive number of values");
    in_ = in;
    out_ = out;
}

const Mat& Reshape::forward(const Mat& x, const Context&) {
    require(cols(x) == in_.size(), "reshape expects rows of ", in_.size(), " values (", in_.c, "x", in_.h, "x",
            in_.w, "), got ", cols(x));
    return x;
}

const Mat& Reshape::backward(const Mat& dy) {
    if (!needs_input_grad_) return dx_;
    require(cols(dy) == out_.size(), "reshape backward expects rows of ", out_.size(), " values, got ", cols(dy));
    return dy;
}

}  // namespace ae

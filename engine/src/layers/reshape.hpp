// Reshape (and flatten): rows are already laid out (C, H, W), so a reshape only changes how the
// next layer reads them. Forward returns the caller's buffer and backward the incoming gradient,
// unchanged and uncopied: both stay valid exactly as long as a copy in this layer would (until
// the owner's next forward or backward).
//
//   flatten    Reshape({C, H, W}, FeatureShape::flat(C·H·W))
//   unflatten  Reshape(FeatureShape::flat(C·H·W), {C, H, W})
#pragma once
#include "core/layer.hpp"

namespace ae {

class Reshape : public Layer {
public:
    // in.size() == out.size() > 0.
    Reshape(FeatureShape in, FeatureShape out);

    std::string kind() const override { return "reshape"; }
    const Mat& forward(const Mat& x, const Context& ctx) override;  // x itself
    const Mat& backward(const Mat& dy) override;                    // dy itself
};

}  // namespace ae

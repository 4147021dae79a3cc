// A chain of layers: forward left to right, backward right to left.
// A layer followed by an Activation it can absorb (Dense, Conv2D, ConvTranspose2D) is fused as
// they are added (fuse_activation, layers/activation.hpp): the layer applies the activation in
// its last pass and the Activation passes that output through.
#pragma once
#include <vector>

#include "core/layer.hpp"
#include "layers/activation.hpp"

namespace ae {

class Sequential {
public:
    void add(LayerPtr layer) {
        if (!layers_.empty()) fuse_activation(*layers_.back(), *layer);
        layers_.push_back(std::move(layer));
    }
    bool empty() const { return layers_.empty(); }
    std::size_t size() const { return layers_.size(); }
    Layer& operator[](std::size_t i) { return *layers_[i]; }
    const Layer& operator[](std::size_t i) const { return *layers_[i]; }
    Layer& back() { return *layers_.back(); }

    // The shape the next layer receives.
    FeatureShape out_shape(FeatureShape in) const { return layers_.empty() ? in : layers_.back()->out_shape(); }

    const Mat& forward(const Mat& x, const Context& ctx) {
        const Mat* h = &x;
        for (auto& l : layers_) h = &l->forward(*h, ctx);
        return *h;
    }
    const Mat& backward(const Mat& dy) {
        const Mat* g = &dy;
        for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) g = &(*it)->backward(*g);
        return *g;
    }

private:
    std::vector<LayerPtr> layers_;
};

}  // namespace ae

// A view of a dataset: the images of a DatasetFile that one purpose uses, as a list of indices
// into it, in increasing order. Views are how training, evaluation, the anomaly lab and the
// feature probes work on part of a set without copying its pixels:
//
//   class filter   all classes but one ("except 3": the anomaly lab's "normal" set), or one
//                  class only ("only 3"), or every image ("all");
//   label budget   a stratified sample of n images (data/label_budget.hpp);
//   range          images [start, start + count).
//
// The class filter is part of the training config (train_config.hpp: "class_filter",
// "filter_class"), so a model file records what the model was trained on.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset_file.hpp"

namespace ae {

struct ClassFilter {
    enum class Mode { All, Except, Only };
    Mode mode = Mode::All;
    std::uint32_t cls = 0;  // the class left out (Except) or kept (Only); unused for All

    bool keeps(std::uint8_t label) const {
        return mode == Mode::All || (mode == Mode::Except ? label != cls : label == cls);
    }
    bool operator==(const ClassFilter& o) const { return mode == o.mode && (mode == Mode::All || cls == o.cls); }
    bool operator!=(const ClassFilter& o) const { return !(*this == o); }
};

// "all" | "except" | "only" (the training config's "class_filter" values).
ClassFilter::Mode parse_filter_mode(const std::string& name);
const char* filter_mode_name(ClassFilter::Mode mode);
// "all", "except 3", "only 3": for messages and CLI lines.
std::string describe(const ClassFilter& f);

// The indices of the images of `data` that the filter keeps, in increasing order. Throws
// ae::Error when the class is not one of the set's classes or when no image is left.
std::vector<std::uint32_t> filter_indices(const DatasetFile& data, const ClassFilter& f);

// Images [start, start + count) (to the end when count is 0), checked against the set's size.
std::vector<std::uint32_t> range_indices(const DatasetFile& data, std::size_t start, std::size_t count);

// The images at `indices` as floats in [0, 1]: (n, H·W) row-major into out (resized).
void gather_images(const DatasetFile& data, const std::uint32_t* indices, std::size_t n, std::vector<float>& out);

}  // namespace ae

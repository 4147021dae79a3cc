#include "data/dataset_view.hpp"

#include "core/error.hpp"
#include "kernels/elementwise.hpp"

namespace ae {

ClassFilter::Mode parse_filter_mode(const std::string& name) {
    if (name == "all") return ClassFilter::Mode::All;
    if (name == "except") return ClassFilter::Mode::Except;
    if (name == "only") return ClassFilter::Mode::Only;
    fail("unknown class filter '", name, "' (expected all, except or only)");
}

const char* filter_mode_name(ClassFilter::Mode mode) {
    switch (mode) {
        case ClassFilter::Mode::Except: return "except";
        case ClassFilter::Mode::Only: return "only";
        case ClassFilter::Mode::All: break;
    }
    return "all";
}

std::string describe(const ClassFilter& f) {
    if (f.mode == ClassFilter::Mode::All) return "all";
    return std::string(filter_mode_name(f.mode)) + " " + std::to_string(f.cls);
}

std::vector<std::uint32_t> filter_indices(const DatasetFile& data, const ClassFilter& f) {
    if (f.mode != ClassFilter::Mode::All)
        require(f.cls < data.classes, "class filter '", describe(f), "': the ", data.name.empty() ? "" : data.name + " ",
                "set has classes 0 to ", data.classes == 0 ? 0 : data.classes - 1);
    std::vector<std::uint32_t> out;
    out.reserve(f.mode == ClassFilter::Mode::Only ? data.count / (data.classes ? data.classes : 1) : data.count);
    for (std::uint32_t i = 0; i < data.count; ++i)
        if (f.keeps(data.labels[i])) out.push_back(i);
    require(!out.empty(), "class filter '", describe(f), "' leaves no image of the ", data.count, " in the set");
    return out;
}

std::vector<std::uint32_t> range_indices(const DatasetFile& data, std::size_t start, std::size_t count) {
    require(start < data.count || (start == 0 && data.count == 0), "images from ", start,
            " are past the end of the set (", data.count, " images)");
    const std::size_t n = count ? count : data.count - start;
    require(n <= data.count - start, "images [", start, ", ", start + n, ") are past the end of the set (", data.count,
            " images)");
    std::vector<std::uint32_t> out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = std::uint32_t(start + i);
    return out;
}

void gather_images(const DatasetFile& data, const std::uint32_t* indices, std::size_t n, std::vector<float>& out) {
    const std::size_t d = std::size_t(data.height) * data.width;
    out.resize(n * d);
    for (std::size_t i = 0; i < n; ++i)
        require(indices[i] < data.count, "image index ", indices[i], " is out of range (the set has ", data.count,
                " images)");
    kernels::gather_u8_to_unit(data.pixels.data(), d, indices, n, out.data());
}

}  // namespace ae

// Label budgets for the feature probes: which n images of a view get their labels shown.
//
// Stratified: each class gets a share of n proportional to its count in the view, rounded by
// largest remainder (ties to the smaller class), at least one image per class present while n
// allows; within a class the images are a seeded shuffle's first ones. The same (view, n, seed)
// always gives the same images, natively and in WASM, and a larger budget is not required to
// contain a smaller one.
#pragma once
#include <cstdint>
#include <vector>

namespace ae {

// labels: the label of every image of the set; view: the images to choose from (indices into
// labels); classes: the number of classes. Returns n indices (a subset of view), in increasing
// order. Throws ae::Error when n is 0 or larger than the view.
std::vector<std::uint32_t> stratified_sample(const std::vector<std::uint8_t>& labels,
                                             const std::vector<std::uint32_t>& view, std::uint32_t classes,
                                             std::size_t n, std::uint64_t seed);

}  // namespace ae

// Where a conv layer's planes sit: C channels of P values per image, plane (i, c) starting at
// i·image + c·channel. A batch's rows (N, C·P) are {C·P, P}; a group's product (C, count·P),
// its images side by side, is {P, count·P}. kernels/elementwise.hpp moves planes between the two.
#pragma once
#include <cstddef>

namespace ae::kernels {

struct PlaneLayout {
    std::size_t image, channel;
};

}  // namespace ae::kernels

// The elementwise activation functions the kernels know (layers/activation.hpp names them
// ActKind and parses them from configs). Each is applied with its derivative written in terms
// of the output y where possible, so a layer needs to keep only y:
//
//   Identity   y = x                      dy/dx = 1
//   ReLU       y = max(x, 0)              dy/dx = [y > 0]
//   LeakyReLU  y = x>0 ? x : a·x          dy/dx = x>0 ? 1 : a      (= [y > 0] for a ≥ 0)
//   Sigmoid    y = 1 / (1 + e^-x)         dy/dx = y (1 - y)
//   Tanh       y = tanh x                 dy/dx = 1 - y²
#pragma once

namespace ae::kernels {

enum class Act { Identity, ReLU, LeakyReLU, Sigmoid, Tanh };

}  // namespace ae::kernels

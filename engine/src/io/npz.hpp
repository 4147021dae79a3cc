// NumPy .npz export: a ZIP archive (every member "stored", uncompressed) of .npy version 1.0
// arrays, readable with numpy.load(path) and nothing else. The layout and the array names are
// documented in engine/src/io/FORMAT.md, with a Python snippet that loads the weights into
// the equivalent PyTorch model.
//
// Array names (the member "encoder.0.weight.npy" is the key "encoder.0.weight"):
//   <params and buffers by their model names>  float32, PyTorch layout: a Dense weight, ours
//       (D_in, D_out), is written transposed as torch.nn.Linear's (D_out, D_in); convolution
//       and batch-norm tensors already have PyTorch's layout and are written as they are.
//   model_config                                the model config JSON, a 0-d unicode array
//                                               (json.loads(str(z["model_config"])))
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "models/autoencoder.hpp"

namespace ae {

// One .npy member: `descr` is NumPy's dtype string ("<f4", "<U12"), `data` its C-order bytes.
struct NpyArray {
    std::string name;  // without ".npy"
    std::string descr;
    std::vector<std::size_t> shape;  // {} for a 0-d array
    std::vector<std::uint8_t> data;
};

NpyArray npy_float32(std::string name, std::vector<std::size_t> shape, const float* values);
NpyArray npy_unicode(std::string name, const std::string& ascii);  // 0-d '<U{n}' array

// The .npy v1.0 bytes of one array (magic, header padded to 64 bytes, data).
std::vector<std::uint8_t> npy_bytes(const NpyArray& a);
// A ZIP archive of the arrays, in order. Deterministic: fixed timestamps (1980-01-01 00:00).
std::vector<std::uint8_t> write_npz(const std::vector<NpyArray>& arrays);

// The model's parameters and buffers, in params() then buffers() order, plus model_config.
std::vector<NpyArray> model_arrays(Autoencoder& model);
inline std::vector<std::uint8_t> export_npz(Autoencoder& model) { return write_npz(model_arrays(model)); }

}  // namespace ae

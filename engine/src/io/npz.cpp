#include "io/npz.hpp"

#include <limits>

#include "core/error.hpp"
#include "io/bytes.hpp"
#include "io/crc32.hpp"
#include "io/model_file.hpp"

namespace ae {

NpyArray npy_float32(std::string name, std::vector<std::size_t> shape, const float* values) {
    std::size_t n = 1;
    for (std::size_t d : shape) n *= d;
    NpyArray a{std::move(name), "<f4", std::move(shape), {}};
    Bytes& b = a.data;
    ByteWriter w(b);
    for (std::size_t i = 0; i < n; ++i) store_f32(w, values[i]);
    return a;
}

NpyArray npy_unicode(std::string name, const std::string& ascii) {
    NpyArray a{std::move(name), "<U" + std::to_string(ascii.size()), {}, {}};
    ByteWriter w(a.data);
    for (unsigned char c : ascii) {
        require(c < 0x80, "npz: text arrays hold ASCII only");
        w.u32(c);  // UTF-32LE, NumPy's unicode storage
    }
    return a;
}

std::vector<std::uint8_t> npy_bytes(const NpyArray& a) {
    std::string shape = "(";
    for (std::size_t i = 0; i < a.shape.size(); ++i) shape += std::to_string(a.shape[i]) + (a.shape.size() == 1 ? "," : i + 1 < a.shape.size() ? ", " : "");
    shape += ")";
    std::string header = "{'descr': '" + a.descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    // magic (6) + version (2) + header length (2) + header, padded with spaces and ending in
    // '\n' so that the data starts at a multiple of 64 bytes, as NumPy writes it.
    const std::size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    require(header.size() <= 0xFFFF, "npz: array '", a.name, "' has a header too long for .npy version 1.0");
    Bytes out;
    ByteWriter w(out);
    w.str("\x93NUMPY");
    w.u8(1);
    w.u8(0);
    w.u16(std::uint16_t(header.size()));
    w.str(header);
    w.raw(a.data.data(), a.data.size());
    return out;
}

std::vector<std::uint8_t> write_npz(const std::vector<NpyArray>& arrays) {
    constexpr std::uint16_t kVersion = 20;        // ZIP 2.0: stored members, no ZIP64
    constexpr std::uint16_t kDosDate = (1 << 5) | 1;  // 1980-01-01
    constexpr std::uint16_t kDosTime = 0;
    require(arrays.size() <= 0xFFFF, "npz: too many arrays (", arrays.size(), "), a ZIP without ZIP64 holds 65535");

    struct Entry {
        std::string file;
        std::uint32_t crc, size, offset;
    };
    std::vector<Entry> entries;
    Bytes out;
    ByteWriter w(out);
    const auto fits32 = [](std::size_t n) { return n <= std::numeric_limits<std::uint32_t>::max(); };
    for (const NpyArray& a : arrays) {
        const Bytes npy = npy_bytes(a);
        const std::string file = a.name + ".npy";
        require(fits32(npy.size()) && fits32(out.size()), "npz: the archive would exceed 4 GiB (ZIP64 is not written)");
        const Entry e{file, crc32(npy.data(), npy.size()), std::uint32_t(npy.size()), std::uint32_t(out.size())};
        w.u32(0x04034b50);  // local file header
        w.u16(kVersion);
        w.u16(0);  // flags
        w.u16(0);  // method: stored
        w.u16(kDosTime);
        w.u16(kDosDate);
        w.u32(e.crc);
        w.u32(e.size);  // compressed size
        w.u32(e.size);  // uncompressed size
        w.u16(std::uint16_t(file.size()));
        w.u16(0);  // extra field length
        w.str(file);
        w.raw(npy.data(), npy.size());
        entries.push_back(e);
    }
    const std::size_t cd_offset = out.size();
    for (const Entry& e : entries) {
        w.u32(0x02014b50);  // central directory header
        w.u16(kVersion);    // made by
        w.u16(kVersion);    // needed
        w.u16(0);
        w.u16(0);
        w.u16(kDosTime);
        w.u16(kDosDate);
        w.u32(e.crc);
        w.u32(e.size);
        w.u32(e.size);
        w.u16(std::uint16_t(e.file.size()));
        w.u16(0);  // extra
        w.u16(0);  // comment
        w.u16(0);  // disk number
        w.u16(0);  // internal attributes
        w.u32(0);  // external attributes
        w.u32(e.offset);
        w.str(e.file);
    }
    const std::size_t cd_size = out.size() - cd_offset;
    require(fits32(out.size()), "npz: the archive would exceed 4 GiB (ZIP64 is not written)");
    w.u32(0x06054b50);  // end of central directory
    w.u16(0);
    w.u16(0);
    w.u16(std::uint16_t(entries.size()));
    w.u16(std::uint16_t(entries.size()));
    w.u32(std::uint32_t(cd_size));
    w.u32(std::uint32_t(cd_offset));
    w.u16(0);  // comment length
    return out;
}

std::vector<NpyArray> model_arrays(Autoencoder& model) {
    std::vector<NpyArray> out;
    std::vector<float> tmp;
    for (const TensorRef& t : model_tensors(model)) {
        std::size_t n = 1;
        for (std::size_t d : t.shape) n *= d;
        tmp.assign(t.data, t.data + n);
        std::vector<std::size_t> shape = t.shape;
        if (shape.size() == 2) {
            // A Dense weight (D_in, D_out) → torch.nn.Linear's (D_out, D_in).
            const std::size_t din = shape[0], dout = shape[1];
            for (std::size_t i = 0; i < din; ++i)
                for (std::size_t o = 0; o < dout; ++o) tmp[o * din + i] = float(t.data[i * dout + o]);
            shape = {dout, din};
        }
        out.push_back(npy_float32(t.name, shape, tmp.data()));
    }
    out.push_back(npy_unicode("model_config", to_json(model.config())));
    return out;
}

}  // namespace ae

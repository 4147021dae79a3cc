#include "analysis/model_on_view.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "data/dataset_view.hpp"

namespace ae {

namespace {

constexpr std::size_t kChunk = 256;

void check_size(const Autoencoder& model, const DatasetFile& data) {
    require(std::size_t(data.height) * data.width == model.input_size(), "the images have ", data.height, "x",
            data.width, " pixels but the model expects ", model.input_size());
}

// f(x (b, D) as a Mat, offset) for each chunk of the images at idx.
template <class F>
void for_chunks(const DatasetFile& data, const std::uint32_t* idx, std::size_t n, F&& f) {
    std::vector<float> x;
    Mat m;
    const std::size_t d = std::size_t(data.height) * data.width;
    for (std::size_t i0 = 0; i0 < n; i0 += kChunk) {
        const std::size_t b = std::min(kChunk, n - i0);
        gather_images(data, idx + i0, b, x);
        ensure_shape(m, b, d);
        std::copy(x.begin(), x.end(), m.begin());
        f(x, m, i0, b);
    }
}

}  // namespace

std::vector<float> encode_images(Autoencoder& model, const DatasetFile& data, const std::uint32_t* idx, std::size_t n) {
    check_size(model, data);
    Rng rng(0);
    const Context ctx{Mode::Eval, &rng};
    std::vector<float> out;
    out.reserve(n * model.latent_size());
    for_chunks(data, idx, n, [&](const std::vector<float>&, const Mat& m, std::size_t, std::size_t) {
        const Mat& z = model.encode(m, ctx);
        out.insert(out.end(), z.begin(), z.end());
    });
    return out;
}

std::vector<float> reconstruct_images(Autoencoder& model, const DatasetFile& data, const std::uint32_t* idx,
                                      std::size_t n) {
    check_size(model, data);
    Rng rng(0);
    const Context ctx{Mode::Eval, &rng};
    std::vector<float> out;
    out.reserve(n * model.input_size());
    for_chunks(data, idx, n, [&](const std::vector<float>&, const Mat& m, std::size_t, std::size_t) {
        const Mat& y = model.reconstruct(m, ctx);
        out.insert(out.end(), y.begin(), y.end());
    });
    return out;
}

void score_images(Autoencoder& model, const DatasetFile& data, const std::uint32_t* idx, std::size_t n,
                  ReconScores& out) {
    check_size(model, data);
    Rng rng(0);
    const Context ctx{Mode::Eval, &rng};
    std::vector<float> y;
    for_chunks(data, idx, n, [&](const std::vector<float>& x, const Mat& m, std::size_t, std::size_t b) {
        const Mat& r = model.reconstruct(m, ctx);
        y.assign(r.begin(), r.end());
        score_reconstructions(x.data(), y.data(), b, model.input_size(), out);
    });
}

void score_images(const Pca& pca, std::size_t k_used, bool clip, const DatasetFile& data, const std::uint32_t* idx,
                  std::size_t n, ReconScores& out) {
    require(std::size_t(data.height) * data.width == pca.d, "the images have ", data.height, "x", data.width,
            " pixels but the PCA was fitted on ", pca.d);
    std::vector<float> c, y;
    for_chunks(data, idx, n, [&](const std::vector<float>& x, const Mat&, std::size_t, std::size_t b) {
        c.resize(b * pca.k);
        y.resize(b * pca.d);
        pca.project(x.data(), b, c.data());
        if (k_used < pca.k)  // keep the first k_used coefficients, packed
            for (std::size_t i = 0; i < b; ++i)
                std::copy(c.begin() + long(i * pca.k), c.begin() + long(i * pca.k + k_used), c.begin() + long(i * k_used));
        pca.reconstruct(c.data(), b, k_used, clip, y.data());
        score_reconstructions(x.data(), y.data(), b, pca.d, out);
    });
}

void accumulate_images(PcaAccumulator& acc, const DatasetFile& data, const std::uint32_t* idx, std::size_t n) {
    require(std::size_t(data.height) * data.width == acc.dims(), "the images have ", data.height, "x", data.width,
            " pixels but the PCA takes ", acc.dims());
    for_chunks(data, idx, n, [&](const std::vector<float>& x, const Mat&, std::size_t, std::size_t b) { acc.add(x.data(), b); });
}

}  // namespace ae

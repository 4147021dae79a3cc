// ae compress: the compression lab. Codes as bytes: float32 codes (4·k bytes) and 8-bit codes
// (k bytes; per-dimension ranges from the training images' codes), decoded, against the test
// images: MSE, mean per-image PSNR and SSIM. PCA with the same k (and any other k listed) as
// the linear baseline, its coefficients quantised the same way and its reconstructions clipped
// to [0, 1] (the unclipped MSE is printed too: the linear-AE comparison uses it).
#include <iostream>

#include "analysis/image_quality.hpp"
#include "analysis/model_on_view.hpp"
#include "analysis/quantize.hpp"
#include "common.hpp"
#include "data/dataset_view.hpp"
#include "labs.hpp"

namespace ae::cli {

const Command& compress_command() {
    static const Command cmd = [] {
        Command c;
        c.name = "compress";
        c.synopsis = "ae compress MODEL.aemf [--dataset NAME] [--pca-k 2,4,8] [options]";
        c.about =
            "Compression with the model's code, on the test images. Per dimension, lo/hi are the min/max\n"
            "of the training images' codes; an 8-bit code is q = clip(round((z-lo)/(hi-lo)*255), 0, 255),\n"
            "decoded from lo + q(hi-lo)/255. PSNR = 10 log10(1/MSE) per image (peak 1, capped at 100 dB),\n"
            "SSIM as skimage (Gaussian window, sigma 1.5), both averaged over the images. Prints:\n"
            "  compress dataset=… k=… bytes_f32=… bytes_8bit=… mse=… psnr_f32=… ssim_f32=… mse_8bit=…\n"
            "  psnr_8bit=… ssim_8bit=…\n"
            "  compress_pca dataset=… k=… bytes_f32=… bytes_8bit=… mse=… mse_unclipped=… psnr_f32=…\n"
            "  ssim_f32=… mse_8bit=… psnr_8bit=… ssim_8bit=…      (one line per k)\n"
            "mse is per pixel of the model's output as it is (an identity-output model is not clipped).";
        c.flags = {
            {"dataset", "NAME", "mnist or fashion-mnist (default: the model's)"},
            {"data-dir", "DIR", "where the .aeds.gz files are (default web/public/data)"},
            {"limit", "N", "use only the first N images of each split"},
            {"pca-k", "K1,K2,..", "PCA sizes to compare (default: the model's latent size; 0 = none)"},
        };
        c.min_positional = c.max_positional = 1;
        c.epilog = "example:\n  ae compress seed.aemf --pca-k 2,4,8,16,20,32,64\nexit codes: 0 ok, 1 failed, 2 usage error";
        return c;
    }();
    return cmd;
}

namespace {

struct Quality {
    double mse = 0, psnr = 0, ssim = 0;
};

// Mean per-image MSE, PSNR and SSIM of y against x, (N, H·W) each.
Quality quality(const std::vector<float>& x, const std::vector<float>& y, std::size_t n, std::size_t h, std::size_t w) {
    Quality q;
    const std::size_t d = h * w;
    for (std::size_t i = 0; i < n; ++i) {
        double se = 0;
        for (std::size_t p = 0; p < d; ++p) {
            const double e = double(y[i * d + p]) - x[i * d + p];
            se += e * e;
        }
        q.mse += se / double(d);
        q.psnr += psnr(x.data() + i * d, y.data() + i * d, d);
        q.ssim += ssim(x.data() + i * d, y.data() + i * d, h, w);
    }
    q.mse /= double(n);
    q.psnr /= double(n);
    q.ssim /= double(n);
    return q;
}

std::string line(const Quality& f, const Quality& q8) {
    return " mse=" + num(f.mse) + " psnr_f32=" + num(f.psnr) + " ssim_f32=" + num(f.ssim) + " mse_8bit=" + num(q8.mse) +
           " psnr_8bit=" + num(q8.psnr) + " ssim_8bit=" + num(q8.ssim);
}

}  // namespace

int cmd_compress(const std::vector<std::string>& argv) {
    Args a;
    if (parse_or_help(compress_command(), argv, a)) return 0;
    std::vector<std::size_t> ks = size_list(a, "pca-k", "1", 0, 4096);  // checked before any loading
    LabData lab;
    load_lab(lab, a.positional[0], a);
    Session& s = lab.session;
    Autoencoder& model = s.model();
    const std::size_t z = model.latent_size(), h = lab.test.height, w = lab.test.width, d = h * w;
    if (!a.has("pca-k")) ks = {z};
    if (ks.size() == 1 && ks[0] == 0) ks.clear();

    const auto train_all = range_indices(lab.train, 0, 0);
    const auto test_all = range_indices(lab.test, 0, 0);
    const std::size_t n = test_all.size();
    std::vector<float> x;
    gather_images(lab.test, test_all.data(), n, x);

    // The model: ranges from the training codes; test codes as float32 and as 8-bit.
    CodeRanges ranges;
    const std::vector<float> train_codes = encode_images(model, lab.train, train_all.data(), train_all.size());
    ranges.update(train_codes.data(), train_all.size(), z);
    const std::vector<float> codes = encode_images(model, lab.test, test_all.data(), n);
    std::vector<std::uint8_t> q(n * z);
    quantize(ranges, codes.data(), n, q.data());
    std::vector<float> deq(n * z);
    dequantize(ranges, q.data(), n, deq.data());
    const auto decode_all = [&](const std::vector<float>& c) { return s.decode(c, n); };
    const Quality qf = quality(x, decode_all(codes), n, h, w), q8 = quality(x, decode_all(deq), n, h, w);
    std::cout << "compress dataset=" << lab.dataset << " k=" << z << " bytes_f32=" << 4 * z << " bytes_8bit=" << z
              << line(qf, q8) << std::endl;

    if (ks.empty()) return 0;
    // PCA: one fit with the largest k; the first k coefficients are the fit with k components.
    std::size_t kmax = 0;
    for (std::size_t k : ks) kmax = std::max(kmax, std::min(k, d));
    PcaAccumulator acc(d);
    accumulate_images(acc, lab.train, train_all.data(), train_all.size());
    const Pca pca = acc.fit(kmax);
    std::vector<float> tc(train_all.size() * kmax), xt;
    for (std::size_t i0 = 0; i0 < train_all.size(); i0 += 4096) {
        const std::size_t b = std::min<std::size_t>(4096, train_all.size() - i0);
        gather_images(lab.train, train_all.data() + i0, b, xt);
        pca.project(xt.data(), b, tc.data() + i0 * kmax);
    }
    std::vector<float> c(n * kmax);
    pca.project(x.data(), n, c.data());
    for (std::size_t k : ks) {
        k = std::min(k, d);
        std::vector<float> ck(n * k), tk(train_all.size() * k);
        for (std::size_t i = 0; i < n; ++i) std::copy(c.begin() + long(i * kmax), c.begin() + long(i * kmax + k), ck.begin() + long(i * k));
        for (std::size_t i = 0; i < train_all.size(); ++i)
            std::copy(tc.begin() + long(i * kmax), tc.begin() + long(i * kmax + k), tk.begin() + long(i * k));
        CodeRanges r;
        r.update(tk.data(), train_all.size(), k);
        std::vector<std::uint8_t> qk(n * k);
        quantize(r, ck.data(), n, qk.data());
        std::vector<float> dk(n * k), y(n * d), yu(n * d), y8(n * d);
        dequantize(r, qk.data(), n, dk.data());
        pca.reconstruct(ck.data(), n, k, true, y.data());
        pca.reconstruct(ck.data(), n, k, false, yu.data());
        pca.reconstruct(dk.data(), n, k, true, y8.data());
        double se = 0;
        for (std::size_t i = 0; i < n * d; ++i) se += (double(yu[i]) - x[i]) * (double(yu[i]) - x[i]);
        const Quality pf = quality(x, y, n, h, w), p8 = quality(x, y8, n, h, w);
        std::cout << "compress_pca dataset=" << lab.dataset << " k=" << k << " bytes_f32=" << 4 * k
                  << " bytes_8bit=" << k << " mse_unclipped=" << num(se / double(n * d)) << line(pf, p8) << std::endl;
    }
    return 0;
}

}  // namespace ae::cli

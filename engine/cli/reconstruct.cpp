// ae reconstruct: loads a model file and prints its reconstructions of dataset images, one
// line per image: reconstruct index=I label=L mse=… pixels=p0,p1,…  (the D output values,
// each with 9 significant digits, enough to round-trip a float). The page's end-to-end tests
// compare these with what the page shows for the same model file and image.
#include <cstdio>
#include <iostream>
#include <sstream>

#include "common.hpp"
#include "core/config_reader.hpp"
#include "train/session.hpp"

namespace ae::cli {

const Command& reconstruct_command() {
    static const Command cmd = [] {
        Command c;
        c.name = "reconstruct";
        c.synopsis = "ae reconstruct MODEL.aemf [--index I[,J…]] [--dataset NAME] [--split test|train]";
        c.about =
            "Reconstructs dataset images with a saved model (evaluation mode: no dropout, batch-norm\n"
            "running statistics; a VAE decodes its mean code) and prints one line per image:\n"
            "reconstruct index=I label=L mse=… pixels=p0,p1,… (the output values, 9 significant digits).";
        c.flags = {
            {"index", "I,J,…", "which images (default 0), comma-separated"},
            {"dataset", "NAME", "mnist or fashion-mnist (default: the one in the file's history, else mnist)"},
            {"split", "NAME", "test (default) or train"},
            {"data-dir", "DIR", "where the .aeds.gz files are (default web/public/data)"},
        };
        c.min_positional = c.max_positional = 1;
        c.epilog = "example:\n  ae reconstruct seed.aemf --index 3,7\nexit codes: 0 ok, 1 failed, 2 usage error";
        return c;
    }();
    return cmd;
}

int cmd_reconstruct(const std::vector<std::string>& argv) {
    Args a;
    if (parse_or_help(reconstruct_command(), argv, a)) return 0;
    const std::string split = split_arg(a);
    std::vector<std::uint32_t> indices;
    {
        std::stringstream list(a.get("index", "0"));
        std::string item;
        while (std::getline(list, item, ',')) {
            double v = 0;
            if (!parse_number(item, v) || v < 0 || v > 4294967295.0 || v != double(std::uint32_t(v)))
                throw UsageError("--index takes image numbers >= 0, comma-separated, got '" + item + "'");
            indices.push_back(std::uint32_t(v));
        }
        if (indices.empty()) throw UsageError("--index needs at least one image number");
    }

    Session s;
    const std::string dataset = load_model_and_dataset(s, a.positional[0], a);

    const Split which = parse_split(split);
    s.set_dataset(which, load_split(data_dir(a), dataset, split, 0));
    const std::vector<float> x = s.images(which, indices);  // (n, D)
    const std::vector<std::uint8_t> labels = s.labels(which, indices);
    const std::vector<float> y = s.reconstruct(x, indices.size());
    const std::size_t d = x.size() / indices.size();
    char buf[32];
    for (std::size_t i = 0; i < indices.size(); ++i) {
        double se = 0;
        std::string pixels;
        pixels.reserve(d * 12);
        for (std::size_t k = 0; k < d; ++k) {
            const double diff = double(y[i * d + k]) - double(x[i * d + k]);
            se += diff * diff;
            std::snprintf(buf, sizeof buf, "%.9g", double(y[i * d + k]));
            if (k) pixels += ',';
            pixels += buf;
        }
        std::cout << "reconstruct index=" << indices[i] << " label=" << int(labels[i]) << " mse=" << num(se / double(d))
                  << " pixels=" << pixels << "\n";
    }
    std::cout.flush();
    return 0;
}

}  // namespace ae::cli

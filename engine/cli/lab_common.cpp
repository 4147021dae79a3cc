#include "labs.hpp"

#include "common.hpp"

namespace ae::cli {

void load_lab(LabData& lab, const std::string& model_path, const Args& args) {
    lab.dataset = load_model_and_dataset(lab.session, model_path, args);
    const std::size_t limit = std::size_t(args.integer("limit", 0, 1, 1ll << 32));
    const std::string dir = data_dir(args);
    lab.train = load_split(dir, lab.dataset, "train", limit);
    lab.test = load_split(dir, lab.dataset, "test", limit);
}

std::vector<std::size_t> size_list(const Args& args, const std::string& flag, const std::string& fallback,
                                   std::size_t lo, std::size_t hi) {
    const std::string text = args.get(flag, fallback);
    std::vector<std::size_t> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        double v;
        const std::string item = text.substr(start, comma - start);
        if (!parse_number(item, v) || v != double((long long)v) || v < double(lo) || v > double(hi))
            throw UsageError("--" + flag + " expects comma-separated integers in [" + std::to_string(lo) + ", " +
                             std::to_string(hi) + "], got '" + text + "'");
        out.push_back(std::size_t(v));
        start = comma + 1;
    }
    return out;
}

double mean_of(const std::vector<float>& v) {
    double s = 0;
    for (float x : v) s += x;
    return v.empty() ? 0.0 : s / double(v.size());
}

}  // namespace ae::cli

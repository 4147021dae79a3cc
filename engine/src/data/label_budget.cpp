#include "data/label_budget.hpp"

#include <algorithm>
#include <numeric>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace ae {

std::vector<std::uint32_t> stratified_sample(const std::vector<std::uint8_t>& labels,
                                             const std::vector<std::uint32_t>& view, std::uint32_t classes,
                                             std::size_t n, std::uint64_t seed) {
    require(n >= 1, "label budget: at least 1 labelled image is needed");
    require(n <= view.size(), "label budget: ", n, " labelled images asked for, but only ", view.size(),
            " are available");
    std::vector<std::vector<std::uint32_t>> by_class(classes);
    for (std::uint32_t i : view) {
        require(i < labels.size() && labels[i] < classes, "label budget: image ", i, " has no valid label");
        by_class[labels[i]].push_back(i);
    }
    // Proportional shares, floors first, then the largest remainders.
    const double total = double(view.size());
    std::vector<std::size_t> share(classes);
    std::vector<double> rest(classes);
    std::size_t given = 0;
    for (std::uint32_t c = 0; c < classes; ++c) {
        const double exact = double(n) * double(by_class[c].size()) / total;
        share[c] = std::size_t(exact);
        rest[c] = exact - double(share[c]);
        given += share[c];
    }
    std::vector<std::uint32_t> order(classes);
    std::iota(order.begin(), order.end(), 0u);
    // Classes with no image yet come first while the budget lasts, then by remainder.
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        const bool ea = share[a] == 0 && !by_class[a].empty(), eb = share[b] == 0 && !by_class[b].empty();
        if (ea != eb) return ea;
        return rest[a] > rest[b];
    });
    for (std::size_t i = 0; given < n; i = (i + 1) % classes) {
        const std::uint32_t c = order[i];
        if (share[c] < by_class[c].size()) {
            ++share[c];
            ++given;
        }
    }
    Rng rng(seed);
    std::vector<std::uint32_t> out;
    out.reserve(n);
    for (std::uint32_t c = 0; c < classes; ++c) {
        rng.shuffle(by_class[c]);
        out.insert(out.end(), by_class[c].begin(), by_class[c].begin() + long(share[c]));
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace ae

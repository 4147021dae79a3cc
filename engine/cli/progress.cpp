#include "progress.hpp"

#include <cstdio>
#include <string>

namespace ae::cli {

void Progress::update(std::uint64_t epoch, std::uint64_t epochs, double fraction, std::uint64_t epoch_images,
                      std::uint64_t seen, double seconds, double loss) {
    if (!enabled_ || (seconds - last_draw_ < 0.1 && fraction < 1.0)) return;
    last_draw_ = seconds;
    constexpr int kWidth = 24;
    const int filled = int(fraction * kWidth + 0.5);
    std::string bar;
    for (int i = 0; i < kWidth; ++i) bar += i < filled ? "#" : "-";
    const double rate = seconds > 0 ? double(seen) / seconds : 0.0;
    const double left = rate > 0 && fraction > 0 ? seconds * (1.0 - fraction) / fraction : 0.0;
    std::fprintf(stderr, "\r\033[Kepoch %llu/%llu [%s] %3d%%  %llu/%llu  %.0f img/s  loss %.4g  eta %d:%02d",
                 (unsigned long long)epoch, (unsigned long long)epochs, bar.c_str(), int(fraction * 100 + 0.5),
                 (unsigned long long)(fraction * double(epoch_images) + 0.5), (unsigned long long)epoch_images, rate,
                 loss, int(left) / 60, int(left) % 60);
    std::fflush(stderr);
    drawn_ = true;
}

void Progress::clear() {
    if (!drawn_) return;
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    drawn_ = false;
    last_draw_ = -1;
}

}  // namespace ae::cli

// The progress bar `ae train` draws on stderr when stderr is a terminal (otherwise it draws
// nothing: the per-epoch lines on stdout are the record). Redrawn at most 10 times a second:
//   epoch 3/10 [##########··········]  50%  30000/60000  4210 img/s  loss 101.3  eta 0:07
#pragma once
#include <cstdint>

namespace ae::cli {

class Progress {
public:
    explicit Progress(bool enabled) : enabled_(enabled) {}
    ~Progress() { clear(); }

    // epoch: the epoch being trained (1-based); fraction of it done; seen images this epoch.
    void update(std::uint64_t epoch, std::uint64_t epochs, double fraction, std::uint64_t epoch_images,
                std::uint64_t seen, double seconds, double loss);
    void clear();  // erases the bar so a normal line can be printed

private:
    bool enabled_;
    bool drawn_ = false;
    double last_draw_ = -1;
};

}  // namespace ae::cli

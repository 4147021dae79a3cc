// The applications lab's commands (issue 11): what autoencoders are for, measured with the same
// engine as the page. Each prints machine-readable `key=value` lines on stdout.
//
//   ae anomaly   score the test set by reconstruction error; AUC, best F1 (AE and PCA)
//   ae compress  codes as bytes: float32 and 8-bit quantised codes, PSNR/SSIM (AE and PCA)
//   ae probe     softmax probe on codes, PCA coefficients and pixels with few labels; kNN
//   ae sweep     choosing the latent size: test error against k, AE and PCA
//   ae overfit   train on few images and watch the train–test gap per epoch
#pragma once
#include <string>
#include <vector>

#include "args.hpp"
#include "data/dataset_file.hpp"
#include "train/session.hpp"

namespace ae::cli {

int cmd_anomaly(const std::vector<std::string>& argv);
int cmd_compress(const std::vector<std::string>& argv);
int cmd_probe(const std::vector<std::string>& argv);
int cmd_sweep(const std::vector<std::string>& argv);
int cmd_overfit(const std::vector<std::string>& argv);

const Command& anomaly_command();
const Command& compress_command();
const Command& probe_command();
const Command& sweep_command();
const Command& overfit_command();

// Shared by the lab commands: a model file and both splits of its dataset.
struct LabData {
    Session session;
    std::string dataset;
    DatasetFile train, test;
};
void load_lab(LabData& lab, const std::string& model_path, const Args& args);
// "2,4,8" → {2, 4, 8}, each in [lo, hi]; a UsageError naming the flag otherwise.
std::vector<std::size_t> size_list(const Args& args, const std::string& flag, const std::string& fallback,
                                   std::size_t lo, std::size_t hi);
// Mean of a float vector in double.
double mean_of(const std::vector<float>& v);

}  // namespace ae::cli

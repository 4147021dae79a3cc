// What the `ae` commands share: files, datasets, number formatting, and the command table.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "args.hpp"
#include "core/config_reader.hpp"
#include "data/dataset_file.hpp"
#include "models/loss_terms.hpp"
#include "train/session.hpp"

namespace ae::cli {

// The engine's release. Bump it when a change to the engine makes training or model files
// come out differently for the same config and seed: scripts/pretrain.mjs retrains the
// models shipped with the page when it differs from the one in their manifest.
constexpr const char* kEngineVersion = "0.1.0";
// One line describing this build: `version engine=0.1.0 aemf=1 gemm=native-vector simd=sse2
// compiler=gcc-12.2.0`. The same sources give bit-identical training only with the same simd
// and compiler (FMA contraction and vector widths change rounding).
std::string version_line();

// Whole-file I/O; errors are ae::Error naming the path. Only regular files are read (a
// directory, a device such as /dev/zero or a pipe is refused before reading), and none larger
// than max_bytes: `what` names the kind of file in that message.
constexpr std::uint64_t kMaxModelFileBytes = 1ull << 30;  // 1 GiB: the largest model the caps allow is half that
constexpr std::uint64_t kMaxJsonFileBytes = 64ull << 20;  // configs and histories (a model file's header cap)
std::vector<std::uint8_t> read_file(const std::string& path, std::uint64_t max_bytes = kMaxModelFileBytes,
                                    const char* what = "model file");
// Writes to "<path>.tmp" then renames, so an interrupted write never leaves half a file.
void write_file(const std::string& path, const std::vector<std::uint8_t>& bytes);
// Refuses, before any work is done, an output path that cannot be written: a directory, a
// missing or read-only folder (it creates and removes "<path>.tmp" to find out). `flag` names
// the option in the message ("--save").
void check_writable(const std::string& path, const std::string& flag);
// Refuses an output that is the input ("--aemf '…' is the model file being read"): a UsageError.
void check_not_input(const std::string& output, const std::string& input, const std::string& flag);

// --data-dir, else $AE_DATA_DIR, else ./web/public/data, else the repository's
// web/public/data next to this executable's build directory.
std::string data_dir(const Args& args);
// "<dir>/<name>-<split>.aeds.gz" (or .aeds), limited to the first `limit` images (0 = all).
// The name must be a plain name (letters, digits, '-', '_', '.' but not starting with '.'),
// never a path: a name read from a model file's history cannot reach outside the folder.
DatasetFile load_split(const std::string& dir, const std::string& name, const std::string& split, std::size_t limit);

// The dataset a model file's history names ("" when none); ae::Error when the name is not a
// plain dataset name (a crafted file naming "../../x").
std::string history_dataset(const Json& history);

// --split: "test" (the default) or "train"; anything else is a UsageError.
std::string split_arg(const Args& args);
// Loads the model file at `path` into `s` and returns the dataset to use with it: --dataset,
// else the one its history names (ae train records it), else mnist.
std::string load_model_and_dataset(Session& s, const std::string& path, const Args& args);

// Shortest round-trippable-enough form: 6 significant digits ("98.1234", "0.000123").
std::string num(double v);
// "recon=… kl=… sparsity=… weight_decay=…" (prefix e.g. "test_"), then " disc=… gen=…" for an
// adversarial model.
std::string terms(const LossTerms& t, const std::string& prefix = "", bool adversarial = false);

// Commands: each returns the process exit code; UsageError escapes to main (exit 2).
int cmd_train(const std::vector<std::string>& argv);
int cmd_eval(const std::vector<std::string>& argv);
int cmd_export(const std::vector<std::string>& argv);
int cmd_info(const std::vector<std::string>& argv);
int cmd_reconstruct(const std::vector<std::string>& argv);

const Command& train_command();
const Command& eval_command();
const Command& export_command();
const Command& info_command();
const Command& reconstruct_command();

// Parses argv for cmd; prints usage to stdout and returns true when --help was asked.
bool parse_or_help(const Command& cmd, const std::vector<std::string>& argv, Args& out);

}  // namespace ae::cli

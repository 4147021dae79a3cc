// `ae`: the native command-line program, built from the same engine sources as the page.
//
//   ae train   train any variant on MNIST or Fashion-MNIST; save and resume model files
//   ae eval    evaluate a saved model on a dataset split
//   ae export  write a model's weights as .npz, or a smaller (quantised) model file
//   ae info    describe a model file
//   ae --version   the engine release, model-file format and build (SIMD, compiler)
//
// Exit codes: 0 success · 1 the command failed (unreadable or refused file, missing dataset,
// diverged training) · 2 the command line is wrong (usage printed on stderr) · 130 interrupted.
#include <iostream>
#include <string>
#include <vector>

#include "common.hpp"
#include "labs.hpp"
#include "core/error.hpp"

namespace {

const char* kTopUsage =
    "usage: ae <command> [options]\n"
    "\n"
    "Autoencoder Playground's command-line program: the same engine as the page.\n"
    "\n"
    "commands:\n"
    "  train    train a model (any variant) on MNIST or Fashion-MNIST; --save, --resume\n"
    "  eval     evaluate a saved model (.aemf) on a dataset split\n"
    "  export   export a model's weights as NumPy .npz, or write a smaller/quantised .aemf\n"
    "  info     show what a model file holds\n"
    "  reconstruct  print a model's reconstructions of dataset images\n"
    "\n"
    "`ae <command> --help` describes each command; `ae --version` prints the engine release,\n"
    "the model-file format version and how this program was built. Exit codes: 0 ok, 1 failed,\n"
    "2 usage error.\n";

}  // namespace

int main(int argc, char** argv) {
    using namespace ae::cli;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << kTopUsage;
        return 2;
    }
    const std::string command = args.front();
    args.erase(args.begin());
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << kTopUsage;
        return 0;
    }
    if (command == "--version" || command == "version") {
        if (!args.empty()) {
            std::cerr << "ae: " << command << " takes no arguments\n\n" << kTopUsage;
            return 2;
        }
        std::cout << version_line() << std::endl;
        return 0;
    }
    struct Entry {
        const char* name;
        int (*run)(const std::vector<std::string>&);
        const Command& (*spec)();
    };
    const Entry table[] = {{"train", cmd_train, train_command},
                           {"eval", cmd_eval, eval_command},
                           {"export", cmd_export, export_command},
                           {"info", cmd_info, info_command},
                           {"reconstruct", cmd_reconstruct, reconstruct_command},
                           {"anomaly", cmd_anomaly, anomaly_command},
                           {"compress", cmd_compress, compress_command},
                           {"probe", cmd_probe, probe_command},
                           {"sweep", cmd_sweep, sweep_command},
                           {"overfit", cmd_overfit, overfit_command}};
    for (const Entry& e : table) {
        if (command != e.name) continue;
        try {
            return e.run(args);
        } catch (const UsageError& u) {
            std::cerr << "ae " << e.name << ": " << u.what() << "\n";
            if (u.show_usage)
                std::cerr << "\n" << usage(e.spec());
            else
                std::cerr << "(ae " << e.name << " --help lists the options)\n";
            return 2;
        } catch (const ae::Error& err) {
            std::cerr << "ae " << e.name << ": " << err.what() << "\n";
            return 1;
        } catch (const std::exception& err) {
            std::cerr << "ae " << e.name << ": unexpected error: " << err.what() << "\n";
            return 1;
        }
    }
    std::cerr << "ae: unknown command '" << command << "'\n\n" << kTopUsage;
    return 2;
}

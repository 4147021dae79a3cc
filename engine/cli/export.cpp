// ae export: a model's weights as a NumPy .npz archive (PyTorch layout, names documented in
// engine/src/io/FORMAT.md), and/or a smaller model file: no optimizer state, weights optionally
// stored as f16 or u8.
#include <iostream>

#include "common.hpp"
#include "core/config_reader.hpp"
#include "core/error.hpp"
#include "io/model_file.hpp"
#include "io/npz.hpp"

namespace ae::cli {

const Command& export_command() {
    static const Command cmd = [] {
        Command c;
        c.name = "export";
        c.synopsis = "ae export MODEL.aemf [--npz OUT.npz] [--aemf OUT.aemf [--quantize f32|f16|u8] [--history FILE]]";
        c.about =
            "Exports a saved model. --npz writes its parameters and buffers as float32 arrays for\n"
            "numpy.load (Dense weights in torch.nn.Linear's (out, in) layout; see engine/src/io/FORMAT.md\n"
            "for the names and a PyTorch snippet). --aemf writes a model file without optimizer state;\n"
            "--quantize stores its weights as f16 (half the bytes) or u8 (a quarter; one min/scale per\n"
            "tensor). Biases and batch-norm statistics stay f32. The result can be loaded and trained\n"
            "further, with fresh optimizer state. --history replaces the history the file carries (ae\n"
            "train's per-epoch log, which records wall-clock seconds) with a JSON file's value, e.g. the\n"
            "same log without the seconds, so that exporting the same model always gives the same bytes.";
        c.flags = {
            {"npz", "FILE", "write a NumPy .npz archive of the weights"},
            {"aemf", "FILE", "write a model file without optimizer state"},
            {"quantize", "TYPE", "with --aemf: f32 (default), f16 or u8 weights"},
            {"history", "FILE", "with --aemf: store this JSON file's value as the history instead"},
        };
        c.min_positional = c.max_positional = 1;
        c.epilog =
            "examples:\n  ae export seed.aemf --npz seed.npz\n  ae export seed.aemf --aemf seed-f16.aemf --quantize f16\n"
            "  ae export seed.aemf --aemf seed-f16.aemf --quantize f16 --history log.json\n"
            "exit codes: 0 ok, 1 failed, 2 usage error";
        return c;
    }();
    return cmd;
}

int cmd_export(const std::vector<std::string>& argv) {
    Args a;
    if (parse_or_help(export_command(), argv, a)) return 0;
    if (!a.has("npz") && !a.has("aemf")) throw UsageError("nothing to do: give --npz FILE and/or --aemf FILE");
    if (a.has("quantize") && !a.has("aemf")) throw UsageError("--quantize applies to --aemf output");
    if (a.has("history") && !a.has("aemf")) throw UsageError("--history applies to --aemf output");
    SaveOptions opt;
    opt.with_optimizer = false;
    try {
        opt.weights = parse_weight_dtype(a.get("quantize", "f32"));
    } catch (const Error& e) {
        throw UsageError(std::string("--quantize: ") + e.what());
    }

    const std::string input = a.positional[0];
    if (a.has("npz")) {
        check_not_input(a.get("npz"), input, "--npz");
        check_writable(a.get("npz"), "--npz");
    }
    if (a.has("aemf")) {
        check_not_input(a.get("aemf"), input, "--aemf");
        check_writable(a.get("aemf"), "--aemf");
    }
    if (a.has("npz") && a.has("aemf") && a.get("npz") == a.get("aemf"))
        throw UsageError("--npz and --aemf name the same file '" + a.get("npz") + "'", false);

    std::string history;
    if (a.has("history")) {
        const auto text = read_file(a.get("history"), kMaxJsonFileBytes, "history file");
        history.assign(text.begin(), text.end());
        parse_json(history, "history file '" + a.get("history") + "'");  // says where, before any work
    }

    const auto bytes = read_file(input);
    const ModelFile file = read_model_file(bytes.data(), bytes.size());
    if (!a.has("history")) history = file.history_json;
    const auto trainer = restore_trainer(file);
    if (a.has("npz")) {
        const auto npz = export_npz(trainer->model());
        write_file(a.get("npz"), npz);
        std::cout << "wrote " << a.get("npz") << " (" << npz.size() << " bytes)" << std::endl;
    }
    if (a.has("aemf")) {
        const auto out = write_model_file(*trainer, history, opt);
        write_file(a.get("aemf"), out);
        std::cout << "wrote " << a.get("aemf") << " (" << out.size() << " bytes, weights " << dtype_name(opt.weights)
                  << ", no optimizer state)" << std::endl;
    }
    return 0;
}

}  // namespace ae::cli

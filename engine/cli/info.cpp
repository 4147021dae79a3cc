// ae info: what a model file holds, after the same checks as loading it.
#include <iostream>

#include "common.hpp"
#include "core/config_reader.hpp"
#include "io/model_file.hpp"

namespace ae::cli {

const Command& info_command() {
    static const Command cmd = [] {
        Command c;
        c.name = "info";
        c.synopsis = "ae info MODEL.aemf [--tensors]";
        c.about =
            "Checks a model file exactly as loading does and describes it: format version, size,\n"
            "model and training configs, training state, optimizer state, weight storage, history.";
        c.flags = {{"tensors", "", "also list every tensor (name, kind, dtype, shape, bytes)"}};
        c.min_positional = c.max_positional = 1;
        c.epilog = "exit codes: 0 ok, 1 failed (the file is refused: the message says why), 2 usage error";
        return c;
    }();
    return cmd;
}

int cmd_info(const std::vector<std::string>& argv) {
    Args a;
    if (parse_or_help(info_command(), argv, a)) return 0;
    const auto bytes = read_file(a.positional[0]);
    const ModelFile f = read_model_file(bytes.data(), bytes.size());
    const auto trainer = restore_trainer(f);  // the tensors match the config
    std::size_t params = 0, buffers = 0, slots = 0;
    for (const FileTensor& t : f.tensors)
        (t.kind == "param" ? params : t.kind == "buffer" ? buffers : slots) += t.values.size();

    const Json history = Json::parse(f.history_json);
    std::string hist = history.is_null() ? "none" : history.is_object() ? "object" : history.type_name();
    if (history.is_object() && history.contains("epochs") && history["epochs"].is_array())
        hist += " (" + std::to_string(history["epochs"].size()) + " epochs recorded by ae train)";

    std::cout << "file:            " << a.positional[0] << " (" << f.file_bytes << " bytes, AEMF version " << f.version
              << ")\n"
              << "model:           " << to_json(f.model) << "\n"
              << "train:           " << to_json(f.train) << "\n"
              << "state:           step " << f.state.step << ", epoch " << f.state.epoch << ", position "
              << f.state.position << "\n"
              << "parameters:      " << params << " (weights stored as " << f.weights_dtype << ")\n"
              << "buffers:         " << buffers << "\n"
              << "optimizer:       " << f.state.optimizer
              << (f.optimizer_state ? ", state included (" + std::to_string(slots) + " values, " +
                                          std::to_string(f.state.optimizer_steps) + " steps)"
                                    : std::string(", no state"))
              << "\n"
              << "history:         " << hist << "\n";
    if (a.has("tensors"))
        for (const FileTensor& t : f.tensors) {
            std::string shape;
            for (std::size_t d : t.shape) shape += (shape.empty() ? "" : "x") + std::to_string(d);
            std::cout << "  " << t.name << "  " << t.kind << " " << t.dtype << " " << shape << " " << t.bytes
                      << " bytes\n";
        }
    return 0;
}

}  // namespace ae::cli

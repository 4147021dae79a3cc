// EMSCRIPTEN_BINDINGS only: the JS names of the engine's methods. Conversions and error
// handling live in engine_js.hpp and convert.hpp.
#include <emscripten/bind.h>

#include "engine_js.hpp"

EMSCRIPTEN_BINDINGS(autoencoder_engine) {
    using ae::js::Engine;
    emscripten::class_<Engine>("Engine")
        .constructor<>()
        .function("configure", &Engine::configure)
        .function("setTraining", &Engine::set_training)
        .function("reset", &Engine::reset)
        .function("loadDataset", &Engine::load_dataset)
        .function("hasDataset", &Engine::has_dataset)
        .function("datasetInfo", &Engine::dataset_info)
        .function("trainSteps", &Engine::train_steps)
        .function("evaluate", &Engine::evaluate)
        .function("reconstruct", &Engine::reconstruct)
        .function("encode", &Engine::encode)
        .function("decode", &Engine::decode)
        .function("images", &Engine::images)
        .function("labels", &Engine::labels)
        .function("modelConfig", &Engine::model_config)
        .function("trainConfig", &Engine::train_config)
        .function("saveModel", &Engine::save_model)
        .function("loadModel", &Engine::load_model)
        .function("exportNpz", &Engine::export_npz)
        .function("latentCodes", &Engine::latent_codes)
        .function("fitLatentMap", &Engine::fit_latent_map)
        .function("latentMap", &Engine::latent_map)
        .function("project", &Engine::project_codes)
        .function("unproject", &Engine::unproject_points)
        .function("corrupt", &Engine::corrupt_images)
        .function("info", &Engine::info);
}

// EMSCRIPTEN_BINDINGS only: the JS names of the engine's methods. Conversions and error
// handling live in engine_js.hpp and convert.hpp.
#include <emscripten/bind.h>

#include "engine_js.hpp"
#include "labs_js.hpp"

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
        .function("posterior", &Engine::posterior)
        .function("decodeSteps", &Engine::decode_steps)
        .function("priorLogLikelihood", &Engine::prior_log_likelihood)
        .function("samplePrior", &Engine::sample_prior)
        .function("discriminate", &Engine::discriminate)
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
        .function("info", &Engine::info)
        .class_function("estimate", &Engine::estimate);

    // The applications lab (labs_js.hpp): `new Module.Lab(engine)`.
    using ae::js::Lab;
    emscripten::class_<Lab>("Lab")
        .constructor<Engine&>()
        .function("scoreImages", &Lab::score_images)
        .function("scorePca", &Lab::score_pca)
        .function("scorePixels", &Lab::score_pixels)
        .function("scorePcaPixels", &Lab::score_pca_pixels)
        .function("roc", &Lab::roc)
        .function("atThreshold", &Lab::at_threshold_js)
        .function("bestF1", &Lab::best_f1_js)
        .function("histogram", &Lab::histogram_js)
        .function("trainView", &Lab::train_view)
        .function("pcaBegin", &Lab::pca_begin)
        .function("pcaAdd", &Lab::pca_add)
        .function("pcaFit", &Lab::pca_fit)
        .function("pcaProject", &Lab::pca_project)
        .function("pcaReconstruct", &Lab::pca_reconstruct)
        .function("pcaErrorCurve", &Lab::pca_error_curve)
        .function("rangesBegin", &Lab::ranges_begin)
        .function("rangesAdd", &Lab::ranges_add)
        .function("compress", &Lab::compress)
        .function("compressSplit", &Lab::compress_split)
        .function("compressPca", &Lab::compress_pca)
        .function("compressPcaSplit", &Lab::compress_pca_split)
        .function("quality", &Lab::quality)
        .function("probeBegin", &Lab::probe_begin)
        .function("probeStep", &Lab::probe_step)
        .function("probeEvaluate", &Lab::probe_evaluate)
        .function("knnBegin", &Lab::knn_begin)
        .function("knnAdd", &Lab::knn_add)
        .function("knnClassify", &Lab::knn_classify)
        .function("sweepBegin", &Lab::sweep_begin)
        .function("sweepAdvance", &Lab::sweep_advance)
        .function("runBegin", &Lab::run_begin)
        .function("runAdvance", &Lab::run_advance);
    emscripten::function("setThreads", &ae::js::set_threads);
}

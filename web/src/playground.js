// One playground, mounted into a root (the shadow root of an <ae-playground> element: the
// standalone page, a course page's element and the iframe route are all this same code).
// Wires the settings store, the controller, the worker client and the views; behaviour belongs
// to controller.js, views/* and lib/*. Nothing here reaches the document outside `root`,
// except the page-lifecycle events (pagehide, visibilitychange) and, when `urlState` is on,
// the URL hash.
import { Controller, PROBES } from './controller.js';
import { ClientEvent, EngineClient } from './engine-client.js';
import { createModelLibrary } from './model-library.js';
import { DATASETS, classMessage, modelMessage, trainingMessage } from './lib/presets.js';
import { formatSmall } from './lib/format.js';
import { randomIndexExcept } from './lib/random.js';
import { dimensionRanges } from './lib/map-geometry.js';
import { DEFAULT_FLOPS, costWarning, speedFrom } from './lib/cost.js';
import { Event, Request } from './protocol.js';
import { LESSONS } from './lessons.js';
import { startWorker } from './lib/start-worker.js';
import { PANELS, Store, fromEntries, fromHash, hasPrior, isSequence, modelConfig, toHash } from './state.js';
import { ConfirmDialog } from './views/confirm-dialog.js';
import { DenoiseGrid } from './views/denoise-grid.js';
import { DrawPanel } from './views/draw-panel.js';
import { Interpolation } from './views/interpolation.js';
import { LatentPanel } from './views/latent-panel.js';
import { LatentSliders } from './views/latent-sliders.js';
import { LossChart } from './views/loss-chart.js';
import { LossTable } from './views/loss-table.js';
import { ProbeGrid } from './views/probe-grid.js';
import { SettingsForm } from './views/settings-form.js';
import { Announcer, Banner } from './views/status.js';
import { TrainPanel } from './views/train-panel.js';
import { SequenceDecoder } from './views/sequence-decoder.js';
import { VaeGenerator } from './views/vae-generator.js';
import { Formulas } from './views/formulas.js';
import { Glossary } from './views/glossary.js';
import { HelpTips } from './views/help-tips.js';
import { TOUR_STEPS, Tour } from './views/tour.js';
import { ANOMALY_DETECTORS, anomalyDetectorFile, modelUrl } from './lib/pretrained.js';
import { createApplicationsLab } from './applications-lab.js';
import template from './app/template.html?raw';
import { hasFocus } from './lib/dom.js';
import { FrameGate } from './lib/frame-gate.js';
import { I18n, LANG_TAGS, detectLang } from './i18n/index.js';
import { V } from './i18n/values.js';
import { LocalizedError, renderError } from './i18n/errors.js';
import { loadKatex } from './formulas/katex.js';

const LANG_KEY = 'ae-playground.lang'; // the language last chosen in the page's switch
const USER_INPUT_MS = 1000; // this soon after a person's input, replies are drawn at once (FrameGate)

function rememberedLang() {
  try {
    return globalThis.localStorage?.getItem(LANG_KEY) ?? null;
  } catch {
    return null;
  }
}

/**
 * @typedef {object} MountOptions
 * @property {string} baseUrl      the site root (data/, models/ live there)
 * @property {boolean} [urlState]  read the settings from the URL hash and keep it up to date
 * @property {object} [settings]   settings to start from (attribute values; as in a URL hash)
 * @property {string} [storage]    the namespace of saved models and the autosave ('' = the default)
 * @property {string} [fullPageUrl] the standalone playground, for "open in a new tab" links
 * @property {{key: string, params: object}[]} [notes] messages to show once the page is up (attributes it ignored)
 * @property {string|null} [hostLang] the language of the page around the element (its lang), if any
 */

/**
 * Mounts a playground into `root` (a ShadowRoot or an element). `host` carries the state
 * markers (data-ready, data-test-set, …); `emit(name, detail)` tells the host page what happens:
 *   ready { model, dataset } · train-start { step } · train-pause { step, reason }
 *   epoch { epoch, step, trainLoss, testLoss } · model-change { model, dataset, source }
 *   error { message } (the error banner showed it)
 * Returns its handle.
 * @param {{root: ShadowRoot|HTMLElement, host: HTMLElement, options: MountOptions, emit?: (name: string, detail: object) => void}} o
 */
export function mountPlayground({ root, host, options, emit = () => {} }) {
  root.innerHTML = template;
  const app = root.querySelector('.ae-app');
  const $ = (id) => root.getElementById?.(id) ?? root.querySelector(`#${id}`);
  const byIds = (map) => Object.fromEntries(Object.entries(map).map(([k, id]) => [k, $(id)]));
  const urlState = Boolean(options.urlState);
  const setControls = (mode = 'full') => {
    app.classList.toggle('controls-minimal', mode === 'minimal');
    app.classList.toggle('controls-none', mode === 'none');
  };

  // ---- state, worker, session -----------------------------------------------------------
  const link = urlState ? fromHash(location.hash, location.search) : fromEntries(options.settings ?? {});
  const store = new Store(link.state);

  // ---- language: the link's or the element's choice, the last one made here, the page
  // around, the browser's (i18n/index.js). Every string below comes from i18n.
  const i18n = new I18n('en');
  const langOf = (s) => detectLang([s.lang === 'auto' ? null : s.lang, rememberedLang(), options.hostLang]);
  const applyLang = (l) => {
    app.lang = LANG_TAGS[l];
    app.dataset.lang = l;
    for (const b of root.querySelectorAll('#lang-switch [data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === l));
    if (urlState) {
      document.documentElement.lang = LANG_TAGS[l];
      document.title = i18n.t('app.title');
    }
  };
  const langReady = i18n.setLang(langOf(store.state)).then(() => {
    i18n.localize(root);
    applyLang(i18n.lang);
  });
  i18n.localize(root); // English at once; the chosen language as soon as its catalogue is in
  const banner = new Banner({ banner: $('error-banner'), text: $('error-text'), close: $('error-close'), i18n });
  const announcer = new Announcer($('live-status'));
  const showError = (err) => {
    if (err?.code === 'worker-dead') return; // every request the dead worker held: recoverEngine says it once
    banner.show(err);
    emit('error', { message: banner.text.textContent });
  };
  /** Says a message (key and parameters) in the polite live region, in the page's language. */
  const announce = (key, params) => announcer.say(i18n.plain(key, params));

  // The worker, and a new one whenever it dies (engine-client.js notices; recoverEngine restores).
  const client = new EngineClient(startWorker(), { createWorker: startWorker });
  const dialog = new ConfirmDialog($('confirm-dialog'), i18n);
  const baseUrl = options.baseUrl;
  const controller = new Controller({ client, store, confirm: (q) => dialog.ask(q), baseUrl });
  let testSet = { count: 0, dataset: store.state.dataset, classNames: DATASETS[store.state.dataset].classNames };
  let drawing = null; // the Draw panel's current input
  const shownEnds = { a: undefined, b: undefined }; // the test image each interpolation end shows (null: not one)
  let pointPending = true; // the settings' map point is still to be picked on this model's map
  let shownLesson = null;
  let lessonHidden = false;

  const testImage = async (index) => {
    const r = await client.request(Request.IMAGES, { split: 'test', indices: [index] });
    return { pixels: r.pixels, label: r.labels[0] };
  };
  /** A test image's name: { key, params } (views render it in the page's language). */
  const testLabel = (i, label) => ({ key: 'draw.testImage', params: { index: i, cls: classMessage(testSet.dataset, label) } });
  /** A test image as an interpolation end: { pixels, label, index }. */
  const testEnd = async (i) => {
    const { pixels, label } = await testImage(i);
    return { pixels, label: testLabel(i, label), index: i };
  };
  /** A random test image as an end, other than `current` (the index already there, if any). */
  const randomTest = (current) => testEnd(randomIndexExcept(testSet.count, current));
  const decode = (code) => client.request(Request.DECODE, { codes: code, n: 1 });
  const decodePoints = (points, n) => client.request(Request.DECODE_POINTS, { points, n });
  // While training, the views that only follow the model (the drawing's reconstruction, the
  // sliders' decoding, the interpolation) draw their replies in the next PROGRESS's frame
  // (lib/frame-gate.js): what a person just did (any input in the playground in the last second)
  // is answered at once.
  const gate = new FrameGate();
  let lastInput = -Infinity;
  for (const t of ['pointerdown', 'pointermove', 'keydown', 'input', 'change', 'wheel']) app.addEventListener(t, () => (lastInput = performance.now()), { capture: true, passive: true });
  const following = (request) => (controller.running && performance.now() - lastInput > USER_INPUT_MS ? gate.hold(request) : request);

  // ---- views ------------------------------------------------------------------------------
  const help = new HelpTips(root, i18n);
  const glossary = new Glossary({ dialog: $('glossary'), i18n, root });
  $('glossary-open').addEventListener('click', (e) => glossary.open(null, e.currentTarget));
  const chart = new LossChart($('loss-chart'), $('loss-legend'), undefined, { i18n, onHighlight: (id) => formulas.highlight(id) });
  const formulas = new Formulas({
    el: byIds({
      section: 'formulas', status: 'formula-status', loss: 'formula-loss', where: 'formula-where', diagram: 'model-diagram',
      layers: 'formula-layers', convNote: 'formula-conv-note', vae: 'formula-vae', reparam: 'formula-reparam', reparamNote: 'formula-reparam-note',
    }),
    i18n,
    loadKatex: () => loadKatex(root),
    onHighlight: (id) => chart.highlight(id),
  });
  const table = new LossTable($('loss-table-body'), $('loss-table-count'), i18n);
  const probes = new ProbeGrid($('probe-grid'), PROBES, 28, i18n);
  const denoise = new DenoiseGrid($('denoise-grid'), PROBES, 28, i18n);
  const form = new SettingsForm($('settings'), { onChange: (key, value) => controller.propose({ [key]: value }), i18n, help });

  const trainPanel = new TrainPanel({
    i18n,
    el: byIds({
      start: 'train-btn', step: 'step-btn', reset: 'reset-btn', progress: 'epoch-progress', epochLabel: 'epoch-label',
      speed: 'stat-speed', elapsed: 'stat-elapsed', timeLeft: 'stat-left', trainLoss: 'stat-train', testLoss: 'stat-test',
      steps: 'stat-steps', datasetStatus: 'dataset-status', summary: 'model-summary', trainSummary: 'train-summary',
    }),
    on: {
      toggle: (run) => (run ? startTraining() : controller.pause()).catch(showError),
      step: () => settleOffer().then(() => controller.stepOnce()).catch(showError),
      reset: () => controller.reset().catch(showError),
    },
  });

  /**
   * Start, as the button (or the element's start()) asks. After a finished run, or on a
   * pretrained model, it trains "Train for" epochs more (controller.start), without changing
   * the setting or the link.
   */
  function startTraining() {
    return settleOffer().then(() => controller.start());
  }

  // ---- models: pretrained, files, saved models, the autosave (model-library.js) ------------
  const library = createModelLibrary({ controller, client, dialog, announce, showError, $, byIds, host, dropZone: app, storage: options.storage ?? '', i18n });
  const models = library.panel;
  const settleOffer = () => library.settleOffer();

  const sliders = new LatentSliders({
    i18n,
    el: byIds({ list: 'latent-sliders', output: 'slider-decoded', source: 'slider-source', follow: 'slider-follow', note: 'slider-note' }),
    decode: (code) => following(decode(code)),
    onError: showError,
  });

  const interp = new Interpolation({
    i18n,
    el: byIds({
      aCanvas: 'interp-a', aLabel: 'interp-a-label', aDraw: 'interp-a-draw', aRandom: 'interp-a-random',
      bCanvas: 'interp-b', bLabel: 'interp-b-label', bDraw: 'interp-b-draw', bRandom: 'interp-b-random',
      frame: 'interp-frame', strip: 'interp-strip', play: 'interp-play', scrub: 'interp-scrub', speed: 'interp-speed',
      mode: 'interp-mode', path: 'interp-path', png: 'interp-png', gif: 'interp-gif', status: 'interp-status',
    }),
    interpolate: (a, b, frames, path) => following(client.request(Request.INTERPOLATE, { a, b, frames, path })),
    randomTest,
    drawing: () => drawing,
    onPath: (points) => latent.setPath(points),
    onPlayhead: (point) => latent.setPlayhead(point),
    announce,
    // The ends a link can carry are test images: remember which (a drawing or a map point is not).
    onEnd: (which, end) => {
      shownEnds[which] = end.index ?? null;
      if (!end.isDefault) store.set({ [which]: end.index ?? null });
    },
    onError: showError,
  });

  const latent = new LatentPanel({
    i18n,
    el: byIds({
      base: 'latent-map', overlay: 'latent-overlay', note: 'map-note', axisX: 'axis-x', axisY: 'axis-y', preview: 'map-decoded',
      caption: 'map-caption', useA: 'map-use-a', useB: 'map-use-b', explore: 'map-explore', legend: 'class-legend',
    }),
    decode,
    decodePoint: (xy) => decodePoints(xy, 1),
    onUse: (which, end) => interp.setEnd(which, end),
    onExplore: (code, label) => sliders.setCode(code, label),
    onPick: (p) => store.set({ point: p ? [round3(p.x), round3(p.y)] : null }),
    onError: showError,
  });

  const vae = new VaeGenerator({
    i18n,
    el: byIds({ block: 'vae-block', note: 'vae-note', manifold: 'vae-manifold', manifoldNote: 'vae-manifold-note', side: 'vae-side', sample: 'vae-sample', samples: 'vae-samples' }),
    decodePoints,
    samplePrior: (n, seed) => client.request(Request.SAMPLE_PRIOR, { n, seed }),
    onError: showError,
  });

  // ---- 6 · What it's for: the applications lab (applications-lab.js) -----------------------------
  const labs = createApplicationsLab({
    i18n,
    byIds,
    client,
    controller,
    store,
    testSet: () => testSet,
    loadDetector: (dataset) => loadModelUrl(modelUrl(baseUrl, anomalyDetectorFile(dataset))).catch(showError),
    startTraining,
    showError,
  });

  const sequence = new SequenceDecoder({
    i18n,
    el: byIds({ block: 'seq-block', canvas: 'seq-decoded', play: 'seq-play', step: 'seq-step' }),
    decodeSteps: (code) => client.request(Request.DECODE_STEPS, { codes: code, n: 1 }),
    code: () => sliders.code,
    onError: showError,
  });

  const draw = new DrawPanel({
    i18n,
    el: byIds({
      pad: 'draw-pad', cursor: 'pad-cursor', input: 'model-input', output: 'draw-recon', error: 'draw-error-map',
      errorText: 'draw-error', sourceText: 'draw-source', brush: 'brush-size', eraser: 'eraser-btn', undo: 'undo-btn',
      clear: 'clear-btn', testIndex: 'test-index', testShow: 'test-show', testRandom: 'test-random', file: 'file-input',
      code: 'draw-code', codeCaption: 'draw-code-caption', lossText: 'draw-loss-text', mseText: 'draw-mse-text', relation: 'draw-relation',
    }),
    lossKind: () => store.state.loss,
    reconstruct: (pixels) => following(client.request(Request.RECONSTRUCT, { pixels, n: 1 }, [pixels.buffer])),
    reconstructDrawing: (img) => client.request(Request.RECONSTRUCT_DRAWING, { rgba: img.data, width: img.width, height: img.height }, [img.data.buffer]),
    testImage,
    testSet: () => testSet,
    testLabel,
    onInput: (input) => {
      drawing = input;
      latent.setDrawing(input);
      sliders.followDrawing(input);
      interp.drawingAvailable(Boolean(input));
      formulas.setPosterior(input?.posterior ?? null);
      labs.setDrawing(input);
    },
    onError: showError,
  });

  // The denoising panel's own noise slider, bound to the same setting as the form's.
  $('denoise-amount').addEventListener('input', (e) => controller.propose({ noise_amount: Number(e.target.value) }));

  $('skip-link').addEventListener('click', () => $('draw-pad').focus());
  $('lesson-hide').addEventListener('click', () => {
    lessonHidden = true;
    $('lesson-card').hidden = true;
  });

  /** A link that reproduces these settings: this page's own URL, or the full playground's. */
  // (From a course page: the full playground, with these settings but every panel.)
  const shareUrl = () => (urlState ? location.href : `${options.fullPageUrl ?? `${baseUrl}index.html`}${toHash({ ...store.state, embed: false, panels: [...PANELS] })}`);
  $('share-btn').addEventListener('click', async () => {
    const href = shareUrl();
    try {
      await navigator.clipboard.writeText(href);
      announce('app.shareAnnounce');
      i18n.text($('share-btn'), 'app.shareCopied');
      setTimeout(() => i18n.text($('share-btn'), 'app.share'), 2500);
    } catch {
      banner.show(new LocalizedError('app.shareFallback', { href: V.raw(href) }, `Copy this link to share the settings: ${href}`));
    }
  });

  // The language switch: the choice goes into the settings (and so the link) and is remembered.
  for (const b of root.querySelectorAll('#lang-switch [data-lang]')) {
    b.addEventListener('click', () => {
      try {
        globalThis.localStorage?.setItem(LANG_KEY, b.dataset.lang);
      } catch {
        // no storage: the link still carries the choice
      }
      controller.propose({ lang: b.dataset.lang });
    });
  }
  i18n.onChange((l) => {
    applyLang(l);
    if (!urlState && host.getAttribute('lang') !== l && store.state.lang !== 'auto') host.setAttribute('lang', l);
    announce('announce.language');
    renderState(store.state);
  });

  // ---- the guided tour (views/tour.js) -------------------------------------------------------------
  const tour = new Tour({
    root,
    i18n,
    el: byIds({ card: 'tour', count: 'tour-count', title: 'tour-title', text: 'tour-text', back: 'tour-back', next: 'tour-next', skip: 'tour-skip', take: 'tour-take' }),
    params: () => ({ z: store.state.latent }),
    announce: (text) => announcer.say(text),
    actions: {
      draw: () => draw.drawExample(),
      // As the Start button does (on a pretrained model it trains "Train for" epochs more).
      train: () =>
        controller.running || $('train-btn').disabled
          ? null
          : new Promise((resolve) => {
              const off = controller.on('running', ({ running }) => running && (off(), resolve()));
              $('train-btn').click();
              setTimeout(() => (off(), resolve()), 30_000); // it says why in the banner if it cannot start
            }),
      play: () => interp.play(),
    },
  });
  // The tour started from the header answers the first visit's offer too.
  $('tour-take').addEventListener('click', () => ($('welcome-offer').hidden = true));
  $('welcome-start').addEventListener('click', () => {
    $('welcome-offer').hidden = true;
    tour.start(0);
  });
  $('welcome-no').addEventListener('click', () => {
    $('welcome-offer').hidden = true;
    tour.decline();
    $('tour-take').focus();
  });

  // ---- state → views ------------------------------------------------------------------------
  function renderState(s) {
    setControls(s.controls);
    showLesson(s.lesson);
    form.render(s);
    models.setLocked(['weights', 'dataset', 'variant'].some((k) => s.lock.includes(k)));
    formulas.setModel(s);
    if (langOf(s) !== i18n.lang) i18n.setLang(langOf(s));
    trainPanel.setTarget(controller.targetEpochs, s.epochs);
    app.classList.toggle('embed', s.embed);
    for (const id of PANELS) $(`${id}-panel`).hidden = !s.panels.includes(id);
    app.querySelector('.panels').classList.toggle('two-col', ['draw', 'train', 'learn'].every((p) => s.panels.includes(p)));
    $('denoise-block').hidden = s.variant !== 'denoising';
    $('denoise-amount').disabled = s.lock.includes('noise_amount');
    if (!hasFocus($('denoise-amount'))) $('denoise-amount').value = String(s.noise_amount);
    $('denoise-amount-out').textContent = formatSmall(s.noise_amount);
    i18n.text($('loss-unit'), s.loss === 'mse' ? 'learn.unitMse' : 'learn.unit');
    vae.setVariant(hasPrior(s), s.seed, s.variant);
    sequence.setVariant(isSequence(s));
    labs.show(s.lab);
    $('open-full-row').hidden = !s.embed;
    $('open-full').href = shareUrl();
    if (urlState) {
      const hash = toHash(s);
      if (hash !== location.hash) history.replaceState(null, '', hash || `${location.pathname}${location.search}`);
    }
  }
  store.subscribe(({ state, changed }) => {
    renderState(state);
    if (changed.includes('a') || changed.includes('b')) applyEnds();
    if (changed.includes('point')) {
      pointPending = true;
      applyPoint();
    }
    if (changed.includes('lesson') && host.dataset.ready === '1') loadLessonDetector(state);
  });

  /** A lesson that opens with the dataset's anomaly detector (lessons.js `detector`) loads it. */
  function loadLessonDetector(s) {
    if (!LESSONS[s.lesson]?.detector || !(s.dataset in ANOMALY_DETECTORS)) return null;
    return loadModelUrl(modelUrl(baseUrl, anomalyDetectorFile(s.dataset))).catch(showError);
  }

  controller.on('running', ({ running, reason }) => emit(running ? 'train-start' : 'train-pause', { step: controller.step, reason: reason ?? null }));
  controller.on('busy', ({ busy }) => {
    trainPanel.setState({ busy });
    models.setBusy(busy);
  });
  controller.on('target', ({ total, more }) => trainPanel.setTarget(total, more));
  // A model too slow to follow the pen, or too big for the engine's memory: said, with the
  // numbers, as soon as it is chosen (lib/cost.js), with this browser's measured speed once known.
  let flops = DEFAULT_FLOPS;
  const showCost = () => {
    const w = costWarning(controller.cost, flops, controller.trainCount || 60000);
    if (w) i18n.text($('cost-note'), 'describe.text', { text: w.message });
    else i18n.clear($('cost-note'));
    host.dataset.cost = w ? (w.tooBig ? 'too-big' : 'slow') : 'ok';
  };
  controller.on('cost', showCost);
  controller.on('manifest', ({ models: list, error }) => models.setModels(list, error));
  controller.on('status', ({ key, params }) => trainPanel.showDataset(key, params));
  controller.on('announce', ({ key, params }) => announce(key, params));
  controller.on('error', ({ error }) => showError(error));
  controller.on('trainSet', ({ count }) => trainPanel.setTrainCount(count));
  controller.on('train', ({ train }) => trainPanel.setTrainSummary(trainingMessage(train)));
  controller.on('revert', ({ state, messages, keys }) => {
    form.render(state, { force: true });
    if (messages?.length && keys?.length === 1) form.setError(keys[0], messages[0]);
  });
  // Before a request that replaces the model goes out: nothing may decode a code of this one
  // after it (the worker would already hold the next model, of another latent size).
  controller.on('changing', () => {
    sliders.forget();
    latent.forgetPicked();
    interp.forgetCodes({ recompute: false });
  });
  controller.on('model', ({ state, model, info, source, history }) => {
    emit('model-change', { model, dataset: state.dataset, source: { ...source } });
    chart.reset();
    table.reset();
    trainPanel.reset();
    if (history) showHistory(history, source.kind === 'pretrained' ? { startLabel: 'train.fineTune' } : {});
    models.setSource(source, { dataset: state.dataset, info, title: modelMessage(model) });
    host.dataset.source = source.kind;
    trainPanel.setSummary(info?.parameterCount
      ? V.msg('describe.summaryWithWeights', { model: modelMessage(model), weights: V.msg('describe.weights', { count: V.int(info.parameterCount) }) })
      : modelMessage(model));
    // The worker has already sent the new model's map (LATENT comes before the reply): keep it,
    // but forget points picked on the old one.
    latent.forgetPicked();
    interp.forgetCodes();
    applyEnds();
    pointPending = true;
    applyPoint();
    draw.refresh();
    labs.modelChanged();
  });
  controller.on('testSet', (t) => {
    testSet = t;
    probes.setOriginals(t.probePixels, t.probeLabels, t.dataset);
    denoise.setClean(t.probePixels);
    latent.setClasses(t.dataset, t.classNames.length);
    $('test-index').max = String(t.count - 1);
    interp.clear(); // a new dataset: A and B come from it
    shownEnds.a = shownEnds.b = undefined;
    applyEnds();
    labs.setDataset(t.dataset);
  });

  /** A loaded (or rolled-back) model's chart, table and where it stands. */
  function showHistory(h, options = {}) {
    chart.load(h.series);
    table.load(h.table);
    formulas.setValues(h.progress?.loss ?? null);
    const lastTest = [...(h.table ?? [])].reverse().find((r) => r.testLoss)?.testLoss?.total ?? null;
    trainPanel.showLoaded(h.progress, lastTest, options);
  }

  /**
   * A and B: the test images the settings name (a lesson's, a link's), else two probe images
   * (a "0" and a "1" in MNIST). Runs when the test set or the settings change.
   */
  async function applyEnds() {
    if (!testSet.probePixels) return;
    const probe = (i) => ({
      pixels: testSet.probePixels.slice(i * 784, (i + 1) * 784),
      label: testLabel(testSet.probes[i], testSet.probeLabels[i]),
      index: testSet.probes[i],
      isDefault: true,
    });
    for (const [k, which] of [[0, 'a'], [1, 'b']]) {
      const want = store.state[which];
      if (want !== null && want < testSet.count) {
        if (shownEnds[which] === want) continue;
        shownEnds[which] = want;
        interp.setEnd(which, await testEnd(want).catch(showError));
      } else if (!interp.ends[which]) interp.setEnd(which, probe(k));
    }
  }

  /** The point on the latent map the settings name, picked once the map of the model is in. */
  function applyPoint() {
    const p = store.state.point;
    if (!pointPending || !p) return;
    if (latent.pick(p[0], p[1])) pointPending = false;
  }

  /** The lesson's introduction above the panels (each lesson's until it is hidden). */
  function showLesson(id) {
    const lesson = LESSONS[id];
    if (id !== shownLesson) {
      shownLesson = id;
      lessonHidden = false;
      if (lesson) {
        i18n.text($('lesson-title'), `lesson.${id}.title`);
        i18n.text($('lesson-intro'), `lesson.${id}.intro`);
      }
    }
    $('lesson-card').hidden = !lesson || lessonHidden;
  }

  // ---- worker events → views -------------------------------------------------------------------
  let lastRefresh = 0;
  let quarter = -1; // the last quarter of an epoch announced
  client.on(Event.PROGRESS, (p) => {
    controller.noteProgress(p);
    const measured = speedFrom(controller.cost, p.samplesPerSec);
    if (measured && Math.abs(measured - flops) > 0.2 * flops) {
      flops = measured;
      showCost();
    }
    trainPanel.showProgress(p);
    // A slow epoch is announced by quarters too, at most every 15 s: progress without chatter.
    const q = Math.floor(p.epochProgress * 4);
    if (q > 0 && q < 4 && q !== quarter && performance.now() - announcer.lastAt > 15_000) {
      quarter = q;
      announce('announce.quarter', { epoch: V.int(p.epoch + 1), pct: V.pct(q / 4), loss: V.loss(p.loss.total) });
    }
    formulas.setValues(p.loss);
    const x = p.epoch + p.epochProgress - (p.epochProgress >= 1 ? 1 : 0);
    chart.add('total', x, p.loss.total);
    for (const k of ['recon', 'kl', 'sparsity', 'weightDecay', 'disc', 'gen']) chart.add(k, x, p.loss[k]);
    gate.open(); // the replies that waited for this frame
  });
  client.on(Event.SNAPSHOT, (s) => {
    probes.setReconstructions(s.probes);
    if (s.noisy) denoise.set(s);
    draw.refresh();
    labs.trained(s.step);
    // The slower views follow the model every two seconds.
    const now = performance.now();
    if (now - lastRefresh > 2000) {
      lastRefresh = now;
      interp.compute();
      if (sliders.code) sliders.decode(sliders.code);
    }
  });
  client.on(Event.LATENT, (m) => {
    latent.setMap(m);
    applyPoint();
    const z = m.mean.length;
    sliders.setRanges(dimensionRanges(m.codes, m.labels.length, z));
    vae.setMap(m);
    draw.refresh(); // the drawing's marker, placed with the new map's fit
    interp.compute(); // and the path
  });
  client.on(Event.EPOCH, (e) => {
    emit('epoch', { epoch: e.epoch, step: e.step, trainLoss: e.trainLoss, testLoss: e.testLoss?.total ?? null });
    trainPanel.showEpoch(e);
    if (e.testLoss) chart.add('test', e.epoch, e.testLoss.total);
    table.add(e);
    const target = controller.targetEpochs;
    announce('announce.epoch', {
      epoch: V.int(e.epoch),
      total: V.int(target),
      test: e.testLoss ? V.msg('announce.testLoss', { loss: V.loss(e.testLoss.total) }) : V.msg('announce.noTestLoss'),
      train: V.loss(e.trainLoss),
    });
  });
  client.on(Event.STATE, (s) => {
    controller.noteState(s);
    if (!s.running) gate.open();
    trainPanel.setState({ running: s.running });
    if (!s.running) chart.flush();
    const n = controller.targetEpochs;
    if (s.reason === 'done') announce('announce.finished', { n });
    if (s.reason === 'error') announce('announce.stoppedError');
  });
  client.on(Event.DATASET_PROGRESS, (d) => {
    trainPanel.showDataset(d.total ? 'train.downloading' : 'train.downloadingUnknown', { split: d.split, loaded: V.mb(d.loaded), total: V.mb(d.total) });
  });
  client.on(Event.ERROR, (e) => showError(Object.assign(new Error(e.message), { code: e.code, params: e.params })));
  // Storage failures from the worker (a full quota, no storage): said where the autosave status
  // shows, and in the banner once until a save succeeds again (autosaves come every few seconds).
  let autosaveFailing = false;
  client.on(Event.LOG, (l) => {
    // A warning (the threaded engine could not start, so the single-threaded one runs: the
    // engine status says which) goes to the console for whoever looks; the page works on.
    if (l.level === 'warn') console.warn(`engine: ${l.message}`);
    if (l.level !== 'error') return;
    if (l.what === 'autosave' || l.what === 'storage') {
      models.setAutosaveFailure(l.message);
      if (autosaveFailing) return;
      autosaveFailing = true;
    }
    showError(Object.assign(new Error(l.message), { code: l.code, params: l.params }));
  });
  client.on(Event.SAVED, (e) => {
    if (e.kind !== 'autosave') return;
    autosaveFailing = false;
    controller.noteAutosaved(e.meta);
    // Every few seconds while training: shown with the next progress, not in a frame of its own.
    if (controller.running) gate.hold(null).then(() => models.setAutosave(e.meta));
    else models.setAutosave(e.meta);
  });

  // ---- a dead worker (terminated, closed, killed by the browser for memory) -------------------
  // Said at once, then a new worker gets the model back from its last autosave (every ~4 s
  // while training: at most a few seconds are lost) or as it was loaded. Three deaths within
  // five minutes stop the restarts: something in this model kills it.
  let destroyed = false;
  const restarts = [];
  client.on(ClientEvent.DEAD, ({ reason }) => !destroyed && recoverEngine(reason));
  async function recoverEngine(reason) {
    host.dataset.engine = 'dead';
    trainPanel.setState({ running: false, ready: false });
    const now = performance.now();
    while (restarts.length && now - restarts[0] > 300_000) restarts.shift();
    if (restarts.length >= 3) {
      i18n.text($('engine-status'), 'engine.stopped');
      showError(new LocalizedError('engine.stoppedAgain', { reason: V.raw(reason), n: restarts.length }, `The engine stopped again (${reason}) after ${restarts.length} restarts in a few minutes, so it was not restarted: reload the page (your last autosave will be offered), and try a smaller model or batch.`));
      return;
    }
    restarts.push(now);
    i18n.text($('engine-status'), 'engine.restarting');
    showError(new LocalizedError('engine.stoppedRestarting', { reason: V.raw(reason) }, `The engine stopped (${reason}). Restarting it and restoring your model…`));
    try {
      client.restart();
      const { info } = await client.request(Request.INIT, { baseUrl, storage: options.storage ?? '' });
      const r = await controller.recover();
      i18n.text($('engine-status'), 'engine.readyRestarted', { backend: V.raw(info.backend) });
      const lost = V.msg('engine.lost', { n: r.lostSteps ?? 0 });
      const back = V.msg(r.from === 'autosave' ? 'engine.backAutosave' : 'engine.backLoaded', { step: V.int(r.step), lost });
      const params = { reason: V.raw(reason), back };
      showError(new LocalizedError('engine.restarted', params, i18n.lang === 'en' ? i18n.plain('engine.restarted', params) : `The engine stopped (${reason}) and was restarted.`));
      announce('engine.restartedAnnounce', { back });
      host.dataset.engine = 'restarted';
      host.dataset.lostSteps = String(r.lostSteps);
      trainPanel.setState({ ready: true });
    } catch (err) {
      i18n.text($('engine-status'), 'engine.stopped');
      showError(new LocalizedError('engine.notRestarted', { reason: V.raw(reason), error: V.err(err) }, `The engine stopped (${reason}) and could not be restarted: ${err.message}. Reload the page: your last autosave will be offered.`));
    }
  }

  // Fault injection for the tests (tests/e2e/faults.test.js), only on the standalone page
  // opened with ?debug: stop the worker from outside, send it any request, read the autosaves' costs.
  if (urlState && new URLSearchParams(location.search).has('debug')) {
    const saves = [];
    client.on(Event.SAVED, (e) => e.timing && saves.push(e.timing));
    window.__aeFault = {
      terminate: () => client.worker.terminate(),
      request: (type, payload) => client.request(type, payload),
      saves, // { serializeMs, writeMs } of each autosave, for the tests' figures
    };
  }
  client.on(Event.DIVERGED, (d) => {
    const value = d.value === 'inf' ? V.msg('diverged.inf') : V.msg('diverged.nan');
    const at = d.divergedAt ? V.msg('diverged.at', { step: V.int(d.divergedAt) }) : '';
    const back = d.restored ? V.msg('diverged.back', { step: V.int(d.restored.step) }) : V.msg('diverged.noBack');
    // The settings the model trained with (a loaded file's may be outside the controls' ranges).
    const t = d.train;
    const tips = V.join([V.msg('diverged.tipLr', { lr: V.small(t.lr) }), t.optimizer === 'adam' ? '' : V.msg('diverged.tipAdam'), t.clip_norm ? '' : V.msg('diverged.tipClip')], '');
    const params = { value, at, back, tips };
    showError(new LocalizedError('diverged.message', params, `Training diverged: ${d.message}`));
    announce('announce.diverged', { back });
    if (d.restored) controller.noteRestored(d.restored);
    showHistory(d.history);
    host.dataset.diverged = String(d.restored?.step ?? '');
  });

  /** Loads a model file (.aemf) from a URL, as a picked file would be. */
  async function loadModelUrl(url) {
    const res = await fetch(url);
    if (!res.ok) throw new LocalizedError('error.modelUrl', { url: V.raw(url), status: res.status }, `the model file ${url} could not be downloaded: the server answered ${res.status}`);
    const name = new URL(url, location.href).pathname.split('/').pop() || 'model.aemf';
    return controller.loadFile(new File([await res.blob()], name));
  }

  // ---- boot ------------------------------------------------------------------------------------
  async function boot() {
    await langReady;
    renderState(store.state);
    // Every ignored setting, in one banner (each value in it cut short).
    const notes = [...(options.notes ?? []), ...(link.messages ?? [])].map((m) => V.msg(m.key, m.params));
    if (notes.length) showError(new LocalizedError('describe.text', { text: V.join(notes, ' ') }, notes.map((n) => i18n.plain(n.k, n.p)).join(' ')));
    // The first visit offers the tour (the standalone page only: a course page has its own plan).
    if (urlState && !tour.seen()) {
      i18n.text($('welcome-text'), 'app.welcome', { n: TOUR_STEPS.length });
      $('welcome-offer').hidden = false;
    }
    const { info } = await client.request(Request.INIT, { baseUrl, storage: options.storage ?? '' });
    i18n.text($('engine-status'), 'app.engineReady', { backend: V.raw(info.backend), threads: info.threads });
    host.dataset.engineBuild = info.build;
    host.dataset.engineBackend = info.backend;
    host.dataset.engineThreads = String(info.threads);
    await controller.loadManifest();
    await controller.buildFirstModel();
    await loadLessonDetector(store.state);
    library.start();
    trainPanel.setState({ ready: true });
    host.dataset.ready = '1';
    emit('ready', { model: modelConfig(store.state), dataset: store.state.dataset });
    try {
      await controller.loadTestSet();
      host.dataset.testSet = 'ready';
    } catch (err) {
      trainPanel.showDataset('train.testUnavailable');
      showError(err);
      host.dataset.testSet = 'missing';
    }
  }

  const booted = boot().catch((err) => {
    showError(err);
    i18n.text($('engine-status'), 'app.engineFailed');
    trainPanel.setState({ ready: false });
    host.dataset.ready = 'error';
  });

  const handle = {
    i18n,
    store,
    client,
    controller,
    booted,
    /** Starts (or resumes) training, as the Start button does. */
    start: () => booted.then(startTraining),
    pause: () => booted.then(() => controller.pause()),
    /** Applies settings (state.js keys), as the controls would. */
    propose: (patch) => booted.then(() => controller.propose(patch)),
    /** Opens a lesson (lessons.js), as a #lesson= link would. */
    setLesson: (id) => booted.then(() => controller.propose({ lesson: id })),
    /** Loads a model file (.aemf) from a URL. */
    loadModel: (url) => booted.then(() => loadModelUrl(url)),
    /** Stops the worker and forgets the views: the element was removed from the page. */
    async destroy() {
      await library.stop();
      destroyed = true;
      client.kill('the playground was removed');
      root.innerHTML = '';
    },
  };
  return handle;
}

const round3 = (v) => Math.round(v * 1000) / 1000;

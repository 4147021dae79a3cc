// One playground, mounted into a root (the shadow root of an <ae-playground> element: the
// standalone page, a course page's element and the iframe route are all this same code).
// Wires the settings store, the controller, the worker client and the views; behaviour belongs
// to controller.js, views/* and lib/*. Nothing here reaches the document outside `root`,
// except the page-lifecycle events (pagehide, visibilitychange) and, when `urlState` is on,
// the URL hash.
import { Controller, PROBES } from './controller.js';
import { ClientEvent, EngineClient } from './engine-client.js';
import { createModelLibrary } from './model-library.js';
import { DATASETS, describeModel, describeTraining } from './lib/presets.js';
import { formatInt, formatLoss, formatSmall } from './lib/format.js';
import { dimensionRanges } from './lib/map-geometry.js';
import { DEFAULT_FLOPS, costWarning, speedFrom } from './lib/cost.js';
import { Event, Request } from './protocol.js';
import { LESSONS } from './lessons.js';
import { startWorker } from './lib/start-worker.js';
import { PANELS, Store, fromEntries, fromHash, isVae, modelConfig, toHash } from './state.js';
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
import { VaeGenerator } from './views/vae-generator.js';
import template from './app/template.html?raw';
import { hasFocus } from './lib/dom.js';

/**
 * @typedef {object} MountOptions
 * @property {string} baseUrl      the site root (data/, models/ live there)
 * @property {boolean} [urlState]  read the settings from the URL hash and keep it up to date
 * @property {object} [settings]   settings to start from (attribute values; as in a URL hash)
 * @property {string} [storage]    the namespace of saved models and the autosave ('' = the default)
 * @property {string} [fullPageUrl] the standalone playground, for "open in a new tab" links
 * @property {string[]} [notes]     messages to show once the page is up (attributes it ignored)
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
  const banner = new Banner({ banner: $('error-banner'), text: $('error-text'), close: $('error-close') });
  const announcer = new Announcer($('live-status'));
  const showError = (err) => {
    if (err?.code === 'worker-dead') return; // every request the dead worker held: recoverEngine says it once
    banner.show(err);
    emit('error', { message: banner.text.textContent });
  };
  const announce = (text) => announcer.say(text);

  // The worker, and a new one whenever it dies (engine-client.js notices; recoverEngine restores).
  const client = new EngineClient(startWorker(), { createWorker: startWorker });
  const dialog = new ConfirmDialog($('confirm-dialog'));
  const baseUrl = options.baseUrl;
  const controller = new Controller({ client, store, confirm: (q) => dialog.ask(q), baseUrl });
  let testSet = { count: 0, classNames: DATASETS[store.state.dataset].classNames };
  let drawing = null; // the Draw panel's current input
  const shownEnds = { a: undefined, b: undefined }; // the test image each interpolation end shows (null: not one)
  let pointPending = true; // the settings' map point is still to be picked on this model's map
  let shownLesson = null;
  let lessonHidden = false;

  const testImage = async (index) => {
    const r = await client.request(Request.IMAGES, { split: 'test', indices: [index] });
    return { pixels: r.pixels, label: r.labels[0] };
  };
  /** A test image as an interpolation end: { pixels, label, index }. */
  const testEnd = async (i) => {
    const { pixels, label } = await testImage(i);
    return { pixels, label: `Test image #${i} (${testSet.classNames[label] ?? label})`, index: i };
  };
  const randomTest = () => testEnd(Math.floor(Math.random() * testSet.count));
  const decode = (code) => client.request(Request.DECODE, { codes: code, n: 1 });
  const decodePoints = (points, n) => client.request(Request.DECODE_POINTS, { points, n });

  // ---- views ------------------------------------------------------------------------------
  const chart = new LossChart($('loss-chart'), $('loss-legend'));
  const table = new LossTable($('loss-table-body'), $('loss-table-count'));
  const probes = new ProbeGrid($('probe-grid'), PROBES);
  const denoise = new DenoiseGrid($('denoise-grid'), PROBES);
  const form = new SettingsForm($('settings'), { onChange: (key, value) => controller.propose({ [key]: value }) });

  const trainPanel = new TrainPanel({
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
   * Start, as the button (or the element's start()) asks: after a finished run, or on a
   * pretrained model, it trains as many epochs again ("Train for" grows to match).
   */
  // After a finished run (or on a pretrained model), Start trains "Train for" epochs more
  // (controller.start), without changing the setting or the link.
  function startTraining() {
    return settleOffer().then(() => controller.start());
  }

  // ---- models: pretrained, files, saved models, the autosave (model-library.js) ------------
  const library = createModelLibrary({ controller, client, dialog, announce, showError, $, byIds, host, dropZone: app, storage: options.storage ?? '' });
  const models = library.panel;
  const settleOffer = () => library.settleOffer();

  const sliders = new LatentSliders({
    el: byIds({ list: 'latent-sliders', output: 'slider-decoded', source: 'slider-source', follow: 'slider-follow', note: 'slider-note' }),
    decode,
    onError: showError,
  });

  const interp = new Interpolation({
    el: byIds({
      aCanvas: 'interp-a', aLabel: 'interp-a-label', aDraw: 'interp-a-draw', aRandom: 'interp-a-random',
      bCanvas: 'interp-b', bLabel: 'interp-b-label', bDraw: 'interp-b-draw', bRandom: 'interp-b-random',
      frame: 'interp-frame', strip: 'interp-strip', play: 'interp-play', scrub: 'interp-scrub', speed: 'interp-speed',
      mode: 'interp-mode', path: 'interp-path', png: 'interp-png', gif: 'interp-gif', status: 'interp-status',
    }),
    interpolate: (a, b, frames, path) => client.request(Request.INTERPOLATE, { a, b, frames, path }),
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
    el: byIds({ block: 'vae-block', note: 'vae-note', manifold: 'vae-manifold', manifoldNote: 'vae-manifold-note', side: 'vae-side', sample: 'vae-sample', samples: 'vae-samples' }),
    decodePoints,
    samplePrior: (n, seed) => client.request(Request.SAMPLE_PRIOR, { n, seed }),
    onError: showError,
  });

  const draw = new DrawPanel({
    el: byIds({
      pad: 'draw-pad', cursor: 'pad-cursor', input: 'model-input', output: 'draw-recon', error: 'draw-error-map',
      errorText: 'draw-error', sourceText: 'draw-source', brush: 'brush-size', eraser: 'eraser-btn', undo: 'undo-btn',
      clear: 'clear-btn', testIndex: 'test-index', testShow: 'test-show', testRandom: 'test-random', file: 'file-input',
    }),
    reconstruct: (pixels) => client.request(Request.RECONSTRUCT, { pixels, n: 1 }, [pixels.buffer]),
    reconstructDrawing: (img) => client.request(Request.RECONSTRUCT_DRAWING, { rgba: img.data, width: img.width, height: img.height }, [img.data.buffer]),
    testImage,
    testSet: () => testSet,
    onInput: (input) => {
      drawing = input;
      latent.setDrawing(input);
      sliders.followDrawing(input);
      interp.drawingAvailable(Boolean(input));
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
      announce('Link copied: it reproduces these settings and the seed.');
      $('share-btn').textContent = 'Link copied';
      setTimeout(() => ($('share-btn').textContent = 'Copy a link to these settings'), 2500);
    } catch {
      banner.show(new Error(`Copy this link to share the settings: ${href}`));
    }
  });

  // ---- state → views ------------------------------------------------------------------------
  function renderState(s) {
    setControls(s.controls);
    showLesson(s.lesson);
    form.render(s);
    models.setLocked(['weights', 'dataset', 'variant'].some((k) => s.lock.includes(k)));
    trainPanel.setTarget(controller.targetEpochs, s.epochs);
    app.classList.toggle('embed', s.embed);
    for (const id of PANELS) $(`${id}-panel`).hidden = !s.panels.includes(id);
    app.querySelector('.panels').classList.toggle('two-col', ['draw', 'train', 'learn'].every((p) => s.panels.includes(p)));
    $('denoise-block').hidden = s.variant !== 'denoising';
    $('denoise-amount').disabled = s.lock.includes('noise_amount');
    if (!hasFocus($('denoise-amount'))) $('denoise-amount').value = String(s.noise_amount);
    $('denoise-amount-out').textContent = formatSmall(s.noise_amount);
    vae.setVariant(isVae(s), s.seed);
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
  });

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
    $('cost-note').textContent = w?.text ?? '';
    host.dataset.cost = w ? (w.tooBig ? 'too-big' : 'slow') : 'ok';
  };
  controller.on('cost', showCost);
  controller.on('manifest', ({ models: list, error }) => models.setModels(list, error));
  controller.on('status', ({ text }) => trainPanel.showDataset(text));
  controller.on('announce', ({ text }) => announce(text));
  controller.on('error', ({ error }) => showError(error));
  controller.on('trainSet', ({ count }) => trainPanel.setTrainCount(count));
  controller.on('train', ({ train }) => trainPanel.setTrainSummary(describeTraining(train)));
  controller.on('revert', ({ state, errors, keys }) => {
    form.render(state, { force: true });
    if (errors?.length && keys?.length === 1) form.setError(keys[0], errors[0]);
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
    if (history) showHistory(history, source.kind === 'pretrained' ? { startLabel: 'Fine-tune' } : {});
    models.setSource(source, { dataset: state.dataset, info, title: describeModel(model) });
    host.dataset.source = source.kind;
    const weights = info?.parameterCount ? ` · ${formatInt(info.parameterCount)} weights` : '';
    trainPanel.setSummary(`${describeModel(model)}${weights}`);
    // The worker has already sent the new model's map (LATENT comes before the reply): keep it,
    // but forget points picked on the old one.
    latent.forgetPicked();
    interp.forgetCodes();
    applyEnds();
    pointPending = true;
    applyPoint();
    draw.refresh();
  });
  controller.on('testSet', (t) => {
    testSet = t;
    probes.setOriginals(t.probePixels, t.probeLabels, t.classNames);
    denoise.setClean(t.probePixels);
    latent.setClassNames(t.classNames);
    $('test-index').max = String(t.count - 1);
    interp.clear(); // a new dataset: A and B come from it
    shownEnds.a = shownEnds.b = undefined;
    applyEnds();
  });

  /** A loaded (or rolled-back) model's chart, table and where it stands. */
  function showHistory(h, options = {}) {
    chart.load(h.series);
    table.load(h.table);
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
      label: `Test image #${testSet.probes[i]} (${testSet.classNames[testSet.probeLabels[i]]})`,
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
        $('lesson-title').textContent = lesson.title;
        $('lesson-intro').textContent = lesson.intro;
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
      announce(`Epoch ${p.epoch + 1}: ${q * 25}% done, training loss ${formatLoss(p.loss.total)}.`);
    }
    const x = p.epoch + p.epochProgress - (p.epochProgress >= 1 ? 1 : 0);
    chart.add('total', x, p.loss.total);
    for (const k of ['recon', 'kl', 'sparsity', 'weightDecay']) chart.add(k, x, p.loss[k]);
  });
  client.on(Event.SNAPSHOT, (s) => {
    probes.setReconstructions(s.probes);
    if (s.noisy) denoise.set(s);
    draw.refresh();
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
    announce(`Epoch ${e.epoch} of ${target} done. ${e.testLoss ? `Test loss ${formatLoss(e.testLoss.total)}` : 'No test loss'}, training loss ${formatLoss(e.trainLoss)}.`);
  });
  client.on(Event.STATE, (s) => {
    controller.noteState(s);
    trainPanel.setState({ running: s.running });
    if (!s.running) chart.flush();
    const n = controller.targetEpochs;
    if (s.reason === 'done') announce(`Training finished: ${n} epoch${n === 1 ? '' : 's'}.`);
    if (s.reason === 'error') announce('Training stopped because of an error.');
  });
  client.on(Event.DATASET_PROGRESS, (d) => {
    const mb = (b) => (b / 1e6).toFixed(1);
    trainPanel.showDataset(d.total ? `Downloading the ${d.split} set: ${mb(d.loaded)} / ${mb(d.total)} MB` : `Downloading the ${d.split} set: ${mb(d.loaded)} MB`);
  });
  client.on(Event.ERROR, (e) => showError(new Error(e.message)));
  // Storage failures from the worker (a full quota, no storage): said where the autosave status
  // shows, and in the banner once until a save succeeds again (autosaves come every few seconds).
  let autosaveFailing = false;
  client.on(Event.LOG, (l) => {
    if (l.level !== 'error') return;
    if (l.what === 'autosave' || l.what === 'storage') {
      models.setAutosaveFailure(l.message);
      if (autosaveFailing) return;
      autosaveFailing = true;
    }
    showError(new Error(l.message));
  });
  client.on(Event.SAVED, (e) => {
    if (e.kind !== 'autosave') return;
    autosaveFailing = false;
    controller.noteAutosaved(e.meta);
    models.setAutosave(e.meta);
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
      $('engine-status').textContent = 'The engine stopped.';
      showError(new Error(`The engine stopped again (${reason}) after ${restarts.length} restarts in a few minutes, so it was not restarted: reload the page (your last autosave will be offered), and try a smaller model or batch.`));
      return;
    }
    restarts.push(now);
    $('engine-status').textContent = 'The engine stopped: restarting it…';
    showError(new Error(`The engine stopped (${reason}). Restarting it and restoring your model…`));
    try {
      client.restart();
      const { info } = await client.request(Request.INIT, { baseUrl, storage: options.storage ?? '' });
      const r = await controller.recover();
      $('engine-status').textContent = `Engine ready: WebAssembly (${info.backend}) in a Web Worker (restarted).`;
      const lost = r.lostSteps ? `${formatInt(r.lostSteps)} step${r.lostSteps === 1 ? '' : 's'} of training ${r.lostSteps === 1 ? 'was' : 'were'} lost` : 'nothing was lost';
      const back = r.from === 'autosave' ? `Your model is back from its last autosave, at step ${formatInt(r.step)}: ${lost}.` : `Your model is back as it was loaded, at step ${formatInt(r.step)}: ${lost}.`;
      showError(new Error(`The engine stopped (${reason}) and was restarted. ${back} Press Start to continue training.`));
      announce(`The engine was restarted. ${back}`);
      host.dataset.engine = 'restarted';
      host.dataset.lostSteps = String(r.lostSteps);
      trainPanel.setState({ ready: true });
    } catch (err) {
      $('engine-status').textContent = 'The engine stopped.';
      showError(new Error(`The engine stopped (${reason}) and could not be restarted: ${err.message}. Reload the page: your last autosave will be offered.`));
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
    const value = d.value === 'inf' ? 'infinite' : 'NaN (not a number)';
    const at = d.divergedAt ? ` at step ${formatInt(d.divergedAt)}` : '';
    const back = d.restored
      ? `The model went back to its last good state, step ${formatInt(d.restored.step)}, and nothing diverged was saved.`
      : 'There was no earlier good state to go back to: reset the model or load another.';
    // The settings the model trained with (a loaded file's may be outside the controls' ranges).
    const t = d.train;
    const tips = `lower the learning rate (now ${formatSmall(t.lr)})${t.optimizer === 'adam' ? '' : ', or use Adam'}${t.clip_norm ? '' : ', or clip the gradient norm (under “More settings”)'}`;
    showError(new Error(`Training diverged: the loss became ${value}${at}, so training paused. ${back} The steps were too large for this model: ${tips}, then start again.`));
    announce(`Training diverged and paused. ${back}`);
    if (d.restored) controller.noteRestored(d.restored);
    showHistory(d.history);
    host.dataset.diverged = String(d.restored?.step ?? '');
  });

  // ---- boot ------------------------------------------------------------------------------------
  async function boot() {
    renderState(store.state);
    // Every ignored setting, in one banner (each value in it cut short).
    const notes = [...(options.notes ?? []), ...link.errors];
    if (notes.length) showError(new Error(notes.join(' ')));
    const { info } = await client.request(Request.INIT, { baseUrl, storage: options.storage ?? '' });
    $('engine-status').textContent = `Engine ready: WebAssembly (${info.backend}) in a Web Worker.`;
    await controller.loadManifest();
    await controller.buildFirstModel();
    library.start();
    trainPanel.setState({ ready: true });
    host.dataset.ready = '1';
    emit('ready', { model: modelConfig(store.state), dataset: store.state.dataset });
    try {
      await controller.loadTestSet();
      host.dataset.testSet = 'ready';
    } catch (err) {
      trainPanel.showDataset('Test images unavailable: training still works, without test loss.');
      showError(err);
      host.dataset.testSet = 'missing';
    }
  }

  const booted = boot().catch((err) => {
    showError(err);
    $('engine-status').textContent = 'The engine could not start.';
    trainPanel.setState({ ready: false });
    host.dataset.ready = 'error';
  });

  return {
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
    async loadModel(url) {
      await booted;
      const res = await fetch(url);
      if (!res.ok) throw new Error(`the model file ${url} could not be downloaded: the server answered ${res.status}`);
      const name = new URL(url, location.href).pathname.split('/').pop() || 'model.aemf';
      return controller.loadFile(new File([await res.blob()], name));
    },
    /** Stops the worker and forgets the views: the element was removed from the page. */
    async destroy() {
      await library.stop();
      destroyed = true;
      client.kill('the playground was removed');
      root.innerHTML = '';
    },
  };
}

const round3 = (v) => Math.round(v * 1000) / 1000;

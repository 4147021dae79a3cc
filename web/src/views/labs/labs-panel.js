// "6 · What it's for": the applications lab's panel. The tabs, and when each lab computes: when
// it comes into view, when the model changes, every few seconds while the model trains (the
// worker caches per model state and shares its time with training: worker/labs/jobs.js), and
// the person's drawing through the labs as it changes. A lab's progress and failures are said
// in the panel's status line; a request cancelled by a newer one is not a failure. The labs
// need the training set (PCA and the code ranges are fitted on it): it is fetched when a lab
// first comes into view, not before.
import { Event } from '../../protocol.js';
import { V } from '../../i18n/values.js';
import { latestOnly } from '../../lib/latest.js';
import { LAB_IDS as LABS } from '../../state.js';
/** The worker's phases (worker/labs/*.js job.units) as messages. */
const PHASES = {
  scores: 'labs.phase.scores',
  pca: 'labs.phase.pca',
  'pca-fit': 'labs.phase.pca-fit',
  'pca-scores': 'labs.phase.pca-scores',
  ranges: 'labs.phase.ranges',
  compress: 'labs.phase.compress',
  'pca-error': 'labs.phase.pca-error',
  features: 'labs.phase.features',
  'probe-codes': 'labs.phase.probe-codes',
  'probe-pca': 'labs.phase.probe-pca',
  'probe-pixels': 'labs.phase.probe-pixels',
  'knn-codes': 'labs.phase.knn-codes',
  'knn-pca': 'labs.phase.knn-pca',
};
/** The lab (tab) that shows each worker job's progress: the runs started by a button are the lab's own. */
const OWNER = { linear: 'pca', sweep: 'latent', overfit: 'latent' };
/** While training, a lab in view computes again at most this often. */
const TRAINING_REFRESH_MS = 6000;

export class LabsPanel {
  /**
   * @param {object} o
   * @param {Record<string, HTMLElement>} o.el  panel, tabs, status
   * @param {Record<string, {compute: () => Promise<object>, render: () => void, clear: () => void, setDataset: (d: string) => void, setDrawing?: (r: object|null) => void, progress?: (p: object) => void}>} o.labs
   * @param {import('../../i18n/index.js').I18n} o.i18n
   * @param {import('../../engine-client.js').EngineClient} o.client
   * @param {() => Promise<void>} o.ensureData  loads the training set (the test set is the page's)
   * @param {(pixels: Float32Array) => Promise<object>} o.drawing  LAB_DRAWING
   * @param {() => boolean} o.ready  a model and the test set are in
   * @param {(id: string) => void} o.onShow  a tab was chosen
   */
  constructor({ el, labs, i18n, client, ensureData, drawing, ready, onShow }) {
    Object.assign(this, { el, labs, i18n, ensureData, ready, onShow });
    this.active = 'anomaly';
    this.visible = false;
    this.generation = 0; // the model's state: a new model or training moves it on
    this.computed = Object.fromEntries(LABS.map((id) => [id, -1])); // the generation each lab shows
    this.running = null; // the lab computing now
    this.token = 0; // the latest computation asked for
    this.urgent = false; // the person asked for it: it goes out even while another runs
    this.timer = null;
    this.lastRefresh = -Infinity;
    this.step = null; // the training step the last snapshot showed
    this.pixels = null;
    this.drawingPending = false; // a drawing not scored yet: it came while the panel was out of view
    for (const b of el.tabs.querySelectorAll('[role=tab]')) {
      b.addEventListener('click', () => onShow(b.dataset.lab));
      b.addEventListener('keydown', (e) => this.#tabKey(e));
    }
    this.drawingRequest = latestOnly(
      (pixels) => drawing(pixels),
      (r) => {
        this.labs.anomaly.setDrawing(r.scores);
        this.labs.compression.setDrawing(r);
        this.labs.pca.setDrawing(r);
      },
      (err) => this.failed(err),
    );
    client.on(Event.LAB_PROGRESS, (p) => {
      if (p.lab === this.running) this.#progress(p);
      this.labs[OWNER[p.lab] ?? p.lab]?.progress?.(p); // partial results
    });
    new IntersectionObserver((entries) => {
      this.visible = entries.some((e) => e.isIntersecting);
      if (!this.visible) return;
      this.refresh();
      if (this.drawingPending) this.#drawingChanged(); // drawn while out of view
    }, { rootMargin: '200px' }).observe(el.panel);
    i18n.onChange(() => {
      for (const id of LABS) this.labs[id].render();
    });
    i18n.text(el.status, 'labs.status.waiting');
  }

  /** Opens a lab (a tab, a lesson). */
  show(id) {
    if (!LABS.includes(id) || (id === this.active && this.el.panel.dataset.lab === id)) return;
    this.active = id;
    for (const b of this.el.tabs.querySelectorAll('[role=tab]')) {
      const on = b.dataset.lab === id;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      this.el.panel.querySelector(`#${b.getAttribute('aria-controls')}`).hidden = !on;
    }
    this.el.panel.dataset.lab = id;
    this.#now();
  }

  /** A new model (built, loaded, reset, rolled back): every lab computes again. */
  modelChanged() {
    this.step = null;
    this.generation++;
    this.labs.anomaly.modelChanged();
    this.#now();
    this.#drawingChanged();
  }

  /** A new dataset: the labs forget what they showed. */
  setDataset(dataset) {
    for (const id of LABS) this.labs[id].setDataset(dataset);
    this.generation++;
    this.#now();
  }

  /** Training moved the model on (a snapshot at `step`): the lab in view follows, every few seconds. */
  trained(step) {
    if (step === this.step) return; // the probes shown again (a new test set, a reload): nothing moved
    this.step = step;
    this.generation++;
    this.#later();
  }

  /** The lab changed what it asks for (a choice in it). */
  changed() {
    this.computed[this.active] = -1;
    this.#now();
  }

  /** The Draw panel's input: its pixels, or null when the pad is blank. */
  setDrawing(input) {
    this.pixels = input?.pixels ?? null;
    this.#drawingChanged();
  }

  #drawingChanged() {
    this.drawingPending = false;
    if (!this.pixels || !this.ready()) {
      this.drawingRequest.cancel();
      this.labs.anomaly.setDrawing(null);
      this.labs.compression.setDrawing(null);
      this.labs.pca.setDrawing(null);
      return;
    }
    if (this.visible) this.drawingRequest(this.pixels.slice());
    else this.drawingPending = true; // asked for when the panel comes into view
  }

  /** Computes at once: what the person asked for (a newer request cancels the one running). */
  #now() {
    clearTimeout(this.timer);
    this.timer = null;
    this.urgent = true;
    this.refresh();
  }

  /**
   * Computes once TRAINING_REFRESH_MS have passed since the last computation started. Not while
   * the panel is out of view: it computes when it comes into view (a timer per snapshot, with
   * nothing to do, was a task and a frame of the page twice a second while training).
   */
  #later() {
    if (this.timer || !this.visible) return;
    const wait = Math.max(0, TRAINING_REFRESH_MS - (performance.now() - this.lastRefresh));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refresh();
      this.#drawingChanged();
    }, wait);
  }

  /** Computes the lab in view if what it shows is not of the model as it is. */
  async refresh() {
    const id = this.active;
    if (!this.visible || this.computed[id] === this.generation) return;
    if (this.running && !this.urgent) return; // training's refreshes wait for the one running
    if (!this.ready()) {
      this.i18n.text(this.el.status, 'labs.status.noModel');
      return;
    }
    this.urgent = false;
    const generation = this.generation;
    const token = ++this.token;
    this.running = id;
    this.el.panel.dataset.busy = id;
    this.lastRefresh = performance.now();
    try {
      this.i18n.text(this.el.status, 'labs.status.loadingTrain');
      await this.ensureData();
      const r = await this.labs[id].compute();
      if (token === this.token) {
        this.computed[id] = generation;
        this.i18n.text(this.el.status, 'labs.status.ready', { step: V.int(r.model.step), n: V.int(r.images ?? r.test?.images ?? r.tested ?? r.curve?.images ?? 0) });
        this.el.panel.dataset[`${id}Step`] = String(r.model.step);
        this.#drawingChanged();
      }
    } catch (err) {
      if (err?.code !== 'cancelled' && token === this.token) this.failed(err);
    }
    if (token !== this.token) return; // a newer computation took over
    this.running = null;
    delete this.el.panel.dataset.busy;
    // Something changed meanwhile (a choice, the tab: at once; training: a few seconds on).
    if (this.computed[this.active] !== this.generation) {
      if (this.urgent) this.refresh();
      else this.#later();
    }
  }

  #progress(p) {
    const k = /^pca-(\d+)$/.exec(p.phase);
    const phase = PHASES[p.phase] ? V.msg(PHASES[p.phase]) : k ? V.msg('labs.phase.pcaK', { k: V.int(Number(k[1])) }) : V.msg('labs.phase.other');
    this.i18n.text(this.el.status, 'labs.status.working', { phase, pct: V.pct(p.total ? p.done / p.total : 0) });
  }

  /** Says in the panel that a lab could not compute (not in the banner: the rest of the page works). */
  failed(err) {
    this.i18n.text(this.el.status, 'labs.status.failed', { error: V.err(err) });
    this.el.panel.dataset.failed = String(err?.message ?? err);
  }

  #tabKey(e) {
    const i = LABS.indexOf(this.active);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: LABS.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const id = LABS[(next + LABS.length) % LABS.length];
    this.onShow(id);
    this.el.tabs.querySelector(`[data-lab=${id}]`).focus();
  }
}

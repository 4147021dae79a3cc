// The worker's request handlers, as plain functions over one engine. worker.js wires them to
// postMessage; tests call them directly against the real WASM build, without a Worker.
import { Event, REPLY, Request, datasetUrl } from '../protocol.js';
import { fetchDataset } from '../lib/dataset-file.js';
import { latentPath } from '../lib/latent-path.js';
import { toMnist } from '../lib/preprocess.js';
import { normalSamples } from '../lib/random.js';
import { TrainLoop, evaluateInSlices } from './train-loop.js';

export class WorkerHost {
  /**
   * @param {object} o
   * @param {object} o.module   the instantiated Embind module (has .Engine)
   * @param {(msg: object, transfer?: Transferable[]) => void} o.post
   * @param {string} [o.baseUrl] site root the dataset URLs are relative to (INIT may set it)
   * @param {typeof fetch} [o.fetchImpl]
   * @param {object} [o.loopOptions] passed to TrainLoop (budgetMs, snapshotMs, latentMs, now, yieldFn)
   */
  constructor({ module, post, baseUrl = '/', fetchImpl = globalThis.fetch?.bind(globalThis), loopOptions = {} }) {
    this.module = module;
    this.engine = new module.Engine();
    this.post = post;
    this.baseUrl = baseUrl;
    this.fetchImpl = fetchImpl;
    this.loop = new TrainLoop({ engine: this.engine, post, ...loopOptions });
    this.probeIndices = [];
    this.model = null; // the model config last configured
    this.train = {}; // the training config as sent so far
    this.mapReady = false; // the engine holds a latent-map fit for the current model
    const e = this.engine;
    this.handlers = {
      [Request.INIT]: (m) => {
        if (m.baseUrl) this.baseUrl = m.baseUrl;
        return { info: e.info() };
      },
      [Request.CONFIGURE]: (m) => this.configure(m),
      [Request.SET_TRAINING]: (m) => this.setTraining(m),
      [Request.RESET]: async () => {
        await this.loop.pause();
        e.reset();
        this.loop.resetStats();
        this.#showModel();
        return { info: e.info() };
      },
      [Request.LOAD_DATASET]: (m) => this.loadDataset(m),
      [Request.WATCH]: (m) => this.watch(m),
      [Request.START]: (m) => this.start(m),
      [Request.PAUSE]: async () => {
        await this.loop.pause();
        return { running: false, step: e.info().step };
      },
      [Request.SET_LIMIT]: ({ maxEpochs }) => {
        this.loop.maxEpochs = checkEpochs(maxEpochs);
        return { maxEpochs: this.loop.maxEpochs };
      },
      [Request.STEP]: async () => {
        requireTrainingData(e);
        const stats = await this.loop.step();
        this.mapReady = this.loop.mapCount > 0 && e.hasDataset('test');
        return { stats };
      },
      [Request.RECONSTRUCT]: (m) => {
        const pixels = e.reconstruct(m.pixels, m.n);
        const codes = e.encode(m.pixels, m.n);
        return transfer({ pixels, codes, points: this.#points(codes, m.n) });
      },
      [Request.RECONSTRUCT_DRAWING]: ({ rgba, width, height }) => {
        const { pixels: input, blank } = toMnist({ data: rgba, width, height });
        if (blank) return { input: null, pixels: null, codes: null, points: null };
        const codes = e.encode(input, 1);
        return transfer({ input, pixels: e.reconstruct(input, 1), codes, points: this.#points(codes, 1) });
      },
      [Request.ENCODE]: (m) => transfer({ codes: e.encode(m.pixels, m.n) }),
      [Request.DECODE]: (m) => transfer({ pixels: e.decode(m.codes, m.n), points: this.#points(m.codes, m.n) }),
      [Request.DECODE_POINTS]: (m) => {
        if (!this.mapReady) throw new Error('the latent map is not ready yet: load the test set first');
        const codes = e.unproject(m.points, m.n);
        return transfer({ codes, pixels: e.decode(codes, m.n) });
      },
      [Request.INTERPOLATE]: (m) => this.interpolate(m),
      [Request.SAMPLE_PRIOR]: ({ n, seed }) => {
        if (!Number.isInteger(n) || n < 1 || n > 400) throw new Error(`samplePrior: n must be an integer in [1, 400], got ${n}`);
        const codes = normalSamples(n * e.info().latentSize, seed >>> 0);
        return transfer({ codes, pixels: e.decode(codes, n), points: this.#points(codes, n) });
      },
      [Request.IMAGES]: (m) => transfer({ pixels: e.images(m.split, m.indices), labels: e.labels(m.split, m.indices) }),
      [Request.EVALUATE]: async (m) => ({ loss: await evaluateInSlices(e, m.split) }),
    };
  }

  /** Handles one request message; always posts exactly one reply. */
  async handle(msg) {
    const fn = this.handlers[msg?.type];
    try {
      if (!fn) throw new Error(`unknown request type '${msg?.type}'`);
      const out = await fn(msg);
      const { result, buffers } = out instanceof Transfer ? out : { result: out, buffers: [] };
      this.post({ type: REPLY, id: msg.id, ok: true, result }, buffers);
    } catch (err) {
      this.post({ type: REPLY, id: msg.id, ok: false, error: { message: messageOf(err) } });
    }
  }

  async configure({ model, train }) {
    await this.loop.pause();
    this.engine.configure(JSON.stringify(model), JSON.stringify(train));
    this.model = model;
    this.train = { ...train };
    this.mapReady = false;
    this.loop.resetStats();
    this.#updateNoise();
    this.#showModel();
    return { info: this.engine.info(), train: JSON.parse(this.engine.trainConfig()) };
  }

  setTraining({ train }) {
    this.engine.setTraining(JSON.stringify(train));
    Object.assign(this.train, train);
    const noiseChanged = 'noise' in train || 'noise_amount' in train;
    this.#updateNoise();
    if (noiseChanged && !this.loop.running) this.loop.postSnapshot(this.engine.info().step);
    return { train: JSON.parse(this.engine.trainConfig()) };
  }

  async loadDataset({ dataset, split }) {
    const url = datasetUrl(this.baseUrl, dataset, split);
    const bytes = await fetchDataset(url, {
      fetchImpl: this.fetchImpl,
      onProgress: (loaded, total) => this.post({ type: Event.DATASET_PROGRESS, split, loaded, total }),
    });
    const wasRunning = this.loop.running;
    await this.loop.pause(); // a new split replaces the old one under the loop
    try {
      const info = this.engine.loadDataset(split, bytes); // a bad file leaves the old split in place
      if (split === 'test') {
        this.mapReady = false;
        this.#refreshProbes();
      }
      return info;
    } finally {
      if (wasRunning) this.loop.start();
    }
  }

  /** What to show while training: probe images (test indices) and the size of the latent map. */
  watch({ probes = [], mapCount = 0 }) {
    if (!Array.isArray(probes)) throw new Error('watch: probes must be an array of test-set indices');
    if (!Number.isInteger(mapCount) || mapCount < 0 || mapCount > 10000) {
      throw new Error(`watch: mapCount must be an integer in [0, 10000], got ${mapCount}`);
    }
    this.probeIndices = probes;
    this.#refreshProbes();
    this.loop.mapCount = mapCount;
    this.mapReady = false;
    this.#showModel();
    return {};
  }

  start({ maxEpochs = Infinity, probes } = {}) {
    requireTrainingData(this.engine);
    if (Array.isArray(probes)) {
      this.probeIndices = probes;
      this.#refreshProbes();
    }
    const limit = checkEpochs(maxEpochs);
    const done = this.engine.info().epoch;
    if (done >= limit) {
      throw new Error(`the model has already trained ${done} epoch${done === 1 ? '' : 's'}: set "Train for" above ${done} epochs to continue`);
    }
    this.loop.maxEpochs = limit;
    this.loop.start();
    return { running: true };
  }

  interpolate({ a, b, frames = 32, path = 'linear' }) {
    const e = this.engine;
    if (!Number.isInteger(frames) || frames < 2 || frames > 240) throw new Error(`interpolate: frames must be an integer in [2, 240], got ${frames}`);
    const codeOf = (end, name) => {
      if (end?.code) return Float32Array.from(end.code);
      if (end?.pixels) return e.encode(end.pixels, 1);
      throw new Error(`interpolate: endpoint ${name} needs pixels or a code`);
    };
    const za = codeOf(a, 'A'), zb = codeOf(b, 'B');
    const z = e.info().latentSize;
    if (za.length !== z || zb.length !== z) throw new Error(`interpolate: codes must have ${z} values (the model's latent size), got ${za.length} and ${zb.length}`);
    const codes = latentPath(za, zb, frames, path);
    return transfer({ codes, pixels: e.decode(codes, frames), points: this.#points(codes, frames) });
  }

  /** Where codes fall on the latent map (null until there is a map). */
  #points(codes, n) {
    return this.mapReady ? this.engine.project(codes, n) : null;
  }

  #updateNoise() {
    const denoising = this.model?.variant === 'denoising' && this.train.noise && this.train.noise !== 'none';
    this.loop.noise = denoising ? { noise: this.train.noise, amount: this.train.noise_amount ?? 0.5 } : null;
  }

  /** After a new model, a reset or new watch settings: show the model as it is now. */
  #showModel() {
    if (this.loop.running) return;
    const step = this.engine.info().step ?? 0;
    this.loop.postSnapshot(step);
    if (this.loop.mapCount > 0 && this.engine.hasDataset('test')) {
      this.loop.postLatent(step);
      this.mapReady = true;
    }
  }

  #refreshProbes() {
    if (!this.probeIndices.length || !this.engine.hasDataset('test')) return;
    this.loop.setProbes(this.engine.images('test', this.probeIndices), this.probeIndices.length);
  }
}

function requireTrainingData(engine) {
  if (!engine.hasDataset('train')) throw new Error('no training data: load a dataset before training');
}

function checkEpochs(n) {
  if (n === Infinity || n === undefined || n === null) return Infinity;
  if (!Number.isInteger(n) || n < 1) throw new Error(`maxEpochs must be an integer >= 1, got ${n}`);
  return n;
}

class Transfer {
  constructor(result, buffers) {
    this.result = result;
    this.buffers = buffers;
  }
}

/** Marks every typed array in `result` for transfer instead of copy. */
function transfer(result) {
  const buffers = Object.values(result)
    .filter((v) => ArrayBuffer.isView(v))
    .map((v) => v.buffer);
  return new Transfer(result, buffers);
}

function messageOf(err) {
  if (err instanceof Error) return err.message;
  if (typeof err === 'number') return `engine error (code ${err})`;
  return String(err);
}

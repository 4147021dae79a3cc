// The worker's request handlers, as plain functions over one engine. worker.js wires them to
// postMessage; tests call them directly against the real WASM build, without a Worker.
import { Event, REPLY, Request, datasetUrl } from '../protocol.js';
import { fetchDataset } from '../lib/dataset-file.js';
import { TrainLoop, evaluateInSlices } from './train-loop.js';

export class WorkerHost {
  /**
   * @param {object} o
   * @param {object} o.module   the instantiated Embind module (has .Engine)
   * @param {(msg: object, transfer?: Transferable[]) => void} o.post
   * @param {string} [o.baseUrl] site root the dataset URLs are relative to (INIT may set it)
   * @param {typeof fetch} [o.fetchImpl]
   * @param {object} [o.loopOptions] passed to TrainLoop (budgetMs, snapshotMs, now, yieldFn)
   */
  constructor({ module, post, baseUrl = '/', fetchImpl = globalThis.fetch?.bind(globalThis), loopOptions = {} }) {
    this.module = module;
    this.engine = new module.Engine();
    this.post = post;
    this.baseUrl = baseUrl;
    this.fetchImpl = fetchImpl;
    this.loop = new TrainLoop({ engine: this.engine, post, ...loopOptions });
    this.probeIndices = [];
    this.handlers = {
      [Request.INIT]: (m) => {
        if (m.baseUrl) this.baseUrl = m.baseUrl;
        return { info: this.engine.info() };
      },
      [Request.CONFIGURE]: (m) => this.configure(m),
      [Request.SET_TRAINING]: (m) => {
        this.engine.setTraining(JSON.stringify(m.train));
        return { train: JSON.parse(this.engine.trainConfig()) };
      },
      [Request.RESET]: async () => {
        await this.loop.pause();
        this.engine.reset();
        this.loop.resetStats();
        this.loop.postSnapshot(0);
        return { info: this.engine.info() };
      },
      [Request.LOAD_DATASET]: (m) => this.loadDataset(m),
      [Request.START]: (m) => this.start(m),
      [Request.PAUSE]: async () => {
        await this.loop.pause();
        return { running: false, step: this.engine.info().step };
      },
      [Request.RECONSTRUCT]: (m) => {
        const pixels = this.engine.reconstruct(m.pixels, m.n);
        const codes = this.engine.encode(m.pixels, m.n);
        return transfer({ pixels, codes });
      },
      [Request.ENCODE]: (m) => transfer({ codes: this.engine.encode(m.pixels, m.n) }),
      [Request.DECODE]: (m) => transfer({ pixels: this.engine.decode(m.codes, m.n) }),
      [Request.IMAGES]: (m) =>
        transfer({ pixels: this.engine.images(m.split, m.indices), labels: this.engine.labels(m.split, m.indices) }),
      [Request.EVALUATE]: async (m) => ({ loss: await evaluateInSlices(this.engine, m.split) }),
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
    this.loop.resetStats();
    this.loop.postSnapshot(0);
    return { info: this.engine.info() };
  }

  async loadDataset({ dataset, split }) {
    const url = datasetUrl(this.baseUrl, dataset, split);
    const bytes = await fetchDataset(url, {
      fetchImpl: this.fetchImpl,
      onProgress: (loaded, total) => this.post({ type: Event.DATASET_PROGRESS, split, loaded, total }),
    });
    const wasRunning = this.loop.running;
    if (split === 'train') await this.loop.pause();
    const info = this.engine.loadDataset(split, bytes);
    if (split === 'test') this.#refreshProbes();
    if (wasRunning && split === 'train') this.loop.start();
    return info;
  }

  start({ probes } = {}) {
    if (!this.engine.hasDataset('train')) throw new Error('no training data: load a dataset before training');
    if (Array.isArray(probes)) {
      this.probeIndices = probes;
      this.#refreshProbes();
    }
    this.loop.start();
    return { running: true };
  }

  #refreshProbes() {
    if (!this.probeIndices.length || !this.engine.hasDataset('test')) return;
    this.loop.setProbes(this.engine.images('test', this.probeIndices), this.probeIndices.length);
  }
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

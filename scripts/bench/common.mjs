// What every part of `npm run bench` shares: the models measured, their FLOP counts, the
// training set's bytes, summary statistics and how busy the rest of the machine was.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const TRAIN_SET = join(ROOT, 'web/public/data/mnist-train.aeds.gz');

// The seed documents' model (784-400-20-400-784, ReLU, sigmoid output, BCE), the
// convolutional AE of the model schema, the sequence AE (GRU 128, code 20) and the adversarial AE
// (the seed's layers around a 2-D code, discriminator 128-128, ten-Gaussian prior) as
// tests/quality trains them, each with the seed's training recipe (Adam 1e-3, batch 128).
export const MODELS = {
  seed: { variant: 'dense', input: [1, 28, 28], encoder: [400], latent: 20, activation: 'relu', output: 'sigmoid', loss: 'bce' },
  conv: {
    variant: 'conv',
    input: [1, 28, 28],
    encoder: [],
    latent: 20,
    conv: { channels: [32, 64], kernel: 3, stride: 2, padding: 1 },
  },
  sequence: { variant: 'sequence', input: [1, 28, 28], encoder: [128], latent: 20, output: 'sigmoid', loss: 'bce' },
  aae: {
    variant: 'aae',
    input: [1, 28, 28],
    encoder: [400],
    latent: 2,
    activation: 'relu',
    output: 'sigmoid',
    loss: 'bce',
    prior: 'mixture',
    discriminator: [128, 128],
  },
};
// The models measured besides the seed model, in the order they run.
export const EXTRA_MODELS = ['conv', 'sequence', 'aae'];
export const trainConfig = (batchSize = 128, seed = 1) => ({ optimizer: 'adam', lr: 1e-3, batch_size: batchSize, seed });

/**
 * GEMM FLOP per training sample, counted as in the performance anchors: 2·MACs of the forward
 * products, the weight-gradient products and the input-gradient products, without the first
 * layer's input gradient (nothing needs it). A convolution as im2col + GEMM costs, per sample,
 * C'·H'·W' outputs × C·k·k MACs (padded taps included, as the GEMM computes them); a transposed
 * convolution costs the same as the convolution it mirrors. A GRU over T steps counts as one
 * layer of T·(I + H)·3H MACs (its input and recurrent products, models/factory.cpp); the first
 * GRU's input gradient is its input product's share, T·I·3H, left out as Engine.estimate leaves
 * it out (the state's gradient through time is computed: W_hh's gradient needs it). The
 * adversarial AE's step:
 * the autoencoder's, then the encoder again and the discriminator on 2 rows per image (prior
 * sample and code: forward, weight and input gradients, as the engine computes them), then the
 * discriminator on the code (forward and both gradients) and the encoder's backward.
 *   seed: 3,232,000.   conv: 12,155,136.   sequence: 19,627,008.   aae: 4,706,624.
 */
export function flopsPerSample(model) {
  if (model.variant === 'sequence') return sequenceFlops(model);
  if (model.variant === 'aae') return aaeFlops(model);
  return feedForwardFlops(model);
}

function sequenceFlops(model) {
  const [, T, W] = model.input;
  const gru = (input, hidden) => T * (input + hidden) * 3 * hidden;
  const first = T * W * 3 * model.encoder[0]; // the first GRU's input gradient, never computed
  let forward = 0;
  let d = W;
  for (const h of model.encoder) {
    forward += gru(d, h);
    d = h;
  }
  forward += d * model.latent; // the code
  d = model.latent;
  for (const h of [...model.encoder].reverse()) {
    forward += gru(d, h);
    d = h;
  }
  forward += T * d * W; // a row per step
  return 2 * (forward + forward + (forward - first));
}

function aaeFlops(model) {
  const autoencoder = feedForwardFlops({ ...model, variant: 'dense' });
  const widths = [model.input.reduce((a, b) => a * b, 1), ...model.encoder, model.latent];
  const encoder = widths.slice(1).map((d, i) => widths[i] * d);
  const encForward = encoder.reduce((a, b) => a + b, 0);
  const dw = [model.latent + (model.prior_labels ? 10 : 0), ...model.discriminator, 1];
  const disc = dw.slice(1).reduce((s, d, i) => s + dw[i] * d, 0);
  const discriminatorPhase = encForward + 2 * 3 * disc; // 2 rows per image, forward + both gradients
  const generatorPhase = 3 * disc + encForward + (encForward - encoder[0]);
  return autoencoder + 2 * (discriminatorPhase + generatorPhase);
}

function feedForwardFlops(model) {
  const macs = []; // forward MACs of each GEMM layer, input to output
  const [c0, h0, w0] = model.input;
  if (model.variant === 'conv' || model.variant === 'conv_vae') {
    const { channels, kernel: k, stride: s, padding: p } = model.conv;
    let [c, h, w] = [c0, h0, w0];
    const stages = [];
    for (const co of channels) {
      const ho = Math.floor((h + 2 * p - k) / s) + 1;
      const wo = Math.floor((w + 2 * p - k) / s) + 1;
      stages.push(co * ho * wo * c * k * k);
      [c, h, w] = [co, ho, wo];
    }
    const widths = [c * h * w, ...model.encoder, model.latent];
    const dense = widths.slice(1).map((d, i) => widths[i] * d);
    const latentIn = model.variant === 'conv_vae' ? 2 : 1; // the VAE's encoder ends in Dense(→ 2Z)
    dense[dense.length - 1] *= latentIn;
    const back = [...widths].reverse();
    const decDense = back.slice(1).map((d, i) => back[i] * d);
    macs.push(...stages, ...dense, ...decDense, ...[...stages].reverse());
  } else {
    const widths = [c0 * h0 * w0, ...model.encoder, model.latent];
    const enc = widths.slice(1).map((d, i) => widths[i] * d);
    if (model.variant === 'vae') enc[enc.length - 1] *= 2;
    const back = [...widths].reverse();
    const dec = back.slice(1).map((d, i) => back[i] * d);
    macs.push(...enc, ...dec);
  }
  const forward = macs.reduce((a, b) => a + b, 0);
  return 2 * (forward + forward + (forward - macs[0]));
}

/** The uncompressed training set (an AEDS file, datasets/README.md) as a Uint8Array. */
export function readTrainSet(path = TRAIN_SET) {
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run setup\` first (it prepares the datasets)`);
  return new Uint8Array(gunzipSync(readFileSync(path)));
}

/** { count, height, width, pixels: Uint8Array (N·H·W) } of an uncompressed AEDS file. */
export function aedsImages(bytes) {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== 'AEDS') throw new Error(`not an AEDS dataset file (magic "${magic}", expected "AEDS")`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = v.getUint32(8, true);
  const height = v.getUint32(12, true);
  const width = v.getUint32(16, true);
  const pixels = bytes.subarray(48 + count, 48 + count + count * height * width);
  if (pixels.length !== count * height * width) throw new Error(`truncated AEDS file: ${count} images of ${height}×${width} declared`);
  return { count, height, width, pixels };
}

/** { backend, peak_gflops, l1_fwd, … } from gemm_bench's last line. */
export function parseGemmLine(text) {
  const line = text.split('\n').find((l) => l.startsWith('gemm backend='));
  if (!line) throw new Error(`gemm_bench printed no "gemm backend=…" line:\n${text}`);
  const o = {};
  for (const kv of line.slice(5).trim().split(/\s+/)) {
    const [k, v] = kv.split('=');
    o[k] = k === 'backend' ? v : Number(v);
  }
  return o;
}

export function summary(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (!n) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { median, min: s[0], max: s[n - 1], n };
}

/**
 * The GEMM peak of a run, from its gemm_bench measurements ({ engine, process, peak_gflops, … }):
 * per round (process) the larger of its measurements, and the run's peak, which every "% of peak"
 * divides by, the largest of those. Contention only ever lowers a measurement, so a round whose
 * runs were both slowed must not lower the peak and so raise every percentage: on 2026-12-07 one
 * round measured 29.3 GFLOP/s against the other's 45.7 while its training ran at full speed, and
 * the median of the two, 37.5, printed the conv AE at 91 % of "peak" instead of 74.5 %.
 * value(g) is the figure taken (g.peak_gflops unless given; a non-finite one is left out).
 * → { rounds: [each round's largest, in round order], peak } (peak NaN without measurements).
 */
export function gemmPeak(measurements, engine, value = (g) => g.peak_gflops) {
  const byRound = new Map();
  for (const g of measurements) {
    const v = g.engine === engine ? value(g) : NaN;
    if (Number.isFinite(v)) byRound.set(g.process, Math.max(byRound.get(g.process) ?? -Infinity, v));
  }
  const rounds = [...byRound.values()];
  return { rounds, peak: rounds.length ? Math.max(...rounds) : NaN };
}

/**
 * How busy the machine is, from /proc/stat: call once to start, then call the returned function
 * with this process's own CPU seconds over the same interval (or the number of cores the
 * measured code keeps busy × the interval) to get the other processes' load in cores.
 * Returns null readings where /proc/stat does not exist.
 */
export function machineLoad() {
  const read = () => {
    try {
      const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
      const idle = f[3] + (f[4] || 0);
      const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
      return { busy: total - idle, t: performance.now() };
    } catch {
      return null;
    }
  };
  const a = read();
  return (ownCpuSeconds) => {
    const b = read();
    if (!a || !b || b.t <= a.t) return null;
    const wall = (b.t - a.t) / 1000;
    const busyCores = (b.busy - a.busy) / 100 / wall; // USER_HZ is 100 on Linux
    return Math.max(0, busyCores - ownCpuSeconds / wall);
  };
}

/** Own CPU seconds of this process (all threads) since `since` (a process.cpuUsage()). */
export const cpuSeconds = (since) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

export const fmt = (x, digits = 0) =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';

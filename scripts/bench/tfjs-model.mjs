// The seed model in TensorFlow.js 4.22 on its WASM backend (XNNPACK, SIMD; one thread in
// Node), trained as in the performance anchors (shared/reference/performance-anchors.md §3):
//   784-400-20-400-784, ReLU, sigmoid output; BCE on p = σ(logits) clipped to [1e-7, 1 − 1e-7]
//   as Keras does, summed over pixels and averaged over the batch; Adam(1e-3, 0.9, 0.999, 1e-8);
//   batch 128 gathered from the preloaded training set; PyTorch nn.Linear initialisation
//   U(±1/√fan_in) for weights and biases.
//
// Two variants:
//   tuned  every dense layer has a custom gradient that transposes explicitly before a plain
//          matMul (dX = dY·transpose(W), dW = transpose(X)·dY), so every GEMM goes to XNNPACK;
//          layer 1's input gradient is not computed. This is TF.js's best hand-written loop on
//          this backend (4.5× the stock one) and the figure to beat.
//   stock  the same forward with tf.matMul and plain autodiff: the backward products carry
//          transpose flags, and tfjs-backend-wasm 4.22 sends those to a naive loop.
import { createRequire, register } from 'node:module';

import { shuffleInPlace, uniformGenerator } from '../../web/src/lib/random.js';

const require = createRequire(import.meta.url);

// tfjs-core's Node bundle (CommonJS) carries no gradients: the `@tensorflow/tfjs` umbrella
// package adds them by importing dist/register_all_gradients.js, an ES module whose imports
// have no file extensions. These hooks let Node load that file and what it imports as ES
// modules, so TF.js's own gradient functions register into the global gradient registry that
// the CommonJS engine reads (tfjs-core keeps its engine, registries and Tensor class global
// precisely so that two copies can meet).
const GRADIENT_HOOKS = `
const DIST = '/@tensorflow/tfjs-core/dist/';
export async function resolve(specifier, context, next) {
  if (context.parentURL?.includes(DIST) && specifier.startsWith('.') && !specifier.endsWith('.js'))
    return next(specifier + '.js', context);
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (url.includes(DIST) && !url.endsWith('/tf-core.node.js')) return next(url, { ...context, format: 'module' });
  return next(url, context);
}`;

let tfPromise = null;

/** tfjs-core with TF.js's gradients and the WASM backend active (one instance per process). */
export function loadTf() {
  tfPromise ??= (async () => {
    const tf = require('@tensorflow/tfjs-core');
    require('@tensorflow/tfjs-backend-wasm');
    register(`data:text/javascript,${encodeURIComponent(GRADIENT_HOOKS)}`);
    await import(require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js'));
    tf.env().set('PROD', true); // no NaN checks or debug-mode bookkeeping
    if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js could not start its WASM backend');
    await tf.ready();
    return tf;
  })();
  return tfPromise;
}

/** { version, simd, threads } of the TF.js WASM backend as loaded (SIMD on, one thread in Node). */
export async function tfjsInfo() {
  const tf = await loadTf();
  const wasm = require('@tensorflow/tfjs-backend-wasm');
  return { version: tf.version_core, simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), threads: wasm.getThreadsCount() };
}

const WIDTHS = [784, 400, 20, 400, 784];

/**
 * A TF.js trainer of the seed model: { run(batches) → { samples, seconds, loss }, dispose() }.
 * images: { count, pixels: Uint8Array (N·784) }.
 */
export async function createTfjsTrainer({ images, variant = 'tuned', batchSize = 128, seed = 1 }) {
  if (variant !== 'tuned' && variant !== 'stock') throw new Error(`unknown TF.js variant '${variant}' (expected tuned or stock)`);
  const tf = await loadTf();
  const D = WIDTHS[0];
  if (images.pixels.length !== images.count * D) throw new Error(`TF.js bench: expected ${D}-pixel images`);

  // Parameters: W_l (in, out), b_l (out), U(±1/√in).
  const params = [];
  for (let l = 0; l + 1 < WIDTHS.length; l++) {
    const [fin, fout] = [WIDTHS[l], WIDTHS[l + 1]];
    const bound = 1 / Math.sqrt(fin);
    params.push({
      W: tf.variable(tf.randomUniform([fin, fout], -bound, bound, 'float32', seed * 100 + 2 * l)),
      b: tf.variable(tf.randomUniform([fout], -bound, bound, 'float32', seed * 100 + 2 * l + 1)),
    });
  }
  const vars = params.flatMap((p) => [p.W, p.b]);
  const optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);

  // y = x·W + b with every backward product a plain (untransposed) matMul.
  const tunedDense = tf.customGrad((x, W, b, save) => {
    save([x, W]);
    return {
      value: tf.add(tf.matMul(x, W), b),
      gradFunc: (dy, [xs, Ws]) => [tf.matMul(dy, tf.transpose(Ws)), tf.matMul(tf.transpose(xs), dy), tf.sum(dy, 0)],
    };
  });
  // The first layer: x is data, so only dW and db (x enters through the closure, not as an input).
  const tunedFirst = (x, W, b) =>
    tf.customGrad((Wi, bi, save) => {
      save([Wi]);
      return { value: tf.add(tf.matMul(x, Wi), bi), gradFunc: (dy) => [tf.matMul(tf.transpose(x), dy), tf.sum(dy, 0)] };
    })(W, b);
  const dense =
    variant === 'tuned'
      ? (x, p, first) => (first ? tunedFirst(x, p.W, p.b) : tunedDense(x, p.W, p.b))
      : (x, p) => tf.add(tf.matMul(x, p.W), p.b);

  const lossOf = (x) => {
    let h = x;
    for (let l = 0; l < params.length; l++) {
      h = dense(h, params[l], l === 0);
      if (l === 0 || l === 2) h = tf.relu(h);
    }
    const p = tf.clipByValue(tf.sigmoid(h), 1e-7, 1 - 1e-7);
    const ll = tf.add(tf.mul(x, tf.log(p)), tf.mul(tf.sub(1, x), tf.log(tf.sub(1, p))));
    return tf.div(tf.neg(tf.sum(ll)), x.shape[0]);
  };

  // Batches: the rows of a seeded shuffle, gathered into one buffer and scaled to [0, 1].
  const order = shuffled(images.count, seed);
  let pos = 0;
  const batch = new Float32Array(batchSize * D);
  const nextBatch = () => {
    if (pos + batchSize > order.length) pos = 0;
    for (let i = 0; i < batchSize; i++) {
      const src = order[pos + i] * D;
      for (let k = 0; k < D; k++) batch[i * D + k] = images.pixels[src + k] / 255;
    }
    pos += batchSize;
    return tf.tensor2d(batch, [batchSize, D]);
  };

  return {
    variant,
    /** `batches` Adam steps; the loss is read back once, at the end. → { samples, seconds, loss } */
    run(batches) {
      const t0 = performance.now();
      let cost = null;
      for (let i = 0; i < batches; i++) {
        cost?.dispose();
        const x = nextBatch();
        cost = optimizer.minimize(() => lossOf(x), true, vars);
        x.dispose();
      }
      const loss = cost ? cost.dataSync()[0] : NaN;
      cost?.dispose();
      return { samples: batches * batchSize, seconds: (performance.now() - t0) / 1000, loss };
    },
    dispose() {
      optimizer.dispose();
      for (const v of vars) v.dispose();
    },
  };
}

// 0, 1, …, n − 1 in a seeded order (Fisher–Yates driven by mulberry32).
const shuffled = (n, seed) =>
  shuffleInPlace(Uint32Array.from({ length: n }, (_, i) => i), uniformGenerator((seed * 0x9e3779b9) >>> 0));

// Datasets, the seed documents' default model, and short descriptions of a model for people
// (in English for files and logs; as messages, i18n/values.js, for the page).
import { V } from '../i18n/values.js';

// The seed model: 784-400-20-400-784, ReLU, sigmoid output, BCE summed over pixels, Adam 1e-3,
// batch 128 (state.js's defaults produce exactly this).

export const DATASETS = {
  mnist: {
    label: 'MNIST digits',
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    // Training images per class (tests/web/presets.test.js checks them against the data file).
    trainPerClass: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
  },
  'fashion-mnist': {
    label: 'Fashion-MNIST',
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    trainPerClass: Array(10).fill(6000),
  },
};

/**
 * How many training images a model with this class filter (state.js train_on, train_class)
 * trains on: all of them, all but one class's, or one class's.
 */
export function imagesTrainedOn(dataset, trainOn, cls) {
  const per = DATASETS[dataset].trainPerClass;
  const all = per.reduce((a, b) => a + b, 0);
  return trainOn === 'except' ? all - per[cls] : trainOn === 'only' ? per[cls] : all;
}

export const SEED_MODEL = Object.freeze({
  variant: 'dense',
  input: [1, 28, 28],
  encoder: [400],
  latent: 20,
  activation: 'relu',
  output: 'sigmoid',
  loss: 'bce',
});

export const SEED_TRAIN = Object.freeze({
  optimizer: 'adam',
  lr: 1e-3,
  batch_size: 128,
  seed: 1,
});

const VARIANT_NAMES = {
  dense: 'Autoencoder',
  deep: 'Deep autoencoder',
  sparse: 'Sparse autoencoder',
  denoising: 'Denoising autoencoder',
  vae: 'VAE',
  conv: 'Convolutional autoencoder',
  conv_vae: 'Convolutional VAE',
};

/** "Autoencoder 784 → 400 → 20 → 400 → 784 · relu · BCE" (from a model config). */
export function describeModel(model) {
  const d = model.input.reduce((a, b) => a * b, 1);
  const convIn = model.conv ? [`conv ${model.conv.channels.join('-')}`] : [];
  const convOut = model.conv ? [`conv ${[...model.conv.channels].reverse().join('-')}`] : [];
  const widths = [d, ...convIn, ...model.encoder, model.latent, ...[...model.encoder].reverse(), ...convOut, d];
  return `${VARIANT_NAMES[model.variant] ?? model.variant} ${widths.join(' → ')} · ${model.activation} · ${model.loss.toUpperCase()}`;
}

/** The same as a message: "Autoencoder 784 → 400 → 20 → 400 → 784 · ReLU · BCE". */
export function modelMessage(model) {
  const d = model.input.reduce((a, b) => a * b, 1);
  const conv = (ch) => V.msg('describe.conv', { channels: ch.join('-') });
  const convIn = model.conv ? [conv(model.conv.channels)] : [];
  const convOut = model.conv ? [conv([...model.conv.channels].reverse())] : [];
  const layers = [d, ...convIn, ...model.encoder, model.latent, ...[...model.encoder].reverse(), ...convOut, d];
  return V.msg('describe.model', {
    variant: VARIANT_NAMES[model.variant] ? V.msg(`variantName.${model.variant}`) : V.raw(model.variant),
    layers: V.join(layers, ' → '),
    activation: V.msg(`setting.activation.option.${model.activation}`),
    loss: model.loss.toUpperCase(),
  });
}

/** describeTraining as a message. */
export function trainingMessage(t) {
  const opt = OPTIMIZER_NAMES[t.optimizer] ?? t.optimizer;
  const parts = [t.momentum ? V.msg('describe.momentum', { optimizer: opt, momentum: t.momentum }) : opt, V.msg('describe.lr', { lr: Number(t.lr.toPrecision(3)) })];
  if (t.schedule && t.schedule !== 'constant') parts.push(V.msg('describe.schedule', { schedule: t.schedule }));
  parts.push(V.msg('describe.batch', { n: t.batch_size }));
  if (t.noise && t.noise !== 'none') parts.push(V.msg('describe.noise', { noise: t.noise, amount: Number(t.noise_amount.toPrecision(3)) }));
  if (t.sparsity_weight) parts.push(V.msg('describe.sparsity', { weight: t.sparsity_weight, target: t.sparsity_target }));
  parts.push(V.msg('describe.seed', { seed: t.seed }));
  return V.join(parts, ' · ');
}

/** A class's name: the digit itself, or a clothing kind in the page's language. */
export const classMessage = (dataset, k) => (dataset === 'fashion-mnist' ? V.msg(`class.fashion-mnist.${k}`) : V.raw(String(k)));

const OPTIMIZER_NAMES = { adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop' };

/** "Adam · learning rate 0.001 · constant schedule · batch 128 · seed 1" (from a training config). */
export function describeTraining(t) {
  const parts = [`${OPTIMIZER_NAMES[t.optimizer] ?? t.optimizer}${t.momentum ? ` (momentum ${t.momentum})` : ''}`, `learning rate ${Number(t.lr.toPrecision(3))}`];
  if (t.schedule && t.schedule !== 'constant') parts.push(`${t.schedule} schedule`);
  parts.push(`batch ${t.batch_size}`);
  if (t.noise && t.noise !== 'none') parts.push(`${t.noise.replace('_', '-')} noise ${Number(t.noise_amount.toPrecision(3))}`);
  if (t.sparsity_weight) parts.push(`sparsity β ${t.sparsity_weight}, ρ ${t.sparsity_target}`);
  parts.push(`seed ${t.seed}`);
  return parts.join(' · ');
}

/** Test-set indices of the first image of each of the first `count` classes. */
export function pickProbes(labels, count = 8) {
  const out = [];
  for (let c = 0; c < count; c++) {
    const i = labels.indexOf(c);
    if (i >= 0) out.push(i);
  }
  return out;
}

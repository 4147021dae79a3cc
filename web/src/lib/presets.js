// Datasets and the default model: the seed documents' autoencoder,
// 784-400-20-400-784, ReLU, sigmoid output, BCE summed over pixels, Adam 1e-3, batch 128.

export const DATASETS = {
  mnist: {
    label: 'MNIST digits',
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  },
  'fashion-mnist': {
    label: 'Fashion-MNIST',
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  },
};

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

/** "784-400-20-400-784 · relu · bce" */
export function describeModel(model) {
  const d = model.input.reduce((a, b) => a * b, 1);
  const widths = [d, ...model.encoder, model.latent, ...[...model.encoder].reverse(), d];
  return `${widths.join('-')} · ${model.activation} · ${model.loss.toUpperCase()}`;
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

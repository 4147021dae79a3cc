// What `npm run pretrain` trains: six models, each on MNIST and Fashion-MNIST. The recipe of
// each (model config, training config, epochs) is web/public/models/configs/<name>.json, a file
// `ae train --config` reads as it is; the titles and descriptions for the page are here.
//
// The applications lab's models (LAB_MODELS) are recipes in web/public/models/labs/<name>.json,
// with per-dataset training settings on top (`train`): they are not offered as "Start from"
// models, the lab loads them by id. The anomaly model is the seed architecture trained 5 epochs
// (the reference protocol's) on every class but one, recorded in its training config
// (class_filter except, filter_class), so the page knows what "normal" was:
//   MNIST: all digits but 2. Of the ten held-out digits, 2 has the highest AUC once the "more
//          ink, more error" bias is removed (BCE − H(x) 0.948; MSE 0.945, BCE 0.918 in the
//          PyTorch reference): it is flagged for its shape, not its ink, by every score, so the
//          lab works at once. (A held-out 1 is the opposite lesson: easier to draw than the
//          training digits, it scores as *more* normal, AUC 0.04–0.28.)
//   Fashion-MNIST: every class but 8 (bag), the one garment whose shape no other class shares.

export const DATASETS = ['mnist', 'fashion-mnist'];

const THINGS = { mnist: 'digits', 'fashion-mnist': 'clothes' };
const DATASET_LABEL = { mnist: 'MNIST', 'fashion-mnist': 'Fashion-MNIST' };

export const MODELS = [
  {
    name: 'seed',
    title: 'Autoencoder',
    description: (things) =>
      `The seed model: 784 pixels squeezed through 400 ReLU units into a code of 20 numbers, then ` +
      `drawn back by the mirror-image decoder. The plain autoencoder every other model varies.`,
  },
  {
    name: 'vae2d',
    title: 'VAE, 2-D latent space',
    description: (things) =>
      `A variational autoencoder whose code is just two numbers, so the whole latent space fits on ` +
      `the map: nearby points decode to similar ${things} and the grid shows every kind. Sampling ` +
      `while training makes its reconstructions blurrier than the plain autoencoder's.`,
  },
  {
    name: 'conv',
    title: 'Convolutional autoencoder',
    description: (things) =>
      `Two convolutions (32 and 64 filters, stride 2) find strokes and shapes, a code of 20 numbers ` +
      `holds them, and transposed convolutions paint the image back: a quarter of the seed model's ` +
      `weights for reconstructions as good.`,
  },
  {
    name: 'denoising',
    title: 'Denoising autoencoder',
    description: (things) =>
      `The seed architecture trained on images with Gaussian noise (σ 0.5) added, to draw the clean ` +
      `image: it has to learn what ${things} look like instead of copying pixels.`,
  },
  {
    name: 'aae2d',
    title: 'Adversarial AE, 2-D latent space',
    description: (things) =>
      `An adversarial autoencoder: while the decoder learns to draw ${things} back from a code of two ` +
      `numbers, a small discriminator on the codes pushes them into the shape of the prior, ten ` +
      `Gaussians on a circle. Points drawn from the prior decode into ${things}.`,
  },
  {
    name: 'sequence',
    title: 'Recurrent (sequence) autoencoder',
    description: (things) =>
      `A GRU of 128 units reads the image one row of 28 pixels at a time; its last state becomes a ` +
      `code of 20 numbers, from which a second GRU writes the ${things} back, row by row.`,
  },
];

export const LAB_MODELS = [
  {
    name: 'anomaly',
    lab: 'anomaly',
    title: 'Anomaly detector',
    train: { mnist: { filter_class: 2 }, 'fashion-mnist': { filter_class: 8 } },
    description: (things, dataset) =>
      `The seed architecture trained for 5 epochs on every class of ${things} but one ` +
      `(${dataset === 'mnist' ? 'the digit 2' : 'bags'}): a held-out image it draws badly is flagged as anomalous.`,
  },
];

/** id, file name, title and description of one model on one dataset. */
export function entryText(model, dataset) {
  const id = `${dataset}-${model.name}`;
  return {
    id,
    file: `${id}.aemf`,
    ...(model.lab ? { lab: model.lab } : {}),
    title: `${model.title} · ${DATASET_LABEL[dataset]}`,
    description: model.description(THINGS[dataset], dataset),
  };
}

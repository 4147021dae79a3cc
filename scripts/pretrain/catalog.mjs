// What `npm run pretrain` trains: four models, each on MNIST and Fashion-MNIST. The recipe of
// each (model config, training config, epochs) is web/public/models/configs/<name>.json, a file
// `ae train --config` reads as it is; the titles and descriptions for the page are here.

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
];

/** id, file name, title and description of one model on one dataset. */
export function entryText(model, dataset) {
  const id = `${dataset}-${model.name}`;
  return {
    id,
    file: `${id}.aemf`,
    title: `${model.title} · ${DATASET_LABEL[dataset]}`,
    description: model.description(THINGS[dataset]),
  };
}

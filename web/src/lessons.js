// Lessons: named starting points a teacher links to (#lesson=latent-2d) or puts on a course
// page (<ae-playground lesson="latent-2d">). A lesson is a set of settings AND view state
// (which panels show, the interpolation's A and B, a point on the latent map, locked
// settings) plus a short introduction shown above the panels. Its values become the
// settings' defaults (state.js defaultOf): a link carries only `lesson=` and what differs.
//
// `model` names a pretrained model (lib/pretrained.js): the lesson opens with its
// architecture, so the shipped weights load at once.

/**
 * @typedef {object} Lesson
 * @property {string} title
 * @property {string} intro      a few sentences: what to look at, what to try
 * @property {string} [model]    a pretrained model's name (seed, vae2d, conv, denoising)
 * @property {boolean} [detector] opens with the dataset's anomaly detector (lib/pretrained.js
 *   ANOMALY_DETECTORS: the seed architecture trained without one class) loaded over the model
 * @property {object} settings   state.js keys → values (typed, as the schema holds them)
 */

/** @type {Record<string, Lesson>} */
export const LESSONS = {
  meet: {
    title: 'Meet the autoencoder',
    intro: 'Draw a digit in the black square. The encoder squeezes your 784 pixels into 20 numbers, the code, and the decoder draws the digit back from those 20 numbers alone. Try a messy digit, a letter, a smiley: what does the model make of them? Then press “Reset” and “Start training” to watch a model learn from nothing.',
    model: 'seed',
    settings: { panels: ['draw', 'train', 'learn'], controls: 'minimal' },
  },
  'latent-2d': {
    title: 'A 2-D latent space',
    intro: 'This autoencoder squeezes every image into just two numbers, so each image is a point on a flat map. Press “Start training” and watch the map: the digits sort themselves into regions as the model learns. Point at the map to decode any spot, including the gaps between regions.',
    settings: { latent: 2, weights: 'scratch', epochs: 5, panels: ['draw', 'train', 'latent'], controls: 'minimal' },
  },
  denoising: {
    title: 'Denoising',
    intro: 'This model was trained on noisy images to produce clean ones. Move the noise level under “Watch it learn”: the inputs get worse, the outputs stay clean. Draw a digit and scribble over it: what does the model keep?',
    model: 'denoising',
    settings: { panels: ['draw', 'learn'], controls: 'minimal' },
  },
  'vae-vs-ae': {
    title: 'VAE vs plain autoencoder',
    intro: 'A variational autoencoder (VAE) with a 2-D code. Its KL term packs the codes around the centre of the map in the shape of a normal distribution, so every point decodes to a plausible digit: press “Draw random samples”. Compare with the lesson “A 2-D latent space”, whose plain autoencoder leaves gaps that decode to nonsense.',
    model: 'vae2d',
    settings: { panels: ['draw', 'latent'], point: [0, 0], controls: 'minimal' },
  },
  interpolation: {
    title: 'Walking between codes',
    intro: 'A is a “0” and B a “1”. The decoder draws every point on the straight path between their codes: watch one turn into the other. Pick your own A and B (draw one, or choose a test image), and try the spherical path.',
    model: 'seed',
    settings: { panels: ['draw', 'interp'], a: 3, b: 2, controls: 'minimal' },
  },
  // One per applications lab (panel 6, views/labs/*).
  anomaly: {
    title: 'Anomaly detection',
    intro: 'This autoencoder never saw a 2: it trained on every other digit. Every test image is scored by how badly the model redraws it, and the 2s stand out. Drag the red threshold and read what it catches; draw a 2, then a 7, and see which one is flagged. Then choose another digit as the new one: is a 1 flagged?',
    model: 'seed',
    detector: true,
    settings: { panels: ['draw', 'labs'], lab: 'anomaly', controls: 'minimal' },
  },
  compression: {
    title: 'The code as a compressed file',
    intro: 'The 20 numbers of the code, stored in one byte each, are a 20-byte file of the image: 39 times smaller than its 784 pixels. Compare what decodes from them with PCA and JPEG at the same size, and draw something to see it compressed.',
    model: 'seed',
    settings: { panels: ['draw', 'labs'], lab: 'compression', controls: 'minimal' },
  },
  pca: {
    title: 'Autoencoder vs PCA',
    intro: 'PCA finds the best linear code of k numbers; this autoencoder’s code has 20. With the same 20 numbers, compare what each redraws and how large its error is, and see PCA’s error for every k. Then train a linear autoencoder and watch it land on PCA.',
    model: 'seed',
    settings: { panels: ['draw', 'labs'], lab: 'pca', controls: 'minimal' },
  },
  features: {
    title: 'Codes as features',
    intro: 'This autoencoder never saw a label, yet its 20 code numbers make a good input for a classifier. A linear probe learns the digit from only 100, 1,000 or 10,000 labelled images: compare the codes with PCA and with raw pixels. Where do the codes help most?',
    model: 'seed',
    settings: { panels: ['draw', 'labs'], lab: 'features', controls: 'minimal' },
  },
  latent: {
    title: 'How big a code?',
    intro: 'Run the sweep to train the same architecture with codes of 2 to 64 numbers and see where a bigger code stops helping. Then watch a model overfit 1,000 images, and try dropout or weight decay.',
    model: 'seed',
    settings: { panels: ['labs'], lab: 'latent', controls: 'minimal' },
  },
};

export const LESSON_IDS = Object.freeze(Object.keys(LESSONS));

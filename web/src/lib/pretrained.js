// The models shipped with the page (scripts/pretrain.mjs writes web/public/models/
// <dataset>-<name>.aemf and models/manifest.json): which page settings each one has, so the
// page knows synchronously whether the chosen settings have a pretrained model, and reads the
// rest (titles, descriptions, sizes, test losses) from the manifest when it needs them.
// tests/web/pretrained-catalog.test.js checks these settings against the recipes the models
// are trained from (web/public/models/configs/<name>.json), so the two cannot drift apart.

import { V } from '../i18n/values.js';

/** name → the architecture settings (state.js keys) of that pretrained model. */
export const PRETRAINED = Object.freeze({
  seed: { variant: 'dense', widths: [400], latent: 20, activation: 'relu', loss: 'bce', batchnorm: false, dropout: 0 },
  vae2d: { variant: 'vae', widths: [256, 128], latent: 2, activation: 'relu', loss: 'bce', batchnorm: false, dropout: 0 },
  conv: { variant: 'conv', widths: [], conv: [32, 64], latent: 20, activation: 'relu', loss: 'bce', batchnorm: false, dropout: 0 },
  denoising: { variant: 'denoising', widths: [400], latent: 20, activation: 'relu', loss: 'bce', batchnorm: false, dropout: 0 },
  aae2d: { variant: 'aae', widths: [128], latent: 2, activation: 'relu', loss: 'bce', batchnorm: false, dropout: 0, prior: 'mixture', prior_labels: false },
  sequence: { variant: 'sequence', widths: [128], latent: 20, activation: 'relu', loss: 'bce', batchnorm: false, dropout: 0 },
});

/**
 * The applications lab's anomaly detectors (scripts/pretrain/catalog.mjs LAB_MODELS): dataset →
 * the class its detector was trained without. Not in PRETRAINED: "Start from" does not list them;
 * the anomaly lab loads them (models/<dataset>-anomaly.aemf). tests/web/pretrained.test.js checks
 * this against the manifest.
 */
export const ANOMALY_DETECTORS = Object.freeze({ mnist: 2, 'fashion-mnist': 8 });
export const anomalyDetectorFile = (dataset) => `${dataset}-anomaly.aemf`;

/** Model ids are "<dataset>-<name>", as in the manifest. */
export const pretrainedId = (dataset, name) => `${dataset}-${name}`;

export function splitId(id) {
  for (const name of Object.keys(PRETRAINED)) {
    if (id.endsWith(`-${name}`)) return { dataset: id.slice(0, -name.length - 1), name };
  }
  return null;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** The id of the pretrained model with exactly these architecture settings on this dataset, or null. */
export function pretrainedFor(state) {
  if ((state.train_on ?? 'all') !== 'all') return null; // every shipped model saw every class
  for (const [name, arch] of Object.entries(PRETRAINED)) {
    if (Object.entries(arch).every(([k, v]) => same(state[k], v))) return pretrainedId(state.dataset, name);
  }
  return null;
}

/**
 * The pretrained model a person means by choosing a kind of model: the first shipped one of
 * that variant for the dataset ("Variational autoencoder" → the 2-D VAE), or null.
 * @param {string} dataset
 * @param {string} variant
 * @param {string[]} shipped the manifest's ids
 */
export function pretrainedOfVariant(dataset, variant, shipped) {
  for (const [name, arch] of Object.entries(PRETRAINED)) {
    const id = pretrainedId(dataset, name);
    if (arch.variant === variant && shipped.includes(id)) return id;
  }
  return null;
}

/** The state patch that selects a pretrained model: its dataset and architecture. */
export function settingsOf(id) {
  const parts = splitId(id);
  if (!parts) throw new Error(`unknown pretrained model '${id}'`);
  return { dataset: parts.dataset, train_on: 'all', ...structuredClone(PRETRAINED[parts.name]) };
}

export const manifestUrl = (base) => `${base}models/manifest.json`;
export const modelUrl = (base, file) => `${base}models/${file}`;

/**
 * The manifest's models, checked enough for the page to list them: each needs an id, a file,
 * a dataset and a title. Malformed entries are skipped.
 * @returns {{id: string, file: string, dataset: string, title: string, description: string, epochs: number,
 *   bytes: number, testLoss: number|null, variant: string}[]}
 */
export function readManifest(json) {
  const models = Array.isArray(json?.models) ? json.models : [];
  return models
    .filter((m) => m && typeof m.id === 'string' && typeof m.file === 'string' && /^[\w.-]+\.aemf$/.test(m.file) && typeof m.dataset === 'string' && splitId(m.id))
    .map((m) => ({
      id: m.id,
      file: m.file,
      dataset: m.dataset,
      title: typeof m.title === 'string' ? m.title : m.id,
      description: typeof m.description === 'string' ? m.description : '',
      epochs: Number.isFinite(m.epochs) ? m.epochs : null,
      bytes: Number.isFinite(m.bytes) ? m.bytes : null,
      testLoss: Number.isFinite(m.test?.loss) ? m.test.loss : null,
      variant: m.variant ?? m.config?.model?.variant ?? '',
    }));
}

/** A pretrained model's title in the page's language (its manifest title for models we do not know). */
export function pretrainedTitle(entry) {
  const name = splitId(entry.id)?.name;
  return name in PRETRAINED ? V.msg(`pretrained.${name}.title`, { dataset: V.msg(`dataset.short.${entry.dataset}`) }) : V.raw(entry.title);
}


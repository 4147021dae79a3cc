// The page's settings: one schema drives the defaults, validation, the URL hash (so a shared
// link reproduces the settings and the seed), the engine's two configs, and the settings form.
//
//   const { state, errors } = fromHash(location.hash);   // defaults + whatever the link sets
//   modelConfig(state), trainConfig(state)                // the JSON the engine parses
//   toHash(state)                                         // only what differs from the defaults
//
// Each field says how a change applies (`apply`):
//   rebuild  the architecture, dataset or seed: a new model with fresh weights (the page asks
//            first when the current one has trained)
//   live     a training setting: sent to the running engine at once (optimizer state is kept)
//   run      how long to train: the worker's stopping point
//   view     the page only
// A default may depend on other fields (the deep variant starts with three widths), and a
// lesson (lessons.js) sets defaults of its own; a value left at its default follows when those
// fields change. Besides the settings, the schema holds the view state a lesson or a link
// restores (panels, the interpolation's A and B, a point on the map, locked settings): every
// piece of the state round-trips through the URL and is validated here.
import { LESSONS, LESSON_IDS } from './lessons.js';
import { PRETRAINED } from './lib/pretrained.js';
import { short } from './lib/format.js';

import { V } from './i18n/values.js';

export const VARIANTS = Object.freeze(['dense', 'deep', 'sparse', 'denoising', 'vae', 'conv', 'conv_vae', 'sequence', 'aae']);
export const PANELS = Object.freeze(['draw', 'train', 'learn', 'latent', 'interp', 'labs']);
/** The applications lab's labs, in their tabs' order (views/labs/labs-panel.js). */
export const LAB_IDS = Object.freeze(['anomaly', 'compression', 'pca', 'features', 'latent']);
const ACTIVATIONS = ['relu', 'leaky_relu', 'sigmoid', 'tanh', 'identity'];

export const isConv = (s) => s.variant === 'conv' || s.variant === 'conv_vae';
export const isVae = (s) => s.variant === 'vae' || s.variant === 'conv_vae';
/** The adversarial autoencoder: a discriminator pushes its codes towards a prior. */
export const isAae = (s) => s.variant === 'aae';
/** The recurrent (sequence) autoencoder: GRUs read and write the image row by row. */
export const isSequence = (s) => s.variant === 'sequence';
/** Models with a prior to sample new images from. */
export const hasPrior = (s) => isVae(s) || isAae(s);

export const INPUT_SHAPE = Object.freeze([1, 28, 28]);

/**
 * @typedef {object} Field
 * @property {string} key        state key, also the URL-hash key
 * @property {'enum'|'int'|'number'|'bool'|'list'} type   list: integers (widths) or names (panels)
 * @property {*|((s: object) => *)} default
 * @property {'rebuild'|'live'|'run'|'view'} apply
 * @property {string} label
 * @property {string} [help]     one sentence for learners, shown under the control
 * @property {string} [section]  where the settings form puts it: data, model, training, variant, advanced
 * @property {(s: object) => boolean} [showIf]
 */

/** @type {Field[]} */
export const SCHEMA = [
  // First: every other default may come from the lesson.
  { key: 'lesson', type: 'enum', options: ['', ...LESSON_IDS], optionLabels: Object.fromEntries(LESSON_IDS.map((id) => [id, LESSONS[id].title])), default: '', apply: 'view', label: 'Lesson' },
  { key: 'dataset', type: 'enum', options: ['mnist', 'fashion-mnist'], optionLabels: { mnist: 'MNIST digits', 'fashion-mnist': 'Fashion-MNIST clothes' }, default: 'mnist', apply: 'rebuild', section: 'data', label: 'Dataset' },
  // Which training images the model sees (the engine's class filter, train/dataset_view.hpp):
  // leaving a class out makes an anomaly detector (the applications lab, panel 6).
  { key: 'train_on', type: 'enum', options: ['all', 'except', 'only'], optionLabels: { all: 'Every class', except: 'Every class but one', only: 'One class only' }, default: 'all', apply: 'rebuild', section: 'data', label: 'Train on', help: 'Leave a class out and the model never sees it: an anomaly detector for panel 6.' },
  { key: 'train_class', type: 'int', options: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], min: 0, max: 9, default: 0, apply: 'rebuild', section: 'data', showIf: (s) => s.train_on !== 'all', label: 'Class', classLabels: true },
  {
    key: 'variant', type: 'enum', options: VARIANTS, default: 'dense', apply: 'rebuild', section: 'data', label: 'Model',
    optionLabels: { dense: 'Basic autoencoder', deep: 'Deep autoencoder', sparse: 'Sparse autoencoder', denoising: 'Denoising autoencoder', vae: 'Variational autoencoder (VAE)', conv: 'Convolutional autoencoder', conv_vae: 'Convolutional VAE', sequence: 'Recurrent (sequence) autoencoder', aae: 'Adversarial autoencoder (AAE)' },
  },
  {
    key: 'widths', type: 'list', of: 'int', min: 1, max: 2048, minLength: 0, maxLength: 6, apply: 'rebuild', section: 'model',
    default: (s) => (s.variant === 'deep' ? [512, 256, 128] : isConv(s) ? [] : isSequence(s) ? [128] : [400]),
    label: 'Hidden layer widths', help: 'Encoder layers from the image inwards (after the convolutions, if any; for the recurrent model, its GRUs\' state sizes), comma-separated; the decoder mirrors them.',
  },
  { key: 'conv', type: 'list', of: 'int', min: 1, max: 256, minLength: 1, maxLength: 4, default: [32, 64], apply: 'rebuild', section: 'model', showIf: isConv, label: 'Convolution channels', help: '3×3 convolutions with stride 2: each layer halves the image and has this many channels.' },
  { key: 'latent', type: 'int', min: 1, max: 128, default: (s) => (hasPrior(s) ? 2 : 20), apply: 'rebuild', section: 'model', label: 'Latent size', help: 'How many numbers the code has: the bottleneck every image is squeezed through.' },
  { key: 'activation', type: 'enum', options: ACTIVATIONS, optionLabels: { relu: 'ReLU', leaky_relu: 'Leaky ReLU', sigmoid: 'Sigmoid', tanh: 'tanh', identity: 'None (linear)' }, default: 'relu', apply: 'rebuild', section: 'model', label: 'Activation' },
  { key: 'loss', type: 'enum', options: ['bce', 'mse'], optionLabels: { bce: 'Binary cross-entropy', mse: 'Squared error' }, default: 'bce', apply: 'rebuild', section: 'model', label: 'Reconstruction loss' },
  { key: 'batchnorm', type: 'bool', default: false, apply: 'rebuild', section: 'advanced', showIf: (s) => !isSequence(s), label: 'Batch normalisation' },
  { key: 'dropout', type: 'number', min: 0, max: 0.9, step: 0.05, default: 0, apply: 'rebuild', section: 'advanced', showIf: (s) => !isSequence(s), label: 'Dropout', help: 'Probability of zeroing each hidden unit while training.' },

  { key: 'optimizer', type: 'enum', options: ['adam', 'sgd', 'rmsprop'], optionLabels: { adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop' }, default: 'adam', apply: 'live', section: 'training', label: 'Optimizer' },
  { key: 'lr', type: 'number', min: 1e-5, max: 1, scale: 'log', default: 1e-3, apply: 'live', section: 'training', label: 'Learning rate', help: 'How big a step each batch takes. Changes apply at once.' },
  { key: 'momentum', type: 'number', min: 0, max: 0.99, step: 0.01, default: (s) => (s.optimizer === 'sgd' ? 0.9 : 0), apply: 'live', section: 'training', showIf: (s) => s.optimizer !== 'adam', label: 'Momentum' },
  { key: 'schedule', type: 'enum', options: ['constant', 'step', 'exponential', 'cosine'], optionLabels: { constant: 'Constant', step: 'Step decay', exponential: 'Exponential decay', cosine: 'Cosine' }, default: 'constant', apply: 'live', section: 'training', label: 'Learning-rate schedule' },
  { key: 'step_epochs', type: 'int', min: 1, max: 100, default: 2, apply: 'live', section: 'training', showIf: (s) => s.schedule === 'step', label: 'Decay every (epochs)' },
  { key: 'gamma', type: 'number', min: 0.01, max: 1, step: 0.01, default: (s) => (s.schedule === 'step' ? 0.5 : 0.95), apply: 'live', section: 'training', showIf: (s) => s.schedule === 'step' || s.schedule === 'exponential', label: 'Decay factor' },
  { key: 'cosine_epochs', type: 'int', min: 1, max: 1000, default: 10, apply: 'live', section: 'training', showIf: (s) => s.schedule === 'cosine', label: 'Cosine period (epochs)' },
  { key: 'batch_size', type: 'int', options: [16, 32, 64, 128, 256, 512], min: 16, max: 512, default: 128, apply: 'live', section: 'training', label: 'Batch size' },
  { key: 'epochs', type: 'int', min: 1, max: 1000, default: 10, apply: 'run', section: 'training', label: 'Train for (epochs)', help: 'Training pauses by itself after this many passes over the training set.' },
  { key: 'seed', type: 'int', min: 0, max: 2147483647, default: 1, apply: 'rebuild', section: 'training', label: 'Random seed', help: 'The same seed and settings give the same run: share the link to reproduce it.' },

  { key: 'noise', type: 'enum', options: ['gaussian', 'masking', 'salt_pepper'], optionLabels: { gaussian: 'Gaussian', masking: 'Masking (drop pixels)', salt_pepper: 'Salt and pepper' }, default: 'gaussian', apply: 'live', section: 'variant', showIf: (s) => s.variant === 'denoising', label: 'Noise' },
  { key: 'noise_amount', type: 'number', min: 0, max: 1, step: 0.05, default: (s) => ({ gaussian: 0.5, masking: 0.4, salt_pepper: 0.2 })[s.noise], apply: 'live', section: 'variant', showIf: (s) => s.variant === 'denoising', label: 'Noise level', help: 'σ for Gaussian noise, the probability of corrupting a pixel otherwise. Changes apply at once.' },
  { key: 'sparsity_target', type: 'number', min: 0.01, max: 0.5, step: 0.01, default: 0.05, apply: 'live', section: 'variant', showIf: (s) => s.variant === 'sparse', label: 'Sparsity target ρ', help: 'The average activation each code unit should have.' },
  { key: 'sparsity_weight', type: 'number', min: 0.01, max: 10, scale: 'log', default: 0.5, apply: 'live', section: 'variant', showIf: (s) => s.variant === 'sparse', label: 'Sparsity weight β', help: 'How strongly the KL sparsity penalty pulls the units towards ρ.' },
  { key: 'kl_weight', type: 'number', min: 0, max: 10, step: 0.05, default: 1, apply: 'live', section: 'variant', showIf: isVae, label: 'KL weight β', help: 'β = 1 is the standard VAE; larger β trades sharp reconstructions for a smoother latent space.' },
  // The adversarial autoencoder (engine/src/models/prior.hpp, adversary.hpp).
  { key: 'prior', type: 'enum', options: ['mixture', 'normal'], optionLabels: { mixture: 'Ten Gaussians on a circle', normal: 'Standard normal' }, default: 'mixture', apply: 'rebuild', section: 'variant', showIf: isAae, label: 'Prior', help: 'The shape the discriminator pushes the codes towards.' },
  { key: 'prior_labels', type: 'bool', default: false, apply: 'rebuild', section: 'variant', showIf: (s) => isAae(s) && s.prior === 'mixture', label: 'Give the discriminator the label', help: 'Each class is pushed onto its own arm of the mixture (semi-supervised).' },
  { key: 'adversarial_lr', type: 'number', min: 1e-5, max: 1, scale: 'log', default: 1e-3, apply: 'live', section: 'variant', showIf: isAae, label: 'Adversarial learning rate', help: 'The discriminator\'s and the generator\'s steps.' },
  { key: 'weight_decay_l2', type: 'number', min: 0, max: 0.01, step: 0.0001, default: 0, apply: 'live', section: 'advanced', label: 'Weight decay (L2)' },
  { key: 'clip_norm', type: 'number', min: 0, max: 100, step: 0.5, default: 0, apply: 'live', section: 'advanced', label: 'Clip gradient norm (0 = off)' },

  // Where the weights start from: the pretrained model shipped with the page for these
  // settings (lib/pretrained.js; fresh weights when none has them), or fresh weights.
  { key: 'weights', type: 'enum', options: ['pretrained', 'scratch'], optionLabels: { pretrained: 'A pretrained model', scratch: 'Scratch (fresh weights)' }, default: 'pretrained', apply: 'rebuild', label: 'Start from' },
  { key: 'panels', type: 'list', of: 'name', options: PANELS, minLength: 1, maxLength: PANELS.length, default: [...PANELS], apply: 'view', label: 'Panels shown' },
  { key: 'embed', type: 'bool', default: false, apply: 'view', label: 'Embedded (no page header)' },
  { key: 'controls', type: 'enum', options: ['full', 'minimal', 'none'], default: 'full', apply: 'view', label: 'Controls shown' },
  { key: 'lock', type: 'list', of: 'name', options: [], minLength: 0, maxLength: 64, default: [], apply: 'view', label: 'Locked settings' },
  // The interpolation's ends (test images; unset: a "0" and a "1" from the probes) and a point
  // picked on the latent map (map coordinates).
  { key: 'a', type: 'int', min: 0, max: 9999, default: null, apply: 'view', label: 'Interpolation start (test image)' },
  { key: 'b', type: 'int', min: 0, max: 9999, default: null, apply: 'view', label: 'Interpolation end (test image)' },
  // The applications lab shown in panel 6.
  { key: 'lab', type: 'enum', options: [...LAB_IDS], default: 'anomaly', apply: 'view', label: 'Lab shown' },
  { key: 'point', type: 'list', of: 'number', min: -1e6, max: 1e6, minLength: 2, maxLength: 2, default: null, apply: 'view', label: 'Point on the latent map' },
  // The page's language: 'auto' follows the browser (i18n/index.js detectLang); a choice made in
  // the page's switch goes into the link.
  { key: 'lang', type: 'enum', options: ['auto', 'en', 'zh'], default: 'auto', apply: 'view', label: 'Language' },
];

// Settings a lesson (or a teacher's link) can lock: everything that changes the model or its training.
SCHEMA.find((f) => f.key === 'lock').options = SCHEMA.filter((f) => f.apply !== 'view').map((f) => f.key);

// No prototype: a key such as 'toString', 'constructor' or '__proto__' (from a link) is no field.
export const FIELDS = Object.freeze(Object.assign(Object.create(null), Object.fromEntries(SCHEMA.map((f) => [f.key, f]))));

export function defaultOf(field, state) {
  const lesson = state.lesson && LESSONS[state.lesson];
  if (lesson && field.key !== 'lesson') {
    const v = lesson.settings[field.key] ?? (lesson.model ? PRETRAINED[lesson.model][field.key] : undefined);
    if (v !== undefined) return structuredClone(v);
  }
  return typeof field.default === 'function' ? field.default(state) : field.default;
}

const same = (a, b) => (Array.isArray(a) || Array.isArray(b) ? JSON.stringify(a) === JSON.stringify(b) : a === b);

/** Every field at its default. */
export function defaults() {
  const s = {};
  for (const f of SCHEMA) s[f.key] = defaultOf(f, s);
  return s;
}

function describeRange(f) {
  if (f.options && f.type !== 'list') return `one of ${f.options.join(', ')}`;
  if (f.type === 'bool') return 'true or false';
  if (f.type === 'list' && f.of === 'name') return `a comma-separated list of ${f.options.join(', ')}`;
  if (f.type === 'list' && f.of === 'number') return `${f.minLength} comma-separated numbers in [${f.min}, ${f.max}]`;
  if (f.type === 'list') return `${f.minLength ? `1 to ${f.maxLength}` : `up to ${f.maxLength}`} comma-separated integers in [${f.min}, ${f.max}]`;
  return `${f.type === 'int' ? 'an integer' : 'a number'} in [${f.min}, ${f.max}]`;
}

/** The same, as a message (i18n/values.js) for the page's language. */
function rangeMessage(f) {
  if (f.options && f.type !== 'list') return V.msg('setting.range.oneOf', { options: f.options.join(', ') });
  if (f.type === 'bool') return V.msg('setting.range.bool');
  if (f.type === 'list' && f.of === 'name') return V.msg('setting.range.names', { options: f.options.join(', ') });
  if (f.type === 'list' && f.of === 'number') return V.msg('setting.range.numbers', { n: f.minLength, lo: f.min, hi: f.max });
  if (f.type === 'list') return V.msg('setting.range.list', { min: f.minLength ? '1' : '0', max: f.maxLength, lo: f.min, hi: f.max });
  return V.msg(f.type === 'int' ? 'setting.range.int' : 'setting.range.number', { lo: f.min, hi: f.max });
}

/**
 * Checks one value (a string from the URL or a control, or an already-typed value).
 * @returns {{ok: true, value: *} | {ok: false, error: string, message: {key: string, params: object}}}
 *   error: in English; message: the same for the page's language
 */
export function validate(key, raw) {
  const f = Object.hasOwn(FIELDS, key) ? FIELDS[key] : null;
  if (!f) return { ok: false, error: `unknown setting '${short(key)}'`, message: { key: 'setting.err.unknown', params: { key: V.raw(short(key)) } } };
  const shown = short(Array.isArray(raw) ? raw.join(',') : raw);
  const bad = () => ({
    ok: false,
    error: `'${key}' must be ${describeRange(f)}, got '${shown}'`,
    message: { key: 'setting.err.range', params: { label: V.msg(`setting.${key}.label`), key, range: rangeMessage(f), value: V.raw(shown) } },
  });
  // A field whose default is "unset" (null) is unset again by an empty value.
  if (f.default === null && (raw === null || raw === '' || raw === 'none')) return { ok: true, value: null };
  switch (f.type) {
    case 'enum':
      return f.options.includes(raw) ? { ok: true, value: raw } : bad();
    case 'bool':
      if (raw === true || raw === 'true' || raw === '1' || raw === '') return { ok: true, value: true };
      if (raw === false || raw === 'false' || raw === '0') return { ok: true, value: false };
      return bad();
    case 'int':
    case 'number': {
      const text = typeof raw === 'string' ? raw.trim() : raw;
      if (text === '' || text === null || text === undefined) return bad();
      const v = Number(text);
      if (!Number.isFinite(v) || v < f.min || v > f.max) return bad();
      if (f.type === 'int' && !Number.isInteger(v)) return bad();
      if (f.options && !f.options.includes(v)) return bad();
      return { ok: true, value: v };
    }
    case 'list': {
      const items = Array.isArray(raw) ? raw : String(raw).split(/[\s,;]+/).filter(Boolean);
      if (items.length < f.minLength || items.length > f.maxLength) return bad();
      if (f.of === 'name') {
        if (!items.every((x) => f.options.includes(x)) || new Set(items).size !== items.length) return bad();
        return { ok: true, value: f.options.filter((o) => items.includes(o)) };
      }
      if (f.of === 'number') {
        const nums = items.map((x) => (typeof x === 'number' ? x : /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(x) ? Number(x) : NaN));
        if (!nums.every((v) => Number.isFinite(v) && v >= f.min && v <= f.max)) return bad();
        return { ok: true, value: nums };
      }
      const vals = items.map((x) => (typeof x === 'number' ? x : /^\d+$/.test(x) ? Number(x) : NaN));
      if (!vals.every((v) => Number.isInteger(v) && v >= f.min && v <= f.max)) return bad();
      return { ok: true, value: vals };
    }
    default:
      return bad();
  }
}

/**
 * Applies a patch on top of `prev`: values that were at their (computed) default follow the
 * fields they depend on. Unknown keys and invalid values are reported and left out.
 * @returns {{state: object, changed: string[], errors: string[]}}
 */
export function applyPatch(prev, patch) {
  const errors = [];
  const messages = []; // the errors as messages, for the page
  const next = { ...prev };
  const explicit = new Set();
  for (const [k, raw] of Object.entries(patch)) {
    const r = validate(k, raw);
    if (r.ok) {
      next[k] = r.value;
      explicit.add(k);
    } else {
      errors.push(r.error);
      messages.push(r.message);
    }
  }
  // Dependent defaults, in schema order (a field's default only reads fields above it, and
  // the lesson, which comes first).
  for (const f of SCHEMA) {
    if (explicit.has(f.key)) continue;
    if (same(prev[f.key], defaultOf(f, prev))) next[f.key] = defaultOf(f, next);
  }
  const changed = SCHEMA.map((f) => f.key).filter((k) => !same(prev[k], next[k]));
  return { state: next, changed, errors, messages };
}

/** "#variant=vae&latent=2": only the fields that differ from their defaults, in schema order. */
export function toHash(state) {
  const parts = [];
  for (const f of SCHEMA) {
    const v = state[f.key];
    if (same(v, defaultOf(f, state))) continue;
    const text = v === null ? '' : Array.isArray(v) ? v.join(',') : f.type === 'bool' ? (v ? '1' : '0') : String(v);
    parts.push(`${f.key}=${encodeURIComponent(text).replace(/%2C/g, ',')}`);
  }
  return parts.length ? `#${parts.join('&')}` : '';
}

/**
 * Reads a URL hash (and the `embed` flag from a query string, for course pages that link
 * `?embed`). Bad entries are skipped and reported; everything else applies.
 * @returns {{state: object, errors: string[]}}
 */
export function fromHash(hash = '', search = '') {
  // A Map, then own properties only: '#__proto__=1' is a setting (an unknown one), not a prototype.
  const patch = new Map(new URLSearchParams(String(hash).replace(/^#/, '')));
  const query = new URLSearchParams(String(search).replace(/^\?/, ''));
  if (query.has('embed') && !patch.has('embed')) patch.set('embed', query.get('embed') || '1');
  if (query.has('panels') && !patch.has('panels')) patch.set('panels', query.get('panels'));
  return fromEntries(Object.fromEntries(patch), 'link');
}

/**
 * Settings from name → text pairs (a URL hash's, or an <ae-playground> element's attributes):
 * defaults plus whatever they set. Bad entries are skipped and reported.
 * @param {Record<string, string>} entries
 * @param {'link'|'element'} [from] what the messages call the source
 * @returns {{state: object, errors: string[]}}
 */
export function fromEntries(entries, from = 'element') {
  // Parents first, so that dependent defaults are computed from the linked values.
  const ordered = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => order(a) - order(b)));
  const { state, errors, messages } = applyPatch(defaults(), ordered);
  const where = from === 'link' ? 'in the link' : 'on the <ae-playground> element';
  const key = from === 'link' ? 'setting.ignoredLink' : 'setting.ignoredElement';
  return {
    state,
    errors: errors.map((e) => `Ignored a setting ${where}: ${e}.`),
    /** the same as messages ({ key, params }) for the page's language */
    messages: messages.map((m) => ({ key, params: { error: V.msg(m.key, m.params) } })),
  };
}

const order = (k) => (Object.hasOwn(FIELDS, k) ? SCHEMA.indexOf(FIELDS[k]) : -1);

/** The model config the engine parses (models/config.hpp). */
export function modelConfig(s) {
  const m = {
    variant: s.variant,
    input: [...INPUT_SHAPE],
    encoder: [...s.widths],
    latent: s.latent,
    activation: s.activation,
    output: 'sigmoid',
    loss: s.loss,
    batchnorm: s.batchnorm,
    dropout: s.dropout,
  };
  if (isConv(s)) m.conv = { channels: [...s.conv], kernel: 3, stride: 2, padding: 1 };
  if (isAae(s)) Object.assign(m, { prior: s.prior, prior_labels: s.prior === 'mixture' && s.prior_labels });
  if (isSequence(s)) Object.assign(m, { batchnorm: false, dropout: 0 });
  return m;
}

/** The training config the engine parses (train/train_config.hpp): every key, explicitly. */
export function trainConfig(s) {
  return {
    optimizer: s.optimizer,
    lr: s.lr,
    momentum: s.optimizer === 'adam' ? 0 : s.momentum,
    schedule: s.schedule,
    step_epochs: s.step_epochs,
    gamma: s.gamma,
    cosine_epochs: s.cosine_epochs,
    batch_size: s.batch_size,
    seed: s.seed,
    noise: s.variant === 'denoising' ? s.noise : 'none',
    noise_amount: s.noise_amount,
    sparsity_target: s.sparsity_target,
    sparsity_weight: s.variant === 'sparse' ? s.sparsity_weight : 0,
    kl_weight: s.kl_weight,
    weight_decay_l2: s.weight_decay_l2,
    clip_norm: s.clip_norm,
    class_filter: s.train_on,
    filter_class: s.train_class,
    ...(isAae(s) ? { adversarial_lr: s.adversarial_lr } : {}),
  };
}

/**
 * The settings that describe a model the engine loaded from a file: the inverse of
 * modelConfig and trainConfig for everything the page's controls can show. What they cannot
 * show (another input size, kernel, output or code activation; values outside a control's
 * range) is listed in `unshown`: the model keeps it, the form shows the nearest it can.
 * @returns {{patch: object, unshown: string[], unshownValues: object[]}}  unshownValues: the same as
 *   message values (i18n/values.js), for the page's language
 */
export function stateFromConfigs(model, train) {
  const patch = {
    variant: model.variant,
    widths: model.encoder,
    latent: model.latent,
    activation: model.activation,
    loss: model.loss,
    batchnorm: model.batchnorm,
    dropout: model.dropout,
  };
  if (model.conv) patch.conv = model.conv.channels;
  if (model.variant === 'aae') Object.assign(patch, { prior: model.prior, prior_labels: model.prior_labels });
  const unshown = [];
  const unshownValues = [];
  if (JSON.stringify(model.input) !== JSON.stringify(INPUT_SHAPE)) {
    unshown.push(`input ${model.input.join('×')}`);
    unshownValues.push(V.msg('status.unshown.input', { shape: model.input.join('×') }));
  }
  if (model.output !== 'sigmoid') {
    unshown.push(`output ${model.output}`);
    unshownValues.push(V.msg('status.unshown.output', { activation: String(model.output) }));
  }
  if (model.conv && (model.conv.kernel !== 3 || model.conv.stride !== 2 || model.conv.padding !== 1)) {
    unshown.push(`convolution kernel ${model.conv.kernel}, stride ${model.conv.stride}, padding ${model.conv.padding}`);
    unshownValues.push(V.msg('status.unshown.kernel', { kernel: model.conv.kernel, stride: model.conv.stride, padding: model.conv.padding }));
  }
  if (train) {
    Object.assign(patch, {
      optimizer: train.optimizer,
      lr: train.lr,
      schedule: train.schedule,
      step_epochs: train.step_epochs,
      gamma: train.gamma,
      cosine_epochs: train.cosine_epochs,
      batch_size: train.batch_size,
      seed: train.seed,
      sparsity_target: train.sparsity_target,
      kl_weight: train.kl_weight,
      weight_decay_l2: train.weight_decay_l2,
      clip_norm: train.clip_norm,
    });
    // Files written before the class filter existed train on every class.
    Object.assign(patch, { train_on: train.class_filter ?? 'all', train_class: train.filter_class ?? 0 });
    if (train.optimizer !== 'adam') patch.momentum = train.momentum;
    if (model.variant === 'aae') patch.adversarial_lr = train.adversarial_lr ?? train.lr;
    if (model.variant === 'sparse') patch.sparsity_weight = train.sparsity_weight;
    if (model.variant === 'denoising' && train.noise && train.noise !== 'none') {
      patch.noise = train.noise;
      patch.noise_amount = train.noise_amount;
    }
  }
  for (const k of Object.keys(patch)) if (patch[k] === undefined) delete patch[k];
  // Values a control cannot hold stay out of the patch (and are reported).
  for (const [k, v] of Object.entries(patch)) {
    if (!validate(k, v).ok) {
      unshown.push(`${FIELDS[k].label.toLowerCase()} ${Array.isArray(v) ? v.join(', ') : v}`);
      unshownValues.push(V.msg('status.unshown.value', { label: V.lower(V.msg(`setting.${k}.label`)), value: Array.isArray(v) ? v.join(', ') : String(v) }));
      delete patch[k];
    }
  }
  return { patch, unshown, unshownValues };
}

/** The training-config keys whose values differ between two states. */
export function trainDiff(prev, next) {
  const a = trainConfig(prev), b = trainConfig(next);
  return Object.fromEntries(Object.keys(b).filter((k) => !same(a[k], b[k])).map((k) => [k, b[k]]));
}

/** How a set of changed keys applies: the strongest of their `apply` kinds. */
export function applyKind(changed) {
  const kinds = new Set(changed.map((k) => FIELDS[k].apply));
  for (const k of ['rebuild', 'live', 'run', 'view']) if (kinds.has(k)) return k;
  return 'none';
}

/** A small observable holding the current settings. */
export class Store {
  constructor(state = defaults()) {
    this.state = state;
    this.listeners = new Set();
  }

  /** Applies a patch; listeners get { state, prev, changed } when something changed. */
  set(patch) {
    const prev = this.state;
    const { state, changed, errors } = applyPatch(prev, patch);
    this.state = state;
    if (changed.length) for (const fn of this.listeners) fn({ state, prev, changed });
    return { changed, errors };
  }

  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

// Errors in the page's language. The page's own errors are LocalizedErrors (a message key and
// its parameters); errors from the worker and the engine carry a stable code and parameters
// where the engine gives them (err.code, err.params) and are otherwise recognised by their
// English message, whose wording the engine and the worker keep as the reference text. What is
// recognised nowhere is shown inside a sentence of the page's language, with its English detail.
import { V } from './values.js';

/** An Error whose text is a catalogue message; `message` is the English text, for logs and tests. */
export class LocalizedError extends Error {
  /**
   * @param {string} key
   * @param {object} [params] typed values (values.js) or plain strings and numbers
   * @param {string} [english] the English message (defaults to the key)
   */
  constructor(key, params = {}, english = key) {
    super(english);
    this.key = key;
    this.params = params;
  }
}

/** Makes a LocalizedError whose English message is rendered by `i18nEn` (an English I18n). */
export const localized = (i18nEn, key, params = {}) => new LocalizedError(key, params, i18nEn.plain(key, params));

// Engine error codes (engine/src/core/error.hpp) → messages.
const CODES = {
  diverged: (p) => ({ key: 'error.diverged', params: { value: V.raw(p.value ?? 'NaN'), step: V.int(p.step ?? 0) } }),
  out_of_memory: (p) => ({ key: 'error.outOfMemory', params: { heap: V.mb(p.heapBytes ?? 0) } }),
  too_many_parameters: (p) => ({ key: 'error.tooManyParameters', params: { n: V.int(p.parameters ?? 0), limit: V.int(p.limit ?? 0) } }),
  too_many_activations: (p) => ({ key: 'error.tooManyActivations', params: { n: V.int(p.activations ?? 0), limit: V.int(p.limit ?? 0) } }),
  too_much_memory: (p) => ({
    key: 'error.tooMuchMemory',
    params: { bytes: V.mb(p.bytes ?? 0), limit: V.mb(p.limitBytes ?? 0), batch: V.int(p.batchSize ?? 0), parameters: V.int(p.parameters ?? 0) },
  }),
  count_overflow: (p) => ({ key: 'error.countOverflow', params: { what: V.raw(p.what ?? '?'), count: V.raw(p.count ?? '?') } }),
  nonfinite_model: (p) => ({ key: 'error.nonfiniteModel', params: { tensor: V.raw(p.tensor ?? '?'), value: V.raw(p.value ?? 'NaN') } }),
};

// What a storage failure was doing (lib/model-store.js storageError's `what`) → a message.
function storageWhat(text) {
  const saving = /^Saving “(.*)”$/.exec(text);
  if (saving) return V.msg('storage.what.save', { name: V.raw(saving[1]) });
  const known = { 'The autosave': 'storage.what.autosave', 'Renaming the model': 'storage.what.rename', 'Keeping the previous session under Saved models': 'storage.what.keep' };
  return known[text] ? V.msg(known[text]) : V.raw(text);
}
// Why the browser refused a write, when storageError had no browser message to quote.
function storageWhy(text) {
  if (text === 'the browser refused it without saying why') return V.msg('storage.why.refused');
  const named = /^the browser refused it \((\w+)\)$/.exec(text);
  return named ? V.msg('storage.why.refusedName', { name: V.raw(named[1]) }) : V.raw(text);
}

// English messages of the engine, the worker and the dataset reader → messages. The first match wins.
const PATTERNS = [
  [/^(.+?) failed: this browser's storage for the playground is full/, (m) => ({ key: 'error.storageFull', params: { what: storageWhat(m[1]) } })],
  [/^(.+?) failed: (.*?)\. Download the model file instead/, (m) => ({ key: 'error.storageFailed', params: { what: storageWhat(m[1]), why: storageWhy(m[2]) } })],
  [/^model file: not an AEMF model file/i, () => ({ key: 'error.modelFile.magic' })],
  [/^not an AEMF model file/i, () => ({ key: 'error.modelFile.magic' })],
  [/newer format version: the file is version (\d+)\D+(\d+)/i, (m) => ({ key: 'error.modelFile.version', params: { found: m[1], max: m[2] } })],
  [/^model file: truncated/i, () => ({ key: 'error.modelFile.truncated', params: { part: V.raw('…') } })],
  [/^model file: corrupted/i, () => ({ key: 'error.modelFile.checksum', params: { part: V.raw('…') } })],
  [/^model file: this model takes (\S+) images/i, (m) => ({ key: 'error.wrongInput', params: { shape: m[1] } })],
  [/^training diverged: the loss became (\S+?)[ ;,].*?at step (\d+)/i, (m) => ({ key: 'error.diverged', params: { value: m[1], step: V.int(Number(m[2])) } })],
  [/^no training data/i, () => ({ key: 'error.noTrainingData' })],
  [/^the model has already trained (\d+) epoch/i, (m) => ({ key: 'error.alreadyTrained', params: { n: Number(m[1]) } })],
  [/^the latent map is not ready yet/i, () => ({ key: 'error.mapNotReady' })],
  [/^the pretrained model "([^"]+)" could not be downloaded \((.*)\): check/i, (m) => ({ key: 'error.pretrainedDownload', params: { name: m[1], reason: m[2] } })],
  [/^the pretrained model "([^"]+)" could not be downloaded: the server answered (\d+) for (\S+)/i, (m) => ({ key: 'error.pretrainedStatus', params: { name: m[1], status: m[2], url: m[3] } })],
  [/^this browser offers no storage for saved models here: download/i, () => ({ key: 'error.noStorageDownload' })],
  [/^this browser offers no storage for saved models here/i, () => ({ key: 'error.noStorage' })],
  [/^there is no saved model '([^']*)'/i, (m) => ({ key: 'error.noSavedModel', params: { id: m[1] } })],
  [/^could not download (\S+): HTTP (\d+)/i, (m) => ({ key: 'error.datasetStatus', params: { url: m[1], status: m[2] } })],
  [/^could not download (\S+): (.*)$/i, (m) => ({ key: 'error.datasetFetch', params: { url: m[1], reason: m[2] } })],
  [/^(\S+): dataset file is truncated: (.*)$/i, (m) => ({ key: 'error.datasetTruncated', params: { url: m[1], reason: m[2] } })],
  [/^(\S+) is not a valid gzip file (.*)$/i, (m) => ({ key: 'error.datasetCorrupt', params: { url: m[1], reason: m[2] } })],
  [/^(\S+\.aeds\S*): (.*)$/i, (m) => ({ key: 'error.datasetCorrupt', params: { url: m[1], reason: m[2] } })],
  [/^worker failed: (.*)$/i, (m) => ({ key: 'error.workerFailed', params: { message: m[1] } })],
];

/**
 * The message to show for an error: { key, params }.
 * @param {Error|string|{message?: string, code?: string, params?: object}} err
 */
export function describeError(err) {
  if (err?.key) return { key: err.key, params: err.params ?? {} };
  const p = err?.params && typeof err.params === 'object' ? err.params : {};
  if (err?.code && CODES[err.code]) return CODES[err.code](p);
  const message = String(err?.message ?? err ?? '');
  for (const [re, make] of PATTERNS) {
    const m = re.exec(message);
    if (m) return { params: {}, ...make(m) };
  }
  return { key: 'error.engine', params: { message: V.raw(message) } };
}

/**
 * Shows an error in `el` in `i18n`'s language. In English the engine's own message is the text
 * (it is written for people and says most); in other languages the catalogue's.
 */
export function renderError(el, err, i18n) {
  // Never a blank banner: some browser errors carry an empty message.
  if (!err?.key && !err?.code && !err?.message) {
    i18n.text(el, 'error.noDetails', { name: V.raw(err?.name ?? String(err ?? 'Error')) });
    return;
  }
  const { key, params } = err?.key || i18n.lang !== 'en' ? describeError(err) : { key: 'error.engine', params: { message: V.raw(err?.message ?? String(err)) } };
  i18n.text(el, key, params);
}

// The Train panel's "Model" box: where the weights come from (a pretrained model shipped
// with the page, fresh weights, or a loaded file), downloading the current model (.aemf) and
// its weights (.npz), loading a model file by picking or dropping it, the autosave's status,
// and the "Saved models" list (load, rename, download, delete; "Save now").
// Life cycle: construct, setModels / setSource / setSaved / setAutosave / showStatus.
import { epochOf, formatInt } from '../lib/format.js';

const MB = (bytes) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
const VARIANTS = { dense: 'Autoencoder', deep: 'Deep AE', sparse: 'Sparse AE', denoising: 'Denoising AE', vae: 'VAE', conv: 'Conv AE', conv_vae: 'Conv VAE' };
const DATASET_NAMES = { mnist: 'MNIST', 'fashion-mnist': 'Fashion-MNIST' };

export class ModelsPanel {
  /**
   * @param {object} o
   * @param {Record<string, HTMLElement>} o.el  picker, note, download, npz, file, drop, status,
   *   saveNow, autosave, savedBox, savedCount, savedList, savedEmpty
   * @param {object} o.on  choose(value), download(), downloadNpz(), loadFile(file), saveNow(),
   *   loadSaved(meta), renameSaved(meta, name), deleteSaved(meta), downloadSaved(meta)
   */
  constructor({ el, on }) {
    this.el = el;
    this.on = on;
    this.models = [];
    this.dataset = 'mnist';
    this.source = { kind: 'scratch' };
    this.busy = false;
    el.picker.addEventListener('change', () => {
      const v = el.picker.value;
      if (v !== 'loaded') on.choose(v);
    });
    el.download.addEventListener('click', () => on.download());
    el.npz.addEventListener('click', () => on.downloadNpz());
    el.saveNow.addEventListener('click', () => on.saveNow());
    el.file.addEventListener('change', () => {
      const f = el.file.files?.[0];
      el.file.value = '';
      if (f) on.loadFile(f);
    });
    // The drop target: its own box, and (model-library.js) the whole page while a file is dragged.
    el.drop.addEventListener('dragover', (e) => {
      e.preventDefault();
      el.drop.classList.add('over');
    });
    el.drop.addEventListener('dragleave', () => el.drop.classList.remove('over'));
    el.drop.addEventListener('drop', (e) => {
      e.preventDefault();
      e.stopPropagation();
      el.drop.classList.remove('over');
      const f = e.dataTransfer?.files?.[0];
      if (f) on.loadFile(f);
    });
  }

  /** The pretrained models of the manifest (all datasets) and why there are none, if so. */
  setModels(models, error = null) {
    this.models = models;
    this.manifestError = error;
    this.#renderPicker();
  }

  /**
   * Where the current model came from, and the dataset the picker lists models for.
   * @param {{kind: string, id?: string, name?: string, optimizerState?: boolean, weights?: string}} source
   */
  setSource(source, { dataset, info, title }) {
    this.source = source;
    this.dataset = dataset;
    this.info = info;
    this.title = title;
    this.#renderPicker();
    this.#renderNote();
  }

  setBusy(busy) {
    this.busy = busy;
    for (const k of ['picker', 'download', 'npz', 'saveNow']) this.el[k].disabled = busy;
    if (this.locked) this.el.picker.disabled = true;
  }

  /** A lesson locked the model: the picker shows it but cannot change it. */
  setLocked(locked) {
    this.locked = locked;
    this.el.picker.disabled = locked || Boolean(this.busy);
  }

  /** A short status line (loaded, saved, refused: with the engine's message). */
  showStatus(text, { error = false } = {}) {
    this.el.status.textContent = text;
    this.el.status.classList.toggle('error', error);
  }

  setAutosave(meta) {
    if (!meta) {
      this.el.autosave.textContent = '';
      return;
    }
    const at = new Date(meta.date).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    this.el.autosave.classList.remove('error');
    this.el.autosave.textContent = `Autosaved at ${at} (epoch ${formatInt(epochOf(meta))}, step ${formatInt(meta.step)}).`;
  }

  /** The autosave could not be written: what happened and what to do, where the status shows. */
  setAutosaveFailure(message) {
    this.el.autosave.classList.add('error');
    this.el.autosave.textContent = message;
  }

  /** The saved-models list (newest first); null when the browser offers no storage. */
  setSaved(list, unavailable = null) {
    const { savedList, savedEmpty, savedCount } = this.el;
    savedList.replaceChildren();
    savedCount.textContent = list ? `(${list.length})` : '';
    this.el.saveNow.hidden = !list;
    if (!list) {
      savedEmpty.textContent = unavailable ?? 'This browser offers no storage for models here: download them instead.';
      savedEmpty.hidden = false;
      return;
    }
    savedEmpty.hidden = list.length > 0;
    savedEmpty.textContent = 'Nothing saved yet. “Save now” keeps the current model here; the autosave keeps your latest training run.';
    for (const m of list) savedList.append(this.#row(m));
  }

  /** One saved model: its name, what it is (model, dataset, training, date, size), its actions. */
  #row(m) {
    const li = document.createElement('li');
    li.dataset.id = m.id;
    const name = document.createElement('p');
    name.className = 'saved-name';
    name.textContent = m.name;
    const facts = document.createElement('p');
    facts.className = 'saved-meta readout';
    const fact = (key, text) => {
      const span = document.createElement('span');
      span.dataset.key = key;
      span.textContent = text;
      facts.append(span);
    };
    fact('model', `${VARIANTS[m.variant] ?? m.variant ?? '?'} · ${DATASET_NAMES[m.dataset] ?? m.dataset ?? '?'}`);
    fact('trained', `epoch ${formatInt(epochOf(m))} · step ${formatInt(m.step)}`);
    fact('date', `saved ${new Date(m.date).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })}`);
    fact('size', MB(m.size));
    const actions = document.createElement('div');
    actions.className = 'saved-actions';
    const button = (label, aria, fn) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.setAttribute('aria-label', `${aria} “${m.name}”`);
      b.dataset.action = label.toLowerCase();
      b.addEventListener('click', fn);
      actions.append(b);
      return b;
    };
    button('Load', 'Load', () => this.on.loadSaved(m));
    const rename = button('Rename', 'Rename', () => this.#rename(name, m, rename));
    button('Download', 'Download', () => this.on.downloadSaved(m));
    button('Delete', 'Delete', () => this.on.deleteSaved(m));
    li.append(name, facts, actions);
    return li;
  }

  /** Renaming in place: the name becomes a text field; Enter or leaving it saves, Escape cancels. */
  #rename(cell, m, button) {
    const input = document.createElement('input');
    input.type = 'text';
    input.value = m.name;
    input.maxLength = 200;
    input.setAttribute('aria-label', `New name for “${m.name}”`);
    cell.replaceChildren(input);
    button.disabled = true;
    input.focus();
    input.select();
    let done = false;
    const finish = (save) => {
      if (done) return;
      done = true;
      const name = input.value.trim();
      cell.textContent = save && name ? name : m.name;
      button.disabled = false;
      if (save && name && name !== m.name) this.on.renameSaved(m, name);
      button.focus();
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') finish(true);
      if (e.key === 'Escape') finish(false);
    });
    input.addEventListener('blur', () => finish(true));
  }

  #renderPicker() {
    const { picker } = this.el;
    const options = [];
    for (const m of this.models.filter((x) => x.dataset === this.dataset)) options.push([m.id, `Pretrained: ${m.title}`]);
    options.push(['scratch', 'Start from scratch (fresh weights)']);
    const loaded = ['file', 'saved', 'autosave'].includes(this.source.kind);
    if (loaded) options.push(['loaded', `Loaded: ${this.source.name ?? 'a model file'}`]);
    picker.replaceChildren(
      ...options.map(([value, label]) => {
        const o = document.createElement('option');
        o.value = value;
        o.textContent = label;
        return o;
      }),
    );
    picker.value = loaded ? 'loaded' : this.source.kind === 'pretrained' ? this.source.id : 'scratch';
  }

  #renderNote() {
    const s = this.source;
    const info = this.info ?? {};
    let text;
    if (s.kind === 'pretrained') {
      const m = this.models.find((x) => x.id === s.id);
      const facts = [
        m?.epochs ? `trained for ${m.epochs} epochs` : null,
        m?.testLoss != null ? `test loss ${m.testLoss.toFixed(1)}` : null,
        m?.bytes ? `a ${MB(m.bytes)} download` : null,
      ].filter(Boolean);
      text = `${m?.description ?? ''} ${facts.length ? `${capitalise(facts.join(', '))}.` : ''} Training it further (fine-tuning) continues from these weights with a fresh optimizer state: the shipped file holds 16-bit weights and no Adam state.`;
    } else if (s.kind === 'scratch') {
      text = 'Fresh random weights from the seed: press “Start training” and watch it learn.';
    } else {
      const from = { file: 'the file', saved: 'the saved model', autosave: 'your autosave' }[s.kind];
      const opt = s.optimizerState
        ? 'With its optimizer state: training continues exactly where it stopped.'
        : 'Without optimizer state: training it further starts the optimizer afresh.';
      text = `Loaded from ${from} “${s.name}”: ${this.title ?? ''}, step ${formatInt(info.step ?? 0)}. ${opt}`;
    }
    if (this.manifestError && s.kind !== 'pretrained') text = `${text} ${this.manifestError}`;
    this.el.note.textContent = text.replace(/\s+/g, ' ').trim();
  }
}

const capitalise = (t) => t.charAt(0).toUpperCase() + t.slice(1);

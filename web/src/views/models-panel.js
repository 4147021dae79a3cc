// The Train panel's "Model" box: where the weights come from (a pretrained model shipped
// with the page, fresh weights, or a loaded file), downloading the current model (.aemf) and
// its weights (.npz), loading a model file by picking or dropping it, the autosave's status,
// and the "Saved models" list (load, rename, download, delete; "Save now").
// Life cycle: construct, setModels / setSource / setSaved / setAutosave / showStatus.
import { epochOf } from '../lib/format.js';
import { V } from '../i18n/values.js';
import { pretrainedTitle } from '../lib/pretrained.js';

const VARIANTS = ['dense', 'deep', 'sparse', 'denoising', 'vae', 'conv', 'conv_vae'];
const DATASETS = ['mnist', 'fashion-mnist'];
const PRETRAINED_NAMES = ['seed', 'vae2d', 'conv', 'denoising', 'aae2d', 'sequence'];

export class ModelsPanel {
  /**
   * @param {object} o
   * @param {Record<string, HTMLElement>} o.el  picker, note, download, npz, file, drop, status,
   *   saveNow, autosave, savedBox, savedCount, savedList, savedEmpty
   * @param {object} o.on  choose(value), download(), downloadNpz(), loadFile(file), saveNow(),
   *   loadSaved(meta), renameSaved(meta, name), deleteSaved(meta), downloadSaved(meta)
   * @param {import('../i18n/index.js').I18n} o.i18n
   */
  constructor({ el, on, i18n }) {
    this.el = el;
    this.i18n = i18n;
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

  /** A short status line (loaded, saved, refused: with the engine's message): a message, or null to clear. */
  showStatus(message, { error = false } = {}) {
    if (message) this.i18n.text(this.el.status, message.key, message.params);
    else this.i18n.clear(this.el.status);
    this.el.status.classList.toggle('error', error);
  }

  setAutosave(meta) {
    if (!meta) {
      this.i18n.clear(this.el.autosave);
      return;
    }
    this.el.autosave.classList.remove('error');
    this.i18n.text(this.el.autosave, 'files.autosaved', { at: V.date(meta.date, 'time'), epoch: V.int(epochOf(meta)), step: V.int(meta.step) });
  }

  /** The autosave could not be written: what happened and what to do, where the status shows. */
  setAutosaveFailure(error) {
    this.el.autosave.classList.add('error');
    this.i18n.text(this.el.autosave, 'describe.text', { text: V.err(error) });
  }

  /** The saved-models list (newest first); null when the browser offers no storage. */
  setSaved(list, unavailable = null) {
    const { savedList, savedEmpty, savedCount } = this.el;
    savedList.replaceChildren();
    if (list) this.i18n.text(savedCount, 'files.savedCount', { n: list.length });
    else this.i18n.clear(savedCount);
    this.el.saveNow.hidden = !list;
    if (!list) {
      // unavailable: a message { key, params } saying why
      this.i18n.text(savedEmpty, unavailable?.key ?? 'files.noStorage', unavailable?.params);
      savedEmpty.hidden = false;
      return;
    }
    savedEmpty.hidden = list.length > 0;
    this.i18n.text(savedEmpty, 'files.empty');
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
    const fact = (key, msg, params) => {
      const span = document.createElement('span');
      span.dataset.key = key;
      this.i18n.text(span, msg, params);
      facts.append(span);
    };
    fact('model', 'files.factModel', {
      variant: VARIANTS.includes(m.variant) ? V.msg(`variantShort.${m.variant}`) : V.raw(m.variant ?? '?'),
      dataset: DATASETS.includes(m.dataset) ? V.msg(`dataset.short.${m.dataset}`) : V.raw(m.dataset ?? '?'),
    });
    fact('trained', 'files.factTrained', { epoch: V.int(epochOf(m)), step: V.int(m.step) });
    fact('date', 'files.factDate', { date: V.date(m.date, 'short') });
    fact('size', 'describe.text', { text: V.mb(m.size) });
    const actions = document.createElement('div');
    actions.className = 'saved-actions';
    const button = (action, key, fn) => {
      const b = document.createElement('button');
      b.type = 'button';
      this.i18n.text(b, key);
      this.i18n.attr(b, 'aria-label', 'files.actionOn', { action: V.msg(key), name: V.raw(m.name) });
      b.dataset.action = action;
      b.addEventListener('click', fn);
      actions.append(b);
      return b;
    };
    button('load', 'files.load1', () => this.on.loadSaved(m));
    const rename = button('rename', 'files.rename', () => this.#rename(name, m, rename));
    button('download', 'files.download1', () => this.on.downloadSaved(m));
    button('delete', 'files.delete', () => this.on.deleteSaved(m));
    li.append(name, facts, actions);
    return li;
  }

  /** Renaming in place: the name becomes a text field; Enter or leaving it saves, Escape cancels. */
  #rename(cell, m, button) {
    const input = document.createElement('input');
    input.type = 'text';
    input.value = m.name;
    input.maxLength = 200;
    this.i18n.attr(input, 'aria-label', 'files.newName', { name: V.raw(m.name) });
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

  /** A loaded model's name: the file's or the one given when saving; the autosave's, in the page's language. */
  #sourceName() {
    if (this.source.kind === 'autosave') return V.msg('files.autosaveName');
    return this.source.name ? V.raw(this.source.name) : V.msg('models.aFile');
  }

  #renderPicker() {
    const { picker } = this.el;
    const options = [];
    for (const m of this.models.filter((x) => x.dataset === this.dataset)) options.push([m.id, 'models.pretrained', { title: pretrainedTitle(m) }]);
    options.push(['scratch', 'models.scratch']);
    const loaded = ['file', 'saved', 'autosave'].includes(this.source.kind);
    if (loaded) options.push(['loaded', 'models.loaded', { name: this.#sourceName() }]);
    picker.replaceChildren(
      ...options.map(([value, key, params]) => {
        const o = document.createElement('option');
        o.value = value;
        this.i18n.text(o, key, params);
        return o;
      }),
    );
    picker.value = loaded ? 'loaded' : this.source.kind === 'pretrained' ? this.source.id : 'scratch';
  }

  #renderNote() {
    const s = this.source;
    const info = this.info ?? {};
    let key, params;
    if (s.kind === 'pretrained') {
      const m = this.models.find((x) => x.id === s.id);
      const name = m && m.id.slice(m.dataset.length + 1);
      const known = PRETRAINED_NAMES.includes(name);
      const facts = m?.epochs && m?.testLoss != null && m?.bytes
        ? V.msg('models.facts', { n: m.epochs, loss: V.fixed(m.testLoss, 1), size: V.mb(m.bytes) })
        : '';
      key = 'models.notePretrained';
      params = {
        description: known ? V.msg(`pretrained.${name}.description`, { things: V.msg(`pretrained.things.${m.dataset}`) }) : V.raw(m?.description ?? ''),
        facts,
      };
    } else if (s.kind === 'scratch') {
      key = 'models.noteScratch';
    } else {
      key = 'models.noteLoaded';
      params = { from: s.kind, name: this.#sourceName(), title: this.title ?? '', step: V.int(info.step ?? 0), optimizer: s.optimizerState ? 'yes' : 'no' };
    }
    const main = document.createElement('span');
    this.i18n.text(main, key, params);
    this.el.note.replaceChildren(main);
    // Why the pretrained models are missing, if they are.
    if (this.manifestError && s.kind !== 'pretrained') {
      const extra = document.createElement('span');
      this.i18n.text(extra, this.manifestError.key, this.manifestError.params);
      this.el.note.append(' ', extra);
    }
  }
}

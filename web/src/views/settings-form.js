// The training settings, built from the state schema: one labelled control per field, grouped
// the way a learner thinks about them. The form never changes the state itself: it proposes
// changes (onChange) and shows whatever state it is given (render), so a declined change
// snaps back.
import { formatSmall } from '../lib/format.js';
import { SCHEMA, isVae } from '../state.js';
import { hasFocus } from '../lib/dom.js';

const GROUPS = [
  { id: 'model', sections: ['data', 'model'], title: 'Data and model', note: 'Changing these starts a new model: the pretrained one with these settings if there is one, else fresh weights.' },
  { id: 'variant', sections: ['variant'], title: (s) => (s.variant === 'denoising' ? 'Denoising' : s.variant === 'sparse' ? 'Sparsity' : isVae(s) ? 'Variational autoencoder' : '') },
  { id: 'training', sections: ['training'], title: 'Training', note: 'These apply at once, even while training runs (the seed starts a new model).' },
  { id: 'advanced', sections: ['advanced'], title: 'More settings', details: true },
];

export class SettingsForm {
  /**
   * @param {HTMLElement} root
   * @param {{onChange: (key: string, value: *) => void}} o
   */
  constructor(root, { onChange }) {
    this.root = root;
    this.onChange = onChange;
    this.controls = {}; // key → { field, wrap, input, output?, error }
    this.groups = {};
    for (const g of GROUPS) this.#buildGroup(g);
  }

  /**
   * Shows the state's values; hides fields that do not apply. A field being typed in keeps its
   * text unless `force` (a refused or declined change snaps back).
   */
  render(state, { force = false } = {}) {
    this.state = state;
    for (const { field, wrap, input, output, lockNote } of Object.values(this.controls)) {
      wrap.hidden = field.showIf ? !field.showIf(state) : false;
      // A lesson (or a teacher's link) may lock a setting: shown, not changeable.
      const locked = state.lock?.includes(field.key) ?? false;
      input.disabled = locked;
      lockNote.hidden = !locked;
      const v = state[field.key];
      if (field.type === 'bool') input.checked = v;
      else if (input.type === 'range') {
        if (!force && hasFocus(input)) continue; // being moved: the person's value wins
        input.value = String(field.scale === 'log' ? Math.log10(v) : v);
        input.setAttribute('aria-valuetext', formatSmall(v));
        output.textContent = formatSmall(v);
      } else if (force || !hasFocus(input) || input.tagName === 'SELECT') input.value = Array.isArray(v) ? v.join(', ') : String(v);
      this.setError(field.key, null);
    }
    for (const g of GROUPS) {
      const { box, legend } = this.groups[g.id];
      const visible = Object.values(this.controls).some((c) => c.group === g.id && !c.wrap.hidden);
      box.hidden = !visible;
      if (typeof g.title === 'function') legend.textContent = g.title(state);
    }
  }

  setError(key, message) {
    const c = this.controls[key];
    if (!c) return;
    c.error.textContent = message ?? '';
    c.error.hidden = !message;
    if (message) c.input.setAttribute('aria-invalid', 'true');
    else c.input.removeAttribute('aria-invalid');
  }

  #buildGroup(g) {
    const box = document.createElement(g.details ? 'details' : 'fieldset');
    box.className = `settings-group group-${g.id}`;
    const legend = document.createElement(g.details ? 'summary' : 'legend');
    legend.textContent = typeof g.title === 'function' ? '' : g.title;
    box.append(legend);
    if (g.note) {
      const note = document.createElement('p');
      note.className = 'group-note';
      note.textContent = g.note;
      box.append(note);
    }
    const grid = document.createElement('div');
    grid.className = 'settings-grid';
    box.append(grid);
    for (const f of SCHEMA.filter((f) => g.sections.includes(f.section))) grid.append(this.#buildField(f, g.id));
    this.groups[g.id] = { box, legend };
    this.root.append(box);
  }

  #buildField(f, group) {
    const id = `set-${f.key}`;
    const wrap = document.createElement('div');
    wrap.className = `field field-${f.type}`;
    wrap.dataset.key = f.key;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = f.label;
    let input;
    let output = null;
    if (f.type === 'enum' || (f.type === 'int' && f.options)) {
      input = document.createElement('select');
      for (const o of f.options) {
        const opt = document.createElement('option');
        opt.value = String(o);
        opt.textContent = f.optionLabels?.[o] ?? String(o);
        input.append(opt);
      }
      input.addEventListener('change', () => this.onChange(f.key, input.value));
    } else if (f.type === 'bool') {
      input = document.createElement('input');
      input.type = 'checkbox';
      input.addEventListener('change', () => this.onChange(f.key, input.checked));
      wrap.classList.add('field-check');
    } else if (f.type === 'number' && (f.scale === 'log' || f.step)) {
      input = document.createElement('input');
      input.type = 'range';
      const log = f.scale === 'log';
      input.min = String(log ? Math.log10(f.min) : f.min);
      input.max = String(log ? Math.log10(f.max) : f.max);
      input.step = String(log ? 0.05 : f.step);
      output = document.createElement('output');
      output.htmlFor = id;
      const value = () => {
        const v = log ? Number((10 ** Number(input.value)).toPrecision(2)) : Number(input.value);
        return Math.min(f.max, Math.max(f.min, v));
      };
      const live = f.apply === 'live';
      input.addEventListener('input', () => {
        output.textContent = formatSmall(value());
        input.setAttribute('aria-valuetext', formatSmall(value()));
        if (live) this.onChange(f.key, value());
      });
      input.addEventListener('change', () => this.onChange(f.key, value()));
    } else {
      input = document.createElement('input');
      input.type = f.type === 'list' ? 'text' : 'number';
      if (f.type === 'list') {
        input.inputMode = 'numeric';
        input.autocomplete = 'off';
        input.spellcheck = false;
      } else {
        input.min = String(f.min);
        input.max = String(f.max);
        input.step = f.type === 'int' ? '1' : 'any';
      }
      input.addEventListener('change', () => this.onChange(f.key, input.value));
    }
    input.id = id;
    input.name = f.key;
    const lockNote = document.createElement('p');
    lockNote.className = 'field-help field-locked';
    lockNote.id = `${id}-locked`;
    lockNote.textContent = 'Set by the lesson.';
    lockNote.hidden = true;
    const error = document.createElement('p');
    error.className = 'field-error';
    error.id = `${id}-error`;
    error.hidden = true;
    const described = [lockNote.id, error.id];
    let help = null;
    if (f.help) {
      help = document.createElement('p');
      help.className = 'field-help';
      help.id = `${id}-help`;
      help.textContent = f.help;
      described.unshift(help.id);
    }
    input.setAttribute('aria-describedby', described.join(' '));
    if (f.type === 'bool') wrap.append(input, label);
    else {
      const row = document.createElement('div');
      row.className = 'field-row';
      row.append(input);
      if (output) row.append(output);
      wrap.append(label, row);
    }
    if (help) wrap.append(help);
    wrap.append(lockNote, error);
    this.controls[f.key] = { field: f, wrap, input, output, error, lockNote, group };
    return wrap;
  }
}

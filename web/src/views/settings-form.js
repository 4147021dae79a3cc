// The training settings, built from the state schema: one labelled control per field, grouped
// the way a learner thinks about them. The form never changes the state itself: it proposes
// changes (onChange) and shows whatever state it is given (render), so a declined change
// snaps back.
import { formatSmall } from '../lib/format.js';
import { SCHEMA, isVae } from '../state.js';
import { hasFocus } from '../lib/dom.js';

// Every label, option, note and help text is a message: setting.<key>.label, .option.<value>,
// .help (shown under the control) and .why (behind its "?" button, views/help-tips.js).
const GROUPS = [
  { id: 'model', sections: ['data', 'model'], title: 'settings.group.model', note: 'settings.group.modelNote' },
  { id: 'variant', sections: ['variant'], title: (s) => (s.variant === 'denoising' ? 'settings.group.variant.denoising' : s.variant === 'sparse' ? 'settings.group.variant.sparse' : isVae(s) ? 'settings.group.variant.vae' : s.variant === 'aae' ? 'settings.group.variant.aae' : null) },
  { id: 'training', sections: ['training'], title: 'settings.group.training', note: 'settings.group.trainingNote' },
  { id: 'advanced', sections: ['advanced'], title: 'settings.group.advanced', details: true },
];

export class SettingsForm {
  /**
   * @param {HTMLElement} root
   * @param {{onChange: (key: string, value: *) => void, i18n: import('../i18n/index.js').I18n,
   *   help: import('./help-tips.js').HelpTips}} o
   */
  constructor(root, { onChange, i18n, help }) {
    this.root = root;
    this.onChange = onChange;
    this.i18n = i18n;
    this.help = help;
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
      // A class: its digit, or its name for Fashion-MNIST.
      if (field.classLabels && this.classesOf !== state.dataset) {
        for (const opt of input.options) {
          if (state.dataset === 'fashion-mnist') this.i18n.text(opt, `class.fashion-mnist.${opt.value}`);
          else {
            this.i18n.clear(opt);
            opt.textContent = opt.value;
          }
        }
      }
      this.setError(field.key, null);
    }
    this.classesOf = state.dataset;
    for (const g of GROUPS) {
      const { box, legend } = this.groups[g.id];
      const visible = Object.values(this.controls).some((c) => c.group === g.id && !c.wrap.hidden);
      box.hidden = !visible;
      if (typeof g.title === 'function') {
        const key = g.title(state);
        if (key) this.i18n.text(legend, key);
        else this.i18n.clear(legend);
      }
    }
  }

  /** Shows (or clears, with null) a field's error: a message { key, params }. */
  setError(key, message) {
    const c = this.controls[key];
    if (!c) return;
    if (message) this.i18n.text(c.error, message.key, message.params);
    else this.i18n.clear(c.error);
    c.error.hidden = !message;
    if (message) c.input.setAttribute('aria-invalid', 'true');
    else c.input.removeAttribute('aria-invalid');
  }

  #buildGroup(g) {
    const box = document.createElement(g.details ? 'details' : 'fieldset');
    box.className = `settings-group group-${g.id}`;
    const legend = document.createElement(g.details ? 'summary' : 'legend');
    if (typeof g.title === 'string') this.i18n.text(legend, g.title);
    box.append(legend);
    if (g.note) {
      const note = document.createElement('p');
      note.className = 'group-note';
      this.i18n.text(note, g.note);
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
    this.i18n.text(label, `setting.${f.key}.label`);
    let input;
    let output = null;
    if (f.type === 'enum' || (f.type === 'int' && f.options)) {
      input = document.createElement('select');
      for (const o of f.options) {
        const opt = document.createElement('option');
        opt.value = String(o);
        if (f.optionLabels) this.i18n.text(opt, `setting.${f.key}.option.${o}`);
        else opt.textContent = String(o);
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
    this.i18n.text(lockNote, 'settings.locked');
    lockNote.hidden = true;
    const error = document.createElement('p');
    error.className = 'field-error';
    error.id = `${id}-error`;
    error.hidden = true;
    // Every setting explains itself: a short line under it (what it is), and "why it matters
    // here" behind "?" (only that: the line is right above it).
    const help = document.createElement('p');
    help.className = 'field-help';
    help.id = `${id}-help`;
    this.i18n.text(help, `setting.${f.key}.help`);
    const more = document.createElement('div');
    more.className = 'help-area';
    more.id = `${id}-more`;
    more.hidden = true;
    const tip = this.help.button({ label: `setting.${f.key}.label`, why: `setting.${f.key}.why`, area: more });
    input.setAttribute('aria-describedby', [help.id, lockNote.id, error.id].join(' '));
    const head = document.createElement('div');
    head.className = 'field-head';
    if (f.type === 'bool') {
      head.append(input, label, tip);
      wrap.append(head);
    } else {
      head.append(label, tip);
      const row = document.createElement('div');
      row.className = 'field-row';
      row.append(input);
      if (output) row.append(output);
      wrap.append(head, row);
    }
    wrap.append(help, more, lockNote, error);
    this.controls[f.key] = { field: f, wrap, input, output, error, lockNote, group };
    return wrap;
  }
}

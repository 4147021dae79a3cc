// The "?" buttons beside settings and readouts: each explains its neighbour for someone who has
// never trained a network (what it is, then "Why it matters here"). A button names the two
// messages (data-help-text, data-help-why) and the area it fills (aria-controls); buttons may
// share an area (the Train panel's readouts share one under the grid). A setting's button names
// only the second: what the setting is stays the line under its control, said once. Delegated:
// buttons added later (the settings form's) work too.
export class HelpTips {
  /**
   * @param {ShadowRoot|HTMLElement} root
   * @param {import('../i18n/index.js').I18n} i18n
   */
  constructor(root, i18n) {
    this.root = root;
    this.i18n = i18n;
    root.addEventListener('click', (e) => {
      const b = e.target.closest?.('.help-btn');
      if (b) this.toggle(b);
    });
  }

  /**
   * Makes a "?" button for `label` (a message key) that explains itself in `area`: `text` (what
   * it is; null when the page already shows that beside it) and `why` (why it matters here).
   */
  button({ label, text = null, why, area }) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'help-btn';
    b.textContent = '?';
    if (text) b.dataset.helpText = text;
    b.dataset.helpWhy = why;
    b.setAttribute('aria-expanded', 'false');
    b.setAttribute('aria-controls', area.id);
    this.i18n.attr(b, 'aria-label', 'help.button', { label: { $: 'msg', k: label } });
    return b;
  }

  toggle(b) {
    const area = this.root.querySelector(`#${b.getAttribute('aria-controls')}`);
    if (!area) return;
    const open = b.getAttribute('aria-expanded') === 'true';
    for (const other of this.root.querySelectorAll(`.help-btn[aria-controls="${area.id}"]`)) other.setAttribute('aria-expanded', 'false');
    if (open) {
      area.hidden = true;
      return;
    }
    b.setAttribute('aria-expanded', 'true');
    const why = document.createElement('p');
    why.className = 'help-why';
    const lead = document.createElement('strong');
    this.i18n.text(lead, 'settings.why');
    const rest = document.createElement('span');
    this.i18n.text(rest, b.dataset.helpWhy);
    why.append(lead, ' ', rest);
    if (b.dataset.helpText) {
      const text = document.createElement('p');
      this.i18n.text(text, b.dataset.helpText);
      area.replaceChildren(text, why);
    } else area.replaceChildren(why);
    area.hidden = false;
  }
}

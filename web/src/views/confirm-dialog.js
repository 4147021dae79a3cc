// A modal question with two answers, on the native <dialog> (focus moves into it, Escape
// cancels, the page behind is inert).
export class ConfirmDialog {
  /**
   * @param {HTMLDialogElement} dialog with [data-title], [data-message], [data-ok], [data-cancel]
   * @param {import('../i18n/index.js').I18n} i18n
   */
  constructor(dialog, i18n) {
    this.dialog = dialog;
    this.i18n = i18n;
    this.title = dialog.querySelector('[data-title]');
    this.message = dialog.querySelector('[data-message]');
    this.ok = dialog.querySelector('[data-ok]');
    this.cancel = dialog.querySelector('[data-cancel]');
    this.resolve = null;
    this.ok.addEventListener('click', () => this.#close(true));
    this.cancel.addEventListener('click', () => this.#close(false));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      this.#close(false);
    });
  }

  /**
   * Each of title, message, ok and cancel is a message: { key, params }.
   * @returns {Promise<boolean>} true when the person chose `ok`
   */
  ask({ title, message, ok, cancel }) {
    if (this.resolve) this.#close(false);
    for (const [el, m] of [[this.title, title], [this.message, message], [this.ok, ok], [this.cancel, cancel]]) this.i18n.text(el, m.key, m.params);
    this.dialog.showModal();
    this.cancel.focus();
    return new Promise((resolve) => (this.resolve = resolve));
  }

  #close(answer) {
    const r = this.resolve;
    this.resolve = null;
    if (this.dialog.open) this.dialog.close();
    r?.(answer);
  }
}

// A modal question with two answers, on the native <dialog> (focus moves into it, Escape
// cancels, the page behind is inert).
export class ConfirmDialog {
  /** @param {HTMLDialogElement} dialog with [data-title], [data-message], [data-ok], [data-cancel] */
  constructor(dialog) {
    this.dialog = dialog;
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

  /** @returns {Promise<boolean>} true when the person chose `ok` */
  ask({ title, message, ok, cancel }) {
    if (this.resolve) this.#close(false);
    this.title.textContent = title;
    this.message.textContent = message;
    this.ok.textContent = ok;
    this.cancel.textContent = cancel;
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

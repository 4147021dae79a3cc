// The glossary: one dialog listing every term the page uses (catalogue keys glossary.<id>.term
// and glossary.<id>.text), opened at an entry by any [[term]] link in the page (a .term button,
// i18n/dom.js) or by the header's Glossary button. Links inside an entry move to that entry.
// Escape or the close button closes it and gives focus back to what opened it.

/** The glossary's entries, in reading order (each id has .term and .text in every catalogue). */
export const TERMS = Object.freeze([
  'autoencoder', 'encoder', 'code', 'decoder', 'latent-space', 'reconstruction', 'reconstruction-error', 'loss', 'bce',
  'mse', 'kl', 'vae', 'reparameterisation', 'prior', 'beta', 'sparsity', 'denoising', 'epoch', 'batch', 'step',
  'learning-rate', 'optimizer', 'optimizer-state', 'momentum', 'schedule', 'activation', 'weights', 'bias', 'gradient',
  'gradient-clipping', 'weight-decay', 'batch-norm', 'dropout', 'convolution', 'pca', 'overfitting', 'test-set', 'seed',
  'quantile', 'f16', 'interpolation', 'mnist',
]);

export class Glossary {
  /**
   * @param {object} o
   * @param {HTMLDialogElement} o.dialog  with [data-list] (a <dl>) and [data-close]
   * @param {import('../i18n/index.js').I18n} o.i18n
   * @param {ShadowRoot|HTMLElement} o.root  term links anywhere under it open the glossary
   */
  constructor({ dialog, i18n, root }) {
    Object.assign(this, { dialog, i18n });
    this.list = dialog.querySelector('[data-list]');
    this.opener = null;
    this.entries = {};
    for (const id of TERMS) {
      const dt = document.createElement('dt');
      dt.id = `glossary-${id}`;
      dt.tabIndex = -1;
      dt.dataset.term = id;
      i18n.text(dt, `glossary.${id}.term`);
      const dd = document.createElement('dd');
      i18n.text(dd, `glossary.${id}.text`);
      this.list.append(dt, dd);
      this.entries[id] = dt;
    }
    dialog.querySelector('[data-close]').addEventListener('click', () => this.close());
    dialog.addEventListener('close', () => {
      for (const dt of Object.values(this.entries)) dt.classList.remove('current');
      const o = this.opener;
      this.opener = null;
      if (o?.isConnected) o.focus();
    });
    root.addEventListener('click', (e) => {
      const link = e.target.closest?.('.term');
      if (!link || !TERMS.includes(link.dataset.term)) return;
      e.preventDefault();
      this.open(link.dataset.term, dialog.contains(link) ? null : link);
    });
  }

  /** Opens the glossary at `id` (or at its top); `opener` gets the focus back on close. */
  open(id = null, opener = null) {
    if (opener) this.opener = opener;
    if (!this.dialog.open) this.dialog.showModal();
    for (const dt of Object.values(this.entries)) dt.classList.toggle('current', dt.dataset.term === id);
    const target = id && this.entries[id];
    if (target) {
      target.scrollIntoView({ block: 'start' });
      target.focus({ preventScroll: true });
    } else {
      this.list.parentElement.scrollTop = 0;
      this.dialog.querySelector('[data-close]').focus();
    }
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }
}

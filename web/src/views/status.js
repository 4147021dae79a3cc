// The page's voice: the error banner (role="alert") and a polite live region that announces
// training progress to screen readers without interrupting them. Errors are shown in the
// page's language (i18n/errors.js: a message key, an engine code, or a known message).
import { renderError } from '../i18n/errors.js';

export class Banner {
  constructor({ banner, text, close, i18n }) {
    Object.assign(this, { banner, text, i18n });
    close.addEventListener('click', () => this.hide());
  }
  show(err) {
    renderError(this.text, err, this.i18n);
    this.banner.hidden = false;
  }
  hide() {
    this.banner.hidden = true;
  }
}

export class Announcer {
  /** @param {HTMLElement} region aria-live="polite" */
  constructor(region) {
    this.region = region;
    this.last = '';
    this.lastAt = -Infinity; // performance.now() of the last announcement
  }
  say(text) {
    // Re-announcing identical text needs a change in the region's content.
    this.region.textContent = text === this.last ? `${text}\u00a0` : text;
    this.last = text;
    this.lastAt = performance.now();
  }
}

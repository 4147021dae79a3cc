// The page's voice: the error banner (role="alert") and a polite live region that announces
// training progress to screen readers without interrupting them.
export class Banner {
  constructor({ banner, text, close }) {
    Object.assign(this, { banner, text });
    close.addEventListener('click', () => this.hide());
  }
  show(err) {
    // Never a blank banner: some browser errors carry an empty message ('' ?? … would keep it).
    this.text.textContent = err?.message || (err?.name ? `${err.name} (the browser gave no details)` : String(err ?? 'unknown error'));
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

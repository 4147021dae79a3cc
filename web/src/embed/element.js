// <ae-playground>: the whole playground as one custom element. A course page needs two lines,
//   <script type="module" src="https://…/ae-playground.js"></script>
//   <ae-playground lesson="latent-2d"></ae-playground>
// and may hold several: each element has its own worker, settings, storage namespace (saved
// models and the autosave) and a shadow root, so its styles neither leak out nor are reached by
// the host page's CSS. The standalone page is one such element with `url-state` (its settings
// live in the URL hash); elements on course pages leave the URL alone.
//
// Attributes: embed/options.js. Events (bubbling, composed CustomEvents; detail as in
// playground.js): ae-ready, ae-train-start, ae-train-pause, ae-epoch, ae-model-change, ae-error
// (the playground showed an error banner: { message }).
// Methods: start(), pause(), loadModel(url), setSettings(patch); property `settings`.
import css from '../styles.css?inline';
import { SITE_ROOT } from '../lib/site.js';
import { registerOffline } from '../offline/register.js';
import { mountPlayground } from '../playground.js';
import { ATTRIBUTES, readAttributes } from './options.js';

let sheet = null; // one stylesheet object shared by every element on the page
function styleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  return sheet;
}

export class AePlayground extends HTMLElement {
  static observedAttributes = ATTRIBUTES;
  #handle = null;

  connectedCallback() {
    if (this.#handle) return; // moved within the page: keep running
    registerOffline();
    const shadow = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    shadow.adoptedStyleSheets = [styleSheet()];
    const urlState = this.hasAttribute('url-state');
    const o = readAttributes(Object.fromEntries(ATTRIBUTES.map((a) => [a, this.getAttribute(a)])));
    if (!urlState) o.entries.embed ??= '1'; // in a course page: no page title, the panels only
    this.#applyHeight(o.height);
    this.#handle = mountPlayground({
      root: shadow,
      host: this,
      options: {
        baseUrl: SITE_ROOT,
        fullPageUrl: `${SITE_ROOT}index.html`,
        urlState,
        settings: o.entries,
        storage: o.storage ?? (urlState ? '' : this.#defaultStorage()),
        notes: o.messages,
        // Without a lang attribute: the language of the page around the element, if it says.
        hostLang: urlState ? null : (this.parentElement?.closest('[lang]')?.getAttribute('lang') ?? null),
      },
      emit: (name, detail) => this.dispatchEvent(new CustomEvent(`ae-${name}`, { detail, bubbles: true, composed: true })),
    });
  }

  disconnectedCallback() {
    // Removed from the page (not just moved, which reconnects at once): stop its worker.
    queueMicrotask(() => {
      if (this.isConnected || !this.#handle) return;
      this.#handle.destroy();
      this.#handle = null;
    });
  }

  attributeChangedCallback(name, old, value) {
    if (!this.#handle || old === value) return;
    const o = readAttributes({ [name]: value });
    if (name === 'height') this.#applyHeight(o.height);
    else if (Object.keys(o.entries).length) this.#handle.propose(o.entries);
  }

  /** Starts training, as the Start button does. Resolves once it runs. */
  start() {
    return this.#require().start();
  }

  pause() {
    return this.#require().pause();
  }

  /** Loads a model file (.aemf) from a URL (same origin, or one that allows CORS). */
  loadModel(url) {
    return this.#require().loadModel(url);
  }

  /** Opens a lesson (lessons.js; the teachers' page lists them). */
  setLesson(id) {
    return this.#require().setLesson(id);
  }

  /** Applies settings (the keys of a playground link, e.g. { lr: 0.01, epochs: 3 }). */
  setSettings(patch) {
    return this.#require().propose(patch);
  }

  /** The current settings (a copy). */
  get settings() {
    return this.#handle ? structuredClone(this.#handle.store.state) : null;
  }

  #require() {
    if (!this.#handle) throw new Error('<ae-playground> is not on the page');
    return this.#handle;
  }

  #applyHeight(height) {
    this.style.height = height ?? '';
    this.toggleAttribute('data-fixed-height', Boolean(height));
  }

  /** Without a storage attribute: the element's id, else its position among the page's playgrounds. */
  #defaultStorage() {
    if (/^[\w.-]{1,64}$/.test(this.id)) return this.id;
    const all = Array.from(this.ownerDocument.querySelectorAll('ae-playground'));
    return `element-${Math.max(0, all.indexOf(this)) + 1}`;
  }
}

if (!customElements.get('ae-playground')) customElements.define('ae-playground', AePlayground);

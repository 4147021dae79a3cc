// The guided first visit: a short tour that highlights one part of the page at a time, with a
// card of text. Nothing moves on its own: a step that does something (draws a 3, starts
// training, plays the interpolation) names the action on its main button, does it when the
// learner presses that button (or Space), and only then offers Next ("a chunk of text, then a
// key press, then the action"). Escape or "Skip the tour" leaves it; the step is remembered
// (localStorage), so "Resume the tour" picks it up after a reload.
//
// The card is a manual popover (the top layer: it stays in view whatever the playground's own
// containment), a non-modal dialog: focus moves to its title at each step, the live region
// says "Step n of N: title", and everything else on the page keeps working.

/** The steps: what each highlights (an element id in the playground) and what its button does. */
export const TOUR_STEPS = Object.freeze([
  { id: 'draw', target: 'draw-pad', action: 'draw' },
  { id: 'input', target: 'model-input-figure' },
  { id: 'code', target: 'draw-code-figure' },
  { id: 'recon', target: 'draw-recon-figure' },
  { id: 'train', target: 'train-controls', action: 'train' },
  { id: 'loss', target: 'learn-chart' },
  { id: 'map', target: 'latent-map-figure' },
  { id: 'interp', target: 'interp-player', action: 'play' },
  { id: 'end', target: null },
]);

const STORE_KEY = 'ae-playground.tour';

export class Tour {
  /**
   * @param {object} o
   * @param {ShadowRoot|HTMLElement} o.root   where the targets live (found by id)
   * @param {Record<string, HTMLElement>} o.el card, count, title, text, back, next, skip,
   *   take (the header's "Take the tour" button)
   * @param {import('../i18n/index.js').I18n} o.i18n
   * @param {Record<string, () => Promise<void>|void>} o.actions  draw, train, play
   * @param {() => object} o.params  message parameters (the code size, …)
   * @param {(text: string) => void} o.announce
   * @param {Storage|null} [o.storage]
   */
  constructor({ root, el, i18n, actions, params, announce, storage = safeStorage() }) {
    Object.assign(this, { root, el, i18n, actions, params, announce, storage });
    this.index = -1; // the step shown, -1 when the tour is closed
    this.acted = false; // the shown step's action has run
    this.busy = false;
    el.next.addEventListener('click', () => this.next());
    el.back.addEventListener('click', () => this.show(this.index - 1));
    el.skip.addEventListener('click', () => this.leave());
    el.take.addEventListener('click', () => this.start(this.#saved()?.done === false ? this.#saved().step : 0));
    el.card.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.leave();
      } else if (e.key === ' ' && !e.target.closest('button')) {
        // Space on the card (its title has the focus after each step) acts as Next.
        e.preventDefault();
        this.next();
      }
    });
    i18n.onChange(() => this.#renderTake());
    this.#renderTake();
  }

  get open() {
    return this.index >= 0;
  }

  /** Opens the tour at step `index` (0 = the beginning). */
  start(index = 0) {
    if (!this.el.card.matches(':popover-open')) this.el.card.showPopover();
    this.show(Math.max(0, Math.min(TOUR_STEPS.length - 1, index)));
  }

  show(index) {
    if (index < 0 || index >= TOUR_STEPS.length) return;
    this.#unhighlight();
    this.index = index;
    this.acted = false;
    const step = TOUR_STEPS[index];
    const p = this.params();
    const { card, count, title, text, back } = this.el;
    card.dataset.step = step.id;
    this.i18n.text(count, 'tour.stepOf', { step: index + 1, total: TOUR_STEPS.length });
    this.i18n.text(title, `tour.${step.id}.title`);
    this.i18n.text(text, `tour.${step.id}.text`, p);
    back.disabled = index === 0;
    this.#renderNext();
    const target = step.target && this.root.querySelector(`#${step.target}`);
    if (target) {
      target.classList.add('tour-target');
      target.scrollIntoView({ block: 'center', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
    }
    this.#save({ step: index, done: false });
    title.focus({ preventScroll: true });
    this.announce(this.i18n.plain('tour.announce', { step: index + 1, total: TOUR_STEPS.length, title: { $: 'msg', k: `tour.${step.id}.title` } }));
  }

  /** The main button: the step's action if it has one not yet done, else the next step. */
  async next() {
    if (this.busy || !this.open) return;
    const step = TOUR_STEPS[this.index];
    if (step.action && !this.acted) {
      this.busy = true;
      this.el.next.disabled = true;
      try {
        await this.actions[step.action]?.();
      } finally {
        this.busy = false;
        this.acted = true;
        this.el.next.disabled = false;
        this.#renderNext();
        this.el.next.focus();
      }
      return;
    }
    if (this.index === TOUR_STEPS.length - 1) this.finish();
    else this.show(this.index + 1);
  }

  finish() {
    this.#close();
    this.#save({ step: 0, done: true });
    this.announce(this.i18n.plain('tour.done'));
    this.#renderTake();
    this.el.take.focus();
  }

  /** Escape or "Skip the tour": closes, remembering where (the header then offers to resume). */
  leave() {
    if (!this.open) return;
    const step = this.index;
    this.#close();
    this.#save({ step, done: false });
    this.announce(this.i18n.plain('tour.left', { step: step + 1 }));
    this.#renderTake();
    this.el.take.focus();
  }

  #close() {
    this.#unhighlight();
    this.index = -1;
    if (this.el.card.matches(':popover-open')) this.el.card.hidePopover();
  }

  #unhighlight() {
    for (const t of this.root.querySelectorAll('.tour-target')) t.classList.remove('tour-target');
  }

  #renderNext() {
    const step = TOUR_STEPS[this.index];
    const last = this.index === TOUR_STEPS.length - 1;
    const key = step.action && !this.acted ? `tour.${step.id}.action` : last ? 'tour.finish' : 'tour.next';
    this.i18n.text(this.el.next, key);
    this.el.next.dataset.action = step.action && !this.acted ? step.action : last ? 'finish' : 'next';
  }

  /** The header's link: "Take the tour", or "Resume the tour (step n of N)" after leaving midway. */
  #renderTake() {
    const s = this.#saved();
    if (s && s.done === false && s.step > 0 && !this.open) this.i18n.text(this.el.take, 'tour.resume', { step: s.step + 1, total: TOUR_STEPS.length });
    else this.i18n.text(this.el.take, 'tour.take');
  }

  /** Whether the tour was ever opened here (the first visit offers it). */
  seen() {
    return this.#saved() !== null;
  }

  /** The first visit's offer was declined: remember it as done. */
  decline() {
    this.#save({ step: 0, done: true });
  }

  #saved() {
    try {
      const v = JSON.parse(this.storage?.getItem(STORE_KEY) ?? 'null');
      return v && Number.isInteger(v.step) ? v : null;
    } catch {
      return null;
    }
  }

  #save(v) {
    try {
      this.storage?.setItem(STORE_KEY, JSON.stringify(v));
    } catch {
      // private browsing without storage: the tour just does not resume
    }
  }
}

function safeStorage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

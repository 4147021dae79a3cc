// A computation the person starts with a button and may stop (the linear autoencoder, the latent
// sweep, the overfitting runs): it trains models of its own in the worker (lanes 'sweep' and
// 'run'), so it never starts by itself. While it runs, its start button is disabled and its stop
// button shown; a run stopped (by the person, or by a newer run on the same lane) resolves to
// null rather than failing.
export class LabRun {
  /**
   * @param {object} o
   * @param {HTMLButtonElement} o.start
   * @param {HTMLButtonElement} o.stop
   * @param {(payload: object) => Promise<object>} o.request  the worker request
   * @param {() => Promise<unknown>} o.cancel  LAB_CANCEL of the run's lane
   */
  constructor({ start, stop, request, cancel }) {
    Object.assign(this, { start, stop, request, cancelRequest: cancel });
    this.running = false;
    this.token = 0;
    stop.hidden = true;
    stop.addEventListener('click', () => this.cancel());
  }

  /** Runs the request; resolves to its result, or null when it was stopped. */
  async go(payload) {
    const token = ++this.token;
    this.#busy(true);
    try {
      return await this.request(payload);
    } catch (err) {
      if (err?.code === 'cancelled') return null;
      throw err;
    } finally {
      if (token === this.token) this.#busy(false);
    }
  }

  cancel() {
    if (this.running) this.cancelRequest().catch(() => {});
  }

  #busy(on) {
    this.running = on;
    this.start.disabled = on;
    this.stop.hidden = !on;
  }
}

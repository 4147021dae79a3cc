// Formulas tied to what moves: the loss of the current model term by term (each term in the
// colour of its line in the loss chart, with its latest value; pointing at or focusing a term
// picks out its line, and the chart's legend picks out the term), the encoder and decoder layer
// by layer with the current sizes beside a diagram of the model (a line picks out its box), and
// for VAEs the reparameterisation z = μ + σ·ε with the current drawing's μ and σ.
// Typeset with KaTeX, loaded when the section first comes near the screen (formulas/katex.js).
import { SPARSITY_KL_TEX, lossTerms, modelLayers, reparamTex } from '../formulas/tex.js';
import { isVae } from '../state.js';
import { V } from '../i18n/values.js';

const SERIES_COLOR = { total: '--series-total', recon: '--series-recon', kl: '--series-kl', sparsity: '--series-sparsity', weightDecay: '--series-wd' };
const TERM_NAME = { total: 'learn.series.total', recon: 'formula.term.recon', kl: 'formula.term.kl', sparsity: 'formula.term.sparsity', weightDecay: 'formula.term.weightDecay' };

export class Formulas {
  /**
   * @param {object} o
   * @param {Record<string, HTMLElement>} o.el  section, status, loss, where, diagram, layers, vae, reparam, reparamNote
   * @param {import('../i18n/index.js').I18n} o.i18n
   * @param {() => Promise<object>} o.loadKatex
   * @param {(series: string|null) => void} o.onHighlight  a term was pointed at (null: no longer)
   */
  constructor({ el, i18n, loadKatex, onHighlight }) {
    Object.assign(this, { el, i18n, loadKatex, onHighlight });
    this.katex = null;
    this.state = null;
    this.values = {};
    this.posterior = null; // the drawing's [μ | log σ²], or null
    this.termEls = {};
    const start = () => {
      if (this.loading) return;
      i18n.text(el.status, 'formula.loading');
      this.loading = loadKatex()
        .then((k) => {
          this.katex = k;
          el.status.hidden = true;
          el.section.dataset.ready = '1';
          this.#render();
        })
        .catch((err) => {
          el.status.hidden = false;
          i18n.text(el.status, 'formula.failed', { reason: V.raw(err.message) });
        });
    };
    if (typeof IntersectionObserver === 'function') {
      const io = new IntersectionObserver((entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        io.disconnect();
        start();
      }, { rootMargin: '400px' });
      io.observe(el.section);
    } else start();
    this.start = start;
    i18n.onChange(() => this.#render());
  }

  /** The current settings (the model's kind, sizes, loss and weights of its terms). */
  setModel(state) {
    const key = JSON.stringify([state.variant, state.widths, state.conv, state.latent, state.activation, state.loss, state.weight_decay_l2 > 0, state.kl_weight, state.sparsity_target, state.sparsity_weight, state.weight_decay_l2]);
    if (key === this.modelKey) return;
    this.modelKey = key;
    this.state = state;
    if (!isVae(state)) this.posterior = null;
    this.#render();
  }

  /** The latest per-image loss terms (a PROGRESS event's loss). */
  setValues(loss) {
    this.values = { ...(loss ?? {}) };
    // A history that kept only the total: the reconstruction term is what the penalties leave.
    const v = this.values;
    if (!Number.isFinite(v.recon) && Number.isFinite(v.total)) v.recon = v.total - (v.kl || 0) - (v.sparsity || 0) - (v.weightDecay || 0);
    for (const [id, el] of Object.entries(this.termEls)) this.#value(id, el);
  }

  /** The drawing's posterior row [μ | log σ²] (VAEs), or null. */
  setPosterior(row) {
    this.posterior = row ? Float32Array.from(row) : null;
    this.#renderVae();
  }

  /** Picks out one term (the chart's legend was pointed at), or none. */
  highlight(id) {
    for (const [k, el] of Object.entries(this.termEls)) el.classList.toggle('hl', k === id);
  }

  #tex(el, tex) {
    el.replaceChildren();
    this.katex.render(tex, el, { throwOnError: false, output: 'htmlAndMathml' });
  }

  #render() {
    if (!this.katex || !this.state) return;
    this.#renderLoss();
    this.#renderModel();
    this.#renderVae();
  }

  #renderLoss() {
    const s = this.state;
    const { loss, where } = this.el;
    loss.replaceChildren();
    this.termEls = {};
    lossTerms(s).forEach((t, i) => {
      if (i === 1) loss.append(op('='));
      else if (i > 1) loss.append(op('+'));
      const term = document.createElement('span');
      term.className = 'fterm';
      term.tabIndex = 0;
      term.dataset.series = t.id;
      term.style.setProperty('--term', `var(${SERIES_COLOR[t.id]})`);
      const math = document.createElement('span');
      math.className = 'fmath';
      this.#tex(math, t.tex);
      const value = document.createElement('span');
      value.className = 'fvalue';
      term.append(math, value);
      for (const [ev, on] of [['pointerenter', true], ['focus', true], ['pointerleave', false], ['blur', false]]) {
        term.addEventListener(ev, () => {
          this.highlight(on ? t.id : null);
          this.onHighlight(on ? t.id : null);
        });
      }
      this.termEls[t.id] = term;
      this.#value(t.id, term);
      loss.append(term);
    });
    // Where: what each term is, with the current weights.
    where.replaceChildren();
    const item = (id, key, params, tex) => {
      const li = document.createElement('li');
      li.style.setProperty('--term', `var(${SERIES_COLOR[id]})`);
      const p = document.createElement('span');
      this.i18n.text(p, key, params);
      li.append(p);
      if (tex) {
        const m = document.createElement('span');
        m.className = 'fmath block';
        this.#tex(m, tex);
        li.append(m);
      }
      where.append(li);
    };
    item('recon', s.loss === 'mse' ? 'formula.recon.mse' : 'formula.recon.bce');
    if (this.termEls.kl) item('kl', 'formula.kl', { z: s.latent, beta: V.small(s.kl_weight) });
    if (this.termEls.sparsity) item('sparsity', 'formula.sparsity', { z: s.latent, rho: V.small(s.sparsity_target), beta: V.small(s.sparsity_weight) }, SPARSITY_KL_TEX);
    if (this.termEls.weightDecay) item('weightDecay', 'formula.weightDecay', { lambda: V.small(s.weight_decay_l2) });
  }

  #value(id, term) {
    const v = this.values[id];
    const value = term.querySelector('.fvalue');
    const has = Number.isFinite(v) && (v > 0 || id === 'total' || id === 'recon');
    if (has) value.textContent = `= ${this.i18n.format(V.loss(v))}`;
    else this.i18n.text(value, 'formula.noValue');
    this.i18n.attr(term, 'aria-label', 'formula.termLabel', {
      name: V.msg(TERM_NAME[id]),
      value: has ? V.loss(v) : V.msg('formula.noValue'),
    });
  }

  #renderModel() {
    const { diagram, layers } = this.el;
    const { boxes, layers: eqs } = modelLayers(this.state);
    diagram.replaceChildren();
    const max = Math.log2(Math.max(...boxes.map((b) => b.size)));
    boxes.forEach((b, i) => {
      if (i) {
        const arrow = document.createElement('span');
        arrow.className = 'arrow';
        arrow.textContent = '→';
        arrow.setAttribute('aria-hidden', 'true');
        diagram.append(arrow);
      }
      const box = document.createElement('span');
      box.className = `mbox ${b.kind}`;
      box.dataset.box = String(i);
      const bar = document.createElement('span');
      bar.className = 'mbar';
      bar.style.height = `${Math.max(12, (Math.log2(b.size) / max) * 72)}px`;
      const label = document.createElement('span');
      label.className = 'mlabel';
      label.textContent = b.label;
      const kind = document.createElement('span');
      kind.className = 'mkind';
      this.i18n.text(kind, `formula.layer.${boxKind(b.kind)}`);
      box.append(bar, label, kind);
      diagram.append(box);
    });
    this.i18n.attr(diagram, 'aria-label', 'formula.diagramLabel', { sizes: V.raw(boxes.map((b) => b.label).join(' → ')) });
    layers.replaceChildren();
    let part = null;
    for (const eq of eqs) {
      if (eq.part !== part) {
        part = eq.part;
        const h = document.createElement('p');
        h.className = 'fpart';
        this.i18n.text(h, `formula.${part}`);
        layers.append(h);
      }
      const line = document.createElement('div');
      line.className = 'fline';
      line.tabIndex = 0;
      line.dataset.box = String(eq.box);
      this.#tex(line, eq.tex);
      // A name for the focusable line (the typeset maths inside also carries MathML).
      this.i18n.attr(line, 'aria-label', 'formula.lineLabel', { part: V.msg(`formula.${eq.part}`), size: V.raw(boxes[eq.box].label), kind: V.msg(`formula.layer.${boxKind(boxes[eq.box].kind)}`) });
      const pick = (on) => {
        for (const b of diagram.querySelectorAll('.mbox')) b.classList.toggle('hl', on && b.dataset.box === line.dataset.box);
        line.classList.toggle('hl', on);
      };
      line.addEventListener('pointerenter', () => pick(true));
      line.addEventListener('focus', () => pick(true));
      line.addEventListener('pointerleave', () => pick(false));
      line.addEventListener('blur', () => pick(false));
      layers.append(line);
    }
    this.el.convNote.hidden = !this.state.conv || !['conv', 'conv_vae'].includes(this.state.variant);
  }

  #renderVae() {
    if (!this.katex || !this.state) return;
    const { reparam, reparamNote, vae } = this.el;
    const on = isVae(this.state);
    vae.dataset.vae = on ? '1' : '0';
    reparam.replaceChildren();
    delete reparam.dataset.mu;
    if (!on) {
      this.i18n.text(reparamNote, 'formula.vaeNotVae');
      return;
    }
    if (!this.posterior || this.posterior.length !== 2 * this.state.latent) {
      this.i18n.text(reparamNote, 'formula.vaeNone');
      return;
    }
    const r = reparamTex(this.posterior);
    this.i18n.text(reparamNote, 'formula.vaeDrawing', { shown: r.shown, z: r.z });
    this.#tex(reparam, r.tex);
    reparam.dataset.mu = r.mu.map((m) => m.toFixed(3)).join(',');
    reparam.dataset.sigma = r.sigma.map((m) => m.toFixed(3)).join(',');
  }
}

const boxKind = (k) => (['input', 'output', 'code', 'conv'].includes(k) ? k : 'hidden');

function op(text) {
  const s = document.createElement('span');
  s.className = 'fop';
  s.textContent = text;
  return s;
}

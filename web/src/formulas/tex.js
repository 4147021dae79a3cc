// The formulas of the current model, as TeX (typeset by KaTeX in views/formulas.js): the loss and
// each of its terms (the ids of the loss chart's lines), the layers of the encoder and decoder
// with the current sizes (tied to the diagram's boxes), and the VAE's reparameterisation with a
// drawing's μ and σ. Pure: tests/web/formulas.test.js checks them against the engine's configs.
import { isConv, isVae } from '../state.js';

const D = 784;
const ACT_TEX = { relu: '\\operatorname{ReLU}', leaky_relu: '\\operatorname{LeakyReLU}', sigmoid: '\\operatorname{sigmoid}', tanh: '\\tanh', identity: '' };
const act = (name, inner) => (ACT_TEX[name] ? `${ACT_TEX[name]}\\!\\left(${inner}\\right)` : inner);

/**
 * The terms of the loss the current settings train with, in the chart's order.
 * @param {object} s page settings (state.js)
 * @returns {{id: 'total'|'recon'|'kl'|'sparsity'|'weightDecay', tex: string}[]}  total first: 𝓛
 */
export function lossTerms(s) {
  const terms = [{ id: 'total', tex: '\\mathcal{L}' }];
  terms.push({
    id: 'recon',
    tex: s.loss === 'mse'
      ? `\\sum_{i=1}^{${D}} \\left(x_i - \\hat{x}_i\\right)^2`
      : `-\\sum_{i=1}^{${D}} \\Big[x_i \\log \\hat{x}_i + (1 - x_i) \\log\\left(1 - \\hat{x}_i\\right)\\Big]`,
  });
  if (isVae(s)) terms.push({ id: 'kl', tex: `\\beta \\cdot \\tfrac{1}{2} \\sum_{j=1}^{${s.latent}} \\left(\\mu_j^2 + \\sigma_j^2 - \\log \\sigma_j^2 - 1\\right)` });
  if (s.variant === 'sparse') terms.push({ id: 'sparsity', tex: `\\beta \\sum_{j=1}^{${s.latent}} \\operatorname{KL}\\!\\left(\\rho \\,\\|\\, \\hat{\\rho}_j\\right)` });
  if (s.weight_decay_l2 > 0) terms.push({ id: 'weightDecay', tex: '\\tfrac{\\lambda}{2} \\sum_{w} w^2' });
  return terms;
}

/** The definition of the sparsity penalty's KL, for the "where" list. */
export const SPARSITY_KL_TEX = '\\operatorname{KL}(\\rho \\,\\|\\, \\hat{\\rho}_j) = \\rho \\log \\frac{\\rho}{\\hat{\\rho}_j} + (1 - \\rho) \\log \\frac{1 - \\rho}{1 - \\hat{\\rho}_j}';

/** Convolution stages as the engine builds them (3×3, stride 2, padding 1): sizes in and out. */
function convStages(s) {
  const stages = [];
  let c = 1, side = 28;
  for (const ch of s.conv) {
    const next = Math.floor((side + 2 - 3) / 2) + 1;
    stages.push({ cin: c, cout: ch, sideIn: side, sideOut: next });
    c = ch;
    side = next;
  }
  return stages;
}

/**
 * The diagram's boxes (input → … → code → … → output) and one equation per layer, each
 * pointing at the box it produces.
 * @returns {{boxes: {kind: 'input'|'conv'|'hidden'|'code'|'output', size: number, label: string}[],
 *   layers: {part: 'encoder'|'decoder', box: number, tex: string}[]}}
 */
export function modelLayers(s) {
  const boxes = [{ kind: 'input', size: D, label: String(D) }];
  const layers = [];
  const f = s.activation;
  let prev = 'x';
  let prevSize = D;
  let k = 0;
  const stages = isConv(s) ? convStages(s) : [];
  for (const st of stages) {
    k += 1;
    boxes.push({ kind: 'conv', size: st.cout * st.sideOut ** 2, label: `${st.cout}×${st.sideOut}×${st.sideOut}` });
    layers.push({ part: 'encoder', box: boxes.length - 1, tex: `h_{${k}} = ${act(f, `\\operatorname{conv}(${prev};\\, W_{${k}}) + b_{${k}}`)} \\quad W_{${k}} \\in \\mathbb{R}^{${st.cout}\\times${st.cin}\\times3\\times3}` });
    prev = `h_{${k}}`;
    prevSize = st.cout * st.sideOut ** 2;
  }
  for (const w of s.widths) {
    k += 1;
    boxes.push({ kind: 'hidden', size: w, label: String(w) });
    layers.push({ part: 'encoder', box: boxes.length - 1, tex: `h_{${k}} = ${act(f, `W_{${k}} ${prev} + b_{${k}}`)} \\quad W_{${k}} \\in \\mathbb{R}^{${w}\\times${prevSize}}` });
    prev = `h_{${k}}`;
    prevSize = w;
  }
  k += 1;
  const z = s.latent;
  boxes.push({ kind: 'code', size: z, label: String(z) });
  const codeBox = boxes.length - 1;
  if (isVae(s)) {
    layers.push({ part: 'encoder', box: codeBox, tex: `\\left[\\mu,\\ \\log\\sigma^2\\right] = W_{${k}} ${prev} + b_{${k}} \\quad W_{${k}} \\in \\mathbb{R}^{${2 * z}\\times${prevSize}}` });
    layers.push({ part: 'encoder', box: codeBox, tex: 'z = \\mu + \\sigma \\odot \\varepsilon, \\quad \\varepsilon \\sim \\mathcal{N}(0, I)' });
  } else {
    const code = s.variant === 'sparse' ? act('sigmoid', `W_{${k}} ${prev} + b_{${k}}`) : `W_{${k}} ${prev} + b_{${k}}`;
    layers.push({ part: 'encoder', box: codeBox, tex: `z = ${code} \\quad W_{${k}} \\in \\mathbb{R}^{${z}\\times${prevSize}}` });
  }
  // The decoder mirrors the encoder: dense layers back up, then (conv) transposed convolutions.
  prev = 'z';
  prevSize = z;
  let d = 0;
  const mirrored = [...s.widths].reverse();
  const flatConv = stages.length ? stages[stages.length - 1].cout * stages[stages.length - 1].sideOut ** 2 : 0;
  const denseOut = stages.length ? [...mirrored, flatConv] : mirrored;
  for (const [i, w] of denseOut.entries()) {
    d += 1;
    const isFlat = stages.length && i === denseOut.length - 1;
    const last = stages.length ? stages[stages.length - 1] : null;
    boxes.push({ kind: isFlat ? 'conv' : 'hidden', size: w, label: isFlat ? `${last.cout}×${last.sideOut}×${last.sideOut}` : String(w) });
    layers.push({ part: 'decoder', box: boxes.length - 1, tex: `h'_{${d}} = ${act(f, `W'_{${d}} ${prev} + b'_{${d}}`)} \\quad W'_{${d}} \\in \\mathbb{R}^{${w}\\times${prevSize}}` });
    prev = `h'_{${d}}`;
    prevSize = w;
  }
  for (let i = stages.length - 1; i >= 0; i--) {
    d += 1;
    const st = stages[i];
    const out = i === 0;
    boxes.push(out ? { kind: 'output', size: D, label: String(D) } : { kind: 'conv', size: st.cin * st.sideIn ** 2, label: `${st.cin}×${st.sideIn}×${st.sideIn}` });
    const inner = `\\operatorname{conv}^{\\top}(${prev};\\, W'_{${d}}) + b'_{${d}}`;
    layers.push({ part: 'decoder', box: boxes.length - 1, tex: `${out ? '\\hat{x}' : `h'_{${d}}`} = ${out ? act('sigmoid', inner) : act(f, inner)} \\quad W'_{${d}} \\in \\mathbb{R}^{${st.cin}\\times${st.cout}\\times3\\times3}` });
    prev = `h'_{${d}}`;
  }
  if (!stages.length) {
    d += 1;
    boxes.push({ kind: 'output', size: D, label: String(D) });
    layers.push({ part: 'decoder', box: boxes.length - 1, tex: `\\hat{x} = ${act('sigmoid', `W'_{${d}} ${prev} + b'_{${d}}`)} \\quad W'_{${d}} \\in \\mathbb{R}^{${D}\\times${prevSize}}` });
  }
  return { boxes, layers };
}

const num = (x) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2)).replace(/^-/, '-') : '?');
const vec = (xs, more) => `\\left(${xs.map(num).join(',\\ ')}${more ? ',\\ \\dots' : ''}\\right)`;

/**
 * z = μ + σ ⊙ ε with a drawing's μ and σ (the first `shown` dimensions).
 * @param {Float32Array|number[]} posterior one row [μ | log σ²] (2Z)
 */
export function reparamTex(posterior, shown = 4) {
  const z = posterior.length / 2;
  const n = Math.min(shown, z);
  const mu = Array.from(posterior.slice(0, n));
  const sigma = Array.from(posterior.slice(z, z + n), (lv) => Math.exp(0.5 * lv));
  const more = z > n;
  return { tex: `z = \\underbrace{${vec(mu, more)}}_{\\mu} + \\underbrace{${vec(sigma, more)}}_{\\sigma} \\odot\\, \\varepsilon`, mu, sigma, z, shown: n };
}

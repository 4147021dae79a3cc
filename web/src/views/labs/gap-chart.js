// The overfitting demonstration's chart: per-image BCE on the training images (solid) and on the
// test images (dashed) after every epoch, for each run (plain, with dropout, with weight decay):
// the space between a run's two lines is its train–test gap. Runs keep their colour; a table
// (fillTable) gives each run's figures at its last epoch and its best test error.
import { Plot, extent } from './plot.js';

const COLORS = ['--lab-run-0', '--lab-run-1', '--lab-run-2', '--lab-run-3'];

export class GapChart {
  /** @param {HTMLCanvasElement} canvas @param {HTMLTableSectionElement} [table] */
  constructor(canvas, table = null) {
    this.canvas = canvas;
    this.table = table;
    this.runs = []; // [{ label, epochs: [{ epoch, trainBce, testBce }] }]
    this.labels = { x: 'epoch', y: 'BCE per image', train: 'train', test: 'test', num: (v) => v.toFixed(1) };
    this.plot = new Plot(canvas, (p) => this.#paint(p), { l: 44, r: 12, t: 22, b: 34 });
  }

  setLabels(labels) {
    Object.assign(this.labels, labels);
    this.plot.draw();
    this.#fillTable();
  }

  set(runs) {
    this.runs = runs;
    this.plot.draw();
    this.#fillTable();
  }

  #paint(p) {
    const L = this.labels;
    const all = this.runs.flatMap((r) => r.epochs);
    if (!all.length) return p.empty(L.empty ?? '');
    const eMax = Math.max(2, ...all.map((e) => e.epoch));
    // The first epochs' errors are far above the rest: the scale follows the last two thirds of
    // the epochs (the lines run off the top before), so the gap between the curves shows.
    const settled = all.filter((e) => e.epoch >= Math.max(2, Math.ceil(eMax / 3)) || eMax <= 3);
    const ys = settled.flatMap((e) => [e.trainBce, e.testBce]);
    const [lo, hi] = extent(ys, { margin: 0.06 });
    p.scales({ domain: [0, eMax] }, { domain: [lo, hi] });
    p.axes({ xLabel: L.x, yLabel: L.y });
    const entries = [];
    const { ctx } = p;
    ctx.save();
    ctx.beginPath();
    ctx.rect(p.pad.l, p.pad.t, p.w, p.h);
    ctx.clip();
    this.runs.forEach((r, i) => {
      const color = COLORS[i % COLORS.length];
      p.line(r.epochs.map((e) => [e.epoch, e.trainBce]), { color, width: 2 });
      p.line(r.epochs.map((e) => [e.epoch, e.testBce]), { color, width: 2, dash: [6, 3] });
      entries.push({ label: r.label, color });
    });
    ctx.restore();
    entries.push({ label: L.train, color: '--muted' }, { label: L.test, color: '--muted', dash: [6, 3] });
    p.legend(entries, { align: 'right' });
  }

  #fillTable() {
    if (!this.table) return;
    const L = this.labels;
    this.table.replaceChildren(...this.runs.filter((r) => r.epochs.length).map((r) => {
      const last = r.epochs.at(-1);
      const best = r.epochs.reduce((a, e) => (e.testBce < a.testBce ? e : a));
      const tr = document.createElement('tr');
      for (const [i, v] of [r.label, String(last.epoch), L.num(last.trainBce), L.num(last.testBce), L.num(last.testBce - last.trainBce), `${L.num(best.testBce)} (${best.epoch})`].entries()) {
        const td = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) td.scope = 'row';
        td.textContent = v;
        tr.append(td);
      }
      return tr;
    }));
  }
}

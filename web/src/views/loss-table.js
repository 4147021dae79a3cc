// The loss chart as a table, one row per epoch: what a screen reader (or anyone who wants the
// numbers) reads instead of the curves.
import { formatLoss } from '../lib/format.js';

const TERMS = [
  ['recon', 'Reconstruction'],
  ['kl', 'KL'],
  ['sparsity', 'Sparsity'],
  ['weightDecay', 'Weight decay'],
];

export class LossTable {
  /** @param {HTMLTableSectionElement} body  @param {HTMLElement} summaryCount */
  constructor(body, summaryCount) {
    this.body = body;
    this.summaryCount = summaryCount;
    this.reset();
  }

  reset() {
    this.body.replaceChildren();
    this.summaryCount.textContent = '(no epochs yet)';
  }

  /** A saved history's rows (EPOCH events). */
  load(rows) {
    this.reset();
    for (const r of rows ?? []) this.add(r);
  }

  /** @param {{epoch: number, trainLoss: number|null, testLoss: object|null}} e */
  add(e) {
    const tr = document.createElement('tr');
    const cells = [
      String(e.epoch),
      formatLoss(e.trainLoss),
      formatLoss(e.testLoss?.total),
      ...TERMS.map(([k]) => formatLoss(e.testLoss?.[k] || null)),
    ];
    cells.forEach((text, i) => {
      const td = document.createElement(i === 0 ? 'th' : 'td');
      if (i === 0) td.scope = 'row';
      td.textContent = text;
      tr.append(td);
    });
    this.body.append(tr);
    const n = this.body.rows.length;
    this.summaryCount.textContent = `(${n} epoch${n === 1 ? '' : 's'})`;
  }
}
export const LOSS_TABLE_HEADERS = ['Epoch', 'Train loss', 'Test loss', ...TERMS.map(([, l]) => `Test ${l.toLowerCase()}`)];

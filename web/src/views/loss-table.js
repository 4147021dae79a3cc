// The loss chart as a table, one row per epoch: what a screen reader (or anyone who wants the
// numbers) reads instead of the curves.
import { formatLoss } from '../lib/format.js';
import { V } from '../i18n/values.js';

const TERMS = [
  ['recon', 'Reconstruction'],
  ['kl', 'KL'],
  ['sparsity', 'Sparsity'],
  ['weightDecay', 'Weight decay'],
];

export class LossTable {
  /**
   * @param {HTMLTableSectionElement} body  @param {HTMLElement} summaryCount
   * @param {import('../i18n/index.js').I18n} i18n
   */
  constructor(body, summaryCount, i18n) {
    this.body = body;
    this.summaryCount = summaryCount;
    this.i18n = i18n;
    this.reset();
  }

  reset() {
    this.body.replaceChildren();
    this.i18n.text(this.summaryCount, 'learn.tableCount', { n: 0 });
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
      V.int(e.epoch),
      V.loss(e.trainLoss),
      V.loss(e.testLoss?.total),
      ...TERMS.map(([k]) => V.loss(e.testLoss?.[k] || null)),
    ];
    cells.forEach((value, i) => {
      const td = document.createElement(i === 0 ? 'th' : 'td');
      if (i === 0) td.scope = 'row';
      td.textContent = this.i18n.format(value);
      tr.append(td);
    });
    this.body.append(tr);
    this.i18n.text(this.summaryCount, 'learn.tableCount', { n: this.body.rows.length });
  }
}

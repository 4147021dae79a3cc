// Whether a model can follow the pen and train in reasonable time on this machine, from the
// engine's estimate of what it costs (Request.ESTIMATE: FLOPs per sample, peak bytes of a batch)
// and the speed this browser reaches (FLOP/s, measured while training; a default until then).
// Pure: the page says what this returns.
import { V } from '../i18n/values.js';
import { formatDuration, formatInt } from './format.js';

// The engine's speed in this browser before anything has trained here, in FLOP/s: the seed model
// (784-400-20-400-784, 3.9 MFLOP per training sample) trains at about 1,500 samples/s in one
// WASM SIMD worker on a modest laptop core, i.e. ~6 GFLOP/s; half that, to err on the side of
// warning. Replaced by the measured speed as soon as a model trains (speedFrom).
export const DEFAULT_FLOPS = 3e9;

/** What following the pen tolerates: one reconstruction per drawn stroke update. */
export const PEN_SECONDS = 0.25;
/** Training slower than this many images per second makes an epoch of MNIST take over 5 minutes. */
export const SLOW_SAMPLES_PER_SEC = 200;

/** FLOP/s measured from a progress report of a model whose estimate is `cost`. */
export function speedFrom(cost, samplesPerSec) {
  if (!cost || !(samplesPerSec > 0) || !(cost.trainFlopsPerSample > 0)) return null;
  return samplesPerSec * cost.trainFlopsPerSample;
}

/**
 * What to tell the person about a model's cost, or null when it is fine.
 * @param {object} cost   the engine's estimate
 * @param {number} flops  this browser's speed, FLOP/s
 * @param {number} trainCount  images in an epoch
 * @returns {{slow: boolean, tooBig: boolean, text: string} | null}
 */
export function costWarning(cost, flops = DEFAULT_FLOPS, trainCount = 60000) {
  if (!cost) return null;
  const mb = (b) => `${formatInt(b / 1e6)} MB`;
  const parts = [];
  const messages = []; // the same, as messages (i18n/values.js) for the page's language
  const tooBig = cost.peakBytes > cost.limitBytes;
  if (tooBig) {
    messages.push(V.msg('cost.tooBig', { peak: V.mb(cost.peakBytes), batch: V.int(cost.batchSize), limit: V.mb(cost.limitBytes) }));
    parts.push(`Training it needs about ${mb(cost.peakBytes)} of memory for a batch of ${formatInt(cost.batchSize)}, more than the ${mb(cost.limitBytes)} the engine may use: lower the batch size or use a smaller model.`);
  }
  const reconstructS = cost.reconstructFlopsPerSample / flops;
  const samplesPerSec = flops / cost.trainFlopsPerSample;
  const slowPen = reconstructS > PEN_SECONDS;
  const slowTrain = samplesPerSec < SLOW_SAMPLES_PER_SEC;
  if (slowPen || slowTrain) {
    const per = `${(cost.trainFlopsPerSample / 1e6).toFixed(0)} MFLOP per training image`;
    const pen = slowPen ? `each reconstruction takes about ${reconstructS.toFixed(1)} s, too slow to follow the pen` : 'it still follows the pen';
    const epoch = formatDuration((trainCount / samplesPerSec) * 1000);
    messages.push(V.msg(slowPen ? 'cost.slowPen' : 'cost.slow', {
      mflop: V.fixed(cost.trainFlopsPerSample / 1e6, 0),
      seconds: V.fixed(reconstructS, 1),
      speed: samplesPerSec < 10 ? V.fixed(samplesPerSec, 1) : V.int(samplesPerSec),
      epoch: V.dur((trainCount / samplesPerSec) * 1000),
    }));
    parts.push(`This model is slow here (${per}): ${pen}, and it trains about ${samplesPerSec < 10 ? samplesPerSec.toFixed(1) : formatInt(samplesPerSec)} images/s, so one epoch takes about ${epoch}. Fewer channels, narrower layers or a smaller batch make it faster.`);
  }
  return parts.length ? { slow: slowPen || slowTrain, tooBig, text: parts.join(' '), message: V.join(messages, ' ') } : null;
}

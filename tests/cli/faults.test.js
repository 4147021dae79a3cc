// Faults the native `ae` program must refuse with a specific message and a non-zero exit code,
// never by crashing, hanging, reading until memory runs out or writing a bad file (issue 10,
// item 6): a diverging run, a model file holding NaN, a directory or a device given as a file,
// an input too large, an unwritable --save, an export onto its own input, a gzip bomb, and a
// dataset name read from a model file's history that is a path.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, closeSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { withHistory, withTensorValue } from '../web/aemf-edit.js';
import { dataset, requireAe, runAe } from './ae-helpers.js';

let dir;
const ae = (...args) => runAe(dir, args);
const at = (name) => join(dir, name);

const TINY = ['--dataset', 'tiny', '--data-dir', '.', '--batch-size', '16', '--encoder', '32', '--latent', '4', '--seed', '3'];

beforeAll(() => {
  requireAe();
  dir = mkdtempSync(join(tmpdir(), 'ae-faults-'));
  writeFileSync(at('tiny-train.aeds'), dataset(64, 'tiny'));
  writeFileSync(at('tiny-test.aeds'), dataset(32, 'tiny'));
  const r = ae('train', ...TINY, '--epochs', '1', '--save', 'good.aemf');
  if (r.code !== 0) throw new Error(`could not train the model the faults start from: ${r.err}`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a diverging run and NaN models', () => {
  it('ae train --optimizer sgd --lr 10 stops with "training diverged", exit 1, and saves nothing NaN', () => {
    const r = ae('train', ...TINY, '--optimizer', 'sgd', '--lr', '10', '--epochs', '3', '--save', 'div.aemf');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^ae train: training diverged: the (evaluation )?(loss|weights) became -?(nan|inf)/);
    expect(r.err).toMatch(/at step \d+/);
    expect(r.out).not.toMatch(/^result /m);
    expect(r.out).not.toMatch(/nan/i); // no epoch line reports a NaN loss
    // Epoch 1 ended with finite weights too large to give a finite loss: checked before saving,
    // so no file was written at all.
    expect(r.out).toMatch(/^epoch=1 train_loss=\S+ /);
    expect(r.err).toContain('training diverged: the evaluation loss became nan');
    expect(existsSync(at('div.aemf'))).toBe(false);
  });

  it('ae eval and ae info refuse a model file holding NaN or infinity (exit 1, tensor named)', () => {
    const good = readFileSync(at('good.aemf'));
    writeFileSync(at('nan.aemf'), withTensorValue(good, 'decoder.0.weight', 5, NaN));
    writeFileSync(at('inf.aemf'), withTensorValue(good, 'encoder.0.bias', 2, -Infinity));
    expect(ae('reconstruct', 'nan.aemf', '--data-dir', '.').code).toBe(1);
    let r = ae('eval', 'nan.aemf', '--data-dir', '.');
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      "ae eval: model file: tensor 'decoder.0.weight' holds a non-finite value (NaN or infinity) at index 5; a model that diverged cannot be loaded\n",
    );
    r = ae('info', 'inf.aemf');
    expect(r.code).toBe(1);
    expect(r.err).toContain("tensor 'encoder.0.bias' holds a non-finite value (NaN or infinity) at index 2");
    r = ae('train', '--resume', 'nan.aemf', '--data-dir', '.');
    expect(r.code).toBe(1);
    expect(r.err).toContain('a model that diverged cannot be loaded');
  });
});

describe('files that are not what they should be', () => {
  it('a directory given as a file is named in the message', () => {
    mkdirSync(at('a-folder'), { recursive: true });
    let r = ae('info', 'a-folder');
    expect(r.code).toBe(1);
    expect(r.err).toBe("ae info: 'a-folder' is a directory; give the path of a model file inside it\n");
    r = ae('train', '--config', 'a-folder');
    expect(r.code).toBe(1);
    expect(r.err).toContain("'a-folder' is a directory; give the path of a config file inside it");
    r = ae('export', 'good.aemf', '--aemf', 'x.aemf', '--history', 'a-folder');
    expect(r.code).toBe(1);
    expect(r.err).toContain("'a-folder' is a directory; give the path of a history file inside it");
    mkdirSync(at('dirdata/tiny-train.aeds.gz'), { recursive: true });
    r = ae('train', '--dataset', 'tiny', '--data-dir', 'dirdata');
    expect(r.code).toBe(1);
    expect(r.err).toContain('dataset file dirdata/tiny-train.aeds.gz is a directory, not a file');
  });

  it('a device or any non-regular file is refused before reading (ae info /dev/zero)', () => {
    const r = ae('info', '/dev/zero');
    expect(r.code).toBe(1);
    expect(r.err).toBe("ae info: '/dev/zero' is not a regular file (a device, pipe or socket); give the path of a model file\n");
    expect(ae('eval', '/dev/urandom').err).toContain("'/dev/urandom' is not a regular file");
    expect(ae('train', '--config', '/dev/zero').err).toContain("'/dev/zero' is not a regular file");
  });

  it('a file larger than any model file is refused by its size, without reading it', () => {
    closeSync(openSync(at('huge.aemf'), 'w'));
    truncateSync(at('huge.aemf'), 2 ** 31); // sparse: 2 GiB that take no disk space
    const r = ae('info', 'huge.aemf');
    expect(r.code).toBe(1);
    expect(r.err).toBe("ae info: 'huge.aemf' is 2147483648 bytes, more than any model file this program reads (at most 1073741824 bytes)\n");
    rmSync(at('huge.aemf'));
  });
});

describe('outputs checked before any work', () => {
  it('--save to a path that cannot be written fails before training', () => {
    for (const [path, message] of [
      ['no-such-folder/m.aemf', "--save 'no-such-folder/m.aemf': the folder 'no-such-folder' does not exist"],
      ['a-folder', "--save 'a-folder' is a directory; give a file name, e.g. a-folder/model.aemf"],
      ['/proc/m.aemf', "--save '/proc/m.aemf' cannot be written: "],
    ]) {
      mkdirSync(at('a-folder'), { recursive: true });
      const r = ae('train', ...TINY, '--epochs', '1', '--save', path);
      expect(r.code, path).toBe(1);
      expect(r.err).toContain(`ae train: ${message}`);
      expect(r.out).toBe(''); // not one epoch was trained
    }
  });

  it('export refuses to write onto its own input, which stays as it was', () => {
    const before = readFileSync(at('good.aemf'));
    let r = ae('export', 'good.aemf', '--aemf', 'good.aemf', '--quantize', 'f16');
    expect(r.code).toBe(2);
    expect(r.err).toContain("--aemf 'good.aemf' is the model file being read: write to another file (the input stays as it is)");
    r = ae('export', 'good.aemf', '--npz', './good.aemf');
    expect(r.code).toBe(2);
    expect(r.err).toContain("--npz './good.aemf' is the model file being read");
    r = ae('export', 'good.aemf', '--npz', 'same.out', '--aemf', 'same.out');
    expect(r.code).toBe(2);
    expect(r.err).toContain("--npz and --aemf name the same file 'same.out'");
    expect(readFileSync(at('good.aemf')).equals(before)).toBe(true);
  });
});

describe('datasets', () => {
  it('a gzip bomb is refused after its header, not inflated: reading stops at the size the header declares', () => {
    // 64 gzip members of 16 MiB of zeros each inflate to 1 GiB; the header before them
    // declares one 28×28 image (833 bytes in all).
    const header = dataset(1, 'bomb');
    const zeros = gzipSync(Buffer.alloc(16 << 20), { level: 9 });
    writeFileSync(at('bomb-train.aeds.gz'), Buffer.concat([gzipSync(header), ...Array(64).fill(zeros)]));
    writeFileSync(at('bomb-test.aeds'), dataset(4, 'bomb'));
    const r = ae('train', '--dataset', 'bomb', '--data-dir', '.', '--encoder', '8', '--latent', '2');
    expect(r.code).toBe(1);
    expect(r.err).toBe('ae train: ./bomb-train.aeds.gz: dataset file has trailing bytes after the 833 its header declares\n');
  });

  it('a header declaring more than the largest dataset is refused before anything is inflated', () => {
    const header = Buffer.alloc(48);
    header.write('AEDS', 0, 'latin1');
    [1, 4294967295, 1024, 1024, 10].forEach((v, i) => header.writeUInt32LE(v, 4 + 4 * i));
    writeFileSync(at('vast-train.aeds.gz'), gzipSync(header));
    const r = ae('train', '--dataset', 'vast', '--data-dir', '.');
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'ae train: ./vast-train.aeds.gz: the header declares 4503603921289263 bytes of images, more than the 1073741824 this program reads; regenerate it with `node datasets/prepare.mjs`\n',
    );
  });

  it('a dataset name from a model file\'s history that is a path is refused, as the page refuses it', () => {
    writeFileSync(at('escape.aemf'), withHistory(readFileSync(at('good.aemf')), { dataset: '../../tiny' }));
    const message = "the model file's history names the dataset '../../tiny', which is not a dataset name";
    for (const args of [['eval', 'escape.aemf'], ['reconstruct', 'escape.aemf'], ['train', '--resume', 'escape.aemf']]) {
      const r = ae(...args, '--data-dir', '.');
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toContain(message);
      expect(r.err).toContain('give the dataset with --dataset');
    }
    // Given explicitly, the dataset comes from the command line and the history is not read.
    expect(ae('eval', 'escape.aemf', '--data-dir', '.', '--dataset', 'tiny').code).toBe(0);
    const r = ae('eval', 'good.aemf', '--data-dir', '.', '--dataset', '../tiny');
    expect(r.code).toBe(1);
    expect(r.err).toContain("dataset name '../tiny' is not a dataset name");
  });
});

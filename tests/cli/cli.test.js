// The native `ae` program, run as a person would from a shell (no shell involved: argv
// arrays), on tiny synthetic datasets: training prints per-epoch lines and a result line,
// save/resume continues exactly, eval/export/info work on the saved file, a damaged file is
// refused, and a wrong command line gets usage on stderr with exit code 2.
//
// Uses build/native/engine/ae (built by `npm run setup`); AE_BIN overrides it.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dataset, fields, requireAe, runAe } from './ae-helpers.js';

let dir;
const ae = (...args) => runAe(dir, args);

const TINY = ['--dataset', 'tiny', '--data-dir', '.', '--batch-size', '16', '--encoder', '32', '--latent', '4', '--seed', '3'];

beforeAll(() => {
  requireAe();
  dir = mkdtempSync(join(tmpdir(), 'ae-cli-'));
  writeFileSync(join(dir, 'tiny-train.aeds'), dataset(64, 'tiny'));
  writeFileSync(join(dir, 'tiny-test.aeds'), dataset(32, 'tiny'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ae train', () => {
  it('trains one epoch: an epoch line, a result line, a model file, and no progress bar off a terminal', () => {
    const r = ae('train', ...TINY, '--epochs', '1', '--save', 'one.aemf');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
    expect(r.lines).toHaveLength(2);
    expect(r.lines[0]).toMatch(/^epoch=1 train_loss=\S+ test_loss=\S+ recon=\S+ kl=0 sparsity=0 weight_decay=0 seconds=\S+$/);
    const res = fields(r.lines[1]);
    expect(r.lines[1]).toMatch(/^result /);
    expect(res).toMatchObject({ model: 'dense', dataset: 'tiny', epochs: '1' });
    expect(Number(res.train_loss)).toBeGreaterThan(0);
    expect(res.test_loss).toBe(fields(r.lines[0]).test_loss);
    expect(res.test_recon).toBe(res.test_loss);
    expect(readFileSync(join(dir, 'one.aemf')).subarray(0, 4).toString('latin1')).toBe('AEMF');
  });

  it('resumes a saved model exactly: 1 + 1 epochs end where 2 epochs straight end', () => {
    const straight = ae('train', ...TINY, '--epochs', '2', '--eval-every-epoch');
    expect(straight.code, straight.err).toBe(0);
    expect(straight.lines.filter((l) => l.startsWith('epoch='))).toHaveLength(2);

    const resumed = ae('train', '--resume', 'one.aemf', '--data-dir', '.', '--epochs', '1', '--save', 'two.aemf');
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.lines[0]).toMatch(/^epoch=2 /);
    const a = fields(straight.lines.at(-1));
    const b = fields(resumed.lines.at(-1));
    expect(b).toMatchObject({ model: 'dense', dataset: 'tiny', epochs: '2' }); // the dataset comes from the file
    expect(b.train_loss).toBe(a.train_loss);
    expect(b.test_loss).toBe(a.test_loss);
  });

  it('trains a VAE from a config file, reporting its KL term', () => {
    writeFileSync(
      join(dir, 'vae.json'),
      JSON.stringify({ model: { variant: 'vae', encoder: [32], latent: 2 }, train: { batch_size: 16, lr: 0.002 }, epochs: 1, dataset: 'tiny' }),
    );
    const r = ae('train', '--config', 'vae.json', '--data-dir', '.');
    expect(r.code, r.err).toBe(0);
    expect(Number(fields(r.lines[0]).kl)).toBeGreaterThan(0);
    expect(fields(r.lines[1]).model).toBe('vae');
  });

  it('trains the adversarial AE: its lines carry the discriminator and generator losses, eval the prior fit', () => {
    const base = ['--dataset', 'tiny', '--data-dir', '.', '--batch-size', '16', '--seed', '3', '--epochs', '1'];
    let r = ae('train', ...base, '--variant', 'aae', '--encoder', '32', '--prior-labels', '--discriminator', '16,8', '--adversarial-lr', '0.0005', '--save', 'aae.aemf');
    expect(r.code, r.err).toBe(0);
    expect(r.lines[0]).toMatch(/^epoch=1 train_loss=\S+ test_loss=\S+ recon=\S+ kl=0 sparsity=0 weight_decay=0 disc=\S+ gen=\S+ seconds=\S+$/);
    expect(fields(r.lines[1]).model).toBe('aae');
    r = ae('eval', 'aae.aemf', '--data-dir', '.');
    expect(r.code, r.err).toBe(0);
    const e = fields(r.lines[0]);
    for (const k of ['disc', 'gen', 'prior_loglik']) expect(Number.isFinite(Number(e[k]))).toBe(true);
    r = ae('info', 'aae.aemf');
    expect(r.out).toContain('"discriminator":[16,8]');
    expect(r.out).toContain('"prior_labels":true');
    expect(r.out).toContain('"adversarial_lr":0.0005');
    r = ae('train', ...base, '--variant', 'aae', '--prior', 'gaussian');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown prior 'gaussian' (expected one of: normal, mixture)");
  });

  it('trains the sequence AE and says what does not fit it', () => {
    const base = ['--dataset', 'tiny', '--data-dir', '.', '--batch-size', '16', '--seed', '3', '--epochs', '1'];
    let r = ae('train', ...base, '--variant', 'sequence', '--encoder', '16', '--latent', '4');
    expect(r.code, r.err).toBe(0);
    expect(r.lines[0]).toMatch(/^epoch=1 train_loss=\S+ test_loss=\S+ recon=\S+ kl=0 sparsity=0 weight_decay=0 seconds=\S+$/);
    expect(fields(r.lines[1]).model).toBe('sequence');
    r = ae('train', ...base, '--variant', 'sequence', '--batchnorm');
    expect(r.code).toBe(2);
    expect(r.err).toContain("'batchnorm' does not apply to variant 'sequence'");
  });

  it('refuses architecture flags with --resume, and bad values with the engine message', () => {
    let r = ae('train', '--resume', 'one.aemf', '--data-dir', '.', '--latent', '8');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--latent changes the architecture');
    r = ae('train', ...TINY.slice(0, 4), '--latent', '0');
    expect(r.code).toBe(2);
    expect(r.err).toContain("'latent' must be an integer in [1");
    expect(r.err).toContain('ae train --help lists the options');
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ model: { latent: 2 }, train: { lr: null } }));
    r = ae('train', '--config', 'bad.json', '--data-dir', '.');
    expect(r.code).toBe(2);
    expect(r.err).toContain("'lr' is null");
    writeFileSync(join(dir, 'typo.json'), JSON.stringify({ modle: {} }));
    r = ae('train', '--config', 'typo.json');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown key 'modle'");
    r = ae('train', '--dataset', 'nope', '--data-dir', '.');
    expect(r.code).toBe(1);
    expect(r.err).toContain("dataset file './nope-train.aeds.gz' not found");
  });
});

describe('ae eval, export, info', () => {
  it('evaluates a saved model to the loss its training run reported', () => {
    const train = ae('train', '--resume', 'one.aemf', '--data-dir', '.', '--epochs', '1');
    const r = ae('eval', 'two.aemf', '--data-dir', '.');
    expect(r.code, r.err).toBe(0);
    const e = fields(r.lines[0]);
    expect(e).toMatchObject({ model: 'dense', dataset: 'tiny', split: 'test', images: '32' });
    expect(e.loss).toBe(fields(train.lines.at(-1)).test_loss);
  });

  it('evaluates any model on noisy inputs against the clean images (--noise, for npm run quality)', () => {
    const clean = fields(ae('eval', 'two.aemf', '--data-dir', '.').lines[0]);
    const args = ['eval', 'two.aemf', '--data-dir', '.', '--noise', 'gaussian', '--noise-amount', '0.5'];
    const r = ae(...args);
    expect(r.code, r.err).toBe(0);
    const noisy = fields(r.lines[0]);
    expect(noisy).toMatchObject({ noise: 'gaussian', noise_amount: '0.5' });
    expect(noisy.recon).not.toBe(clean.recon); // (this barely trained model is not necessarily worse on noise)
    expect(fields(ae(...args).lines[0]).loss).toBe(noisy.loss); // the same noisy images every time
    const bad = ae('eval', 'two.aemf', '--data-dir', '.', '--noise', 'pink');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("unknown noise 'pink'");
  });

  it('exports .npz and smaller quantised model files that still evaluate', () => {
    let r = ae('export', 'two.aemf', '--npz', 'two.npz', '--aemf', 'two-u8.aemf', '--quantize', 'u8');
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(join(dir, 'two.npz')).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(statSync(join(dir, 'two-u8.aemf')).size).toBeLessThan(statSync(join(dir, 'two.aemf')).size / 4);
    r = ae('info', 'two-u8.aemf', '--tensors');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('weights stored as u8');
    expect(r.out).toContain('adam, no state');
    expect(r.out).toMatch(/encoder\.0\.weight {2}param u8 784x32 25088 bytes/);
    const full = fields(ae('eval', 'two.aemf', '--data-dir', '.').lines[0]);
    const small = fields(ae('eval', 'two-u8.aemf', '--data-dir', '.').lines[0]);
    expect(Math.abs(Number(small.loss) - Number(full.loss)) / Number(full.loss)).toBeLessThan(0.01);
  });

  it('exports with a given history (--history), so two runs with the same seed give identical bytes', () => {
    // Two separate trainings from the same config and seed; ae train's own history records
    // wall-clock seconds, which --history replaces (scripts/pretrain.mjs relies on this).
    for (const name of ['r1', 'r2']) {
      const r = ae('train', ...TINY, '--epochs', '2', '--save', `${name}.aemf`);
      expect(r.code, r.err).toBe(0);
    }
    writeFileSync(join(dir, 'log.json'), JSON.stringify({ dataset: 'tiny', note: 'fixed' }));
    for (const name of ['r1', 'r2']) {
      const r = ae('export', `${name}.aemf`, '--aemf', `${name}-f16.aemf`, '--quantize', 'f16', '--history', 'log.json');
      expect(r.code, r.err).toBe(0);
    }
    const a = readFileSync(join(dir, 'r1-f16.aemf'));
    expect(a.equals(readFileSync(join(dir, 'r2-f16.aemf')))).toBe(true);
    const h = a.readUInt32LE(8);
    expect(JSON.parse(a.toString('utf8', 28, 28 + h)).history).toEqual({ dataset: 'tiny', note: 'fixed' });
    expect(fields(ae('eval', 'r1-f16.aemf', '--data-dir', '.').lines[0]).dataset).toBe('tiny'); // read from that history

    writeFileSync(join(dir, 'bad.json'), '{"dataset": ');
    let r = ae('export', 'r1.aemf', '--aemf', 'x.aemf', '--history', 'bad.json');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/history file 'bad\.json' is not valid JSON/);
    expect(existsSync(join(dir, 'x.aemf'))).toBe(false);
    r = ae('export', 'r1.aemf', '--npz', 'x.npz', '--history', 'log.json');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--history applies to --aemf output');
  });

  it('refuses a damaged model file with exit code 1 and says why', () => {
    const bytes = readFileSync(join(dir, 'two.aemf'));
    writeFileSync(join(dir, 'cut.aemf'), bytes.subarray(0, bytes.length - 1000));
    let r = ae('eval', 'cut.aemf', '--data-dir', '.');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/model file: truncated: the file has \d+ bytes but its header says \d+ \(it ends inside tensor '/);
    const flipped = Buffer.from(bytes);
    flipped[bytes.length - 5000] ^= 0xff;
    writeFileSync(join(dir, 'flip.aemf'), flipped);
    r = ae('info', 'flip.aemf');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/model file: corrupted: checksum mismatch in tensor '/);
    r = ae('info', 'missing.aemf');
    expect(r.code).toBe(1);
    expect(r.err).toContain("cannot open 'missing.aemf'");
  });
});

describe('usage', () => {
  it('prints help for the program and each command on stdout with exit code 0', () => {
    const top = ae('--help');
    expect(top.code).toBe(0);
    for (const cmd of ['train', 'eval', 'export', 'info']) {
      expect(top.out).toContain(`  ${cmd} `);
      const r = ae(cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^usage: ae ${cmd}`));
      expect(r.err).toBe('');
    }
    expect(ae('train', '--help').out).toContain('--eval-every-epoch');
  });

  it.each([
    [['train', '--bogus'], "unknown option '--bogus' for 'ae train'"],
    [['train', '--lr'], "option '--lr' needs a value"],
    [['train', '--lr', 'fast'], "--lr expects a number, got 'fast'"],
    [['train', '--encoder', '400,x'], '--encoder expects comma-separated integers'],
    [['train', '--epochs', '0'], '--epochs expects an integer in [1, 100000]'],
    [['train', '--batchnorm=maybe'], "option '--batchnorm' is a switch"],
    [['eval'], 'missing argument'],
    [['eval', 'a.aemf', 'b.aemf'], "unexpected argument 'b.aemf'"],
    [['export', 'a.aemf'], 'nothing to do'],
    [['export', 'a.aemf', '--aemf', 'b.aemf', '--quantize', 'f8'], "unknown weight type 'f8'"],
    [['info', '-x', 'a.aemf'], "unknown option '-x'"],
  ])('ae %j exits 2 with usage on stderr', (args, message) => {
    const r = ae(...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(message);
    expect(r.err).toContain(`usage: ae ${args[0]}`);
  });

  it('prints the engine release, the model-file format version and the build with --version', () => {
    const r = ae('--version');
    expect(r.code, r.err).toBe(0);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^version engine=\d+\.\d+\.\d+ aemf=1 gemm=\S+ simd=\S+ compiler=\S+$/);
    expect(ae('version').out).toBe(r.out);
    const extra = ae('--version', 'now');
    expect(extra.code).toBe(2);
    expect(extra.err).toContain('--version takes no arguments');
  });

  it('exits 2 for no command or an unknown one', () => {
    expect(ae().code).toBe(2);
    const r = ae('fit');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown command 'fit'");
  });
});

// scripts/wasm-relaxed.mjs: renumbers clang 14's early relaxed-SIMD multiply-add (0xfd 0xaf) to
// the standard f32x4.relaxed_madd (0xfd 0x105) in place, and refuses a module where the same
// bytes occur anywhere but in that instruction. Checked on small modules written here, with
// binaryen's disassembler (a dependency of Debian's emscripten) doing the counting, as in the build.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { RELAXED_PROBE } from '../../web/src/worker/load-engine.js';
import { renumber } from '../../scripts/wasm-relaxed.mjs';

const HEADER = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0]; // () -> v128, one function
const SPLATS = [65, 0, 253, 15, 65, 0, 253, 15, 65, 0, 253, 15]; // (i32.const 0; i8x16.splat) × 3
const EARLY_FMA = [253, 175, 1];

/** A module of one function with this body (no locals), written to a fresh file. */
function moduleFile(instructions) {
  const body = [0, ...instructions, 11];
  const bytes = new Uint8Array([...HEADER, 10, body.length + 2, 1, body.length, ...body]);
  const file = join(mkdtempSync(join(tmpdir(), 'wasm-relaxed-')), 'm.wasm');
  writeFileSync(file, bytes);
  return file;
}

/** Whether Node validates the bytes with relaxed SIMD switched on. */
function validatesRelaxed(bytes) {
  const code = `console.log(WebAssembly.validate(new Uint8Array(${JSON.stringify([...bytes])})))`;
  const r = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '-e', code], { encoding: 'utf8' });
  return r.stdout.trim() === 'true';
}

describe('scripts/wasm-relaxed.mjs', () => {
  it('renumbers the early opcode to f32x4.relaxed_madd: the result is the page\'s probe module, which validates', () => {
    const file = moduleFile([...SPLATS, ...EARLY_FMA]);
    expect(validatesRelaxed(readFileSync(file))).toBe(false);
    expect(renumber(file)).toBe(1);
    const out = readFileSync(file);
    expect([...out]).toEqual([...RELAXED_PROBE]);
    expect(validatesRelaxed(out)).toBe(true);
    // Run once after each link: a second run finds nothing to renumber and says so.
    expect(() => renumber(file)).toThrow(/no early relaxed-SIMD multiply-add/);
  });

  it('refuses a module where the bytes also occur inside another instruction, and leaves it as it was', () => {
    // i32.const 22525 is encoded 0x41 0xfd 0xaf 0x01: the same three bytes as the opcode.
    const file = moduleFile([0x41, 0xfd, 0xaf, 0x01, 0x1a, ...SPLATS, ...EARLY_FMA]);
    const before = readFileSync(file);
    expect(() => renumber(file)).toThrow(/2 copies of the early opcode's bytes but 1 f32x4\.relaxed_fma/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a module built without relaxed SIMD', () => {
    const file = moduleFile([...SPLATS, 0x1a, 0x1a]); // plain SIMD only
    expect(() => renumber(file)).toThrow(/no early relaxed-SIMD multiply-add/);
  });
});

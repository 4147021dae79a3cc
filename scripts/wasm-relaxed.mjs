// Renumbers the relaxed-SIMD multiply-add in a module linked by Emscripten 3.1.6 (clang 14) to the
// standard opcode, in place:  node scripts/wasm-relaxed.mjs FILE.wasm
//
// clang 14 emits __builtin_wasm_fma_f32x4 as the relaxed-SIMD proposal's early opcode, 0xfd 0xaf
// (LEB128 0xaf 0x01), which browsers never shipped. The standard f32x4.relaxed_madd is 0xfd 0x105
// (LEB128 0x85 0x02): the same three bytes long, so the code section's layout does not move. Its
// result is operand 0 · operand 1 + operand 2, in the order the operands were pushed, which is
// the builtin's argument order (engine/src/kernels/gemm.cpp's madd relies on it; the kernel tests
// check the numbers in the renumbered module).
//
// The bytes 0xfd 0xaf 0x01 could also occur inside another instruction's immediate (a constant,
// an offset). So the script counts the instructions with binaryen's disassembler (wasm-dis, a
// dependency of Debian's emscripten, which still reads the early opcode as `f32x4.relaxed_fma`)
// and renumbers only when the code section holds exactly that many occurrences, and no other
// relaxed-SIMD instruction: otherwise it stops with an error and the build fails. It runs once
// after each link (engine/CMakeLists.txt); a module without the early opcode (not compiled with
// -mrelaxed-simd, or renumbered already) is an error too.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const EARLY = [0xfd, 0xaf, 0x01];
const STANDARD = [0xfd, 0x85, 0x02];

/** [start, end) of the code section (id 10) in a wasm binary. */
function codeSection(bytes) {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) throw new Error('not a WebAssembly module');
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at++];
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++];
      size += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) break;
    }
    if (id === 10) return [at, at + size];
    at += size;
  }
  throw new Error('the module has no code section');
}

function occurrences(bytes, [start, end], pattern) {
  const at = [];
  for (let i = start; i + pattern.length <= end; i++) if (pattern.every((b, k) => bytes[i + k] === b)) at.push(i);
  return at;
}

export function renumber(file) {
  const bytes = readFileSync(file);
  const code = codeSection(bytes);
  const early = occurrences(bytes, code, EARLY);
  if (!early.length) throw new Error(`${file}: no early relaxed-SIMD multiply-add to renumber (built without -mrelaxed-simd, or renumbered already)`);
  const text = execFileSync('wasm-dis', ['--all-features', file], { maxBuffer: 1 << 30, encoding: 'utf8' });
  const fma = (text.match(/\(f32x4\.relaxed_fma\b/g) ?? []).length;
  const relaxed = (text.match(/\(\w+\.relaxed_\w+/g) ?? []).length;
  if (relaxed !== fma) throw new Error(`${file}: ${relaxed - fma} relaxed-SIMD instructions other than f32x4.relaxed_fma; only that one is renumbered`);
  if (early.length !== fma) throw new Error(`${file}: the code section holds ${early.length} copies of the early opcode's bytes but ${fma} f32x4.relaxed_fma instructions: not renumbering`);
  for (const i of early) bytes.set(STANDARD, i);
  writeFileSync(file, bytes);
  return fma;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node scripts/wasm-relaxed.mjs FILE.wasm');
    process.exit(2);
  }
  try {
    const n = renumber(file);
    console.log(`wasm-relaxed: ${file}: ${n} f32x4.relaxed_madd`);
  } catch (err) {
    console.error(`wasm-relaxed: ${err.message}`);
    process.exit(1);
  }
}
